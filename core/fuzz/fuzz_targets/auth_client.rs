//! Fuzz target: arbitrary bytes into the client steps of auth key creation (see
//! `../checks/auth_client.rs`, shared with the corpus replay test).
#![no_main]

include!("../checks/auth_common.rs");
include!("../checks/auth_client.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    auth_client(data);
});
