// The body of the `fake_tls_client_hello` fuzz target, shared with the
// corpus replay test (core/tests/fuzz_corpus.rs) through `include!`. Returns
// whether the server accepted the hello.
//
// Input: the server's clock (8 bytes, little-endian unix ms), then a
// ClientHello. The server side parses and checks it against the vector
// secrets. Nothing may panic; the length the header declares must agree with
// the parser; an accepted hello must parse to the same fields, be refused
// as a replay the second time, and its answer must verify for the client.
#[allow(dead_code)]
fn fake_tls_client_hello(data: &[u8]) -> bool {
    use mtproto_core::UnixMillis;
    use mtproto_core::transport::fake_tls::{
        FakeTlsServer, FakeTlsServerConfig, ServerHelloRandom, build_server_hello,
        client_hello_len, parse_client_hello, verify_server_hello,
    };

    let Some((clock, hello)) = data.split_at_checked(8) else {
        return false;
    };
    let now = UnixMillis(u64::from_le_bytes(clock.try_into().expect("8 bytes")));
    let declared = client_hello_len(hello);
    let parsed = parse_client_hello(hello);
    if parsed.is_ok() {
        assert_eq!(declared, Ok(Some(hello.len())));
    }
    let secrets: Vec<_> = obfuscation_vector_secrets()
        .into_iter()
        .filter(|s| s.is_fake_tls())
        .collect();
    let mut server =
        FakeTlsServer::new(secrets, FakeTlsServerConfig::default()).expect("ee secrets");
    let Ok(accepted) = server.accept_client_hello(hello, now) else {
        return false;
    };
    let parsed = parsed.expect("an accepted hello parses");
    assert_eq!(parsed.random, accepted.client_random);
    assert_eq!(parsed.session_id, accepted.session_id);
    assert!(parsed.domain.eq_ignore_ascii_case(&accepted.domain));
    assert!(
        server.accept_client_hello(hello, now).is_err(),
        "a replay is refused"
    );
    let key = server.secrets()[accepted.secret_index].key().clone();
    let random = ServerHelloRandom {
        key_share: [9; 32],
        app_data: vec![1; 100],
    };
    let answer = build_server_hello(&key, &accepted.client_random, &accepted.session_id, &random)
        .expect("answer builds");
    verify_server_hello(&key, &accepted.client_random, &answer).expect("answer verifies");
    true
}
