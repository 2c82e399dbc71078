//! Fuzz target: arbitrary bytes into the HTTP transport's request and
//! response decoders (see `../checks/http_decode.rs`, shared with the corpus
//! replay test).
#![no_main]

include!("../checks/http_decode.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    http_decode(data);
});
