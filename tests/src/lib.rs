//! The testkit (grows into the loopback server and simulated network).
