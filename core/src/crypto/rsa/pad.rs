//! The two ways a client encrypts `p_q_inner_data` for the server
//! (`/mtproto/auth_key`, "Presenting proof of work; Server authentication"):
//! RSA_PAD (MTProto 2.0) and the older `SHA1(data) ‖ data ‖ padding` scheme.

use core::fmt;

use crypto_bigint::U2048;
use crypto_bigint::ctutils::CtLt;
use subtle::ConstantTimeEq;
use zeroize::{ZeroizeOnDrop, Zeroizing};

use super::{RsaPrivateKey, RsaPublicKey};
use crate::crypto::aes_ige::{ige_decrypt, ige_encrypt};
use crate::crypto::bigint::BYTES_2048;
use crate::crypto::hash::{sha1, sha256};
use crate::error::{AuthError, CryptoError};
use crate::rand::SecureRandom;

/// RSA_PAD takes at most 144 bytes of data.
const MAX_DATA: usize = 144;
/// `data_with_padding` is 192 bytes.
const PADDED: usize = 192;
/// `data_with_hash` (`data_pad_reversed ‖ SHA256(..)`) is 224 bytes.
const WITH_HASH: usize = PADDED + 32;
/// The spec's IV for `aes_encrypted`: all zeros.
const ZERO_IV: [u8; 32] = [0; 32];
/// temp_keys drawn before [`rsa_pad_encrypt`] gives up. Each one fails with
/// probability below 1/2 for a 2048-bit modulus, so only a broken RNG gets
/// here.
const TEMP_KEY_TRIES: usize = 256;
/// The old scheme's payload: `SHA1(data) ‖ data ‖ padding`, 255 bytes.
const OLD_PAYLOAD: usize = 255;
/// Bytes of data and padding in the old scheme's payload.
const OLD_DATA_AND_PADDING: usize = OLD_PAYLOAD - 20;

/// RSA_PAD with its randomness given (`/mtproto/auth_key`, "Presenting proof
/// of work; Server authentication"):
///
/// ```text
/// data_with_padding := data ‖ padding                        (192 bytes)
/// data_pad_reversed := reverse(data_with_padding)
/// data_with_hash    := data_pad_reversed ‖ SHA256(temp_key ‖ data_with_padding)
/// aes_encrypted     := AES256_IGE(data_with_hash, temp_key, iv = 0)
/// temp_key_xor      := temp_key XOR SHA256(aes_encrypted)
/// key_aes_encrypted := temp_key_xor ‖ aes_encrypted          (256 bytes)
/// encrypted_data    := key_aes_encrypted ^ e mod n
/// ```
///
/// `data` is at most 144 bytes and `padding` exactly `192 - data.len()`
/// random bytes, else [`AuthError::Crypto`] with
/// [`CryptoError::InvalidLength`]. `Ok(None)` when `key_aes_encrypted` is not
/// below the modulus: the spec says to draw a new `temp_key` and try again
/// (keeping the padding), which [`rsa_pad_encrypt`] does.
pub fn rsa_pad_encrypt_with(
    key: &RsaPublicKey,
    data: &[u8],
    padding: &[u8],
    temp_key: &[u8; 32],
) -> Result<Option<[u8; 256]>, AuthError> {
    let padding_len = padding_len(data)?;
    if padding.len() != padding_len {
        return Err(AuthError::Crypto(CryptoError::InvalidLength {
            what: "RSA_PAD random padding (192 bytes minus the data)",
            expected: padding_len,
            found: padding.len(),
        }));
    }
    let mut data_with_padding = Zeroizing::new([0u8; PADDED]);
    copy_into(data_with_padding.as_mut_slice(), data.iter().chain(padding));
    let hash = Zeroizing::new(sha256(&[temp_key, data_with_padding.as_slice()]));
    let mut aes_encrypted = Zeroizing::new([0u8; WITH_HASH]);
    copy_into(
        aes_encrypted.as_mut_slice(),
        data_with_padding.iter().rev().chain(hash.iter()),
    );
    ige_encrypt(temp_key, &ZERO_IV, aes_encrypted.as_mut_slice())?;
    let aes_hash = sha256(&[aes_encrypted.as_slice()]);
    let mut key_aes_encrypted = Zeroizing::new([0u8; BYTES_2048]);
    let temp_key_xor = temp_key.iter().zip(&aes_hash).map(|(k, h)| k ^ h);
    copy_into(
        key_aes_encrypted.as_mut_slice(),
        temp_key_xor.chain(aes_encrypted.iter().copied()),
    );
    let x = Zeroizing::new(U2048::from_be_slice(key_aes_encrypted.as_slice()));
    if !x.ct_lt(key.n()).to_bool() {
        return Ok(None);
    }
    Ok(Some(key.raw_encrypt(&x)))
}

/// RSA_PAD with fresh randomness from `rng`: the padding, then a `temp_key`,
/// redrawn (with the same padding) while the value is not below the modulus.
/// The result is `req_DH_params.encrypted_data` (`/mtproto/auth_key`).
///
/// Fails on data longer than 144 bytes, when `rng` fails, or after 256
/// unusable temp keys (only a broken RNG does that:
/// [`CryptoError::RandomUnavailable`]).
pub fn rsa_pad_encrypt(
    key: &RsaPublicKey,
    data: &[u8],
    rng: &mut dyn SecureRandom,
) -> Result<[u8; 256], AuthError> {
    let padding_len = padding_len(data)?;
    let mut padding = Zeroizing::new([0u8; PADDED]);
    let padding = padding
        .get_mut(..padding_len)
        .ok_or_else(|| data_too_long(data))?;
    rng.fill(padding)?;
    let mut temp_key = Zeroizing::new([0u8; 32]);
    for _ in 0..TEMP_KEY_TRIES {
        rng.fill(temp_key.as_mut_slice())?;
        if let Some(encrypted) = rsa_pad_encrypt_with(key, data, padding, &temp_key)? {
            return Ok(encrypted);
        }
    }
    Err(AuthError::Crypto(CryptoError::RandomUnavailable))
}

/// The server's side of RSA_PAD: decrypt `req_DH_params.encrypted_data` and
/// return `data_with_padding` (192 bytes: the TL data, then the client's
/// random padding).
///
/// `temp_key = temp_key_xor XOR SHA256(aes_encrypted)`, IGE-decrypt with IV
/// 0, reverse the first 192 bytes, and check the last 32 against
/// `SHA256(temp_key ‖ data_with_padding)` in constant time. Any failure
/// (value not below `n`, wrong hash) is [`AuthError::RsaDecryptFailed`]; a
/// server then tries [`old_scheme_decrypt`].
pub fn rsa_pad_decrypt(
    key: &RsaPrivateKey,
    encrypted: &[u8],
) -> Result<Zeroizing<[u8; 192]>, AuthError> {
    let key_aes_encrypted = Zeroizing::new(key.decrypt_raw(encrypted)?);
    let (temp_key_xor, aes_encrypted) = key_aes_encrypted
        .split_first_chunk::<32>()
        .ok_or(AuthError::RsaDecryptFailed)?;
    let aes_hash = sha256(&[aes_encrypted]);
    let mut temp_key = Zeroizing::new([0u8; 32]);
    copy_into(
        temp_key.as_mut_slice(),
        temp_key_xor.iter().zip(&aes_hash).map(|(x, h)| x ^ h),
    );
    let mut data_with_hash = Zeroizing::new([0u8; WITH_HASH]);
    copy_into(data_with_hash.as_mut_slice(), aes_encrypted.iter().copied());
    ige_decrypt(&temp_key, &ZERO_IV, data_with_hash.as_mut_slice())?;
    let (reversed, hash) = data_with_hash
        .split_first_chunk::<PADDED>()
        .ok_or(AuthError::RsaDecryptFailed)?;
    let mut data_with_padding = Zeroizing::new([0u8; PADDED]);
    copy_into(data_with_padding.as_mut_slice(), reversed.iter().rev());
    let expected = Zeroizing::new(sha256(&[temp_key.as_slice(), data_with_padding.as_slice()]));
    if bool::from(expected.as_slice().ct_eq(hash)) {
        Ok(data_with_padding)
    } else {
        Err(AuthError::RsaDecryptFailed)
    }
}

/// The older encryption some clients still send (`/mtproto/auth_key`, before
/// RSA_PAD): `(SHA1(data) ‖ data ‖ padding)^e mod n`, where the three parts
/// make 255 bytes (so the value is below any 2048-bit modulus).
///
/// `data.len() + padding.len()` must be 235, else [`AuthError::Crypto`] with
/// [`CryptoError::InvalidLength`]. New clients use [`rsa_pad_encrypt`]; this
/// exists so a server's support for old clients can be tested.
pub fn old_scheme_encrypt_with(
    key: &RsaPublicKey,
    data: &[u8],
    padding: &[u8],
) -> Result<[u8; 256], AuthError> {
    let len = data.len().saturating_add(padding.len());
    if len != OLD_DATA_AND_PADDING {
        return Err(AuthError::Crypto(CryptoError::InvalidLength {
            what: "old-scheme data and padding",
            expected: OLD_DATA_AND_PADDING,
            found: len,
        }));
    }
    let hash = sha1(&[data]);
    // A leading zero byte, then the 255-byte payload.
    let mut value = Zeroizing::new([0u8; BYTES_2048]);
    copy_into(
        value.get_mut(1..).unwrap_or_default(),
        hash.iter().chain(data).chain(padding),
    );
    let x = Zeroizing::new(U2048::from_be_slice(value.as_slice()));
    Ok(key.raw_encrypt(&x))
}

/// What [`old_scheme_decrypt`] recovered: `SHA1(data) ‖ data ‖ padding`
/// (255 bytes), zeroized on drop.
///
/// The hash covers only the data, whose length the payload does not say: the
/// server parses the TL object from [`data_and_padding`](Self::data_and_padding)
/// and then calls [`verify`](Self::verify) with the length it consumed.
#[derive(Clone)]
pub struct OldSchemePayload {
    bytes: Zeroizing<[u8; OLD_PAYLOAD]>,
}

impl OldSchemePayload {
    /// The 235 bytes after the hash: the data, then the client's padding.
    pub fn data_and_padding(&self) -> &[u8] {
        self.bytes.get(20..).unwrap_or_default()
    }

    /// `Some(data)` when SHA1 of the first `data_len` bytes after the hash
    /// equals the hash (compared in constant time); `None` otherwise,
    /// including when `data_len` is over 235.
    pub fn verify(&self, data_len: usize) -> Option<&[u8]> {
        let (hash, rest) = self.bytes.split_first_chunk::<20>()?;
        let data = rest.get(..data_len)?;
        bool::from(sha1(&[data]).as_slice().ct_eq(hash.as_slice())).then_some(data)
    }
}

impl ZeroizeOnDrop for OldSchemePayload {}

impl fmt::Debug for OldSchemePayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OldSchemePayload { .. }")
    }
}

/// The server's side of the old scheme: `c^d mod n` must have a zero first
/// byte (the payload is 255 bytes), else [`AuthError::RsaDecryptFailed`].
/// The hash is checked afterwards with [`OldSchemePayload::verify`].
pub fn old_scheme_decrypt(
    key: &RsaPrivateKey,
    encrypted: &[u8],
) -> Result<OldSchemePayload, AuthError> {
    let value = Zeroizing::new(key.decrypt_raw(encrypted)?);
    let (first, payload) = value.split_first().ok_or(AuthError::RsaDecryptFailed)?;
    if *first != 0 {
        return Err(AuthError::RsaDecryptFailed);
    }
    let mut bytes = Zeroizing::new([0u8; OLD_PAYLOAD]);
    copy_into(bytes.as_mut_slice(), payload.iter());
    Ok(OldSchemePayload { bytes })
}

/// How many padding bytes RSA_PAD adds to `data`, or the error for data
/// over 144 bytes.
fn padding_len(data: &[u8]) -> Result<usize, AuthError> {
    if data.len() > MAX_DATA {
        return Err(data_too_long(data));
    }
    Ok(PADDED - data.len())
}

fn data_too_long(data: &[u8]) -> AuthError {
    AuthError::Crypto(CryptoError::InvalidLength {
        what: "RSA_PAD data (at most 144 bytes)",
        expected: MAX_DATA,
        found: data.len(),
    })
}

/// Fill `dst` from `src` (as many bytes as both have).
fn copy_into<I, B>(dst: &mut [u8], src: I)
where
    I: IntoIterator<Item = B>,
    B: core::borrow::Borrow<u8>,
{
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s.borrow();
    }
}
