// The body of the `auth_client` fuzz target, shared with the corpus replay
// test. The first byte picks the client step that gets the rest:
//   0: resPQ body;  1: server_DH_params body;  2: server_DH_inner_data
//   plaintext, wrapped and encrypted as a server would (reaches the DH
//   checks);  3: the dh_gen answer body after a valid exchange so far.
// Nothing may panic; returns whether the step accepted the input.
#[allow(dead_code)]
fn auth_client(data: &[u8]) -> bool {
    use mtproto_core::auth::client::{ClientAwaitingDhGen, ClientAwaitingResPq};
    use mtproto_core::crypto::dh::DhGroup;
    use mtproto_core::tl::mtproto::types::{ServerDhInnerData, ServerDhParamsOk};
    use mtproto_core::tl::Serialize;
    use mtproto_core::UnixMillis;

    let Some((&mode, rest)) = data.split_first() else {
        return false;
    };
    let now = UnixMillis(1_700_000_000_000);
    let fresh = || ClientAwaitingResPq::start_with(auth_fuzz::client_config(), auth_fuzz::NONCE).0;
    let after_res_pq = || {
        fresh()
            .handle_res_pq_with(
                &auth_fuzz::res_pq(),
                auth_fuzz::NEW_NONCE,
                &auth_fuzz::rsa_padding(),
                &auth_fuzz::rsa_temp_key(),
            )
            .expect("the fixed resPQ is valid")
            .0
    };
    let server_dh_ok = |answer: &[u8]| {
        ServerDhParamsOk {
            nonce: auth_fuzz::NONCE,
            server_nonce: auth_fuzz::SERVER_NONCE,
            encrypted_answer: auth_fuzz::wrap_inner(answer),
        }
        .to_tl_bytes()
    };
    let b = [0x55u8; 256];
    let pad = [0u8; 12];
    match mode % 4 {
        0 => fresh()
            .handle_res_pq_with(rest, auth_fuzz::NEW_NONCE, &auth_fuzz::rsa_padding(), &auth_fuzz::rsa_temp_key())
            .is_ok(),
        1 => after_res_pq().handle_server_dh_params_with(rest, now, &b, &pad).is_ok(),
        2 => after_res_pq()
            .handle_server_dh_params_with(&server_dh_ok(rest), now, &b, &pad)
            .is_ok(),
        _ => {
            let group = DhGroup::telegram();
            let answer = ServerDhInnerData {
                nonce: auth_fuzz::NONCE,
                server_nonce: auth_fuzz::SERVER_NONCE,
                g: 3,
                dh_prime: group.prime_be().to_vec(),
                g_a: group.public_from_secret(&[0x66; 256]).to_vec(),
                server_time: 1_700_000_000,
            }
            .to_tl_bytes();
            let state: ClientAwaitingDhGen = after_res_pq()
                .handle_server_dh_params_with(&server_dh_ok(&answer), now, &b, &pad)
                .expect("the fixed answer is valid")
                .0;
            state.handle_dh_gen(rest).is_ok()
        }
    }
}
