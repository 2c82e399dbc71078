// The body of the `auth_server` fuzz target, shared with the corpus replay
// test. The first byte picks the server step that gets the rest:
//   0: req_pq_multi body;  1: req_DH_params body;  2: P_Q_inner_data
//   plaintext, RSA_PAD-encrypted to the server key as a client would (reaches
//   the inner-data checks; at most 144 bytes);  3: set_client_DH_params body;
//   4: client_DH_inner_data plaintext, wrapped and encrypted as a client
//   would (reaches the g_b and retry checks).
// Nothing may panic; returns whether the step accepted the input.
#[allow(dead_code)]
fn auth_server(data: &[u8]) -> bool {
    use std::sync::Arc;

    use mtproto_core::auth::server::{
        DhParamsReply, ServerAwaitingReqDh, ServerAwaitingReqPq, ServerHandshakeConfig,
    };
    use mtproto_core::auth::AuthKeyStore;
    use mtproto_core::crypto::rsa::rsa_pad_encrypt_with;
    use mtproto_core::tl::mtproto::functions::{ReqDhParams, ReqPqMulti, SetClientDhParams};
    use mtproto_core::tl::Serialize;
    use mtproto_core::UnixMillis;

    let Some((&mode, rest)) = data.split_first() else {
        return false;
    };
    let now = UnixMillis(1_700_000_000_000);
    let config = Arc::new(ServerHandshakeConfig::new(vec![auth_fuzz::server_key().clone()]));
    let fresh = || ServerAwaitingReqPq::new(config.clone());
    let after_req_pq = || -> ServerAwaitingReqDh {
        fresh()
            .handle_req_pq_with(
                &ReqPqMulti { nonce: auth_fuzz::NONCE }.to_tl_bytes(),
                auth_fuzz::SERVER_NONCE,
                auth_fuzz::P,
                auth_fuzz::Q,
            )
            .expect("fixed primes")
            .0
    };
    let req_dh = |encrypted: Vec<u8>| {
        ReqDhParams {
            nonce: auth_fuzz::NONCE,
            server_nonce: auth_fuzz::SERVER_NONCE,
            p: auth_fuzz::P.to_be_bytes().to_vec(),
            q: auth_fuzz::Q.to_be_bytes().to_vec(),
            public_key_fingerprint: auth_fuzz::server_key().fingerprint(),
            encrypted_data: encrypted,
        }
        .to_tl_bytes()
    };
    let rsa_wrap = |inner: &[u8]| -> Option<Vec<u8>> {
        if inner.len() > 144 {
            return None;
        }
        let padding = vec![0x77u8; 192 - inner.len()];
        let public = auth_fuzz::server_key().public_key();
        (0u8..=255).find_map(|t| {
            rsa_pad_encrypt_with(&public, inner, &padding, &[t; 32])
                .ok()
                .flatten()
                .map(|e| e.to_vec())
        })
    };
    let a = [0x88u8; 256];
    let answer_pad = [0u8; 8];
    let accepted = |r: Result<DhParamsReply, _>| matches!(r, Ok(DhParamsReply::Ok(..)));
    match mode % 5 {
        0 => fresh()
            .handle_req_pq_with(rest, auth_fuzz::SERVER_NONCE, auth_fuzz::P, auth_fuzz::Q)
            .is_ok(),
        1 => accepted(after_req_pq().handle_req_dh_params_with(rest, now, &a, &answer_pad)),
        2 => match rsa_wrap(rest) {
            Some(enc) => {
                accepted(after_req_pq().handle_req_dh_params_with(&req_dh(enc), now, &a, &answer_pad))
            }
            None => false,
        },
        m => {
            // A valid req_DH_params first: the fixed client's inner data.
            let inner = mtproto_core::tl::mtproto::types::PQInnerDataDc {
                pq: auth_fuzz::PQ.to_be_bytes().to_vec(),
                p: auth_fuzz::P.to_be_bytes().to_vec(),
                q: auth_fuzz::Q.to_be_bytes().to_vec(),
                nonce: auth_fuzz::NONCE,
                server_nonce: auth_fuzz::SERVER_NONCE,
                new_nonce: auth_fuzz::NEW_NONCE,
                dc: 2,
            }
            .to_tl_bytes();
            let enc = rsa_wrap(&inner).expect("fits");
            let Ok(DhParamsReply::Ok(state, _)) =
                after_req_pq().handle_req_dh_params_with(&req_dh(enc), now, &a, &answer_pad)
            else {
                panic!("the fixed req_DH_params is valid");
            };
            let body = if m == 3 {
                rest.to_vec()
            } else {
                SetClientDhParams {
                    nonce: auth_fuzz::NONCE,
                    server_nonce: auth_fuzz::SERVER_NONCE,
                    encrypted_data: auth_fuzz::wrap_inner(rest),
                }
                .to_tl_bytes()
            };
            matches!(
                state.handle_set_client_dh_params(&body, &AuthKeyStore::new()),
                Ok(mtproto_core::auth::server::ClientDhReply::Ok(..))
            )
        }
    }
}
