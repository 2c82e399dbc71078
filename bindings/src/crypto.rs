//! Cryptographic primitives (core `crypto`): AES-256-IGE, the auth key, the
//! MTProto 2.0 and 1.0 `msg_key` and key derivations, and the key exchange's
//! temporary key (`/mtproto/description`, `/mtproto/auth_key`).

use std::sync::Arc;

use mtproto_core::crypto::{aes_ige, fixed, kdf};
use zeroize::Zeroize;

use crate::error::MtprotoError;

/// Which way a message travels. MTProto derives different keys for each
/// direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum Direction {
    /// From the client to the server.
    ClientToServer,
    /// From the server to the client.
    ServerToClient,
}

impl From<Direction> for mtproto_core::Direction {
    fn from(d: Direction) -> Self {
        match d {
            Direction::ClientToServer => mtproto_core::Direction::ClientToServer,
            Direction::ServerToClient => mtproto_core::Direction::ServerToClient,
        }
    }
}

/// An AES-256 key and a 32-byte IGE initialization vector. Both are secrets:
/// do not log them.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct AesKeyIv {
    /// The 32-byte AES-256 key.
    pub key: Vec<u8>,
    /// The 32-byte IGE IV.
    pub iv: Vec<u8>,
}

impl From<kdf::AesKeyIv> for AesKeyIv {
    fn from(k: kdf::AesKeyIv) -> Self {
        // `k` is zeroized when it drops at the end of this function.
        AesKeyIv {
            key: k.key.to_vec(),
            iv: k.iv.to_vec(),
        }
    }
}

impl core::fmt::Debug for AesKeyIv {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AesKeyIv { .. }")
    }
}

/// A 2048-bit MTProto authorization key.
///
/// Create one from the 256 key bytes after the key exchange (or when restoring
/// a saved session), then pass it to the `msg_key`, derivation and envelope
/// functions. The object is immutable and safe to share between threads. Its
/// key bytes are never printed and are wiped from memory when it is freed.
#[derive(uniffi::Object)]
pub struct AuthKey {
    inner: mtproto_core::AuthKey,
}

impl AuthKey {
    /// The core key, for the other binding modules.
    pub(crate) fn core(&self) -> &mtproto_core::AuthKey {
        &self.inner
    }
}

impl core::fmt::Debug for AuthKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The core's Debug prints only the id.
        self.inner.fmt(f)
    }
}

#[uniffi::export]
impl AuthKey {
    /// Wrap 256 key bytes. Throws code 101 (InvalidLength) for any other length.
    #[uniffi::constructor]
    pub fn new(mut bytes: Vec<u8>) -> Result<Arc<Self>, MtprotoError> {
        let key = mtproto_core::AuthKey::from_slice(&bytes);
        bytes.zeroize();
        Ok(Arc::new(AuthKey { inner: key? }))
    }

    /// The key's 64-bit id: the low 64 bits of SHA1(auth_key), as sent in
    /// front of every encrypted message. A server uses it to find the key.
    pub fn id(&self) -> u64 {
        self.inner.id().0
    }

    /// The id as its 8 little-endian bytes on the wire.
    pub fn id_wire(&self) -> Vec<u8> {
        self.inner.id().to_wire().to_vec()
    }

    /// `auth_key_aux_hash`: the high 64 bits of SHA1(auth_key), used during key
    /// creation (`new_nonce_hash`, `retry_id`).
    pub fn aux_hash(&self) -> Vec<u8> {
        self.inner.aux_hash().to_vec()
    }
}

/// AES-256-IGE-encrypt `data` (a multiple of 16 bytes) under a 32-byte `key`
/// and a 32-byte `iv`; returns the ciphertext.
///
/// Throws code 101 for a wrong key or IV length, 100 when `data` is not a
/// multiple of 16 bytes.
#[uniffi::export]
pub fn ige_encrypt(key: Vec<u8>, iv: Vec<u8>, data: Vec<u8>) -> Result<Vec<u8>, MtprotoError> {
    let mut key: [u8; 32] = fixed("AES key", &key)?;
    let mut iv: [u8; 32] = fixed("IGE IV", &iv)?;
    let mut data = data;
    let result = aes_ige::ige_encrypt(&key, &iv, &mut data);
    key.zeroize();
    iv.zeroize();
    result?;
    Ok(data)
}

/// AES-256-IGE-decrypt `data` (a multiple of 16 bytes) under a 32-byte `key`
/// and a 32-byte `iv`; returns the plaintext.
///
/// Throws code 101 for a wrong key or IV length, 100 when `data` is not a
/// multiple of 16 bytes.
#[uniffi::export]
pub fn ige_decrypt(key: Vec<u8>, iv: Vec<u8>, data: Vec<u8>) -> Result<Vec<u8>, MtprotoError> {
    let mut key: [u8; 32] = fixed("AES key", &key)?;
    let mut iv: [u8; 32] = fixed("IGE IV", &iv)?;
    let mut data = data;
    let result = aes_ige::ige_decrypt(&key, &iv, &mut data);
    key.zeroize();
    iv.zeroize();
    result?;
    Ok(data)
}

/// The MTProto 2.0 `msg_key` (16 bytes) of a whole plaintext, padding
/// included, sent in `direction`.
#[uniffi::export]
pub fn msg_key_v2(auth_key: Arc<AuthKey>, direction: Direction, plaintext: Vec<u8>) -> Vec<u8> {
    kdf::msg_key_v2(auth_key.core(), direction.into(), &plaintext)
        .0
        .to_vec()
}

/// The MTProto 2.0 AES key and IV of a message with the 16-byte `msg_key`
/// sent in `direction`. Throws code 101 if `msg_key` is not 16 bytes.
#[uniffi::export]
pub fn derive_v2(
    auth_key: Arc<AuthKey>,
    direction: Direction,
    msg_key: Vec<u8>,
) -> Result<AesKeyIv, MtprotoError> {
    let msg_key = kdf::MsgKey(fixed("msg_key", &msg_key)?);
    Ok(kdf::derive_v2(auth_key.core(), direction.into(), &msg_key).into())
}

/// The MTProto 1.0 `msg_key` (16 bytes) of a plaintext *without* its padding
/// (still used inside `auth.bindTempAuthKey`).
#[uniffi::export]
pub fn msg_key_v1(plaintext: Vec<u8>) -> Vec<u8> {
    kdf::msg_key_v1(&plaintext).0.to_vec()
}

/// The MTProto 1.0 AES key and IV of a message with the 16-byte `msg_key`
/// sent in `direction`. Throws code 101 if `msg_key` is not 16 bytes.
#[uniffi::export]
pub fn derive_v1(
    auth_key: Arc<AuthKey>,
    direction: Direction,
    msg_key: Vec<u8>,
) -> Result<AesKeyIv, MtprotoError> {
    let msg_key = kdf::MsgKey(fixed("msg_key", &msg_key)?);
    Ok(kdf::derive_v1(auth_key.core(), direction.into(), &msg_key).into())
}

/// The temporary AES key and IV that encrypt the DH inner data during key
/// creation, from the 32-byte `new_nonce` and the 16-byte `server_nonce`.
/// Throws code 101 for a wrong nonce length.
#[uniffi::export]
pub fn handshake_tmp_key_iv(
    new_nonce: Vec<u8>,
    server_nonce: Vec<u8>,
) -> Result<AesKeyIv, MtprotoError> {
    let mut new_nonce: [u8; 32] = fixed("new_nonce", &new_nonce)?;
    let server_nonce: [u8; 16] = fixed("server_nonce", &server_nonce)?;
    let out = kdf::handshake_tmp_key_iv(&new_nonce, &server_nonce).into();
    new_nonce.zeroize();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<impl Sized, MtprotoError>) -> u32 {
        match r {
            Ok(_) => 0,
            Err(MtprotoError::Failed { code, .. }) => code,
        }
    }

    #[test]
    fn ige_round_trip_and_errors() {
        let ct = ige_encrypt(vec![1; 32], vec![2; 32], vec![3; 48]).unwrap();
        assert_ne!(ct, vec![3; 48]);
        assert_eq!(
            ige_decrypt(vec![1; 32], vec![2; 32], ct).unwrap(),
            vec![3; 48]
        );
        assert_eq!(
            code(ige_encrypt(vec![1; 32], vec![2; 32], vec![0; 17])),
            100
        );
        assert_eq!(
            code(ige_decrypt(vec![1; 31], vec![2; 32], vec![0; 16])),
            101
        );
        assert_eq!(
            code(ige_encrypt(vec![1; 32], vec![2; 33], vec![0; 16])),
            101
        );
    }

    #[test]
    fn auth_key_matches_core() {
        let core = mtproto_core::AuthKey::new([7; 256]);
        let key = AuthKey::new(vec![7; 256]).unwrap();
        assert_eq!(key.id(), core.id().0);
        assert_eq!(key.id_wire(), core.id().to_wire().to_vec());
        assert_eq!(key.aux_hash(), core.aux_hash().to_vec());
        assert_eq!(code(AuthKey::new(vec![7; 255])), 101);
        assert!(!format!("{key:?}").contains("0707"));
    }

    #[test]
    fn derivations_check_lengths() {
        let key = AuthKey::new((0..=255).collect()).unwrap();
        let mk = msg_key_v2(key.clone(), Direction::ClientToServer, vec![0; 64]);
        assert_eq!(mk.len(), 16);
        let a = derive_v2(key.clone(), Direction::ClientToServer, mk.clone()).unwrap();
        let b = derive_v2(key.clone(), Direction::ServerToClient, mk).unwrap();
        assert_ne!(a, b);
        assert_eq!(
            code(derive_v2(
                key.clone(),
                Direction::ClientToServer,
                vec![0; 15]
            )),
            101
        );
        assert_eq!(msg_key_v1(vec![1, 2, 3, 4]).len(), 16);
        assert_eq!(
            code(derive_v1(key, Direction::ClientToServer, vec![0; 17])),
            101
        );
        assert_eq!(
            handshake_tmp_key_iv(vec![1; 32], vec![2; 16])
                .unwrap()
                .key
                .len(),
            32
        );
        assert_eq!(code(handshake_tmp_key_iv(vec![1; 32], vec![2; 15])), 101);
        assert_eq!(
            format!(
                "{:?}",
                derive_v1(
                    AuthKey::new(vec![1; 256]).unwrap(),
                    Direction::ServerToClient,
                    vec![0; 16]
                )
                .unwrap()
            ),
            "AesKeyIv { .. }"
        );
    }
}
