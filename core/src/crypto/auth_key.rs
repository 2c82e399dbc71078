//! The authorization key: 2048 bits shared by client and server after the
//! Diffie-Hellman exchange (`/mtproto/auth_key`).

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::hash::sha1;
use crate::error::CryptoError;

/// The 64-bit identifier of an auth key: the low 64 bits of `SHA1(auth_key)`,
/// i.e. bytes `12..20` of the digest read as a little-endian `long`, which is
/// also how it appears on the wire in front of every encrypted message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AuthKeyId(pub u64);

impl AuthKeyId {
    /// The 8 bytes as they appear on the wire.
    pub fn to_wire(self) -> [u8; 8] {
        self.0.to_le_bytes()
    }
}

/// A 2048-bit MTProto authorization key.
///
/// The bytes are zeroized on drop and never printed by `Debug`. The id and aux
/// hash are computed once at construction.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AuthKey {
    bytes: Box<[u8; 256]>,
    #[zeroize(skip)]
    id: AuthKeyId,
    aux_hash: [u8; 8],
}

impl AuthKey {
    /// The key's length in bytes.
    pub const LEN: usize = 256;

    /// Wrap 256 key bytes.
    pub fn new(bytes: [u8; 256]) -> Self {
        let mut bytes = Box::new(bytes);
        let digest = sha1(&[&bytes[..]]);
        let mut id = [0u8; 8];
        let mut aux_hash = [0u8; 8];
        if let (Some(i), Some(a)) = (digest.get(12..20), digest.get(0..8)) {
            id.copy_from_slice(i);
            aux_hash.copy_from_slice(a);
        }
        let key = AuthKey {
            bytes: bytes.clone(),
            id: AuthKeyId(u64::from_le_bytes(id)),
            aux_hash,
        };
        bytes.zeroize();
        key
    }

    /// Wrap key bytes given as a slice; it must be exactly 256 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, CryptoError> {
        let mut arr: [u8; 256] = super::fixed("auth key", bytes)?;
        let key = Self::new(arr);
        arr.zeroize();
        Ok(key)
    }

    /// The raw key bytes, for persistence. Handle them as a secret.
    pub fn as_bytes(&self) -> &[u8; 256] {
        &self.bytes
    }

    /// The key's id (see [`AuthKeyId`]).
    pub fn id(&self) -> AuthKeyId {
        self.id
    }

    /// `auth_key_aux_hash`: the high 64 bits of `SHA1(auth_key)`, used in
    /// `new_nonce_hashN` and as `retry_id` (`/mtproto/auth_key`, step 6–9).
    pub fn aux_hash(&self) -> [u8; 8] {
        self.aux_hash
    }

    /// `len` key bytes starting at `start`. Every caller passes constant
    /// offsets (plus `x` ∈ {0, 8}) inside the 256 bytes; out of range would be
    /// a bug, and yields an empty slice rather than a panic.
    pub(crate) fn part(&self, start: usize, len: usize) -> &[u8] {
        self.bytes.get(start..start + len).unwrap_or_default()
    }
}

impl core::fmt::Debug for AuthKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AuthKey")
            .field("id", &format_args!("{:016x}", self.id.0))
            .finish_non_exhaustive()
    }
}

impl PartialEq for AuthKey {
    /// Constant-time comparison of the key bytes.
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq;
        self.bytes[..].ct_eq(&other.bytes[..]).into()
    }
}

impl Eq for AuthKey {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_and_aux_hash_come_from_sha1() {
        let key = AuthKey::new(core::array::from_fn(|i| i as u8));
        let d = sha1(&[&key.as_bytes()[..]]);
        assert_eq!(key.id().to_wire(), d[12..20]);
        assert_eq!(key.aux_hash(), d[0..8]);
    }

    #[test]
    fn debug_does_not_print_key_bytes() {
        let key = AuthKey::new([0xab; 256]);
        let s = format!("{key:?}");
        assert!(!s.contains("abab"), "{s}");
        assert!(s.contains("AuthKey"));
    }

    #[test]
    fn from_slice_checks_length() {
        assert!(matches!(
            AuthKey::from_slice(&[0; 255]),
            Err(CryptoError::InvalidLength {
                expected: 256,
                found: 255,
                ..
            })
        ));
        assert_eq!(
            AuthKey::from_slice(&[1; 256]).unwrap(),
            AuthKey::new([1; 256])
        );
        assert_ne!(AuthKey::new([1; 256]), AuthKey::new([2; 256]));
    }
}
