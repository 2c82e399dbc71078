//! Fuzz target: arbitrary bytes into the server check of auth.bindTempAuthKey (see
//! `../checks/auth_bind.rs`, shared with the corpus replay test).
#![no_main]

include!("../checks/auth_common.rs");
include!("../checks/auth_bind.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    auth_bind(data);
});
