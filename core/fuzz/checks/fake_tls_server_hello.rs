// The body of the `fake_tls_server_hello` fuzz target, shared with the
// corpus replay test (core/tests/fuzz_corpus.rs) through `include!`. Returns
// whether the client verified the answer.
//
// Input: the client's random (32 bytes), then the server's answer. The client
// side measures it incrementally and verifies it with each vector secret.
// Nothing may panic; every prefix must either need more bytes, fail, or
// give the same length; a verified answer must fail with any one byte of its
// random changed.
#[allow(dead_code)]
fn fake_tls_server_hello(data: &[u8]) -> bool {
    use mtproto_core::transport::fake_tls::{server_response_len, verify_server_hello};

    let Some((random, answer)) = data.split_at_checked(32) else {
        return false;
    };
    let client_random: [u8; 32] = random.try_into().expect("32 bytes");
    let full = server_response_len(answer);
    for cut in 0..answer.len().min(200) {
        match (server_response_len(&answer[..cut]), &full) {
            (Ok(Some(n)), Ok(Some(m))) => assert_eq!(n, *m),
            (Ok(Some(_)), _) => panic!("a prefix has a length the whole does not"),
            _ => {}
        }
    }
    let Ok(Some(n)) = full else {
        return false;
    };
    let Some(answer) = answer.get(..n) else {
        // Not all of it arrived: the client must not accept a prefix.
        for secret in obfuscation_vector_secrets() {
            assert!(verify_server_hello(secret.key(), &client_random, answer).is_err());
        }
        return false;
    };
    let mut verified = false;
    for secret in obfuscation_vector_secrets() {
        if verify_server_hello(secret.key(), &client_random, answer).is_ok() {
            let mut bad = answer.to_vec();
            bad[20] ^= 1;
            assert!(verify_server_hello(secret.key(), &client_random, &bad).is_err());
            verified = true;
        }
    }
    verified
}
