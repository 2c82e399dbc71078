//! The testkit: shared test vectors today; the loopback MTProto server, the
//! demo and the simulated network as the project grows.
#![deny(missing_docs)]

pub mod vectors;
