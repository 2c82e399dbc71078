// Shared by the obfuscation and fake-TLS fuzz checks (included once by each
// fuzz target and once by core/tests/fuzz_corpus.rs): the secrets of
// tests/vectors/transport_obfuscation.json, so the corpus seeds made from
// those vectors reach the accepting paths.
#[allow(dead_code)]
fn obfuscation_vector_secrets() -> Vec<mtproto_core::transport::obfuscated::ProxySecret> {
    use mtproto_core::transport::obfuscated::ProxySecret;
    let long = format!("ee805f75085ae4f9ee1cb8e349f220d0fa{}", "78".repeat(182));
    [
        "7ef74396fe18eebf382442d4405a9a83",
        "dd33ff325643d50eba8baa7c7403eec00b",
        "eeacf487188a2235a84a9e5c3760ac981c7777772e6578616d706c652e636f6d",
        "ee5a1a8522842b9ff44ee9e6f81356dbe57777772e6578616d706c652e636f6d",
        "eea1aa6c63315e86a3690dcf5e30e1c06b612e62",
        long.as_str(),
    ]
    .iter()
    .map(|s| ProxySecret::parse(s).expect("vector secret parses"))
    .collect()
}
