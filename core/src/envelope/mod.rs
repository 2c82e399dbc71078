//! Message framing below the session: the plain envelope used during key
//! creation and the encrypted MTProto 2.0 envelope used for everything else
//! (`/mtproto/description`, "Message Structure").
//!
//! Every buffer starts with the 8-byte `auth_key_id`; zero means a plain
//! message. [`peek_auth_key_id`] tells a receiver which case it has (and, on a
//! server, which key to look up) before it calls [`open_plain`] or
//! [`open_encrypted`].

mod encrypted;
mod ids;
mod plain;

pub use encrypted::{
    DecryptedMessage, MAX_BODY_LEN, MAX_PADDING, MIN_PADDING, MessageHeader, open_encrypted,
    seal_encrypted, seal_encrypted_with_padding,
};
pub use ids::{MsgId, Salt, SeqNo, SessionId};
pub use plain::{PlainMessage, open_plain, seal_plain};

use crate::crypto::auth_key::AuthKeyId;

/// The `auth_key_id` at the start of a message, or `None` if fewer than 8
/// bytes were given. [`AuthKeyId`]`(0)` marks a plain message.
pub fn peek_auth_key_id(wire: &[u8]) -> Option<AuthKeyId> {
    let first: [u8; 8] = wire.get(0..8)?.try_into().ok()?;
    Some(AuthKeyId(u64::from_le_bytes(first)))
}

/// Little-endian readers over a slice whose length the caller has checked.
pub(crate) fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    if let Some(src) = bytes.get(at..at + 4) {
        a.copy_from_slice(src);
    }
    u32::from_le_bytes(a)
}

pub(crate) fn read_u64(bytes: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    if let Some(src) = bytes.get(at..at + 8) {
        a.copy_from_slice(src);
    }
    u64::from_le_bytes(a)
}
