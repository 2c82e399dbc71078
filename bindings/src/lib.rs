//! # mtproto-uniffi
//!
//! The uniffi layer over [`mtproto_core`]: it generates the Kotlin package
//! `mtproto` and the Swift module `MTProto` (see `uniffi.toml`).
//!
//! This crate is deliberately thin (DESIGN.md section 5): every exported item
//! converts its arguments, calls the core and maps errors. There is no protocol
//! logic here. Bytes cross as `Vec<u8>` (Kotlin `ByteArray`, Swift `Data`);
//! 64-bit fields are unsigned (Kotlin `ULong`, Swift `UInt64`).
//!
//! ## Errors
//!
//! Every fallible call throws [`MtprotoError`] (Kotlin `MtprotoException`,
//! Swift `MtprotoError`) whose `code` is the core's stable
//! [`ErrorCode`](mtproto_core::ErrorCode) and whose `message` says what was
//! expected and what was found. TL errors (300..316) name the field path at
//! fault in the message; JSON text that does not parse is code 1
//! (InvalidArgument). Auth key creation fails with 400..418.
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
//! - [`auth`]: authorization key creation for both roles ([`ClientHandshake`],
//!   [`ServerHandshake`]), the server's [`AuthKeyStore`], the RSA keys
//!   ([`RsaPublicKey`], [`RsaPrivateKey`]) and binding a temporary key to a
//!   permanent one ([`bind_temp_auth_key_query`],
//!   [`verify_bind_temp_auth_key`]).
//! - [`crypto`]: AES-256-IGE, [`AuthKey`], the MTProto 2.0 and 1.0 `msg_key`
//!   and key derivations, the key exchange's temporary key.
//! - [`envelope`]: sealing and opening plain and encrypted messages.
//! - [`tl`]: [`TlCodec`], TL bytes to and from JSON text for any schema (the
//!   Telegram API's `api.tl`, or the built-in MTProto service schema).
//! - [`transport`]: [`ClientTransport`] and [`ServerTransport`] (one object
//!   per connection end: framings, obfuscation, fake TLS, HTTP), the single
//!   layers [`FramingCodec`], [`HttpClient`] and [`HttpServer`], and
//!   [`transport::obfuscation`]: proxy secrets, obfuscated2 inits, AES-256-CTR and the
//!   fake-TLS hellos.
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

uniffi::setup_scaffolding!();

pub mod auth;
pub mod crypto;
pub mod envelope;
pub mod error;
pub mod tl;
pub mod transport;

pub use auth::{
    AuthKeyStore, BindTempAuthKeyQuery, ClientHandshake, CreatedAuthKey, RsaPrivateKey,
    RsaPublicKey, ServerHandshake, TempKeyBinding, bind_temp_auth_key_query,
    bind_temp_auth_key_query_with, verify_bind_temp_auth_key,
};
pub use crypto::{AesKeyIv, AuthKey, Direction};
pub use envelope::{DecryptedMessage, MessageHeader, PlainMessage};
pub use error::MtprotoError;
pub use tl::TlCodec;
pub use transport::{
    ClientTransport, ClientTransportConfig, DetectedTransport, FakeTlsClientHello, FramingCodec,
    HttpClient, HttpServer, Inbound, ObfuscationInit, Role, ServerTransport, ServerTransportConfig,
    TransportKind,
};
