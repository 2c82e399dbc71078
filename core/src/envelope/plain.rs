//! The plain (unencrypted) message: `auth_key_id = 0 (8) | msg_id (8) |
//! message_data_length (4) | message_data`, used only for the key exchange
//! (`/mtproto/description`, "Unencrypted Message").

use super::{MsgId, read_u32, read_u64};
use crate::error::EnvelopeError;

const HEADER_LEN: usize = 20;

/// A parsed plain message, borrowing its body from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlainMessage<'a> {
    /// The message id.
    pub msg_id: MsgId,
    /// The TL body.
    pub body: &'a [u8],
}

/// Frame `body` as a plain message.
///
/// Fails if the body is not whole 32-bit words or larger than
/// [`MAX_BODY_LEN`](super::MAX_BODY_LEN).
pub fn seal_plain(msg_id: MsgId, body: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
    super::encrypted::check_body(body)?;
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&0u64.to_le_bytes());
    out.extend_from_slice(&msg_id.0.to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    Ok(out)
}

/// Parse a plain message.
///
/// Checks: at least the 20-byte header, `auth_key_id` zero, the declared
/// length a multiple of 4 and within the input. Up to 15 bytes may follow the
/// body: the padded intermediate transport appends that much and cannot know
/// where the message ends.
pub fn open_plain(wire: &[u8]) -> Result<PlainMessage<'_>, EnvelopeError> {
    if wire.len() < HEADER_LEN {
        return Err(EnvelopeError::Malformed("shorter than the 20-byte header"));
    }
    if read_u64(wire, 0) != 0 {
        return Err(EnvelopeError::Malformed("auth_key_id is not zero"));
    }
    let msg_id = MsgId(read_u64(wire, 8));
    let len = read_u32(wire, 16) as usize;
    let rest = wire.get(HEADER_LEN..).unwrap_or_default();
    if len % 4 != 0 {
        return Err(EnvelopeError::Malformed(
            "message_data_length is not a multiple of 4",
        ));
    }
    let body = rest.get(..len).ok_or(EnvelopeError::Malformed(
        "message_data_length exceeds the input",
    ))?;
    if rest.len() - len >= 16 {
        return Err(EnvelopeError::Malformed(
            "more than 15 bytes follow the message",
        ));
    }
    Ok(PlainMessage { msg_id, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let wire = seal_plain(MsgId(0x51e5_7ac4_2e00_0000), &[1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
        assert_eq!(wire.len(), 28);
        let m = open_plain(&wire).unwrap();
        assert_eq!(m.msg_id, MsgId(0x51e5_7ac4_2e00_0000));
        assert_eq!(m.body, &[1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn rejects_malformed() {
        let good = seal_plain(MsgId(4), &[0; 8]).unwrap();
        assert!(open_plain(&good[..19]).is_err());
        assert!(open_plain(&good[..27]).is_err(), "truncated body");
        let mut bad = good.clone();
        bad[0] = 1;
        assert!(open_plain(&bad).is_err(), "non-zero auth_key_id");
        let mut bad = good.clone();
        bad[16] = 6;
        assert!(open_plain(&bad).is_err(), "unaligned length");
        let mut long = good.clone();
        long.extend_from_slice(&[0; 15]);
        assert!(open_plain(&long).is_ok(), "transport padding");
        long.push(0);
        assert!(open_plain(&long).is_err(), "too much trailing data");
        assert!(seal_plain(MsgId(4), &[0; 3]).is_err());
    }
}
