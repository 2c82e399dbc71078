// Shared by the auth fuzz checks (auth_client, auth_server, auth_bind) and
// the corpus replay test: a fixed server key and helpers that wrap fuzz bytes
// the way the peer would encrypt them, so the fuzzer reaches the checks
// behind the encryption (the DH checks, the inner-data checks).
#[allow(dead_code)]
mod auth_fuzz {
    use std::sync::{Arc, OnceLock};

    use mtproto_core::auth::client::{ClientAwaitingResPq, ClientHandshakeConfig};
    use mtproto_core::auth::KeyType;
    use mtproto_core::crypto::aes_ige::ige_encrypt;
    use mtproto_core::crypto::hash::sha1;
    use mtproto_core::crypto::kdf::handshake_tmp_key_iv;
    use mtproto_core::crypto::rsa::RsaPrivateKey;
    use mtproto_core::tl::mtproto::types::ResPq;
    use mtproto_core::tl::Serialize;
    use mtproto_core::SeededRandom;

    pub const NONCE: [u8; 16] = [0x11; 16];
    pub const SERVER_NONCE: [u8; 16] = [0x22; 16];
    pub const NEW_NONCE: [u8; 32] = [0x33; 32];
    /// The worked example's pq and its factors.
    pub const PQ: u64 = 1_468_428_376_148_703_121;
    pub const P: u32 = 1_008_949_199;
    pub const Q: u32 = 1_455_403_679;

    /// A deterministic 2048-bit server key, generated once per process.
    pub fn server_key() -> &'static RsaPrivateKey {
        static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
        KEY.get_or_init(|| {
            RsaPrivateKey::generate(&mut SeededRandom::from_u64(0x5eed)).expect("key generation")
        })
    }

    pub fn client_config() -> Arc<ClientHandshakeConfig> {
        Arc::new(ClientHandshakeConfig {
            rsa_keys: vec![server_key().public_key()],
            dc_id: 2,
            key_type: KeyType::Permanent,
        })
    }

    pub fn res_pq() -> Vec<u8> {
        ResPq {
            nonce: NONCE,
            server_nonce: SERVER_NONCE,
            pq: PQ.to_be_bytes().to_vec(),
            server_public_key_fingerprints: vec![server_key().fingerprint()],
        }
        .to_tl_bytes()
    }

    /// RSA_PAD padding for the fixed inner data (p_q_inner_data_dc: 100 bytes).
    pub fn rsa_padding() -> Vec<u8> {
        vec![0x44; 192 - 100]
    }

    /// A temp_key that gives a value below the modulus for the fixed client
    /// (searched once).
    pub fn rsa_temp_key() -> [u8; 32] {
        static KEY: OnceLock<[u8; 32]> = OnceLock::new();
        *KEY.get_or_init(|| {
            (0u8..=255)
                .map(|t| [t; 32])
                .find(|t| {
                    ClientAwaitingResPq::start_with(client_config(), NONCE)
                        .0
                        .handle_res_pq_with(&res_pq(), NEW_NONCE, &rsa_padding(), t)
                        .is_ok()
                })
                .expect("some temp key fits")
        })
    }

    /// `AES-IGE(SHA1(data) ‖ data ‖ padding)` under the handshake's temporary
    /// key: how either side wraps its DH inner data.
    pub fn wrap_inner(data: &[u8]) -> Vec<u8> {
        let tmp = handshake_tmp_key_iv(&NEW_NONCE, &SERVER_NONCE);
        let mut out = sha1(&[data]).to_vec();
        out.extend_from_slice(data);
        while out.len() % 16 != 0 {
            out.push(0);
        }
        ige_encrypt(&tmp.key, &tmp.iv, &mut out).expect("whole blocks");
        out
    }
}
