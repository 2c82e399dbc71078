//! Fuzz target: see `../checks/tls_record_reader.rs` (shared with the corpus replay test).
#![no_main]

include!("../checks/obfuscation_common.rs");
include!("../checks/tls_record_reader.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tls_record_reader(data);
});
