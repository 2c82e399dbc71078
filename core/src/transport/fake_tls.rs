//! Fake TLS: the transport of MTProxy `ee` secrets, for both roles.
//!
//! The format is not on core.telegram.org; it is defined by Telegram's
//! implementations: tdlib (`td/mtproto/TlsInit.cpp` for the client's hello
//! and the check of the answer, `TcpTransport.cpp` and
//! `TlsReaderByteFlow.cpp` for the records) and MTProxy
//! (`net/net-tcp-rpc-ext-server.c` for the server's checks and answer,
//! `net/net-tcp-connections.c` for its records). Every layout and constant
//! here was checked against those sources and against the independent
//! proxy mtprotoproxy (`mtprotoproxy.py`, `handle_fake_tls_handshake`).
//!
//! The connection, with `K` the secret's 16 key bytes:
//!
//! 1. client → server: a 517-byte TLS 1.3 ClientHello record
//!    ([`build_client_hello`]) for the secret's domain, whose 32-byte
//!    `random` is `HMAC-SHA256(K, hello with random zeroed)` with its last 4
//!    bytes XOR-ed with the client's unix time (little-endian `u32`);
//! 2. server: finds the secret whose HMAC matches the first 28 bytes, checks
//!    the time and that the random was not seen before, and the SNI
//!    ([`FakeTlsServer::accept_client_hello`]);
//! 3. server → client: a ServerHello record, a ChangeCipherSpec record and
//!    one application-data record of random bytes ([`build_server_hello`]),
//!    whose `random` is `HMAC-SHA256(K, client random ‖ the whole answer with
//!    random zeroed)`; the client checks it ([`verify_server_hello`]);
//! 4. both ways: TLS application-data records (`17 03 03 len:u16be`) carry
//!    an obfuscated2 stream ([`crate::transport::obfuscated`], keyed by `K`,
//!    padded intermediate framing) as an unstructured byte stream; the
//!    client's first record is preceded by a ChangeCipherSpec record and
//!    starts with the 64-byte obfuscated2 init ([`TlsRecordWriter`],
//!    [`TlsRecordReader`]).
//!
//! A server that rejects a hello should behave like the imitated site (MTProxy
//! forwards the connection to the real domain); that is the caller's choice:
//! the errors here carry no secret-dependent detail beyond which check failed.

mod client_hello;
mod curve;
mod record;
mod server;
mod server_hello;

pub use client_hello::{
    CLIENT_HELLO_LEN, ClientHello, ClientHelloRandom, EXTENSION_COUNT, GREASE_COUNT,
    build_client_hello, client_hello, grease_values,
};
pub use curve::key_share_from_candidate;
pub use record::{
    APPLICATION_DATA, CHANGE_CIPHER_SPEC, CLIENT_RECORD_PAYLOAD, MAX_RECORD_PAYLOAD,
    SERVER_RECORD_PAYLOAD, TlsRecordReader, TlsRecordWriter,
};
pub use server::{
    AcceptedHello, FakeTlsServer, FakeTlsServerConfig, MAX_CLIENT_HELLO_LEN, ParsedClientHello,
    ReplayCache, client_hello_len, parse_client_hello,
};
pub use server_hello::{
    ServerHelloRandom, build_server_hello, server_hello, server_response_len, verify_server_hello,
};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::transport::obfuscated::SecretKey;

/// Offset of the 32-byte `random` in a ClientHello or ServerHello record
/// (5-byte record header, 4-byte handshake header, 2-byte version).
pub const RANDOM_OFFSET: usize = 11;

/// `HMAC-SHA256(key, parts...)`.
pub(crate) fn hmac_sha256(key: &SecretKey, parts: &[&[u8]]) -> [u8; 32] {
    // HMAC pads a short key with zeros to the block size (RFC 2104), so the
    // padded 64-byte block is the same key; it lets the infallible `new`
    // be used instead of `new_from_slice`.
    let mut block = [0u8; 64];
    if let Some(k) = block.get_mut(..16) {
        k.copy_from_slice(key.as_bytes());
    }
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&block.into());
    zeroize::Zeroize::zeroize(&mut block);
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests;
