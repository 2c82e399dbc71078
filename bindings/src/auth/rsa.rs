//! [`RsaPublicKey`] and [`RsaPrivateKey`] (core `crypto::rsa`): the server
//! keys of the key exchange.

use std::sync::Arc;

use mtproto_core::crypto::rsa as core_rsa;
use mtproto_core::{AuthError, OsRandom};

use crate::error::MtprotoError;

/// An RSA public key with a 2048-bit modulus: what a client encrypts
/// `p_q_inner_data` with (`/mtproto/auth_key`). Immutable and safe to share
/// between threads.
#[derive(uniffi::Object)]
pub struct RsaPublicKey {
    inner: core_rsa::RsaPublicKey,
}

impl RsaPublicKey {
    /// The core key, for the other auth modules.
    pub(crate) fn core(&self) -> &core_rsa::RsaPublicKey {
        &self.inner
    }

    fn wrap(inner: core_rsa::RsaPublicKey) -> Arc<Self> {
        Arc::new(RsaPublicKey { inner })
    }

    /// The first key of one of the core's built-in lists.
    fn first_of(keys: Vec<core_rsa::RsaPublicKey>, which: &str) -> Result<Arc<Self>, MtprotoError> {
        keys.into_iter()
            .next()
            .map(Self::wrap)
            .ok_or_else(|| AuthError::InvalidRsaKey(format!("the core has no {which} key")).into())
    }
}

impl core::fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.inner.fmt(f)
    }
}

#[uniffi::export]
impl RsaPublicKey {
    /// Parse a PEM public key: PKCS#1 (`-----BEGIN RSA PUBLIC KEY-----`, the
    /// form Telegram publishes) or SubjectPublicKeyInfo
    /// (`-----BEGIN PUBLIC KEY-----`). Throws 414 (AuthInvalidRsaKey) for
    /// anything else, or a modulus that is not 2048 bits.
    #[uniffi::constructor]
    pub fn from_pem(pem: String) -> Result<Arc<Self>, MtprotoError> {
        Ok(Self::wrap(core_rsa::RsaPublicKey::from_pem(&pem)?))
    }

    /// A key from its modulus `n` and public exponent `e`, big-endian bytes
    /// (leading zeros are ignored: `modulus()` and `exponent()` read back as
    /// the same key). The modulus must be exactly 2048 bits and odd; the
    /// exponent odd, greater than 1 and smaller than the modulus. Throws 414
    /// (AuthInvalidRsaKey) otherwise.
    #[uniffi::constructor]
    pub fn from_components(n: Vec<u8>, e: Vec<u8>) -> Result<Arc<Self>, MtprotoError> {
        Ok(Self::wrap(core_rsa::RsaPublicKey::from_components(&n, &e)?))
    }

    /// Telegram's production server key (fingerprint
    /// -3414540481677951611, `0xd09d1d85de64fd85`).
    #[uniffi::constructor]
    pub fn telegram_production() -> Result<Arc<Self>, MtprotoError> {
        Self::first_of(core_rsa::telegram_production_keys(), "production")
    }

    /// Telegram's test server key.
    #[uniffi::constructor]
    pub fn telegram_test() -> Result<Arc<Self>, MtprotoError> {
        Self::first_of(core_rsa::telegram_test_keys(), "test")
    }

    /// The fingerprint resPQ lists: the low 64 bits of `SHA1(n ‖ e)` (TL
    /// `bytes`), read as a little-endian signed `long`.
    pub fn fingerprint(&self) -> i64 {
        self.inner.fingerprint()
    }

    /// The modulus, 256 big-endian bytes.
    pub fn modulus(&self) -> Vec<u8> {
        self.inner.modulus_be().to_vec()
    }

    /// The public exponent, minimal big-endian bytes (`01 00 01` for 65537).
    pub fn exponent(&self) -> Vec<u8> {
        self.inner.exponent_be()
    }

    /// The key as PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`, LF line
    /// endings).
    pub fn to_pem(&self) -> String {
        self.inner.to_pem()
    }
}

/// An RSA private key with a 2048-bit modulus: what a server decrypts
/// `p_q_inner_data` with. Immutable and safe to share between threads; the
/// secret parts are wiped from memory when it is freed and never printed.
#[derive(uniffi::Object)]
pub struct RsaPrivateKey {
    inner: core_rsa::RsaPrivateKey,
}

impl RsaPrivateKey {
    /// The core key, for the other auth modules.
    pub(crate) fn core(&self) -> &core_rsa::RsaPrivateKey {
        &self.inner
    }
}

impl core::fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The core's Debug prints the fingerprint only.
        self.inner.fmt(f)
    }
}

#[uniffi::export]
impl RsaPrivateKey {
    /// Parse a PEM private key: PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`)
    /// or PKCS#8 (`-----BEGIN PRIVATE KEY-----`). Only consistent two-prime
    /// 2048-bit keys are accepted; anything else throws 414
    /// (AuthInvalidRsaKey).
    #[uniffi::constructor]
    pub fn from_pem(pem: String) -> Result<Arc<Self>, MtprotoError> {
        Ok(Arc::new(RsaPrivateKey {
            inner: core_rsa::RsaPrivateKey::from_pem(&pem)?,
        }))
    }

    /// A new 2048-bit key (`e = 65537`) from the system random source (a
    /// fraction of a second; throws 102 if the random source fails).
    #[uniffi::constructor]
    pub fn generate() -> Result<Arc<Self>, MtprotoError> {
        Ok(Arc::new(RsaPrivateKey {
            inner: core_rsa::RsaPrivateKey::generate(&mut OsRandom)?,
        }))
    }

    /// The key as PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`). The text
    /// holds the secret key.
    pub fn to_pem(&self) -> String {
        self.inner.to_pem()
    }

    /// The matching public key (what clients hold).
    pub fn public_key(&self) -> Arc<RsaPublicKey> {
        RsaPublicKey::wrap(self.inner.public_key())
    }

    /// The fingerprint of the public key.
    pub fn fingerprint(&self) -> i64 {
        self.inner.fingerprint()
    }

    /// Decrypt a value encrypted with the old scheme (`RSA(SHA1(data) ‖ data
    /// ‖ padding)`, 255 bytes before encryption) and return its first
    /// `data_len` bytes after the hash, once SHA1 of them equals the hash.
    /// Throws 415 (AuthRsaDecryptFailed) when it does not decrypt or the
    /// hash does not match.
    pub fn decrypt_old_scheme(
        &self,
        encrypted: Vec<u8>,
        data_len: u32,
    ) -> Result<Vec<u8>, MtprotoError> {
        let payload = core_rsa::old_scheme_decrypt(&self.inner, &encrypted)?;
        let len = usize::try_from(data_len).unwrap_or(usize::MAX);
        match payload.verify(len) {
            Some(data) => Ok(data.to_vec()),
            None => Err(AuthError::RsaDecryptFailed.into()),
        }
    }
}
