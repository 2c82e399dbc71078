//! Fuzz target: arbitrary bytes into the server steps of auth key creation (see
//! `../checks/auth_server.rs`, shared with the corpus replay test).
#![no_main]

include!("../checks/auth_common.rs");
include!("../checks/auth_server.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    auth_server(data);
});
