// The body of the `obfuscated_init` fuzz target, shared with the corpus
// replay test (core/tests/fuzz_corpus.rs) through `include!`. Returns whether
// the server accepted the init.
//
// The first 64 bytes are a client's obfuscated2 init, parsed by the server
// side against the vector secrets (and no secret); the rest is the stream
// after it. Nothing may panic. An accepted init must name a framing that a
// dd/ee secret allows; when its decrypted bytes are a valid client random,
// the client side must rebuild exactly the bytes received; and the rest of
// the stream must decrypt and re-encrypt to itself.
#[allow(dead_code)]
fn obfuscated_init(data: &[u8]) -> bool {
    use mtproto_core::transport::FramingKind;
    use mtproto_core::transport::obfuscated::{
        AcceptedSecrets, Obfuscation, ObfuscationKeys, client_init_with_random,
        is_valid_init_random, server_accept,
    };

    let Some(init) = data.get(..64) else {
        return false;
    };
    let init: [u8; 64] = init.try_into().expect("64 bytes");
    let secrets = obfuscation_vector_secrets();
    let accepted = AcceptedSecrets {
        secrets: &secrets,
        allow_no_secret: true,
    };
    let Ok(mut server) = server_accept(&init, accepted) else {
        return false;
    };
    let secret = server.secret_index.map(|i| &secrets[i]);
    if secret.is_some_and(|s| s.requires_padding()) {
        assert_eq!(server.framing, FramingKind::PaddedIntermediate);
    }
    // Recover the plain init with a client-side stream and rebuild it.
    let keys = ObfuscationKeys::for_client(&init, secret.map(|s| s.key()));
    assert_eq!(keys.encrypt_key, server.keys.decrypt_key);
    let mut plain = init;
    Obfuscation::new(&keys).encrypt(&mut plain);
    assert_eq!(&plain[60..62], &server.dc_id.to_le_bytes());
    let mut random = init;
    random[56..].copy_from_slice(&plain[56..]);
    if is_valid_init_random(&random) {
        let client = client_init_with_random(&random, server.framing, server.dc_id, secret)
            .expect("an accepted init rebuilds");
        assert_eq!(client.header, init);
    }
    let rest = &data[64..];
    let mut buf = rest.to_vec();
    server.obfuscation.decrypt(&mut buf);
    let mut client_side = Obfuscation::new(&keys);
    let mut skip = [0u8; 64];
    client_side.encrypt(&mut skip);
    client_side.encrypt(&mut buf);
    assert_eq!(buf, rest);
    true
}
