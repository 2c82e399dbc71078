//! Fuzz target: see `../checks/fake_tls_client_hello.rs` (shared with the corpus replay test).
#![no_main]

include!("../checks/obfuscation_common.rs");
include!("../checks/fake_tls_client_hello.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fake_tls_client_hello(data);
});
