//! Stateless transport helpers (core `transport::obfuscated`,
//! `transport::fake_tls`, `crypto::aes_ctr`): proxy secrets, obfuscated2
//! inits, the AES-256-CTR stream cipher and the fake-TLS hellos. They are the
//! building blocks [`super::ClientTransport`] and
//! [`super::ServerTransport`] compose, exposed for vectors,
//! diagnostics and custom proxies.

use mtproto_core::UnixMillis;
use mtproto_core::crypto::aes_ctr::AesCtr256;
use mtproto_core::crypto::fixed;
use mtproto_core::transport::fake_tls::{
    self, ClientHelloRandom, EXTENSION_COUNT, GREASE_COUNT, ServerHelloRandom,
};
use mtproto_core::transport::obfuscated::{self, INIT_LEN};
use zeroize::Zeroize;

use super::{TransportKind, framing_kind, parse_secret};
use crate::error::MtprotoError;

/// Parse a proxy secret's text form (hex in any case, or base64url as in
/// MTProxy links, padding optional) and return its binary form: 16 bytes,
/// `dd` + 16 bytes, or `ee` + 16 bytes + domain. Code 610
/// (TransportInvalidSecret) when it is not a valid secret.
#[uniffi::export]
pub fn parse_proxy_secret(text: String) -> Result<Vec<u8>, MtprotoError> {
    Ok(parse_secret(&text)?.to_bytes())
}

/// Whether 64 random bytes may start an obfuscated2 init (no plain transport
/// could start with them). Code 101 unless `random` is 64 bytes.
#[uniffi::export]
pub fn is_valid_obfuscation_init(random: Vec<u8>) -> Result<bool, MtprotoError> {
    let random: [u8; INIT_LEN] = fixed("obfuscation init random", &random)?;
    Ok(obfuscated::is_valid_init_random(&random))
}

/// A client's obfuscated2 init and the keys of both AES-256-CTR streams,
/// from the client's point of view (the server's keys are the reverse: it
/// encrypts with the client's decrypt key and IV). Secrets: `Debug` does
/// not print them.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct ObfuscationInit {
    /// The 64 bytes the client sends first.
    pub header: Vec<u8>,
    /// Key of the client-to-server stream (32 bytes).
    pub client_encrypt_key: Vec<u8>,
    /// Initial counter block of the client-to-server stream (16 bytes).
    pub client_encrypt_iv: Vec<u8>,
    /// Key of the server-to-client stream (32 bytes).
    pub client_decrypt_key: Vec<u8>,
    /// Initial counter block of the server-to-client stream (16 bytes).
    pub client_decrypt_iv: Vec<u8>,
}

impl core::fmt::Debug for ObfuscationInit {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ObfuscationInit { .. }")
    }
}

/// Build an obfuscated2 client init from 64 given random bytes
/// (deterministic: for vectors and tests). Bytes 56..64 are replaced by the
/// tag of `kind` and `dc_id`; `secret` is optional proxy-secret text (a `dd`
/// or `ee` secret requires padded intermediate).
///
/// The client-to-server stream has already encrypted the 64 init bytes when
/// payloads follow: skip 64 bytes of its keystream. Codes: 101 unless
/// `random` is 64 bytes; 606 for a forbidden `random` or full framing; 610
/// for a bad secret; 1 for `Http`.
#[uniffi::export]
pub fn obfuscation_init(
    random: Vec<u8>,
    kind: TransportKind,
    dc_id: i16,
    secret: Option<String>,
) -> Result<ObfuscationInit, MtprotoError> {
    let framing = framing_kind(kind)?;
    let secret = secret.as_deref().map(parse_secret).transpose()?;
    let mut random: [u8; INIT_LEN] = fixed("obfuscation init random", &random)?;
    let init = obfuscated::client_init_with_random(&random, framing, dc_id, secret.as_ref());
    random.zeroize();
    let init = init?;
    // `init` (and its keys) are zeroized when they drop.
    Ok(ObfuscationInit {
        header: init.header.to_vec(),
        client_encrypt_key: init.keys.encrypt_key.to_vec(),
        client_encrypt_iv: init.keys.encrypt_iv.to_vec(),
        client_decrypt_key: init.keys.decrypt_key.to_vec(),
        client_decrypt_iv: init.keys.decrypt_iv.to_vec(),
    })
}

/// One-shot AES-256-CTR (the obfuscation cipher: 128-bit big-endian counter
/// starting at `iv`): XOR `data` with the keystream of the 32-byte `key` and
/// the 16-byte `iv`. Encryption and decryption are the same. Code 101 for a
/// wrong key or IV length.
#[uniffi::export]
pub fn aes_ctr_apply(key: Vec<u8>, iv: Vec<u8>, data: Vec<u8>) -> Result<Vec<u8>, MtprotoError> {
    let mut key: [u8; 32] = fixed("AES key", &key)?;
    let mut iv: [u8; 16] = fixed("CTR IV", &iv)?;
    let mut data = data;
    AesCtr256::new(&key, &iv).apply(&mut data);
    key.zeroize();
    iv.zeroize();
    Ok(data)
}

/// The X25519 key share a fake-TLS hello carries, made from a 32-byte random
/// `candidate`; `None` when the candidate is rejected (draw another). Code
/// 101 for another length.
#[uniffi::export]
pub fn fake_tls_key_share(candidate: Vec<u8>) -> Result<Option<Vec<u8>>, MtprotoError> {
    let candidate: [u8; 32] = fixed("key share candidate", &candidate)?;
    Ok(fake_tls::key_share_from_candidate(&candidate).map(|k| k.to_vec()))
}

/// A fake-TLS ClientHello and the values a client keeps from it.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct FakeTlsClientHello {
    /// The 517 bytes to send.
    pub hello: Vec<u8>,
    /// The `random` field as sent (to check the server's answer).
    pub random: Vec<u8>,
    /// `HMAC-SHA256(key, hello with random zeroed)`, before the time is
    /// XOR-ed into its last 4 bytes.
    pub digest: Vec<u8>,
}

/// Build the fake-TLS ClientHello for an `ee` `secret` (text) at `now_ms`
/// (Unix milliseconds) from its random parts (deterministic: for vectors and
/// tests): a 32-byte `session_id`, a 7-byte `grease_seed`, a 32-byte
/// `key_share` ([`fake_tls_key_share`]) and `extension_order`, a
/// permutation of 0..15. Codes: 101 for a wrong length; 610 for a secret
/// that is not `ee`; 607 when the order is not a permutation.
#[uniffi::export]
pub fn fake_tls_client_hello(
    secret: String,
    now_ms: u64,
    session_id: Vec<u8>,
    grease_seed: Vec<u8>,
    key_share: Vec<u8>,
    extension_order: Vec<u8>,
) -> Result<FakeTlsClientHello, MtprotoError> {
    let secret = parse_secret(&secret)?;
    let random = ClientHelloRandom {
        session_id: fixed("session id", &session_id)?,
        grease_seed: fixed::<GREASE_COUNT>("GREASE seed", &grease_seed)?,
        key_share: fixed("key share", &key_share)?,
        extension_order: fixed::<EXTENSION_COUNT>("extension order", &extension_order)?,
    };
    let hello = fake_tls::build_client_hello(&secret, UnixMillis(now_ms), &random)?;
    Ok(FakeTlsClientHello {
        hello: hello.bytes,
        random: hello.random.to_vec(),
        digest: hello.digest.to_vec(),
    })
}

/// Build a fake-TLS server's answer (ServerHello, ChangeCipherSpec and one
/// application-data record) to an accepted hello, for the `secret` (text)
/// the hello matched, the hello's 32-byte `client_random` and `session_id`,
/// a 32-byte `key_share` and 1..=16640 bytes of `app_data` (deterministic:
/// for vectors and tests). Codes: 101 for a wrong length; 610 for a bad
/// secret; 607 for an empty or too long `app_data`.
#[uniffi::export]
pub fn fake_tls_server_hello(
    secret: String,
    client_random: Vec<u8>,
    session_id: Vec<u8>,
    key_share: Vec<u8>,
    app_data: Vec<u8>,
) -> Result<Vec<u8>, MtprotoError> {
    let secret = parse_secret(&secret)?;
    let client_random: [u8; 32] = fixed("client random", &client_random)?;
    let session_id: [u8; 32] = fixed("session id", &session_id)?;
    let random = ServerHelloRandom {
        key_share: fixed("key share", &key_share)?,
        app_data,
    };
    Ok(fake_tls::build_server_hello(
        secret.key(),
        &client_random,
        &session_id,
        &random,
    )?)
}
