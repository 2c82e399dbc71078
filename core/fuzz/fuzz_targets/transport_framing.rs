//! Fuzz target: see `../checks/transport_framing.rs`, shared with the corpus replay test.
#![no_main]

include!("../checks/transport_framing.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    transport_framing(data);
});
