//! # mtproto-wasm
//!
//! JavaScript bindings (through `wasm-bindgen`) over [`mtproto_core`], built
//! into the `mtproto-wasm` npm package for Node and browsers.
//!
//! The binding is thin: every export converts its arguments, calls the core
//! and maps the result. It holds no protocol logic.
//!
//! ## Conventions on the JavaScript side
//!
//! - Names are camelCase (`igeEncrypt`, `sealEncrypted`, `AuthKey.idWire`).
//! - Bytes go in and come out as `Uint8Array`; outputs are fresh copies.
//! - 64-bit values (ids, salts) are `bigint`; 32-bit values are `number`.
//! - [`Direction`] and [`ErrorCode`] are TypeScript enums; [`AuthKey`] is a
//!   class (call `free()` to wipe the key at once, or leave it to the
//!   garbage collector); the records `MessageHeader`, `DecryptedMessage`,
//!   `PlainMessage` and `AesKeyIv` are plain objects with precise TypeScript
//!   interfaces.
//! - [`TlCodec`] encodes and decodes TL (any schema given as text, or the
//!   built-in MTProto one); values are plain objects in the core's JSON form
//!   (`{ _: "constructor", field: ... }`, longs as decimal strings, bytes as
//!   base64), typed `TlValue`.
//! - The transports: [`ClientTransport`] and [`ServerTransport`] (every layer
//!   composed), [`FramingCodec`], [`HttpClient`] and [`HttpServer`] are
//!   classes; [`TransportKind`] and [`Role`] are enums; decoders yield
//!   `Inbound` plain objects (`{ kind: "packet", payload, quickAck }`,
//!   `{ kind: "quickAck", token }`, `{ kind: "transportError", code }`).
//! - Auth key creation: [`ClientHandshake`] and [`ServerHandshake`] (one
//!   object per key exchange), [`RsaPublicKey`] and [`RsaPrivateKey`]
//!   (static `fromPem` and friends; lists of keys are copied, never taken
//!   over) and the server's [`AuthKeyStore`] (passed by reference) are
//!   classes; `bindTempAuthKeyQuery`, `bindTempAuthKeyQueryWith` and
//!   `verifyBindTempAuthKey` bind a temporary key to a permanent one; the
//!   records `CreatedAuthKey`, `TempKeyBinding` and `BindTempAuthKeyQuery`
//!   are plain objects (`firstSalt`, fingerprints and nonces are signed
//!   `bigint`s, as TL longs).
//! - Every failure throws an `MtprotoError` (a subclass of `Error`, exported
//!   by the package) whose `code` is the core's stable
//!   [`mtproto_core::ErrorCode`] and whose `message` is the core's message.
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

mod auth;
mod auth_key;
mod convert;
mod crypto;
mod envelope;
mod error;
mod tl;
mod transport;

use wasm_bindgen::prelude::*;

pub use auth::{
    AuthKeyStore, ClientHandshake, RsaPrivateKey, RsaPublicKey, ServerHandshake,
    bind_temp_auth_key_query, bind_temp_auth_key_query_with, verify_bind_temp_auth_key,
};
pub use auth_key::AuthKey;
pub use crypto::{
    derive_v1, derive_v2, handshake_tmp_key_iv, ige_decrypt, ige_encrypt, msg_key_v1, msg_key_v2,
};
pub use envelope::{
    open_encrypted, open_plain, seal_encrypted, seal_encrypted_with_padding, seal_plain,
};
pub use error::ErrorCode;
pub use tl::TlCodec;
pub use transport::{
    ClientTransport, FramingCodec, HttpClient, HttpServer, Role, ServerTransport, TransportKind,
    aes_ctr_apply, fake_tls_client_hello, fake_tls_key_share, fake_tls_server_hello,
    framing_header, is_valid_obfuscation_init, obfuscation_init, parse_proxy_secret,
    quick_ack_token, strip_padded_intermediate_padding,
};

/// Which way a message travels; it selects the part of the auth key that the
/// key derivations use (core `mtproto_core::Direction`).
///
/// A client seals with `ClientToServer` and opens with `ServerToClient`; a
/// server does the reverse. Functions take it as a `number` typed
/// `Direction`; any other value throws `InvalidArgument` (1).
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Messages sent by the client (x = 0 in the key derivations).
    ClientToServer = 0,
    /// Messages sent by the server (x = 8 in the key derivations).
    ServerToClient = 1,
}
