//! The wrappers against the core: live exchanges, binding, error codes, lock
//! poisoning. (The recorded exchanges of handshake.json are replayed by the
//! core's tests and by the Kotlin and Swift tests through these wrappers.)

use super::*;

const TEST_KEY_PEM: &str = include_str!("../../../tests/vectors/rsa_test_key.pem");
const NOW_MS: u64 = 1_735_689_600_000;

fn code(r: Result<impl Sized, MtprotoError>) -> u32 {
    match r {
        Ok(_) => 0,
        Err(MtprotoError::Failed { code, .. }) => code,
    }
}

fn server_key() -> Arc<RsaPrivateKey> {
    RsaPrivateKey::from_pem(TEST_KEY_PEM.into()).unwrap()
}

/// Drive a client and a server against each other until the client is done.
fn exchange(
    client: &ClientHandshake,
    server: &ServerHandshake,
    store: &Arc<AuthKeyStore>,
) -> Result<(CreatedAuthKey, CreatedAuthKey), MtprotoError> {
    let mut to_server = client.start()?;
    for _ in 0..10 {
        let to_client = server.handle(to_server, NOW_MS, store.clone())?;
        match client.handle(to_client, NOW_MS + 25)? {
            Some(next) => to_server = next,
            None => {
                return Ok((
                    client.created_key()?.unwrap(),
                    server.created_key()?.unwrap(),
                ));
            }
        }
    }
    panic!("the exchange did not finish");
}

#[test]
fn permanent_and_temporary_keys_then_binding() {
    let key = server_key();
    let store = AuthKeyStore::new();
    assert!(store.is_empty().unwrap());
    let server = || ServerHandshake::new(vec![key.clone()], 0, Vec::new(), Some(2), None).unwrap();
    let client = |expires_in| ClientHandshake::new(vec![key.public_key()], 2, expires_in).unwrap();

    let (c, s) = exchange(&client(0), &server(), &store).unwrap();
    assert_eq!(c.auth_key, s.auth_key);
    assert_eq!(c.auth_key.len(), 256);
    assert_eq!(c.first_salt, s.first_salt);
    assert_eq!((c.expires_at, c.dc_id, c.time_offset_ms), (0, 2, -25));
    assert_eq!(s.time_offset_ms, 0);
    assert!(store.contains(c.auth_key_id).unwrap());
    assert!(!format!("{c:?}").contains(&format!("{:?}", &c.auth_key[..4])));

    let (t, _) = exchange(&client(3600), &server(), &store).unwrap();
    assert_eq!(t.expires_at, t.server_time + 3600);
    assert_eq!(store.len().unwrap(), 2);
    assert!(!store.is_empty().unwrap());

    let q = bind_temp_auth_key_query(c.auth_key.clone(), t.auth_key_id, 7, 1 << 32, t.expires_at)
        .unwrap();
    assert_eq!(store.bound_permanent(t.auth_key_id, NOW_MS).unwrap(), None);
    let b = verify_bind_temp_auth_key(store.clone(), q.query, t.auth_key_id, 7, 1 << 32, NOW_MS)
        .unwrap();
    assert_eq!(
        b,
        TempKeyBinding {
            perm_auth_key_id: c.auth_key_id,
            temp_auth_key_id: t.auth_key_id,
            temp_session_id: 7,
            nonce: q.nonce,
            expires_at: t.expires_at,
        }
    );
    assert_eq!(
        store.bound_permanent(t.auth_key_id, NOW_MS).unwrap(),
        Some(c.auth_key_id)
    );
    let later = (u64::try_from(t.expires_at).unwrap() + 1) * 1000;
    assert_eq!(store.remove_expired(later).unwrap(), 1);
    assert!(store.remove(c.auth_key_id).unwrap());
    assert!(!store.remove(c.auth_key_id).unwrap());
    assert_eq!(store.len().unwrap(), 0);
    assert!(store.is_empty().unwrap());
}

#[test]
fn refusals_and_argument_errors_carry_core_codes() {
    let key = server_key();
    let public = key.public_key();
    // A server for DC 4 refuses a client of DC 2: its reply is
    // server_DH_params_fail (416 on its side), which the client reports (411).
    let store = AuthKeyStore::new();
    let server = ServerHandshake::new(vec![key.clone()], 3, Vec::new(), Some(4), None).unwrap();
    let client = ClientHandshake::new(vec![public.clone()], 2, 0).unwrap();
    assert_eq!(code(exchange(&client, &server, &store)), 411);
    assert_eq!(server.error_code().unwrap(), Some(416));
    assert!(
        server
            .error_message()
            .unwrap()
            .unwrap()
            .contains("inner data")
    );
    assert_eq!(server.state_name().unwrap(), "failed");
    assert_eq!(client.state_name().unwrap(), "failed");
    assert_eq!(client.error_code().unwrap(), Some(411));
    assert_eq!(code(client.start()), 411);

    // A resPQ echoing another nonce.
    let client = ClientHandshake::new(vec![public.clone()], 2, 0).unwrap();
    let server = ServerHandshake::new(vec![key.clone()], 0, Vec::new(), None, None).unwrap();
    let mut res_pq = server
        .handle(client.start().unwrap(), NOW_MS, store.clone())
        .unwrap();
    res_pq[4] ^= 1;
    assert_eq!(client.error_code().unwrap(), None);
    assert_eq!(client.error_message().unwrap(), None);
    assert_eq!(code(client.handle(res_pq, NOW_MS)), 402);
    assert_eq!(client.error_code().unwrap(), Some(402));
    assert!(
        client
            .error_message()
            .unwrap()
            .unwrap()
            .contains("nonce does not match")
    );
    assert_eq!(server.error_code().unwrap(), None);

    let client = ClientHandshake::new(vec![public.clone()], 2, 0).unwrap();
    assert_eq!(code(client.start_with(vec![0; 15])), 101);
    assert_eq!(client.start_with(vec![0; 16]).unwrap().len(), 20);
    assert_eq!(code(client.start()), 401);
    assert_eq!(client.error_code().unwrap(), None);
    assert_eq!(
        code(client.handle_res_pq_with(vec![], vec![0; 31], vec![], vec![0; 32])),
        101
    );
    assert_eq!(code(ClientHandshake::new(vec![public], 2, -1)), 1);

    assert_eq!(code(RsaPublicKey::from_pem("garbage".into())), 414);
    assert_eq!(code(RsaPrivateKey::from_pem("garbage".into())), 414);
    assert_eq!(
        code(ServerHandshake::new(vec![], 2, Vec::new(), None, None)),
        408
    );
    assert_eq!(
        code(ServerHandshake::new(vec![], 2, vec![0xff; 256], None, None)),
        407
    );
    assert_eq!(
        code(AuthKeyStore::new().insert_permanent(vec![0; 255], 2)),
        101
    );
    assert_eq!(code(bind_temp_auth_key_query(vec![1; 256], 1, 2, 3, 4)), 0);
    assert_eq!(
        code(bind_temp_auth_key_query_with(
            vec![1; 256],
            1,
            2,
            3,
            4,
            5,
            vec![0; 16],
            vec![0; 7]
        )),
        101
    );
    assert_eq!(
        code(verify_bind_temp_auth_key(
            AuthKeyStore::new(),
            vec![1, 2],
            1,
            2,
            3,
            4
        )),
        300
    );
    assert_eq!(code(key.decrypt_old_scheme(vec![1; 256], 10)), 415);
}

#[test]
fn rsa_keys_convert_both_ways() {
    let prod = RsaPublicKey::telegram_production().unwrap();
    assert_eq!(prod.fingerprint(), -3_414_540_481_677_951_611);
    assert_eq!(prod.modulus().len(), 256);
    assert_eq!(prod.exponent(), vec![1, 0, 1]);
    let again = RsaPublicKey::from_pem(prod.to_pem()).unwrap();
    assert_eq!(again.fingerprint(), prod.fingerprint());
    let built = RsaPublicKey::from_components(prod.modulus(), prod.exponent()).unwrap();
    assert_eq!(built.fingerprint(), prod.fingerprint());
    assert_eq!(built.to_pem(), prod.to_pem());
    assert_eq!(
        code(RsaPublicKey::from_components(
            prod.modulus()[..128].to_vec(),
            prod.exponent()
        )),
        414
    );
    assert_eq!(
        code(RsaPublicKey::from_components(prod.modulus(), vec![1])),
        414
    );
    assert_ne!(
        RsaPublicKey::telegram_test().unwrap().fingerprint(),
        prod.fingerprint()
    );
    let key = server_key();
    assert_eq!(key.fingerprint(), key.public_key().fingerprint());
    assert_eq!(
        RsaPrivateKey::from_pem(key.to_pem()).unwrap().fingerprint(),
        key.fingerprint()
    );
    assert!(!format!("{key:?}").contains("PRIVATE"));
}

#[test]
fn a_poisoned_lock_is_internal() {
    let store = AuthKeyStore::new();
    let poisoned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _guard = store.inner.lock().unwrap();
        panic!("poison");
    }));
    assert!(poisoned.is_err());
    assert_eq!(code(store.len()), 2);
    let server = ServerHandshake::new(vec![server_key()], 0, Vec::new(), None, None).unwrap();
    assert_eq!(code(server.handle(vec![0; 20], NOW_MS, store)), 2);
}
