//! Fuzz target: arbitrary bytes into the envelope decoders (see
//! `../checks/envelope_open.rs`, shared with the corpus replay test).
#![no_main]

include!("../checks/envelope_open.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    envelope_open(data);
});
