//! Full (`/mtproto/mtproto-transports`, "Full"): `len:4 | seq:4 | payload |
//! crc:4`, all little-endian; `len` counts the whole packet (payload + 12),
//! `seq` numbers the packets of each direction of the connection from 0, and
//! `crc` is the CRC32 of `len | seq | payload`. No quick acks.

use super::{Parsed, classify, read_u32_le};
use crate::error::TransportError;
use crate::transport::Role;

/// Length, sequence number and CRC.
pub(super) const OVERHEAD: usize = 12;

pub(super) fn parse(
    role: Role,
    max_frame: usize,
    next_seq: &mut u32,
    data: &[u8],
) -> Result<Parsed, TransportError> {
    let Some(len) = read_u32_le(data, 0) else {
        return Ok(Parsed::Need(4));
    };
    let total = len as usize;
    let Some(payload_len) = total.checked_sub(OVERHEAD).filter(|&n| n > 0) else {
        return Err(TransportError::InvalidFrame(format!(
            "full packet length {total}: expected more than {OVERHEAD} bytes"
        )));
    };
    if payload_len > max_frame {
        return Err(TransportError::FrameTooLarge {
            len: payload_len,
            max: max_frame,
        });
    }
    if payload_len % 4 != 0 {
        return Err(TransportError::InvalidFrame(format!(
            "full packet length {total}: the payload is not whole 4-byte words"
        )));
    }
    let Some(packet) = data.get(..total) else {
        return Ok(Parsed::Need(total));
    };
    let Some((signed, crc)) = packet.split_last_chunk::<4>() else {
        return Ok(Parsed::Need(total));
    };
    let received = u32::from_le_bytes(*crc);
    let computed = crc32fast::hash(signed);
    if computed != received {
        return Err(TransportError::BadCrc { computed, received });
    }
    let seq = read_u32_le(signed, 4).unwrap_or_default();
    if seq != *next_seq {
        return Err(TransportError::BadSequence {
            expected: *next_seq,
            found: seq,
        });
    }
    *next_seq = seq.wrapping_add(1);
    let payload = signed.get(8..).unwrap_or_default();
    Ok(Parsed::Frame {
        len: total,
        item: classify(role, payload, false)?,
    })
}

/// One packet numbered `seq` carrying `parts` concatenated, appended to
/// `out` (empty, with capacity reserved).
pub(super) fn write_packet(mut out: Vec<u8>, seq: u32, parts: &[&[u8]]) -> Vec<u8> {
    let body_len: usize = parts.iter().map(|p| p.len()).sum();
    out.extend_from_slice(&((body_len + OVERHEAD) as u32).to_le_bytes());
    out.extend_from_slice(&seq.to_le_bytes());
    for part in parts {
        out.extend_from_slice(part);
    }
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}
