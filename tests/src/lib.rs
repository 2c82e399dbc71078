//! The testkit: a loopback MTProto server and client over every transport
//! ([`loopback`], what `make demo` runs), and the shared cross-language test
//! vectors ([`vectors`]). The simulated network joins them as the project
//! grows.
#![deny(missing_docs)]

pub mod loopback;
pub mod vectors;
