//! Key exchange tests: Telegram's worked example, seeded client↔server runs
//! for both key types, and one failing test per check.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::{Arc, OnceLock};

use super::client::*;
use super::common::{encrypt_inner, inner_padding_len};
use super::server::*;
use super::*;
use crate::crypto::dh::{DhGroup, TELEGRAM_DH_PRIME};
use crate::crypto::kdf::handshake_tmp_key_iv;
use crate::crypto::rsa::{RsaPrivateKey, old_scheme_encrypt_with, telegram_production_keys};
use crate::envelope::{MsgId, SessionId};
use crate::error::AuthError;
use crate::rand::SeededRandom;
use crate::time::UnixMillis;
use crate::tl::mtproto::functions::{ReqDhParams, ReqPqMulti};
use crate::tl::mtproto::types::{
    DhGenFail, DhGenOk, DhGenRetry, PQInnerDataDc, ResPq, ServerDhInnerData, ServerDhParamsOk,
};
use crate::tl::{Deserialize, Identifiable, Serialize};

const NOW: UnixMillis = UnixMillis(1_705_754_877_000);

fn sample() -> serde_json::Value {
    let text = include_str!("../../../tests/vectors/samples_auth_key.json");
    serde_json::from_str(text).unwrap()
}

fn hex(v: &serde_json::Value) -> Vec<u8> {
    let s = v.as_str().unwrap();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The TL body of one of the example's plain messages (after auth_key_id,
/// msg_id and length).
fn sample_body(doc: &serde_json::Value, name: &str) -> Vec<u8> {
    hex(&doc["messages"][name])[20..].to_vec()
}

fn server_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| RsaPrivateKey::generate(&mut SeededRandom::from_u64(77)).unwrap())
}

fn client_config(key_type: KeyType) -> Arc<ClientHandshakeConfig> {
    Arc::new(ClientHandshakeConfig {
        rsa_keys: vec![server_key().public_key()],
        dc_id: 2,
        key_type,
    })
}

fn server_config() -> Arc<ServerHandshakeConfig> {
    Arc::new(ServerHandshakeConfig::new(vec![server_key().clone()]))
}

/// Run both drivers against each other; returns both results.
fn exchange(
    key_type: KeyType,
    server_cfg: Arc<ServerHandshakeConfig>,
    keys: &mut AuthKeyStore,
    seed: u64,
) -> Result<(CreatedAuthKey, CreatedAuthKey), AuthError> {
    let cfg = (*client_config(key_type)).clone();
    let mut client = ClientHandshake::new(cfg, Box::new(SeededRandom::from_u64(seed)));
    let mut server = ServerHandshake::new(server_cfg, Box::new(SeededRandom::from_u64(!seed)));
    let mut to_server = client.start()?;
    for _ in 0..20 {
        let to_client = server.handle(&to_server, NOW, keys)?;
        match client.handle(&to_client, NOW.saturating_add_millis(40))? {
            Some(next) => to_server = next,
            None => {
                assert!(server.is_done());
                return Ok((
                    client.created_key().unwrap().clone(),
                    server.created_key().unwrap().clone(),
                ));
            }
        }
    }
    panic!("exchange did not finish");
}

#[test]
fn worked_example_client_messages_byte_for_byte() {
    let doc = sample();
    let nonce: [u8; 16] = hex(&doc["nonce"]).try_into().unwrap();
    let new_nonce: [u8; 32] = hex(&doc["new_nonce"]).try_into().unwrap();
    let config = Arc::new(ClientHandshakeConfig {
        rsa_keys: telegram_production_keys(),
        dc_id: doc["dc"].as_i64().unwrap() as i32,
        key_type: KeyType::Permanent,
    });
    let (s, req_pq) = ClientAwaitingResPq::start_with(config, nonce);
    assert_eq!(req_pq, sample_body(&doc, "req_pq_multi"));

    // The example omits RSA_PAD's temp_key, so encrypted_data cannot be
    // reproduced; everything else in req_DH_params can.
    let padding = hex(&doc["rsa"]["random_padding_bytes"]);
    let (s, req_dh) = s
        .handle_res_pq_with(
            &sample_body(&doc, "resPQ"),
            new_nonce,
            &padding,
            &[0x11; 32],
        )
        .unwrap();
    let mut expected = ReqDhParams::from_tl_bytes(&sample_body(&doc, "req_DH_params")).unwrap();
    let ours = ReqDhParams::from_tl_bytes(&req_dh).unwrap();
    assert_ne!(ours.encrypted_data, expected.encrypted_data);
    expected.encrypted_data = ours.encrypted_data.clone();
    assert_eq!(ours, expected);

    // The inner data we encrypted is the example's.
    let inner = PQInnerDataDc {
        pq: 1468428376148703121u64.to_be_bytes().to_vec(),
        p: 1008949199u32.to_be_bytes().to_vec(),
        q: 1455403679u32.to_be_bytes().to_vec(),
        nonce,
        server_nonce: hex(&doc["server_nonce"]).try_into().unwrap(),
        new_nonce,
        dc: 2,
    };
    assert_eq!(inner.to_tl_bytes(), hex(&doc["rsa"]["p_q_inner_data_dc"]));
    assert_eq!(inner.to_tl_bytes().len() + padding.len(), 192);

    let b: [u8; 256] = hex(&doc["client_dh"]["b"]).try_into().unwrap();
    let client_padding = hex(&doc["client_dh"]["padding"]);
    let server_time_ms = 1_705_754_877_000u64;
    let (s, set_client) = s
        .handle_server_dh_params_with(
            &sample_body(&doc, "server_DH_params_ok"),
            UnixMillis(server_time_ms - 2_500),
            &b,
            &client_padding,
        )
        .unwrap();
    assert_eq!(set_client, sample_body(&doc, "set_client_DH_params"));

    match s.handle_dh_gen(&sample_body(&doc, "dh_gen_ok")).unwrap() {
        DhGenOutcome::Done(key) => {
            assert_eq!(key.auth_key.as_bytes().to_vec(), hex(&doc["auth_key"]));
            assert_eq!(key.time_offset_ms, 2_500);
            assert_eq!(key.server_time, 1_705_754_877);
            assert_eq!(key.expires_at, None);
            let nn = hex(&doc["new_nonce"]);
            let sn = hex(&doc["server_nonce"]);
            let salt: Vec<u8> = (0..8).map(|i| nn[i] ^ sn[i]).collect();
            assert_eq!(key.first_salt.0.to_le_bytes().to_vec(), salt);
        }
        DhGenOutcome::Retry(_) => panic!("the example ends with dh_gen_ok"),
    }
}

#[test]
fn worked_example_server_answer_encryption() {
    let doc = sample();
    let new_nonce: [u8; 32] = hex(&doc["new_nonce"]).try_into().unwrap();
    let server_nonce: [u8; 16] = hex(&doc["server_nonce"]).try_into().unwrap();
    let tmp = handshake_tmp_key_iv(&new_nonce, &server_nonce);
    assert_eq!(tmp.key.to_vec(), hex(&doc["server_dh"]["tmp_aes_key"]));
    assert_eq!(tmp.iv.to_vec(), hex(&doc["server_dh"]["tmp_aes_iv"]));
    let with_hash = hex(&doc["server_dh"]["answer_with_hash"]);
    let answer = ServerDhInnerData::deserialize(&mut crate::tl::Reader::new(&with_hash[20..]))
        .unwrap()
        .to_tl_bytes();
    assert_eq!(answer.len(), 564);
    let padding = &with_hash[20 + answer.len()..];
    assert_eq!(padding.len(), inner_padding_len(answer.len()));
    let encrypted = encrypt_inner(&new_nonce, &server_nonce, &answer, padding).unwrap();
    assert_eq!(encrypted, hex(&doc["server_dh"]["encrypted_answer"]));
    let inner = ServerDhInnerData::from_tl_bytes(&answer).unwrap();
    assert_eq!(inner.dh_prime, TELEGRAM_DH_PRIME.to_vec());
    assert_eq!(inner.g, 3);
    // g_b from b, and the key from g_a and b.
    let group = DhGroup::telegram();
    let b: [u8; 256] = hex(&doc["client_dh"]["b"]).try_into().unwrap();
    assert_eq!(
        group.public_from_secret(&b).to_vec(),
        hex(&doc["client_dh"]["g_b"])
    );
    let key = group.shared_secret(&inner.g_a, &b, "g_a").unwrap();
    assert_eq!(key.to_vec(), hex(&doc["auth_key"]));
    let key = AuthKey::new(*key);
    assert_eq!(
        super::common::new_nonce_hash(&new_nonce, 1, &key).to_vec(),
        hex(&doc["new_nonce_hash1"])
    );
}

#[test]
fn seeded_permanent_and_temporary_exchanges() {
    let mut keys = AuthKeyStore::new();
    let (c, s) = exchange(KeyType::Permanent, server_config(), &mut keys, 1).unwrap();
    assert_eq!(c.auth_key.as_bytes(), s.auth_key.as_bytes());
    assert_eq!(c.first_salt, s.first_salt);
    assert_eq!((c.expires_at, s.expires_at), (None, None));
    assert_eq!(c.time_offset_ms, -40);
    assert_eq!(s.dc_id, 2);
    assert!(keys.get(c.auth_key.id(), NOW).unwrap().is_permanent());

    let temp = KeyType::Temporary { expires_in: 3600 };
    let (c2, s2) = exchange(temp, server_config(), &mut keys, 2).unwrap();
    assert_eq!(c2.auth_key.as_bytes(), s2.auth_key.as_bytes());
    let expires = i32::try_from(NOW.as_secs()).unwrap() + 3600;
    assert_eq!(
        (c2.expires_at, s2.expires_at),
        (Some(expires), Some(expires))
    );
    assert_eq!(keys.len(), 2);
    // Same seeds, same bytes: the exchange is deterministic.
    let mut other = AuthKeyStore::new();
    let (c3, _) = exchange(KeyType::Permanent, server_config(), &mut other, 1).unwrap();
    assert_eq!(c3.auth_key.as_bytes(), c.auth_key.as_bytes());
}

#[test]
fn collision_makes_the_server_ask_for_a_retry() {
    let mut keys = AuthKeyStore::new();
    let (first, _) = exchange(KeyType::Permanent, server_config(), &mut keys, 5).unwrap();
    // The same seeds give the same first attempt, whose id is now taken: the
    // server answers dh_gen_retry and the client's second b succeeds.
    let (c, s) = exchange(KeyType::Permanent, server_config(), &mut keys, 5).unwrap();
    assert_ne!(c.auth_key.id(), first.auth_key.id());
    assert_eq!(c.auth_key.as_bytes(), s.auth_key.as_bytes());
    assert_eq!(keys.len(), 2);
}

/// A hand-driven exchange where the test plays the server's part in the
/// middle, to send whatever the check under test must refuse.
struct Manual {
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    new_nonce: [u8; 32],
}

impl Manual {
    fn new() -> Self {
        Manual {
            nonce: [1; 16],
            server_nonce: [2; 16],
            new_nonce: [3; 32],
        }
    }

    fn res_pq(&self, fingerprints: Vec<i64>, pq: u64) -> Vec<u8> {
        ResPq {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            pq: pq.to_be_bytes().to_vec(),
            server_public_key_fingerprints: fingerprints,
        }
        .to_tl_bytes()
    }

    /// The client after resPQ, waiting for server_DH_params.
    fn client_awaiting_dh(&self) -> ClientAwaitingDhParams {
        let (s, _) = ClientAwaitingResPq::start_with(client_config(KeyType::Permanent), self.nonce);
        let res = self.res_pq(vec![server_key().fingerprint()], 1468428376148703121);
        let pad = vec![0u8; 192 - inner_len()];
        // Roughly half of all temp keys give a value below the modulus.
        let temp = (0u8..=255)
            .find(|t| {
                let s2 =
                    ClientAwaitingResPq::start_with(client_config(KeyType::Permanent), self.nonce)
                        .0;
                s2.handle_res_pq_with(&res, self.new_nonce, &pad, &[*t; 32])
                    .is_ok()
            })
            .unwrap();
        s.handle_res_pq_with(&res, self.new_nonce, &pad, &[temp; 32])
            .unwrap()
            .0
    }

    fn server_dh_ok(&self, g: i32, prime: &[u8], g_a: &[u8]) -> Vec<u8> {
        let answer = ServerDhInnerData {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            g,
            dh_prime: prime.to_vec(),
            g_a: g_a.to_vec(),
            server_time: 1_705_754_877,
        }
        .to_tl_bytes();
        let pad = vec![0u8; inner_padding_len(answer.len())];
        ServerDhParamsOk {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            encrypted_answer: encrypt_inner(&self.new_nonce, &self.server_nonce, &answer, &pad)
                .unwrap(),
        }
        .to_tl_bytes()
    }

    fn client_result(&self, body: &[u8]) -> Result<(), AuthError> {
        self.client_awaiting_dh()
            .handle_server_dh_params_with(body, NOW, &[0x42; 256], &[0; 12])
            .map(|_| ())
    }
}

/// Serialized p_q_inner_data_dc length for the example's pq: 4 + (8+4) pq
/// + (4+4) p + (4+4) q + 16 + 16 + 32 + 4.
fn inner_len() -> usize {
    4 + 12 + 8 + 8 + 16 + 16 + 32 + 4
}

fn valid_g_a() -> Vec<u8> {
    DhGroup::telegram()
        .public_from_secret(&[0x17; 256])
        .to_vec()
}

#[test]
fn client_refuses_wrong_nonce_fingerprint_and_pq() {
    let m = Manual::new();
    let start = || ClientAwaitingResPq::start_with(client_config(KeyType::Permanent), m.nonce).0;
    let fp = server_key().fingerprint();
    let pad = vec![0u8; 192 - inner_len()];
    let run = |body: &[u8]| {
        start()
            .handle_res_pq_with(body, m.new_nonce, &pad, &[9; 32])
            .err()
    };

    let mut wrong_nonce = m.res_pq(vec![fp], 1468428376148703121);
    wrong_nonce[4] ^= 1;
    assert_eq!(run(&wrong_nonce), Some(AuthError::NonceMismatch));
    assert_eq!(
        run(&m.res_pq(vec![1, 2], 1468428376148703121)),
        Some(AuthError::UnknownFingerprint { offered: 2 })
    );
    assert!(matches!(
        run(&m.res_pq(vec![fp], 1_000_000_007)),
        Some(AuthError::InvalidPq(_))
    ));
    assert!(matches!(
        run(&m.res_pq(vec![fp], u64::MAX - 58)),
        Some(AuthError::InvalidPq(_))
    ));
    assert!(matches!(
        run(&ReqPqMulti { nonce: m.nonce }.to_tl_bytes()),
        Some(AuthError::UnexpectedMessage {
            found: 0xbe7e8ef1,
            ..
        })
    ));
    assert!(matches!(run(&[1, 2]), Some(AuthError::Tl(_))));
}

#[test]
fn client_refuses_bad_dh_answers() {
    let m = Manual::new();
    let prime = TELEGRAM_DH_PRIME;
    assert_eq!(
        m.client_result(&m.server_dh_ok(3, &prime, &valid_g_a())),
        Ok(())
    );

    // Answer hash: flip one encrypted byte.
    let mut tampered = m.server_dh_ok(3, &prime, &valid_g_a());
    let n = tampered.len();
    tampered[n - 20] ^= 1;
    assert_eq!(
        m.client_result(&tampered),
        Err(AuthError::AnswerHashMismatch)
    );

    // server_nonce in the outer message.
    let wrong_outer = ServerDhParamsOk::from_tl_bytes(&m.server_dh_ok(3, &prime, &valid_g_a()))
        .map(|mut ok| {
            ok.server_nonce = [7; 16];
            ok.to_tl_bytes()
        })
        .unwrap();
    assert_eq!(
        m.client_result(&wrong_outer),
        Err(AuthError::ServerNonceMismatch)
    );

    // Prime: wrong size, not prime, prime but not safe.
    let short = &prime[1..];
    assert!(matches!(
        m.client_result(&m.server_dh_ok(3, short, &valid_g_a())),
        Err(AuthError::InvalidDhPrime(_))
    ));
    let mut composite = prime;
    composite[255] = composite[255].wrapping_add(2);
    assert!(matches!(
        m.client_result(&m.server_dh_ok(3, &composite, &valid_g_a())),
        Err(AuthError::InvalidDhPrime(_))
    ));
    // Generators: out of 2..=7, and ones whose residue rule this prime fails
    // (p mod 8 = 7 holds for Telegram's prime? g = 2 needs it; g = 5 needs
    // p mod 5 in {1, 4}: the test asserts whichever rule fails).
    for g in [0, 1, 8, -3] {
        assert!(matches!(
            m.client_result(&m.server_dh_ok(g, &prime, &valid_g_a())),
            Err(AuthError::InvalidGenerator { .. })
        ));
    }
    // g_a: 1, p - 1 and just under 2^1984.
    let p_minus_1 = {
        let mut x = prime;
        x[255] -= 1;
        x
    };
    let mut small = [0u8; 256];
    small[8] = 0xff; // < 2^1984 (2^1984 has bit 1984 set: byte 7 = 1)
    for bad in [vec![1u8], p_minus_1.to_vec(), small.to_vec()] {
        assert_eq!(
            m.client_result(&m.server_dh_ok(3, &prime, &bad)),
            Err(AuthError::DhValueOutOfRange { which: "g_a" })
        );
    }
}

#[test]
fn client_refuses_bad_dh_gen_answers() {
    let m = Manual::new();
    let (state, _) = m
        .client_awaiting_dh()
        .handle_server_dh_params_with(
            &m.server_dh_ok(3, &TELEGRAM_DH_PRIME, &valid_g_a()),
            NOW,
            &[0x42; 256],
            &[0; 12],
        )
        .unwrap();
    let bad_hash = DhGenOk {
        nonce: m.nonce,
        server_nonce: m.server_nonce,
        new_nonce_hash1: [0; 16],
    }
    .to_tl_bytes();
    assert_eq!(
        state.handle_dh_gen(&bad_hash).err(),
        Some(AuthError::NewNonceHashMismatch {
            which: "new_nonce_hash1"
        })
    );
}

#[test]
fn server_dh_params_fail_and_dh_gen_fail_reach_the_client() {
    // The server refuses another DC with server_DH_params_fail.
    let cfg = Arc::new(ServerHandshakeConfig {
        dc_id: Some(4),
        ..(*server_config()).clone()
    });
    let mut keys = AuthKeyStore::new();
    assert_eq!(
        exchange(KeyType::Permanent, cfg, &mut keys, 9).err(),
        Some(AuthError::ServerDhParamsFail)
    );
    // And a temporary key living longer than it accepts.
    let cfg = Arc::new(ServerHandshakeConfig {
        max_temp_expires_in: 60,
        ..(*server_config()).clone()
    });
    assert_eq!(
        exchange(KeyType::Temporary { expires_in: 61 }, cfg, &mut keys, 9).err(),
        Some(AuthError::ServerDhParamsFail)
    );
}

#[test]
fn server_refuses_bad_requests() {
    let cfg = server_config();
    let nonce = [5u8; 16];
    let server_nonce = [6u8; 16];
    let (p, q) = (1008949199u32, 1455403679u32);
    let start = || {
        ServerAwaitingReqPq::new(cfg.clone())
            .handle_req_pq_with(&ReqPqMulti { nonce }.to_tl_bytes(), server_nonce, p, q)
            .unwrap()
    };
    // Bad primes from the caller.
    assert!(matches!(
        ServerAwaitingReqPq::new(cfg.clone())
            .handle_req_pq_with(&ReqPqMulti { nonce }.to_tl_bytes(), server_nonce, q, p)
            .err(),
        Some(AuthError::InvalidPq(_))
    ));
    let (_, res_pq) = start();
    let res = ResPq::from_tl_bytes(&res_pq).unwrap();
    assert_eq!(res.pq, (u64::from(p) * u64::from(q)).to_be_bytes().to_vec());
    assert_eq!(
        res.server_public_key_fingerprints,
        vec![server_key().fingerprint()]
    );

    let inner = |nonce: [u8; 16], pp: u32| {
        PQInnerDataDc {
            pq: res.pq.clone(),
            p: pp.to_be_bytes().to_vec(),
            q: q.to_be_bytes().to_vec(),
            nonce,
            server_nonce,
            new_nonce: [8; 32],
            dc: 2,
        }
        .to_tl_bytes()
    };
    let public = server_key().public_key();
    let req = |data: Vec<u8>, pp: u32, fp: i64, encrypted: Option<Vec<u8>>| {
        let mut rng = SeededRandom::from_u64(3);
        let enc = encrypted.unwrap_or_else(|| {
            crate::crypto::rsa::rsa_pad_encrypt(&public, &data, &mut rng)
                .unwrap()
                .to_vec()
        });
        ReqDhParams {
            nonce,
            server_nonce,
            p: pp.to_be_bytes().to_vec(),
            q: q.to_be_bytes().to_vec(),
            public_key_fingerprint: fp,
            encrypted_data: enc,
        }
        .to_tl_bytes()
    };
    let fp = server_key().fingerprint();
    let answer = |body: Vec<u8>| {
        start()
            .0
            .handle_req_dh_params_with(&body, NOW, &[0x33; 256], &[0; 8])
    };
    assert!(matches!(
        answer(req(inner(nonce, p), p, fp, None)),
        Ok(DhParamsReply::Ok(..))
    ));
    assert!(matches!(
        answer(req(inner(nonce, p), p, fp + 1, None)).err(),
        Some(AuthError::UnknownFingerprint { .. })
    ));
    assert!(matches!(
        answer(req(inner(nonce, p), p + 2, fp, None)).err(),
        Some(AuthError::InvalidPq(_))
    ));
    assert_eq!(
        answer(req(inner([0; 16], p), p, fp, None)).err(),
        Some(AuthError::NonceMismatch)
    );
    assert_eq!(
        answer(req(inner(nonce, p), p, fp, Some(vec![0x55; 256]))).err(),
        Some(AuthError::RsaDecryptFailed)
    );
    // The older padding scheme is still accepted.
    let data = inner(nonce, p);
    let old = old_scheme_encrypt_with(&public, &data, &vec![0x99; 235 - data.len()]).unwrap();
    assert!(matches!(
        answer(req(data, p, fp, Some(old.to_vec()))),
        Ok(DhParamsReply::Ok(..))
    ));
    // Out of order: set_client_DH_params first.
    assert!(matches!(
        answer(ReqPqMulti { nonce }.to_tl_bytes()).err(),
        Some(AuthError::UnexpectedMessage { .. })
    ));
}

/// A client driver past resPQ with a known new_nonce (the temp key is
/// searched for: about half give a value below the modulus).
fn client_past_res_pq(
    res_pq: &[u8],
    nonce: [u8; 16],
    new_nonce: [u8; 32],
) -> (ClientHandshake, Vec<u8>) {
    for t in 0u8..=255 {
        let mut client = ClientHandshake::new(
            (*client_config(KeyType::Permanent)).clone(),
            Box::new(SeededRandom::from_u64(4)),
        );
        client.start_with(nonce).unwrap();
        if let Ok(m) =
            client.handle_res_pq_with(res_pq, new_nonce, &vec![0; 192 - inner_len()], &[t; 32])
        {
            return (client, m);
        }
    }
    panic!("no temp key below the modulus");
}

/// A set_client_DH_params the test builds itself.
fn set_client_dh(
    new_nonce: &[u8; 32],
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    retry_id: i64,
    g_b: Vec<u8>,
) -> Vec<u8> {
    let inner = crate::tl::mtproto::types::ClientDhInnerData {
        nonce,
        server_nonce,
        retry_id,
        g_b,
    }
    .to_tl_bytes();
    let pad = vec![0u8; inner_padding_len(inner.len())];
    crate::tl::mtproto::functions::SetClientDhParams {
        nonce,
        server_nonce,
        encrypted_data: encrypt_inner(new_nonce, &server_nonce, &inner, &pad).unwrap(),
    }
    .to_tl_bytes()
}

#[test]
fn server_refuses_g_b_out_of_range_and_wrong_retry_id() {
    let nonce = [0x31u8; 16];
    let new_nonce = [0x21u8; 32];
    for (g_b, retry_id) in [
        (vec![1u8], 0i64),
        (
            DhGroup::telegram().public_from_secret(&[9; 256]).to_vec(),
            77,
        ),
    ] {
        let mut keys = AuthKeyStore::new();
        let mut server = ServerHandshake::new(server_config(), Box::new(SeededRandom::from_u64(5)));
        let r1 = server
            .handle(&ReqPqMulti { nonce }.to_tl_bytes(), NOW, &mut keys)
            .unwrap();
        let (_client, m2) = client_past_res_pq(&r1, nonce, new_nonce);
        let r2 = server.handle(&m2, NOW, &mut keys).unwrap();
        let server_nonce = ServerDhParamsOk::from_tl_bytes(&r2).unwrap().server_nonce;
        let body = set_client_dh(&new_nonce, nonce, server_nonce, retry_id, g_b);
        let result = server.handle(&body, NOW, &mut keys);
        if retry_id == 0 {
            assert_eq!(
                result.err(),
                Some(AuthError::DhValueOutOfRange { which: "g_b" })
            );
            // Sticky.
            assert_eq!(
                server.handle(&body, NOW, &mut keys).err(),
                Some(AuthError::DhValueOutOfRange { which: "g_b" })
            );
        } else {
            // A wrong retry_id is answered with dh_gen_fail.
            let reply = result.unwrap();
            assert_eq!(
                super::common::constructor_of(&reply).unwrap(),
                DhGenFail::CONSTRUCTOR_ID
            );
            assert!(matches!(
                server.error(),
                Some(AuthError::InvalidInnerData(_))
            ));
        }
        assert!(keys.is_empty());
        assert!(!server.is_done());
    }
}

#[test]
fn drivers_refuse_out_of_order_calls_and_stay_failed() {
    let mut client = ClientHandshake::new(
        (*client_config(KeyType::Permanent)).clone(),
        Box::new(SeededRandom::from_u64(1)),
    );
    assert!(matches!(
        client.handle(&[0; 8], NOW),
        Err(AuthError::OutOfOrder { state: "new", .. })
    ));
    client.start().unwrap();
    assert!(matches!(client.start(), Err(AuthError::OutOfOrder { .. })));
    let err = client.handle(&[1, 2, 3, 4], NOW).unwrap_err();
    assert!(matches!(err, AuthError::UnexpectedMessage { .. }));
    assert_eq!(client.error(), Some(&err));
    assert_eq!(client.handle(&[], NOW).unwrap_err(), err);
    assert_eq!(client.state_name(), "failed");

    let mut server = ServerHandshake::new(server_config(), Box::new(SeededRandom::from_u64(1)));
    let mut keys = AuthKeyStore::new();
    assert!(matches!(
        server.handle_set_client_dh_params(&[0; 8], &mut keys),
        Err(AuthError::OutOfOrder { .. })
    ));
    assert_eq!(server.state_name(), "awaiting req_pq_multi");
}

#[test]
fn temporary_key_binding_verifies_and_links() {
    let mut keys = AuthKeyStore::new();
    let (perm, _) = exchange(KeyType::Permanent, server_config(), &mut keys, 11).unwrap();
    let temp_type = KeyType::Temporary { expires_in: 3600 };
    let (temp, _) = exchange(temp_type, server_config(), &mut keys, 12).unwrap();
    let expires_at = temp.expires_at.unwrap();
    let session = SessionId(0x1234_5678_9abc_def0);
    let msg_id = MsgId(((NOW.as_secs()) << 32) | 8);
    let mut rng = SeededRandom::from_u64(13);
    let (query, nonce) = bind_temp_auth_key_query(
        &perm.auth_key,
        temp.auth_key.id(),
        session,
        msg_id,
        expires_at,
        &mut rng,
    )
    .unwrap();
    let verify = |keys: &mut AuthKeyStore, q: &[u8], tk, s, m, now| {
        verify_bind_temp_auth_key(keys, q, tk, s, m, now)
    };
    let tid = temp.auth_key.id();
    // Each mismatch is refused and binds nothing.
    let bad = [
        verify(&mut keys, &query, perm.auth_key.id(), session, msg_id, NOW),
        verify(&mut keys, &query, tid, SessionId(1), msg_id, NOW),
        verify(&mut keys, &query, tid, session, MsgId(msg_id.0 + 4), NOW),
        verify(
            &mut keys,
            &query,
            tid,
            session,
            msg_id,
            UnixMillis(NOW.0 + 3_600_000),
        ),
    ];
    for r in bad {
        assert!(
            matches!(r, Err(AuthError::InvalidBinding(_) | AuthError::UnknownKey)),
            "{r:?}"
        );
    }
    assert_eq!(keys.bound_permanent(tid, NOW), None);
    let mut tampered = query.clone();
    let n = tampered.len();
    tampered[n - 10] ^= 1;
    assert!(matches!(
        verify(&mut keys, &tampered, tid, session, msg_id, NOW),
        Err(AuthError::InvalidBinding(_))
    ));
    let binding = verify(&mut keys, &query, tid, session, msg_id, NOW).unwrap();
    assert_eq!(binding.nonce, nonce);
    assert_eq!(binding.perm_auth_key_id, perm.auth_key.id());
    assert_eq!(keys.bound_permanent(tid, NOW), Some(perm.auth_key.id()));
    // Removing the permanent key unbinds; expiry drops the temporary key.
    keys.remove(perm.auth_key.id());
    assert_eq!(keys.bound_permanent(tid, NOW), None);
    assert_eq!(keys.remove_expired(UnixMillis(NOW.0 + 3_600_000)), 1);
}

#[test]
fn server_fails_after_too_many_collisions_and_client_reports_it() {
    // Every key the client will derive is already in the store: the server
    // answers dh_gen_retry MAX_SERVER_RETRIES times, then dh_gen_fail.
    let nonce = [0x41u8; 16];
    let new_nonce = [0x42u8; 32];
    let a = [0x43u8; 256];
    let b = |i: u8| [0x50 + i; 256];
    let group = DhGroup::telegram();
    let g_a = group.public_from_secret(&a);
    let mut keys = AuthKeyStore::new();
    for i in 0..=6 {
        let k = AuthKey::new(*group.shared_secret(&g_a, &b(i), "g_a").unwrap());
        keys.insert_permanent(k, 2);
    }
    let mut server = ServerHandshake::new(server_config(), Box::new(SeededRandom::from_u64(1)));
    let r1 = server
        .handle(&ReqPqMulti { nonce }.to_tl_bytes(), NOW, &mut keys)
        .unwrap();
    let (mut client, m2) = client_past_res_pq(&r1, nonce, new_nonce);
    let r2 = server
        .handle_req_dh_params_with(&m2, NOW, &a, &[0; 8])
        .unwrap();
    let mut to_server = client
        .handle_server_dh_params_with(&r2, NOW, &b(0), &[0; 12])
        .unwrap();
    let mut retries = 0;
    let err = loop {
        let reply = server.handle(&to_server, NOW, &mut keys).unwrap();
        match client.handle_dh_gen_with(&reply, &b(retries + 1), &[0; 12]) {
            Ok(Some(next)) => {
                retries += 1;
                to_server = next;
            }
            Ok(None) => panic!("every key collides"),
            Err(e) => break e,
        }
    };
    assert_eq!(retries, MAX_SERVER_RETRIES as u8);
    assert_eq!(err, AuthError::DhGenFail);
    assert!(matches!(
        server.error(),
        Some(AuthError::TooManyRetries { .. })
    ));
    assert_eq!(keys.len(), 7);
}

#[test]
fn client_gives_up_after_too_many_retries_and_sends_retry_ids() {
    let m = Manual::new();
    let group = DhGroup::telegram();
    let g_a = valid_g_a();
    let b = |i: u8| [0x60 + i; 256];
    let (mut state, _) = m
        .client_awaiting_dh()
        .handle_server_dh_params_with(
            &m.server_dh_ok(3, &TELEGRAM_DH_PRIME, &g_a),
            NOW,
            &b(0),
            &[0; 12],
        )
        .unwrap();
    for i in 0..=MAX_DH_RETRIES as u8 {
        let key = AuthKey::new(*group.shared_secret(&g_a, &b(i), "g_a").unwrap());
        let retry = DhGenRetry {
            nonce: m.nonce,
            server_nonce: m.server_nonce,
            new_nonce_hash2: super::common::new_nonce_hash(&m.new_nonce, 2, &key),
        }
        .to_tl_bytes();
        match state.handle_dh_gen(&retry) {
            Ok(DhGenOutcome::Retry(r)) => {
                assert_eq!(r.refused_key_id(), key.id());
                let (next, body) = r.send_with(&b(i + 1), &[0; 12]).unwrap();
                // The new attempt names the refused key's aux hash.
                let sent =
                    crate::tl::mtproto::functions::SetClientDhParams::from_tl_bytes(&body).unwrap();
                let inner: crate::tl::mtproto::types::ClientDhInnerData =
                    super::common::decrypt_inner(
                        &m.new_nonce,
                        &m.server_nonce,
                        &sent.encrypted_data,
                    )
                    .unwrap();
                assert_eq!(inner.retry_id, i64::from_le_bytes(key.aux_hash()));
                state = next;
            }
            Ok(DhGenOutcome::Done(_)) => panic!("retry expected"),
            Err(e) => {
                assert_eq!(i, MAX_DH_RETRIES as u8);
                assert_eq!(
                    e,
                    AuthError::TooManyRetries {
                        attempts: MAX_DH_RETRIES + 1
                    }
                );
                return;
            }
        }
    }
    panic!("the client never gave up");
}

#[test]
fn keys_are_not_printed() {
    let mut keys = AuthKeyStore::new();
    let (c, _) = exchange(KeyType::Permanent, server_config(), &mut keys, 31).unwrap();
    let text = format!("{c:?}");
    let key_hex: String = c.auth_key.as_bytes()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(!text.contains(&key_hex));
    assert!(!format!("{:?}", server_key()).contains("BEGIN"));
}

#[test]
fn error_codes_of_auth_errors() {
    use crate::error::Error;
    let e: Error = AuthError::NonceMismatch.into();
    assert_eq!(e.code().as_u32(), 402);
    let e: Error = AuthError::UnknownKey.into();
    assert_eq!(e.code().as_u32(), 418);
    let e: Error = AuthError::Tl(crate::error::TlError::TrailingBytes { count: 1 }).into();
    assert_eq!(e.code().as_u32(), 302);
}
