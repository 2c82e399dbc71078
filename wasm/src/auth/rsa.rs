//! The RSA key classes (core [`mtproto_core::crypto::rsa`]): `RsaPublicKey`,
//! what a client encrypts its inner data with, and `RsaPrivateKey`, the
//! server's.

use mtproto_core::AuthError;
use mtproto_core::OsRandom;
use mtproto_core::crypto::rsa;
use wasm_bindgen::prelude::*;

use crate::convert::int_from_js;
use crate::error::{internal, to_js};

/// An RSA public key with a 2048-bit modulus: a key a client trusts to
/// authenticate the server of a key exchange (`/mtproto/auth_key`).
///
/// Make it with `RsaPublicKey.fromPem(pem)` or
/// `RsaPublicKey.fromComponents(n, e)`, or take Telegram's keys:
/// `RsaPublicKey.telegramProduction()`, `RsaPublicKey.telegramTest()`. Give
/// a list of them to `new ClientHandshake(...)` (which copies them).
#[wasm_bindgen]
pub struct RsaPublicKey {
    inner: rsa::RsaPublicKey,
}

#[wasm_bindgen]
impl RsaPublicKey {
    /// A key from PEM text: PKCS#1 (`-----BEGIN RSA PUBLIC KEY-----`, the
    /// form Telegram publishes) or SubjectPublicKeyInfo
    /// (`-----BEGIN PUBLIC KEY-----`). Anything else, or a modulus that is
    /// not 2048 bits, throws `AuthInvalidRsaKey` (414).
    #[wasm_bindgen(js_name = fromPem)]
    pub fn from_pem(pem: &str) -> Result<RsaPublicKey, JsValue> {
        let inner = rsa::RsaPublicKey::from_pem(pem).map_err(to_js)?;
        Ok(RsaPublicKey { inner })
    }

    /// A key from its modulus `n` and public exponent `e`, big-endian bytes
    /// (leading zeros are ignored: `modulus()` and `exponent()` read back as
    /// the same key). The modulus must be exactly 2048 bits and odd; the
    /// exponent odd, greater than 1 and smaller than the modulus; anything
    /// else throws `AuthInvalidRsaKey` (414).
    #[wasm_bindgen(js_name = fromComponents)]
    pub fn from_components(n: &[u8], e: &[u8]) -> Result<RsaPublicKey, JsValue> {
        let inner = rsa::RsaPublicKey::from_components(n, e).map_err(to_js)?;
        Ok(RsaPublicKey { inner })
    }

    /// Telegram's production server key (fingerprint
    /// `-3414540481677951611n`).
    #[wasm_bindgen(js_name = telegramProduction)]
    pub fn telegram_production() -> Result<RsaPublicKey, JsValue> {
        first_key(rsa::telegram_production_keys())
    }

    /// Telegram's test server key.
    #[wasm_bindgen(js_name = telegramTest)]
    pub fn telegram_test() -> Result<RsaPublicKey, JsValue> {
        first_key(rsa::telegram_test_keys())
    }

    /// The key's fingerprint, as resPQ lists it: the low 64 bits of SHA1 of
    /// its TL serialization, a signed `bigint` (a TL long).
    pub fn fingerprint(&self) -> i64 {
        self.inner.fingerprint()
    }

    /// The modulus, 256 big-endian bytes.
    pub fn modulus(&self) -> Vec<u8> {
        self.inner.modulus_be().to_vec()
    }

    /// The public exponent, big-endian bytes without leading zeros.
    pub fn exponent(&self) -> Vec<u8> {
        self.inner.exponent_be()
    }

    /// The key as PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`).
    #[wasm_bindgen(js_name = toPem)]
    pub fn to_pem(&self) -> String {
        self.inner.to_pem()
    }

    /// A new object holding a copy of this key (see `key_list_from_js`).
    #[wasm_bindgen(js_name = __mtpClone, skip_typescript)]
    pub fn mtp_clone(&self) -> RsaPublicKey {
        RsaPublicKey {
            inner: self.inner.clone(),
        }
    }
}

impl RsaPublicKey {
    /// The wrapped core key.
    pub(crate) fn into_core(self) -> rsa::RsaPublicKey {
        self.inner
    }
}

/// The first key of a built-in list (never empty: the core tests that its
/// constants parse).
fn first_key(keys: Vec<rsa::RsaPublicKey>) -> Result<RsaPublicKey, JsValue> {
    keys.into_iter()
        .next()
        .map(|inner| RsaPublicKey { inner })
        .ok_or_else(|| internal("the built-in RSA key did not parse"))
}

/// A server's RSA private key (2048 bits, two primes): what decrypts the
/// client's inner data in a key exchange.
///
/// Load it with `RsaPrivateKey.fromPem(pem)` or make a new one with
/// `RsaPrivateKey.generate()`; give a list of them to `new
/// ServerHandshake(...)` (which copies them) and their public keys to the
/// clients. The key lives in wasm memory and is wiped when the object is
/// freed: call `free()` when it is no longer needed (or leave it to the
/// garbage collector).
#[wasm_bindgen]
pub struct RsaPrivateKey {
    inner: rsa::RsaPrivateKey,
}

#[wasm_bindgen]
impl RsaPrivateKey {
    /// A key from PEM text: PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`) or
    /// unencrypted PKCS#8 (`-----BEGIN PRIVATE KEY-----`). Anything else, a
    /// key that is not 2048 bits or an inconsistent one throws
    /// `AuthInvalidRsaKey` (414).
    #[wasm_bindgen(js_name = fromPem)]
    pub fn from_pem(pem: &str) -> Result<RsaPrivateKey, JsValue> {
        let inner = rsa::RsaPrivateKey::from_pem(pem).map_err(to_js)?;
        Ok(RsaPrivateKey { inner })
    }

    /// A new random key (`e = 65537`), from `crypto.getRandomValues`. Takes
    /// from about 0.1 to 1 second.
    pub fn generate() -> Result<RsaPrivateKey, JsValue> {
        let inner = rsa::RsaPrivateKey::generate(&mut OsRandom).map_err(to_js)?;
        Ok(RsaPrivateKey { inner })
    }

    /// The key as PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`).
    #[wasm_bindgen(js_name = toPem)]
    pub fn to_pem(&self) -> String {
        self.inner.to_pem()
    }

    /// The public half, to give to clients.
    #[wasm_bindgen(js_name = publicKey)]
    pub fn public_key(&self) -> RsaPublicKey {
        RsaPublicKey {
            inner: self.inner.public_key(),
        }
    }

    /// The fingerprint of the public half (a signed `bigint`).
    pub fn fingerprint(&self) -> i64 {
        self.inner.fingerprint()
    }

    /// Decrypt data encrypted with the older scheme some clients still use
    /// for req_DH_params (`SHA1(data) | data | padding`, 255 bytes, raised
    /// to `e`): the first `dataLen` bytes after the hash, once their SHA1
    /// matches. A failed decryption or hash throws `AuthRsaDecryptFailed`
    /// (415).
    #[wasm_bindgen(js_name = decryptOldScheme)]
    pub fn decrypt_old_scheme(
        &self,
        encrypted: &[u8],
        #[wasm_bindgen(js_name = dataLen, unchecked_param_type = "number")] data_len: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let data_len: u32 = int_from_js("dataLen", "0..2^32", &data_len)?;
        let data_len = usize::try_from(data_len).map_err(|_| internal("usize overflow"))?;
        let payload = rsa::old_scheme_decrypt(&self.inner, encrypted).map_err(to_js)?;
        payload
            .verify(data_len)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| to_js(AuthError::RsaDecryptFailed))
    }

    /// A new object holding a copy of this key (see `key_list_from_js`).
    #[wasm_bindgen(js_name = __mtpClone, skip_typescript)]
    pub fn mtp_clone(&self) -> RsaPrivateKey {
        RsaPrivateKey {
            inner: self.inner.clone(),
        }
    }
}

impl RsaPrivateKey {
    /// The wrapped core key.
    pub(crate) fn into_core(self) -> rsa::RsaPrivateKey {
        self.inner
    }
}
