//! RSA for auth key creation (`/mtproto/auth_key`): the server's public keys
//! and their fingerprints, RSA_PAD (the MTProto 2.0 encryption of
//! `p_q_inner_data`, "Presenting proof of work; Server authentication"), the
//! older `SHA1(data) ‖ data ‖ padding` scheme some clients still send, and
//! the server's private key.
//!
//! Only 2048-bit keys are accepted: the spec's RSA_PAD produces exactly 256
//! bytes, and every key Telegram publishes is 2048 bits.
//!
//! A client calls [`rsa_pad_encrypt`] with the key whose [`fingerprint`]
//! the server offered in `resPQ`; a server holding an [`RsaPrivateKey`] calls
//! [`rsa_pad_decrypt`] (and [`old_scheme_decrypt`] when that fails) on
//! `req_DH_params.encrypted_data`.
//!
//! [`fingerprint`]: RsaPublicKey::fingerprint

mod pad;
mod private;

pub use pad::{
    OldSchemePayload, old_scheme_decrypt, old_scheme_encrypt_with, rsa_pad_decrypt,
    rsa_pad_encrypt, rsa_pad_encrypt_with,
};
pub use private::RsaPrivateKey;

use core::fmt;

use crypto_bigint::U2048;
use pkcs1::der::{Decode, Document};
use pkcs1::{EncodeRsaPublicKey, LineEnding, RsaPublicKeyRef, UintRef};
use spki::SubjectPublicKeyInfoRef;

use crate::crypto::bigint::{BYTES_2048, Modulus, pow_mod_public, u2048_from_be, u2048_to_be};
use crate::crypto::hash::sha1;
use crate::error::AuthError;
use crate::tl::Writer;

/// Telegram's production server key, as published in tdlib
/// (`td/telegram/net/PublicRsaKeySharedMain.cpp`, the non-test branch).
/// Fingerprint `0xd09d1d85de64fd85` (`-3414540481677951611` as `i64`; wire
/// bytes `85 fd 64 de 85 1d 9d d0`). It is also the key of the spec's worked
/// example (`/mtproto/samples-auth_key`, DC 2), whose resPQ offers it.
pub const TELEGRAM_PRODUCTION_KEY_PEM: &str = "-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEA6LszBcC1LGzyr992NzE0ieY+BSaOW622Aa9Bd4ZHLl+TuFQ4lo4g
5nKaMBwK/BIb9xUfg0Q29/2mgIR6Zr9krM7HjuIcCzFvDtr+L0GQjae9H0pRB2OO
62cECs5HKhT5DZ98K33vmWiLowc621dQuwKWSQKjWf50XYFw42h21P2KXUGyp2y/
+aEyZ+uVgLLQbRA1dEjSDZ2iGRy12Mk5gpYc397aYp438fsJoHIgJ2lgMv5h7WY9
t6N/byY9Nw9p21Og3AoXSL2q/2IJ1WRUhebgAdGVMlV1fkuOQoEzR7EdpqtQD9Cs
5+bfo3Nhmcyvk5ftB0WkJ9z6bNZ7yxrP8wIDAQAB
-----END RSA PUBLIC KEY-----
";

/// Telegram's test-DC server key, as published in tdlib
/// (`td/telegram/net/PublicRsaKeySharedMain.cpp`, the `is_test` branch).
/// Fingerprint `0xb25898df208d2603` (`-5595554452916591101` as `i64`).
pub const TELEGRAM_TEST_KEY_PEM: &str = "-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEAyMEdY1aR+sCR3ZSJrtztKTKqigvO/vBfqACJLZtS7QMgCGXJ6XIR
yy7mx66W0/sOFa7/1mAZtEoIokDP3ShoqF4fVNb6XeqgQfaUHd8wJpDWHcR2OFwv
plUUI1PLTktZ9uW2WE23b+ixNwJjJGwBDJPQEQFBE+vfmH0JP503wr5INS1poWg/
j25sIWeYPHYeOrFp/eXaqhISP6G+q2IeTaWTXpwZj4LzXq5YOpk4bYEQ6mvRq7D1
aHWfYmlEGepfaYR8Q0YqvvhYtMte3ITnuSJs171+GDqpdKcSwHnd6FudwGO4pcCO
j4WcDuXc2CTHgH8gFTNhp/Y8/SpDOhvn9QIDAQAB
-----END RSA PUBLIC KEY-----
";

/// The keys a client uses against Telegram's production DCs
/// ([`TELEGRAM_PRODUCTION_KEY_PEM`]).
pub fn telegram_production_keys() -> Vec<RsaPublicKey> {
    // The constant is tested to parse; `ok()` only keeps this free of panics.
    RsaPublicKey::from_pem(TELEGRAM_PRODUCTION_KEY_PEM)
        .ok()
        .into_iter()
        .collect()
}

/// The keys a client uses against Telegram's test DCs
/// ([`TELEGRAM_TEST_KEY_PEM`]).
pub fn telegram_test_keys() -> Vec<RsaPublicKey> {
    RsaPublicKey::from_pem(TELEGRAM_TEST_KEY_PEM)
        .ok()
        .into_iter()
        .collect()
}

/// An RSA public key with a 2048-bit modulus: what a client encrypts
/// `p_q_inner_data` with (`/mtproto/auth_key`).
///
/// Build it once per key ([`from_pem`](Self::from_pem) or
/// [`from_components`](Self::from_components)); it precomputes the Montgomery
/// parameters and the fingerprint.
#[derive(Clone)]
pub struct RsaPublicKey {
    n: U2048,
    e: U2048,
    e_be: Vec<u8>,
    modulus: Modulus,
    fingerprint: i64,
    pem: String,
}

impl RsaPublicKey {
    /// Parse a PEM public key: PKCS#1 (`-----BEGIN RSA PUBLIC KEY-----`, the
    /// form Telegram publishes) or SubjectPublicKeyInfo
    /// (`-----BEGIN PUBLIC KEY-----`, what `openssl rsa -pubout` writes).
    ///
    /// Fails with [`AuthError::InvalidRsaKey`] on any other label, bad PEM or
    /// DER, another algorithm, or a key that
    /// [`from_components`](Self::from_components) refuses.
    pub fn from_pem(pem: &str) -> Result<Self, AuthError> {
        let (label, doc) =
            Document::from_pem(pem.trim()).map_err(|e| invalid(format!("bad PEM: {e}")))?;
        match label {
            "RSA PUBLIC KEY" => Self::from_pkcs1_der(doc.as_bytes()),
            "PUBLIC KEY" => {
                let info = SubjectPublicKeyInfoRef::from_der(doc.as_bytes())
                    .map_err(|e| invalid(format!("bad SubjectPublicKeyInfo: {e}")))?;
                if info.algorithm.oid != pkcs1::ALGORITHM_OID {
                    return Err(invalid(format!(
                        "algorithm {} is not rsaEncryption",
                        info.algorithm.oid
                    )));
                }
                let inner = info
                    .subject_public_key
                    .as_bytes()
                    .ok_or_else(|| invalid("public key bit string is not whole bytes".into()))?;
                Self::from_pkcs1_der(inner)
            }
            other => Err(invalid(format!(
                "PEM label {other:?}, expected \"RSA PUBLIC KEY\" or \"PUBLIC KEY\""
            ))),
        }
    }

    fn from_pkcs1_der(der: &[u8]) -> Result<Self, AuthError> {
        let key = RsaPublicKeyRef::from_der(der)
            .map_err(|e| invalid(format!("bad PKCS#1 public key: {e}")))?;
        Self::from_components(key.modulus.as_bytes(), key.public_exponent.as_bytes())
    }

    /// A key from its modulus and exponent as big-endian byte strings
    /// (leading zeros are ignored).
    ///
    /// The modulus must be exactly 2048 bits and odd; the exponent odd,
    /// greater than 1 and smaller than the modulus. Anything else is
    /// [`AuthError::InvalidRsaKey`].
    pub fn from_components(n_be: &[u8], e_be: &[u8]) -> Result<Self, AuthError> {
        let n_min = strip_zeros(n_be);
        let bits = bit_len(n_min);
        if bits != 2048 {
            return Err(invalid(format!("modulus is {bits} bits, expected 2048")));
        }
        let n = u2048_from_be(n_min).ok_or_else(|| invalid("modulus too long".into()))?;
        let modulus = Modulus::new(&n).ok_or_else(|| invalid("modulus is even".into()))?;
        let e_min = strip_zeros(e_be);
        let e_odd = e_min.last().is_some_and(|b| b & 1 == 1);
        if !e_odd || e_min == [1] {
            return Err(invalid(
                "public exponent must be odd and greater than 1".into(),
            ));
        }
        let e = u2048_from_be(e_min)
            .filter(|e| e.cmp_vartime(&n).is_lt())
            .ok_or_else(|| invalid("public exponent is not smaller than the modulus".into()))?;
        let pem = RsaPublicKeyRef {
            modulus: uint_ref(n_min)?,
            public_exponent: uint_ref(e_min)?,
        }
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|err| invalid(format!("cannot encode the key: {err}")))?;
        Ok(RsaPublicKey {
            n,
            e,
            e_be: e_min.to_vec(),
            modulus,
            fingerprint: fingerprint_of(n_min, e_min),
            pem,
        })
    }

    /// The key's fingerprint (`/mtproto/auth_key`): the low 64 bits of
    /// `SHA1(n ‖ e)` where `n` and `e` are TL `bytes` holding the minimal
    /// big-endian numbers, i.e. `SHA1(..)[12..20]` read as a little-endian
    /// `long`. This is the value `resPQ.server_public_key_fingerprints` lists
    /// and `req_DH_params.public_key_fingerprint` carries.
    pub fn fingerprint(&self) -> i64 {
        self.fingerprint
    }

    /// The modulus as 256 big-endian bytes.
    pub fn modulus_be(&self) -> [u8; 256] {
        u2048_to_be(&self.n)
    }

    /// The public exponent as a minimal big-endian byte string.
    pub fn exponent_be(&self) -> Vec<u8> {
        self.e_be.clone()
    }

    /// The key as PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`, LF line
    /// endings), the form Telegram publishes.
    pub fn to_pem(&self) -> String {
        self.pem.clone()
    }

    /// `x^e mod n` (variable time: `e` and `x` are public here, or, for
    /// RSA_PAD, `x` is a one-time value the server learns anyway).
    pub(crate) fn raw_encrypt(&self, x: &U2048) -> [u8; BYTES_2048] {
        u2048_to_be(&pow_mod_public(x, &self.e, &self.modulus))
    }

    pub(crate) fn n(&self) -> &U2048 {
        &self.n
    }

    pub(crate) fn e(&self) -> &U2048 {
        &self.e
    }

    pub(crate) fn modulus(&self) -> &Modulus {
        &self.modulus
    }
}

impl PartialEq for RsaPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.n == other.n && self.e_be == other.e_be
    }
}

impl Eq for RsaPublicKey {}

impl fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "RsaPublicKey {{ fingerprint: {:#018x} }}",
            self.fingerprint as u64
        )
    }
}

/// `SHA1(TL bytes(n) ‖ TL bytes(e))[12..20]` as a little-endian `i64`.
fn fingerprint_of(n_min: &[u8], e_min: &[u8]) -> i64 {
    let mut w = Writer::with_capacity(BYTES_2048 + 16);
    w.write_bytes(n_min);
    w.write_bytes(e_min);
    let [_, _, _, _, _, _, _, _, _, _, _, _, low @ ..] = sha1(&[w.as_slice()]);
    i64::from_le_bytes(low)
}

pub(crate) fn invalid(msg: String) -> AuthError {
    AuthError::InvalidRsaKey(msg)
}

pub(crate) fn uint_ref(bytes: &[u8]) -> Result<UintRef<'_>, AuthError> {
    UintRef::new(bytes).map_err(|e| invalid(format!("cannot encode an integer: {e}")))
}

/// The bytes after any leading zeros.
pub(crate) fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or_default()
}

/// Bit length of a big-endian number without leading zero bytes.
pub(crate) fn bit_len(min_be: &[u8]) -> usize {
    match min_be.first() {
        Some(&top) => (min_be.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
        None => 0,
    }
}

#[cfg(test)]
mod tests;
