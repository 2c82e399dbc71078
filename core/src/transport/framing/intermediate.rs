//! Intermediate and padded intermediate (`/mtproto/mtproto-transports`): a
//! 4-byte little-endian length, then the payload (padded: then 0..=15
//! random bytes, counted in the length). The client sets the length's top
//! bit to ask for a quick ack; the server's bare 4-byte token (top bit set)
//! stands where a length would be and is read as a quick ack, as tdlib
//! does for both variants.

use super::{MAX_PADDING, Parsed, classify, read_u32_le};
use crate::error::TransportError;
use crate::transport::{Inbound, Role};

const QUICK_ACK_BIT: u32 = 0x8000_0000;

pub(super) fn parse(
    role: Role,
    max_frame: usize,
    padded: bool,
    data: &[u8],
) -> Result<Parsed, TransportError> {
    let Some(raw) = read_u32_le(data, 0) else {
        return Ok(Parsed::Need(4));
    };
    let quick_ack = raw & QUICK_ACK_BIT != 0;
    if quick_ack && role == Role::Client {
        return Ok(Parsed::Frame {
            len: 4,
            item: Some(Inbound::QuickAck { token: raw }),
        });
    }
    let len = (raw & !QUICK_ACK_BIT) as usize;
    if len == 0 {
        return Err(TransportError::InvalidFrame(
            "intermediate packet of length 0".into(),
        ));
    }
    // MTProto payloads are whole words; only padding breaks the alignment.
    if !padded && len % 4 != 0 {
        return Err(TransportError::InvalidFrame(format!(
            "intermediate length {len} is not a multiple of 4"
        )));
    }
    let max = if padded {
        max_frame.saturating_add(MAX_PADDING)
    } else {
        max_frame
    };
    if len > max {
        return Err(TransportError::FrameTooLarge { len, max });
    }
    let total = 4 + len;
    let Some(payload) = data.get(4..total) else {
        return Ok(Parsed::Need(total));
    };
    Ok(Parsed::Frame {
        len: total,
        item: classify(role, payload, quick_ack)?,
    })
}

/// The length field of a `len`-byte body (payload and padding; below 2^31:
/// the codec clamps its maximum to that).
pub(super) fn write_header(out: &mut Vec<u8>, len: usize, quick_ack: bool) {
    let flag = if quick_ack { QUICK_ACK_BIT } else { 0 };
    out.extend_from_slice(&((len as u32) | flag).to_le_bytes());
}
