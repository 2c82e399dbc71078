//! Fuzz target: see `../checks/transport_detect.rs`, shared with the corpus replay test.
#![no_main]

include!("../checks/transport_detect.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    transport_detect(data);
});
