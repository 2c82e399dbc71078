//! Fuzz target: arbitrary bytes into the dynamic TL decoder over the API
//! schema (see `../checks/tl_decode.rs`, shared with the corpus replay test).
#![no_main]

include!("../checks/tl_decode.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tl_decode(data);
});
