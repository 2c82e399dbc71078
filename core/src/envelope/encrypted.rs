//! The MTProto 2.0 encrypted message (`/mtproto/description`, "Encrypted
//! Message"):
//!
//! ```text
//! wire      = auth_key_id (8) | msg_key (16) | AES-IGE(plaintext)
//! plaintext = salt (8) | session_id (8) | msg_id (8) | seq_no (4) | length (4)
//!             | body (length) | padding (12..=1024, total a multiple of 16)
//! ```

use super::{MsgId, Salt, SeqNo, SessionId, read_u32, read_u64};
use crate::crypto::Direction;
use crate::crypto::aes_ige::{ige_decrypt, ige_encrypt};
use crate::crypto::auth_key::AuthKey;
use crate::crypto::kdf::{MsgKey, derive_v2, msg_key_v2};
use crate::error::EnvelopeError;
use crate::rand::SecureRandom;

/// Bytes in front of the ciphertext: auth_key_id and msg_key.
const OUTER_HEADER_LEN: usize = 24;
/// Bytes of the plaintext header: salt, session_id, msg_id, seq_no, length.
const INNER_HEADER_LEN: usize = 32;
/// The smallest padding MTProto 2.0 allows.
pub const MIN_PADDING: usize = 12;
/// The largest padding MTProto 2.0 allows.
pub const MAX_PADDING: usize = 1024;
/// The largest body sealed or accepted: every frame stays below the 2^24-byte
/// limit of the transports (SPEC.md, service message limits).
pub const MAX_BODY_LEN: usize = (1 << 24) - OUTER_HEADER_LEN - INNER_HEADER_LEN - MAX_PADDING;

/// The plaintext header fields of an encrypted message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MessageHeader {
    /// The server salt.
    pub salt: Salt,
    /// The session.
    pub session_id: SessionId,
    /// The message id.
    pub msg_id: MsgId,
    /// The sequence number.
    pub seq_no: SeqNo,
}

/// A message that passed every check of [`open_encrypted`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecryptedMessage {
    /// The header fields. Checking session_id, msg_id and seq_no against the
    /// session's state is the session layer's job.
    pub header: MessageHeader,
    /// The TL body.
    pub body: Vec<u8>,
}

pub(super) fn check_body(body: &[u8]) -> Result<(), EnvelopeError> {
    if body.len() > MAX_BODY_LEN {
        return Err(EnvelopeError::TooLarge {
            len: body.len(),
            max: MAX_BODY_LEN,
        });
    }
    if body.len() % 4 != 0 {
        return Err(EnvelopeError::BodyNotAligned { len: body.len() });
    }
    Ok(())
}

/// Seal `body` for sending in direction `dir`, with padding drawn from `rng`.
///
/// The padding length is the smallest that aligns the plaintext (at least
/// [`MIN_PADDING`]) plus 0..=3 random extra blocks, which blurs the exact body
/// length at little cost.
pub fn seal_encrypted(
    key: &AuthKey,
    dir: Direction,
    header: &MessageHeader,
    body: &[u8],
    rng: &mut dyn SecureRandom,
) -> Result<Vec<u8>, EnvelopeError> {
    check_body(body)?;
    let mut extra = [0u8; 1];
    rng.fill(&mut extra)?;
    let unaligned = INNER_HEADER_LEN + body.len() + MIN_PADDING;
    let pad_len = MIN_PADDING + (16 - unaligned % 16) % 16 + 16 * usize::from(extra[0] & 3);
    let mut padding = vec![0u8; pad_len];
    rng.fill(&mut padding)?;
    seal_encrypted_with_padding(key, dir, header, body, &padding)
}

/// Seal `body` with the given padding bytes (deterministic: for tests and
/// vectors). The padding must be 12..=1024 bytes and make
/// `32 + body.len() + padding.len()` a multiple of 16.
pub fn seal_encrypted_with_padding(
    key: &AuthKey,
    dir: Direction,
    header: &MessageHeader,
    body: &[u8],
    padding: &[u8],
) -> Result<Vec<u8>, EnvelopeError> {
    check_body(body)?;
    let plain_len = INNER_HEADER_LEN + body.len() + padding.len();
    if !(MIN_PADDING..=MAX_PADDING).contains(&padding.len()) || plain_len % 16 != 0 {
        return Err(EnvelopeError::InvalidPadding {
            len: padding.len(),
            body_len: body.len(),
        });
    }
    let mut out = Vec::with_capacity(OUTER_HEADER_LEN + plain_len);
    out.extend_from_slice(&key.id().to_wire());
    out.extend_from_slice(&[0u8; 16]); // msg_key, filled in below
    out.extend_from_slice(&header.salt.0.to_le_bytes());
    out.extend_from_slice(&header.session_id.0.to_le_bytes());
    out.extend_from_slice(&header.msg_id.0.to_le_bytes());
    out.extend_from_slice(&header.seq_no.0.to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(padding);

    let (outer, plaintext) = out.split_at_mut(OUTER_HEADER_LEN);
    let msg_key = msg_key_v2(key, dir, plaintext);
    let aes = derive_v2(key, dir, &msg_key);
    ige_encrypt(&aes.key, &aes.iv, plaintext)?;
    if let Some(slot) = outer.get_mut(8..24) {
        slot.copy_from_slice(&msg_key.0);
    }
    Ok(out)
}

/// Why an encrypted message was rejected. Internal only: outside, every reason
/// is the same [`EnvelopeError::Rejected`] (DESIGN.md section 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RejectReason {
    Size,
    AuthKeyId,
    MsgKey,
    Length,
    Padding,
}

/// Open a message received in direction `dir` (for a client:
/// [`Direction::ServerToClient`]).
///
/// Checks, in this order: the size (a whole number of blocks, at least a
/// header and the minimum padding), the auth_key_id, then the msg_key
/// recomputed over the **whole** decrypted buffer and compared in constant
/// time, and only then the fields: the declared length a multiple of 4 and
/// leaving 12..=1024 bytes of padding. Any failure is
/// [`EnvelopeError::Rejected`], whatever the reason.
pub fn open_encrypted(
    key: &AuthKey,
    dir: Direction,
    wire: &[u8],
) -> Result<DecryptedMessage, EnvelopeError> {
    open_checked(key, dir, wire).map_err(|_| EnvelopeError::Rejected)
}

pub(crate) fn open_checked(
    key: &AuthKey,
    dir: Direction,
    wire: &[u8],
) -> Result<DecryptedMessage, RejectReason> {
    let encrypted = wire.get(OUTER_HEADER_LEN..).ok_or(RejectReason::Size)?;
    let min = (INNER_HEADER_LEN + MIN_PADDING).next_multiple_of(16);
    if encrypted.len() < min
        || encrypted.len() % 16 != 0
        || encrypted.len() > MAX_BODY_LEN + INNER_HEADER_LEN + MAX_PADDING
    {
        return Err(RejectReason::Size);
    }
    if read_u64(wire, 0) != key.id().0 {
        return Err(RejectReason::AuthKeyId);
    }
    let mut received = [0u8; 16];
    received.copy_from_slice(wire.get(8..24).ok_or(RejectReason::Size)?);
    let received = MsgKey(received);

    let aes = derive_v2(key, dir, &received);
    let mut plaintext = encrypted.to_vec();
    ige_decrypt(&aes.key, &aes.iv, &mut plaintext).map_err(|_| RejectReason::Size)?;
    // Security guidelines: msg_key over the whole buffer, constant time,
    // before any decrypted field is looked at.
    if !msg_key_v2(key, dir, &plaintext).ct_eq(&received) {
        return Err(RejectReason::MsgKey);
    }

    let len = read_u32(&plaintext, 28) as usize;
    let room = plaintext.len() - INNER_HEADER_LEN;
    if len % 4 != 0 || len > room {
        return Err(RejectReason::Length);
    }
    if !(MIN_PADDING..=MAX_PADDING).contains(&(room - len)) {
        return Err(RejectReason::Padding);
    }
    let header = MessageHeader {
        salt: Salt(read_u64(&plaintext, 0)),
        session_id: SessionId(read_u64(&plaintext, 8)),
        msg_id: MsgId(read_u64(&plaintext, 16)),
        seq_no: SeqNo(read_u32(&plaintext, 24)),
    };
    plaintext.truncate(INNER_HEADER_LEN + len);
    plaintext.drain(..INNER_HEADER_LEN);
    Ok(DecryptedMessage {
        header,
        body: plaintext,
    })
}

#[cfg(test)]
mod tests;
