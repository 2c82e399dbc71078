//! # mtproto-core
//!
//! A sans-IO implementation of MTProto 2.0, Telegram's mobile protocol, for both
//! roles (client and server).
//!
//! ## The sans-IO contract
//!
//! This crate performs no I/O, reads no clock and owns no global state:
//!
//! - **Bytes in, bytes out.** The application owns its sockets. It feeds what it
//!   reads into the core and writes out what the core hands back.
//! - **Time is an argument.** Every operation that depends on time takes a
//!   [`UnixMillis`] supplied by the caller.
//! - **Randomness is injected.** Every object that needs randomness takes a
//!   [`SecureRandom`] at construction ([`OsRandom`] in production,
//!   [`SeededRandom`] in tests), and every helper that consumes randomness has a
//!   variant that takes the random bytes as a parameter
//!   (for example [`envelope::seal_encrypted_with_padding`]), so each step can be
//!   checked against recorded vectors.
//! - **No panics on input.** Malformed bytes and bad arguments are errors,
//!   never panics.
//!
//! ## The drive loop
//!
//! Stateful objects (the client and server connections, added with the session
//! layer) are driven the same way in every language:
//!
//! 1. `handle_*`: feed bytes that arrived, or a timeout that expired;
//! 2. drain `poll_transmit`: write every returned buffer to its socket;
//! 3. read `poll_timeout`: call `handle_timeout` when that time comes
//!    (spurious calls are harmless);
//! 4. drain `poll_event`: act on what happened.
//!
//! ## What is here today
//!
//! - [`crypto`]: AES-256-IGE, AES-256-CTR, SHA-1/SHA-256, [`AuthKey`], the
//!   MTProto 2.0 and 1.0 key derivations and `msg_key` computations.
//! - [`envelope`]: plain and encrypted message framing, with every inbound
//!   check of the security guidelines.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod auth;
pub mod crypto;
pub mod envelope;
pub mod error;
pub mod rand;
pub mod time;
pub mod tl;
pub mod transport;

pub use crypto::Direction;
pub use crypto::auth_key::{AuthKey, AuthKeyId};
pub use error::{AuthError, CryptoError, EnvelopeError, Error, ErrorCode, TlError, TransportError};
pub use rand::{OsRandom, SecureRandom, SeededRandom};
pub use time::UnixMillis;
