//! Pieces both roles of the key exchange compute identically
//! (`/mtproto/auth_key`): the nonce hashes, the first salt, and the
//! SHA1-framed encryption of the DH inner data under the temporary key.

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::crypto::aes_ige::{ige_decrypt, ige_encrypt};
use crate::crypto::auth_key::AuthKey;
use crate::crypto::hash::sha1;
use crate::crypto::kdf::handshake_tmp_key_iv;
use crate::envelope::Salt;
use crate::error::{AuthError, CryptoError};
use crate::tl::{Deserialize, Reader};

/// The client's secret 256-bit nonce; zeroized on drop.
pub(crate) type NewNonce = Zeroizing<[u8; 32]>;

/// `new_nonce_hashN = SHA1(new_nonce ‖ N ‖ auth_key_aux_hash)[4..20]`
/// (`/mtproto/auth_key`, step 7): N = 1 for dh_gen_ok, 2 for dh_gen_retry,
/// 3 for dh_gen_fail.
pub(crate) fn new_nonce_hash(new_nonce: &[u8; 32], n: u8, key: &AuthKey) -> [u8; 16] {
    let digest = sha1(&[new_nonce, &[n], &key.aux_hash()]);
    let mut out = [0u8; 16];
    if let Some(part) = digest.get(4..20) {
        out.copy_from_slice(part);
    }
    out
}

/// The hash server_DH_params_fail carries: `SHA1(new_nonce)[4..20]`.
pub(crate) fn params_fail_hash(new_nonce: &[u8; 32]) -> [u8; 16] {
    let digest = sha1(&[new_nonce]);
    let mut out = [0u8; 16];
    if let Some(part) = digest.get(4..20) {
        out.copy_from_slice(part);
    }
    out
}

/// Constant-time equality of two 16-byte hashes.
pub(crate) fn hash_eq(a: &[u8; 16], b: &[u8; 16]) -> bool {
    bool::from(a.ct_eq(b))
}

/// The first server salt: `new_nonce[0..8] XOR server_nonce[0..8]`
/// (`/mtproto/auth_key`, step 9), read little-endian like every TL long.
pub(crate) fn first_salt(new_nonce: &[u8; 32], server_nonce: &[u8; 16]) -> Salt {
    let mut x = [0u8; 8];
    for (i, b) in x.iter_mut().enumerate() {
        *b = new_nonce.get(i).copied().unwrap_or(0) ^ server_nonce.get(i).copied().unwrap_or(0);
    }
    Salt(u64::from_le_bytes(x))
}

/// Padding length that makes `SHA1 ‖ data ‖ padding` a multiple of 16 bytes.
pub(crate) fn inner_padding_len(data_len: usize) -> usize {
    (16 - (20 + data_len) % 16) % 16
}

/// `AES-IGE(SHA1(data) ‖ data ‖ padding)` under the temporary key derived from
/// the nonces: how server_DH_inner_data and client_DH_inner_data travel.
/// `padding` must bring the total to a multiple of 16 (0..=15 bytes).
pub(crate) fn encrypt_inner(
    new_nonce: &[u8; 32],
    server_nonce: &[u8; 16],
    data: &[u8],
    padding: &[u8],
) -> Result<Vec<u8>, AuthError> {
    let expected = inner_padding_len(data.len());
    if padding.len() != expected {
        return Err(CryptoError::InvalidLength {
            what: "inner data padding",
            expected,
            found: padding.len(),
        }
        .into());
    }
    let tmp = handshake_tmp_key_iv(new_nonce, server_nonce);
    let mut out = Vec::with_capacity(20 + data.len() + padding.len());
    out.extend_from_slice(&sha1(&[data]));
    out.extend_from_slice(data);
    out.extend_from_slice(padding);
    ige_encrypt(&tmp.key, &tmp.iv, &mut out)?;
    Ok(out)
}

/// Decrypt `AES-IGE(SHA1(data) ‖ data ‖ padding)` and read one `T` from it,
/// checking the SHA1 over exactly the bytes `T` spans and that at most 15
/// padding bytes follow. Any failure is [`AuthError::AnswerHashMismatch`]
/// (a wrong key and a tampered message look the same), except a body that
/// cannot be a valid encryption at all (length).
pub(crate) fn decrypt_inner<T: Deserialize>(
    new_nonce: &[u8; 32],
    server_nonce: &[u8; 16],
    encrypted: &[u8],
) -> Result<T, AuthError> {
    if encrypted.len() % 16 != 0 || encrypted.len() < 32 {
        return Err(AuthError::AnswerHashMismatch);
    }
    let tmp = handshake_tmp_key_iv(new_nonce, server_nonce);
    let mut plain = Zeroizing::new(encrypted.to_vec());
    ige_decrypt(&tmp.key, &tmp.iv, &mut plain)?;
    let (hash, rest) = plain.split_at(20);
    let mut r = Reader::new(rest);
    // A tampered or wrongly keyed answer usually fails to parse: report it as
    // the hash failure it is.
    let value = T::deserialize(&mut r).map_err(|_| AuthError::AnswerHashMismatch)?;
    let used = r.position();
    let data = rest.get(..used).ok_or(AuthError::AnswerHashMismatch)?;
    let mut digest = sha1(&[data]);
    let ok = bool::from(digest.as_slice().ct_eq(hash)) && rest.len() - used < 16;
    digest.zeroize();
    if ok {
        Ok(value)
    } else {
        Err(AuthError::AnswerHashMismatch)
    }
}

/// The constructor id at the start of a message, for routing and for the
/// error that names what came instead.
pub(crate) fn constructor_of(body: &[u8]) -> Result<u32, AuthError> {
    Ok(Reader::new(body).peek_u32()?)
}

/// Read a whole message of type `T`, or say which constructor came instead
/// of the `expected` one.
pub(crate) fn read_message<T: Deserialize>(
    body: &[u8],
    expected: &'static str,
    accepted: &[u32],
) -> Result<T, AuthError> {
    let found = constructor_of(body)?;
    if !accepted.contains(&found) {
        return Err(AuthError::UnexpectedMessage { expected, found });
    }
    Ok(T::from_tl_bytes(body)?)
}

/// A big number as TL `bytes`: minimal big-endian (no leading zero bytes),
/// the form pq, p and q take (`/mtproto/auth_key`).
pub(crate) fn minimal_be(x: u64) -> Vec<u8> {
    let bytes = x.to_be_bytes();
    let first = bytes
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(bytes.len() - 1);
    bytes.get(first..).unwrap_or(&bytes).to_vec()
}

/// The 8 bytes of an aux hash as the `long` retry_id carries.
pub(crate) fn retry_id_of(key: &AuthKey) -> i64 {
    i64::from_le_bytes(key.aux_hash())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::tl::Serialize;
    use crate::tl::mtproto::types::DhGenOk;

    #[test]
    fn inner_round_trip_and_tampering() {
        let nn = [7u8; 32];
        let sn = [9u8; 16];
        let msg = DhGenOk {
            nonce: [1; 16],
            server_nonce: [2; 16],
            new_nonce_hash1: [3; 16],
        }
        .to_tl_bytes();
        let pad = vec![0xaa; inner_padding_len(msg.len())];
        let enc = encrypt_inner(&nn, &sn, &msg, &pad).unwrap();
        assert_eq!(enc.len() % 16, 0);
        let back: DhGenOk = decrypt_inner(&nn, &sn, &enc).unwrap();
        assert_eq!(back.to_tl_bytes(), msg);
        for i in [0, 20, enc.len() - 1] {
            let mut bad = enc.clone();
            bad[i] ^= 1;
            assert_eq!(
                decrypt_inner::<DhGenOk>(&nn, &sn, &bad).err(),
                Some(AuthError::AnswerHashMismatch)
            );
        }
        assert!(decrypt_inner::<DhGenOk>(&[8; 32], &sn, &enc).is_err());
        assert!(decrypt_inner::<DhGenOk>(&nn, &sn, &enc[..enc.len() - 1]).is_err());
        assert!(encrypt_inner(&nn, &sn, &msg, &[]).is_err() || inner_padding_len(msg.len()) == 0);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            minimal_be(0x17ED48941A08F981),
            hex_bytes("17ed48941a08f981")
        );
        assert_eq!(minimal_be(0x3c23_57cf), hex_bytes("3c2357cf"));
        assert_eq!(minimal_be(0), vec![0]);
        assert_eq!(inner_padding_len(0), 12);
        assert_eq!(inner_padding_len(12), 0);
    }

    fn hex_bytes(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}
