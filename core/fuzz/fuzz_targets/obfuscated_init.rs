//! Fuzz target: see `../checks/obfuscated_init.rs` (shared with the corpus replay test).
#![no_main]

include!("../checks/obfuscation_common.rs");
include!("../checks/obfuscated_init.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    obfuscated_init(data);
});
