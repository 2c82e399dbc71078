//! Abridged (`/mtproto/mtproto-transports`, "Abridged"): the payload length
//! in 4-byte words as one byte (`0x01..=0x7e`), or `0x7f` and three
//! little-endian bytes. The client sets the top bit of the first byte to ask
//! for a quick ack (`0x80 | words`, or `0xff` and three bytes); the server
//! replies with the token byte-swapped and no length, recognizable because
//! the server's own length bytes never have the top bit set.

use super::{Parsed, classify};
use crate::error::TransportError;
use crate::transport::{Inbound, Role};

/// First byte of the long form (without the quick-ack bit).
const LONG: u8 = 0x7f;
const QUICK_ACK_BIT: u8 = 0x80;

pub(super) fn parse(role: Role, max_frame: usize, data: &[u8]) -> Result<Parsed, TransportError> {
    let Some(&first) = data.first() else {
        return Ok(Parsed::Need(1));
    };
    let quick_ack = first & QUICK_ACK_BIT != 0;
    if quick_ack && role == Role::Client {
        // Server → client: a quick-ack token, byte-swapped, no length.
        let Some(token) = data.get(..4) else {
            return Ok(Parsed::Need(4));
        };
        let token = u32::from_be_bytes(token.try_into().unwrap_or_default());
        return Ok(Parsed::Frame {
            len: 4,
            item: Some(Inbound::QuickAck { token }),
        });
    }
    let (header_len, words) = match first & !QUICK_ACK_BIT {
        LONG => {
            let Some(&[_, a, b, c]) = data.get(..4) else {
                return Ok(Parsed::Need(4));
            };
            let words = u32::from_le_bytes([a, b, c, 0]);
            if words < u32::from(LONG) {
                // MTProxy rejects this "overlong encoding" too.
                return Err(TransportError::InvalidFrame(format!(
                    "abridged long length form for {words} words (below 0x7f)"
                )));
            }
            (4, words as usize)
        }
        0 => {
            return Err(TransportError::InvalidFrame(
                "abridged packet of length 0".into(),
            ));
        }
        short => (1, usize::from(short)),
    };
    let len = words.saturating_mul(4);
    if len > max_frame {
        return Err(TransportError::FrameTooLarge {
            len,
            max: max_frame,
        });
    }
    let total = header_len + len;
    let Some(payload) = data.get(header_len..total) else {
        return Ok(Parsed::Need(total));
    };
    Ok(Parsed::Frame {
        len: total,
        item: classify(role, payload, quick_ack)?,
    })
}

/// The length prefix of a `len`-byte body (a multiple of 4, at most
/// 4·(2^24 − 1): the codec clamps its maximum to that).
pub(super) fn write_header(out: &mut Vec<u8>, len: usize, quick_ack: bool) {
    let words = len / 4;
    let flag = if quick_ack { QUICK_ACK_BIT } else { 0 };
    match u8::try_from(words) {
        Ok(w) if w < LONG => out.push(w | flag),
        _ => {
            out.push(LONG | flag);
            let w = (words as u32).to_le_bytes();
            out.extend_from_slice(w.get(..3).unwrap_or_default());
        }
    }
}
