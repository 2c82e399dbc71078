//! tests/vectors/handshake.json (written by the independent Python generator)
//! replayed through the Rust core: each side, given its recorded randomness,
//! must send exactly the recorded bodies and accept the other side's.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use mtproto_core::auth::{
    AuthKeyStore, ClientHandshake, ClientHandshakeConfig, KeyType, ServerHandshake,
    ServerHandshakeConfig, bind_temp_auth_key_query_with, verify_bind_temp_auth_key,
};
use mtproto_core::crypto::dh::DhGroup;
use mtproto_core::crypto::rsa::{RsaPrivateKey, RsaPublicKey, old_scheme_decrypt};
use mtproto_core::envelope::{MsgId, SessionId};
use mtproto_core::{AuthKey, AuthKeyId, SeededRandom, UnixMillis};
use serde_json::Value;

fn cases(kind: &str) -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/handshake.json"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(doc["version"], 1);
    let all: Vec<Value> = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == kind)
        .cloned()
        .collect();
    assert!(!all.is_empty(), "no {kind} cases");
    all
}

fn hex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn arr<const N: usize>(v: &Value) -> [u8; N] {
    hex(v).try_into().unwrap()
}

fn dec<T: std::str::FromStr>(v: &Value) -> T
where
    T::Err: std::fmt::Debug,
{
    v.as_str().unwrap().parse().unwrap()
}

fn bodies<'a>(case: &'a Value, sender: &str) -> Vec<&'a Value> {
    case["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["sender"] == sender)
        .collect()
}

fn key_type(case: &Value) -> KeyType {
    match case["key_type"].as_str().unwrap() {
        "permanent" => KeyType::Permanent,
        _ => KeyType::Temporary {
            expires_in: case["expires_in"].as_i64().unwrap() as i32,
        },
    }
}

#[test]
fn client_sends_exactly_the_recorded_bodies() {
    for case in cases("exchange") {
        let name = case["name"].as_str().unwrap();
        let c = &case["client"];
        let config = ClientHandshakeConfig {
            rsa_keys: vec![
                RsaPublicKey::from_pem(case["rsa_public_key"].as_str().unwrap()).unwrap(),
            ],
            dc_id: case["dc"].as_i64().unwrap() as i32,
            key_type: key_type(&case),
        };
        let mut client = ClientHandshake::new(config, Box::new(SeededRandom::from_u64(0)));
        let sent = bodies(&case, "client");
        let received = bodies(&case, "server");
        let now = UnixMillis(case["server_time"].as_u64().unwrap() * 1000);
        assert_eq!(
            client.start_with(arr(&c["nonce"])).unwrap(),
            hex(&sent[0]["body"]),
            "{name}"
        );
        let req_dh = client
            .handle_res_pq_with(
                &hex(&received[0]["body"]),
                arr(&c["new_nonce"]),
                &hex(&c["rsa_padding"]),
                &arr(&c["rsa_temp_key"]),
            )
            .unwrap();
        assert_eq!(req_dh, hex(&sent[1]["body"]), "{name}");
        let attempts = c["attempts"].as_array().unwrap();
        let set = client
            .handle_server_dh_params_with(
                &hex(&received[1]["body"]),
                now,
                &arr(&attempts[0]["b"]),
                &hex(&attempts[0]["padding"]),
            )
            .unwrap();
        assert_eq!(set, hex(&sent[2]["body"]), "{name}");
        for (i, answer) in received[2..].iter().enumerate() {
            let next = attempts.get(i + 1).unwrap_or(&attempts[0]);
            let out = client
                .handle_dh_gen_with(
                    &hex(&answer["body"]),
                    &arr(&next["b"]),
                    &hex(&next["padding"]),
                )
                .unwrap();
            match out {
                Some(body) => assert_eq!(body, hex(&sent[3 + i]["body"]), "{name}"),
                None => assert_eq!(i + 1, received.len() - 2, "{name}: done early"),
            }
        }
        let key = client.created_key().expect(name);
        assert_eq!(
            key.auth_key.as_bytes().to_vec(),
            hex(&case["auth_key"]),
            "{name}"
        );
        assert_eq!(key.auth_key.id().0, dec::<u64>(&case["auth_key_id"]));
        assert_eq!(key.first_salt.0 as i64, dec::<i64>(&case["server_salt"]));
        assert_eq!(key.time_offset_ms, 0);
        let expires = case["expires_at"].as_i64().unwrap() as i32;
        assert_eq!(key.expires_at, (expires != 0).then_some(expires), "{name}");
    }
}

#[test]
fn server_sends_exactly_the_recorded_bodies() {
    for case in cases("exchange") {
        let name = case["name"].as_str().unwrap();
        let s = &case["server"];
        let private = RsaPrivateKey::from_pem(case["rsa_private_key"].as_str().unwrap()).unwrap();
        assert_eq!(private.fingerprint(), dec::<i64>(&case["fingerprint"]));
        let mut config = ServerHandshakeConfig::new(vec![private]);
        config.dh =
            DhGroup::new_checked(case["g"].as_i64().unwrap(), &hex(&case["dh_prime"])).unwrap();
        let mut server =
            ServerHandshake::new(Arc::new(config), Box::new(SeededRandom::from_u64(0)));
        let mut keys = AuthKeyStore::new();
        for k in s["known_keys"].as_array().unwrap() {
            assert!(keys.insert_permanent(AuthKey::from_slice(&hex(k)).unwrap(), 0));
        }
        let ids: Vec<u64> = s["known_key_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(dec)
            .collect();
        assert!(ids.iter().all(|id| keys.contains(AuthKeyId(*id))), "{name}");
        let sent = bodies(&case, "server");
        let received = bodies(&case, "client");
        let now = UnixMillis(case["server_time"].as_u64().unwrap() * 1000);
        let res_pq = server
            .handle_req_pq_with(
                &hex(&received[0]["body"]),
                arr(&s["server_nonce"]),
                s["p"].as_u64().unwrap() as u32,
                s["q"].as_u64().unwrap() as u32,
            )
            .unwrap();
        assert_eq!(res_pq, hex(&sent[0]["body"]), "{name}");
        let dh = server
            .handle_req_dh_params_with(
                &hex(&received[1]["body"]),
                now,
                &arr(&s["a"]),
                &hex(&s["answer_padding"]),
            )
            .unwrap();
        assert_eq!(dh, hex(&sent[1]["body"]), "{name}");
        for (i, msg) in received[2..].iter().enumerate() {
            let reply = server
                .handle_set_client_dh_params(&hex(&msg["body"]), &mut keys)
                .unwrap();
            assert_eq!(reply, hex(&sent[2 + i]["body"]), "{name}");
        }
        let key = server.created_key().expect(name);
        assert_eq!(
            key.auth_key.as_bytes().to_vec(),
            hex(&case["auth_key"]),
            "{name}"
        );
        assert_eq!(key.first_salt.0 as i64, dec::<i64>(&case["server_salt"]));
        assert!(keys.get(key.auth_key.id(), now).is_ok());
    }
}

#[test]
fn bind_query_is_reproduced_and_verified() {
    for case in cases("bind") {
        let perm = AuthKey::from_slice(&hex(&case["perm_auth_key"])).unwrap();
        let temp = AuthKey::from_slice(&hex(&case["temp_auth_key"])).unwrap();
        assert_eq!(perm.id().0, dec::<u64>(&case["perm_auth_key_id"]));
        assert_eq!(temp.id().0, dec::<u64>(&case["temp_auth_key_id"]));
        let session = SessionId(dec(&case["temp_session_id"]));
        let msg_id = MsgId(dec(&case["msg_id"]));
        let expires_at = case["expires_at"].as_i64().unwrap() as i32;
        let query = bind_temp_auth_key_query_with(
            &perm,
            temp.id(),
            session,
            msg_id,
            dec(&case["nonce"]),
            expires_at,
            &arr(&case["random"]),
            &hex(&case["padding"]),
        )
        .unwrap();
        assert_eq!(query, hex(&case["query"]));
        let mut keys = AuthKeyStore::new();
        keys.insert_permanent(perm.clone(), 2);
        keys.insert_temporary(temp.clone(), 2, expires_at);
        let now = UnixMillis((expires_at as u64 - 86_400) * 1000);
        let binding =
            verify_bind_temp_auth_key(&mut keys, &query, temp.id(), session, msg_id, now).unwrap();
        assert_eq!(binding.perm_auth_key_id, perm.id());
        assert_eq!(binding.nonce, dec::<i64>(&case["nonce"]));
        assert_eq!(keys.bound_permanent(temp.id(), now), Some(perm.id()));
    }
}

#[test]
fn old_rsa_scheme_decrypts() {
    for case in cases("rsa_old_scheme") {
        let key = RsaPrivateKey::from_pem(case["rsa_private_key"].as_str().unwrap()).unwrap();
        let payload = old_scheme_decrypt(&key, &hex(&case["encrypted"])).unwrap();
        let data = hex(&case["data"]);
        assert_eq!(payload.verify(data.len()).unwrap(), &data[..]);
        let mut rest = data.clone();
        rest.extend(hex(&case["padding"]));
        assert_eq!(payload.data_and_padding(), &rest[..]);
    }
}

#[test]
fn fingerprints_of_pem_keys() {
    for case in cases("fingerprint") {
        let key = RsaPublicKey::from_pem(case["pem"].as_str().unwrap()).unwrap();
        assert_eq!(
            key.fingerprint(),
            dec::<i64>(&case["fingerprint"]),
            "{}",
            case["name"]
        );
    }
}
