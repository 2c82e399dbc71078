//! Key derivation: `msg_key` and the AES key and IV of each message, in the
//! MTProto 2.0 form (`/mtproto/description`, "Defining AES Key and
//! Initialization Vector") and the legacy 1.0 form still used inside
//! `auth.bindTempAuthKey`; and the temporary key of the DH exchange
//! (`/mtproto/auth_key`, step 5).

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::Direction;
use super::auth_key::AuthKey;
use super::hash::{sha1, sha256};

/// The 128-bit message key sent in front of every encrypted message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MsgKey(pub [u8; 16]);

impl MsgKey {
    /// Constant-time equality: the inbound msg_key check must not leak how
    /// many bytes matched (security guidelines).
    pub fn ct_eq(&self, other: &MsgKey) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

/// An AES-256 key and a 32-byte IGE IV, zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct AesKeyIv {
    /// The AES-256 key.
    pub key: [u8; 32],
    /// The IGE initialization vector.
    pub iv: [u8; 32],
}

impl core::fmt::Debug for AesKeyIv {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AesKeyIv { .. }")
    }
}

/// `msg_key_large = SHA256(auth_key[88+x .. 120+x] ‖ plaintext)` where the
/// plaintext includes the padding. Its top 32 bits are also the quick-ack
/// token (`/mtproto/mtproto-transports`, "Quick ack").
pub fn msg_key_large_v2(key: &AuthKey, dir: Direction, plaintext: &[u8]) -> [u8; 32] {
    sha256(&[key.part(88 + dir.x(), 32), plaintext])
}

/// MTProto 2.0 `msg_key = msg_key_large[8..24]`.
pub fn msg_key_v2(key: &AuthKey, dir: Direction, plaintext: &[u8]) -> MsgKey {
    let large = msg_key_large_v2(key, dir, plaintext);
    let mut out = [0u8; 16];
    out.copy_from_slice(large.get(8..24).unwrap_or(&[0; 16]));
    MsgKey(out)
}

/// MTProto 2.0 key and IV for one message:
/// `a = SHA256(msg_key ‖ auth_key[x..x+36])`,
/// `b = SHA256(auth_key[40+x..76+x] ‖ msg_key)`,
/// `key = a[0..8] ‖ b[8..24] ‖ a[24..32]`, `iv = b[0..8] ‖ a[8..24] ‖ b[24..32]`.
pub fn derive_v2(key: &AuthKey, dir: Direction, msg_key: &MsgKey) -> AesKeyIv {
    let x = dir.x();
    let mut a = sha256(&[&msg_key.0, key.part(x, 36)]);
    let mut b = sha256(&[key.part(40 + x, 36), &msg_key.0]);
    let out = AesKeyIv {
        key: concat32(&[&a[0..8], &b[8..24], &a[24..32]]),
        iv: concat32(&[&b[0..8], &a[8..24], &b[24..32]]),
    };
    a.zeroize();
    b.zeroize();
    out
}

/// MTProto 1.0 `msg_key`: bytes `4..20` of SHA1 of the plaintext *without*
/// padding.
pub fn msg_key_v1(plaintext_without_padding: &[u8]) -> MsgKey {
    let d = sha1(&[plaintext_without_padding]);
    let mut out = [0u8; 16];
    out.copy_from_slice(&d[4..20]);
    MsgKey(out)
}

/// MTProto 1.0 key and IV (`/mtproto/description` of the 1.0 protocol):
/// `sha1_a = SHA1(msg_key ‖ auth_key[x..x+32])`,
/// `sha1_b = SHA1(auth_key[32+x..48+x] ‖ msg_key ‖ auth_key[48+x..64+x])`,
/// `sha1_c = SHA1(auth_key[64+x..96+x] ‖ msg_key)`,
/// `sha1_d = SHA1(msg_key ‖ auth_key[96+x..128+x])`;
/// `key = sha1_a[0..8] ‖ sha1_b[8..20] ‖ sha1_c[4..16]`,
/// `iv = sha1_a[8..20] ‖ sha1_b[0..8] ‖ sha1_c[16..20] ‖ sha1_d[0..8]`.
pub fn derive_v1(key: &AuthKey, dir: Direction, msg_key: &MsgKey) -> AesKeyIv {
    let x = dir.x();
    let m = &msg_key.0[..];
    let mut a = sha1(&[m, key.part(x, 32)]);
    let mut b = sha1(&[key.part(32 + x, 16), m, key.part(48 + x, 16)]);
    let mut c = sha1(&[key.part(64 + x, 32), m]);
    let mut d = sha1(&[m, key.part(96 + x, 32)]);
    let out = AesKeyIv {
        key: concat32(&[&a[0..8], &b[8..20], &c[4..16]]),
        iv: concat32(&[&a[8..20], &b[0..8], &c[16..20], &d[0..8]]),
    };
    for h in [&mut a, &mut b, &mut c, &mut d] {
        h.zeroize();
    }
    out
}

/// The temporary key and IV that encrypt `server_DH_inner_data` and
/// `client_DH_inner_data` during key creation (`/mtproto/auth_key`):
/// `key = SHA1(new_nonce ‖ server_nonce) ‖ SHA1(server_nonce ‖ new_nonce)[0..12]`,
/// `iv = SHA1(server_nonce ‖ new_nonce)[12..20] ‖ SHA1(new_nonce ‖ new_nonce) ‖ new_nonce[0..4]`.
pub fn handshake_tmp_key_iv(new_nonce: &[u8; 32], server_nonce: &[u8; 16]) -> AesKeyIv {
    let mut ns = sha1(&[new_nonce, server_nonce]);
    let mut sn = sha1(&[server_nonce, new_nonce]);
    let mut nn = sha1(&[new_nonce, new_nonce]);
    let out = AesKeyIv {
        key: concat32(&[&ns, &sn[0..12]]),
        iv: concat32(&[&sn[12..20], &nn, &new_nonce[0..4]]),
    };
    for h in [&mut ns, &mut sn, &mut nn] {
        h.zeroize();
    }
    out
}

/// Concatenate parts that add up to 32 bytes (every caller above does, by the
/// spec's formulas; a shortfall would leave zeros, never panic).
fn concat32(parts: &[&[u8]]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut at = 0;
    for p in parts {
        if let Some(dst) = out.get_mut(at..at + p.len()) {
            dst.copy_from_slice(p);
        }
        at += p.len();
    }
    debug_assert_eq!(at, 32);
    out
}
