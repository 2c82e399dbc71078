//! `gzip_packed` support (`/mtproto/service_messages`, "Packed Object"):
//!
//! ```text
//! gzip_packed#3072cfa1 packed_data:bytes = Object;
//! ```
//!
//! `packed_data` is one gzip member (RFC 1952) whose contents are the TL
//! serialization of the object it replaces. Servers send it inside
//! `rpc_result` and clients may use it for large queries.
//!
//! Inflating is always bounded: [`gunzip`] takes the largest output the caller
//! accepts and stops with [`GzipError::TooLarge`] as soon as the data would
//! inflate past it. The size the gzip trailer claims is never used to allocate,
//! so a small message that inflates to gigabytes (a zip bomb) costs at most
//! `max_output` bytes of memory and the work of inflating that much.
//!
//! Compressing is deterministic (no timestamp or file name in the header), so
//! the same body always gives the same bytes, as the test vectors require.

use std::io::{self, Read, Write};

use flate2::Compression;
use flate2::bufread::GzDecoder;
use flate2::write::GzEncoder;
use thiserror::Error as ThisError;

/// Errors of gzip inflation.
#[derive(Clone, Debug, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum GzipError {
    /// The data inflates to more than the caller's limit. Inflating stopped at
    /// the limit; the full size is deliberately not computed.
    #[error("gzip data inflates to more than the limit of {limit} bytes")]
    TooLarge {
        /// The limit that was given (`max_output`).
        limit: usize,
    },
    /// The data is not a well-formed gzip member: bad magic or header, an
    /// invalid deflate stream, a truncated member, or a CRC32 or length
    /// trailer that does not match the inflated data.
    #[error("gzip data is corrupt: expected a well-formed gzip member, found {reason}")]
    Corrupt {
        /// What was wrong.
        reason: String,
    },
    /// Bytes follow the end of the gzip member.
    #[error("expected the input to end after the gzip member, found {count} more bytes")]
    TrailingData {
        /// How many bytes follow the member.
        count: usize,
    },
    /// Memory for the inflated data (at most the limit) could not be
    /// reserved.
    #[error("could not allocate {requested} bytes for the inflated data")]
    AllocationFailed {
        /// The buffer size that was asked for.
        requested: usize,
    },
}

/// How much inflated data is produced per step: the granularity at which the
/// output limit is checked.
const CHUNK: usize = 16 * 1024;

/// Inflate one gzip member, producing at most `max_output` bytes.
///
/// Call this on the `packed_data` of a `gzip_packed` object, then read the
/// result as the TL object it stands for. `max_output` is the largest
/// inflated object the caller accepts (for instance the largest message the
/// session allows).
///
/// The input must be exactly one gzip member: trailing bytes, including a
/// second concatenated member, are [`GzipError::TrailingData`]. `packed_data`
/// is a TL `bytes` whose length prefix already says where it ends, and MTProto
/// peers send a single member, so anything after it means the data is damaged;
/// ignoring it would also let two decoders disagree about what a message says
/// (one stopping after the first member, another concatenating members).
///
/// # Errors
///
/// [`GzipError::TooLarge`] when the data would inflate past `max_output`
/// (checked while inflating, before more than `max_output` bytes are kept);
/// [`GzipError::Corrupt`] for anything that is not a well-formed gzip member
/// (including an empty input); [`GzipError::TrailingData`] for bytes after the
/// member; [`GzipError::AllocationFailed`] when memory for the output cannot be
/// reserved.
pub fn gunzip(packed: &[u8], max_output: usize) -> Result<Vec<u8>, GzipError> {
    let mut rest = packed;
    let out = inflate_member(&mut rest, max_output)?;
    if !rest.is_empty() {
        return Err(GzipError::TrailingData { count: rest.len() });
    }
    Ok(out)
}

/// Inflate the gzip member at the front of `input`, advancing `input` past
/// the bytes the decoder consumed (a `&[u8]` reader hands out exactly what is
/// read from it, so on success `input` is what follows the member).
fn inflate_member(input: &mut &[u8], max_output: usize) -> Result<Vec<u8>, GzipError> {
    if input.is_empty() {
        return Err(GzipError::Corrupt {
            reason: "an empty input".to_owned(),
        });
    }
    let mut decoder = GzDecoder::new(&mut *input);
    let mut out: Vec<u8> = Vec::new();
    let mut chunk = [0u8; CHUNK];
    loop {
        let n = match decoder.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(corrupt(&e)),
        };
        let produced = chunk.get(..n).ok_or_else(|| GzipError::Corrupt {
            reason: format!("a read of {n} bytes into a {CHUNK}-byte buffer"),
        })?;
        let new_len = out
            .len()
            .checked_add(produced.len())
            .filter(|&len| len <= max_output)
            .ok_or(GzipError::TooLarge { limit: max_output })?;
        reserve_bounded(&mut out, new_len, max_output)?;
        out.extend_from_slice(produced);
    }
    Ok(out)
}

/// Make room for `new_len` bytes, growing geometrically but never past
/// `max_output` (`new_len <= max_output`), so the buffer never holds more
/// than the limit.
fn reserve_bounded(out: &mut Vec<u8>, new_len: usize, max_output: usize) -> Result<(), GzipError> {
    if new_len <= out.capacity() {
        return Ok(());
    }
    let target = out
        .capacity()
        .saturating_mul(2)
        .max(new_len)
        .max(CHUNK)
        .min(max_output);
    let additional = target.saturating_sub(out.len());
    out.try_reserve_exact(additional)
        .map_err(|_| GzipError::AllocationFailed { requested: target })
}

/// Describe a decoder error. flate2 reports a missing end of the member as
/// `UnexpectedEof` and everything else (bad header, bad deflate data, CRC32 or
/// size mismatch) as `InvalidInput`/`InvalidData` with a message.
fn corrupt(e: &io::Error) -> GzipError {
    let reason = if e.kind() == io::ErrorKind::UnexpectedEof {
        "a member that ends early (truncated)".to_owned()
    } else {
        e.to_string()
    };
    GzipError::Corrupt { reason }
}

/// Compress `data` as one gzip member, at the default level (6).
///
/// The header carries no timestamp, file name or comment, so the output
/// depends only on `data`. Use [`gzip_if_smaller`] to decide whether a body is
/// worth sending as `gzip_packed`.
#[must_use]
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    match encoder.write_all(data).and_then(|()| encoder.finish()) {
        Ok(packed) => packed,
        // Writing into a Vec cannot fail, so this is not reached; it still
        // returns a correct gzip member rather than panicking.
        Err(_) => gzip_stored(data),
    }
}

/// A gzip member holding `data` in uncompressed (stored) deflate blocks.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    // Header: magic, CM = 8 (deflate), no flags, MTIME 0, XFL 0, OS 255
    // (unknown), as RFC 1952 section 2.3 lays it out.
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    const MAX_STORED: usize = 0xffff;
    let blocks = data.len().div_ceil(MAX_STORED).max(1);
    let mut out = Vec::with_capacity(HEADER.len() + data.len() + blocks * 5 + 8);
    out.extend_from_slice(&HEADER);
    let mut chunks = data.chunks(MAX_STORED).peekable();
    if chunks.peek().is_none() {
        // An empty input is one final, empty stored block.
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = chunks.next() {
        let last = chunks.peek().is_none();
        // RFC 1951 section 3.2.4: BFINAL and BTYPE = 00 in one byte (byte
        // aligned after the header), then LEN and its complement NLEN.
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.push(u8::from(last));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let mut crc = flate2::Crc::new();
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    // ISIZE is the input length modulo 2^32 (RFC 1952 section 2.3.1).
    #[allow(clippy::cast_possible_truncation)]
    let size_mod_2_32 = data.len() as u32;
    out.extend_from_slice(&size_mod_2_32.to_le_bytes());
    out
}

/// The serialized size of a `gzip_packed` object whose `packed_data` is
/// `packed_len` bytes: 4-byte constructor id, then the TL `bytes` (a 1-byte
/// length below 254 bytes, else 4 bytes) padded to a multiple of 4.
#[must_use]
pub fn gzip_packed_len(packed_len: usize) -> usize {
    let prefix = if packed_len < 254 { 1 } else { 4 };
    let body = packed_len.saturating_add(prefix);
    4usize.saturating_add(body.saturating_add(3) & !3)
}

/// The smallest body that `gzip_packed` could ever shrink: the shortest gzip
/// member of non-empty data is 21 bytes (10 header, at least 3 deflate,
/// 8 trailer), whose wrapper is `gzip_packed_len(21) == 28` bytes.
const MIN_WORTH_COMPRESSING: usize = 29;

/// Compress `data` and return the gzip member only when sending it as
/// `gzip_packed` would be strictly smaller than sending `data` as it is.
///
/// The returned bytes are the `packed_data` field (the caller writes the
/// `gzip_packed` constructor id and the TL `bytes` around them);
/// [`gzip_packed_len`] of their length is less than `data.len()`. `None` means
/// send `data` unchanged.
#[must_use]
pub fn gzip_if_smaller(data: &[u8]) -> Option<Vec<u8>> {
    if data.len() < MIN_WORTH_COMPRESSING {
        return None;
    }
    let packed = gzip(data);
    (gzip_packed_len(packed.len()) < data.len()).then_some(packed)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// `gzip.compress(b"hello, MTProto! " * 4, compresslevel=9, mtime=0)`
    /// from Python 3.11 (XFL 2, OS 3).
    const PY_SAMPLE: &str =
        "1f8b0800000000000203cb48cdc9c9d751f00d0928ca2fc95754c820910f007cd5d34f40000000";

    /// Python's `gzip.GzipFile(filename="body.tl", mtime=0)` over bytes 0..64:
    /// the header has the FNAME flag and a file name to skip.
    const PY_SAMPLE_FNAME: &str = "1f8b08080000000002ff626f64792e746c006360646266616563e7e0e4e2e6e1e5e3171014121611151397909492969195935750545256515553d7d0d4d2d6d1d5d33730343236313533b7b0b4b2b6b1b5b307008cce0e1040000000";

    /// `gzip.compress(b"", mtime=0)`.
    const PY_EMPTY: &str = "1f8b080000000000020303000000000000000000";

    #[test]
    fn python_samples_inflate() {
        assert_eq!(
            gunzip(&unhex(PY_SAMPLE), 1024).unwrap(),
            b"hello, MTProto! ".repeat(4)
        );
        let all: Vec<u8> = (0u8..64).collect();
        assert_eq!(gunzip(&unhex(PY_SAMPLE_FNAME), 1024).unwrap(), all);
        assert_eq!(gunzip(&unhex(PY_EMPTY), 0).unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn round_trip() {
        let cases: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"x".to_vec(),
            (0..100_000u32).flat_map(|i| i.to_le_bytes()).collect(),
            (0..70_000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
                .collect(),
        ];
        for data in cases {
            let packed = gzip(&data);
            assert_eq!(&packed[..4], &[0x1f, 0x8b, 8, 0], "plain header, no flags");
            assert_eq!(gunzip(&packed, data.len()).unwrap(), data);
        }
    }

    #[test]
    fn gzip_is_deterministic() {
        let data = b"the same body gives the same bytes".repeat(10);
        assert_eq!(gzip(&data), gzip(&data));
    }

    #[test]
    fn stored_fallback_is_valid_gzip() {
        for len in [0usize, 1, 65_535, 65_536, 200_000] {
            let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            assert_eq!(gunzip(&gzip_stored(&data), len).unwrap(), data, "len {len}");
        }
    }

    #[test]
    fn limit_is_inclusive() {
        let data = vec![7u8; 1000];
        let packed = gzip(&data);
        assert_eq!(gunzip(&packed, 1000).unwrap(), data);
        assert_eq!(
            gunzip(&packed, 999),
            Err(GzipError::TooLarge { limit: 999 })
        );
        assert_eq!(gunzip(&packed, 0), Err(GzipError::TooLarge { limit: 0 }));
    }

    #[test]
    fn zip_bomb_stops_at_the_limit() {
        const TEN_MIB: usize = 10 << 20;
        const ONE_MIB: usize = 1 << 20;
        let packed = gzip(&vec![0u8; TEN_MIB]);
        // Zeros compress about 1000:1, so the bomb is small.
        assert!(packed.len() < 64 * 1024, "bomb is {} bytes", packed.len());

        assert_eq!(
            gunzip(&packed, ONE_MIB),
            Err(GzipError::TooLarge { limit: ONE_MIB })
        );

        // Inflating stops near the limit: it consumed only about the first
        // tenth of the compressed stream (1 MiB of 10 MiB of output), not all
        // of it, so it never produced (or stored) the claimed 10 MiB.
        let mut rest = packed.as_slice();
        assert_eq!(
            inflate_member(&mut rest, ONE_MIB),
            Err(GzipError::TooLarge { limit: ONE_MIB })
        );
        let consumed = packed.len() - rest.len();
        assert!(
            consumed < packed.len() / 4,
            "consumed {consumed} of {} compressed bytes for a 1 MiB limit",
            packed.len()
        );

        // The same holds for a far smaller limit.
        let mut rest = packed.as_slice();
        assert!(inflate_member(&mut rest, 64 * 1024).is_err());
        assert!(packed.len() - rest.len() < packed.len() / 20);
    }

    #[test]
    fn bounded_buffer_never_exceeds_the_limit() {
        let mut out = Vec::new();
        reserve_bounded(&mut out, 10, 100).unwrap();
        assert!(
            out.capacity() >= 10 && out.capacity() <= 100,
            "{}",
            out.capacity()
        );
        let mut out = Vec::with_capacity(60);
        out.extend_from_slice(&[0; 60]);
        reserve_bounded(&mut out, 70, 100).unwrap();
        assert!(
            out.capacity() >= 70 && out.capacity() <= 100,
            "{}",
            out.capacity()
        );
    }

    #[test]
    fn empty_input_is_corrupt() {
        assert!(matches!(gunzip(&[], 1024), Err(GzipError::Corrupt { .. })));
    }

    #[test]
    fn corrupt_inputs() {
        let data = b"a body that is long enough to compress into a real deflate stream, twice: a body that is long enough".to_vec();
        let good = gzip(&data);
        assert_eq!(gunzip(&good, 4096).unwrap(), data);

        let corrupt = |bytes: &[u8]| matches!(gunzip(bytes, 4096), Err(GzipError::Corrupt { .. }));

        // Not gzip at all.
        assert!(corrupt(b"definitely not gzip data"));
        // Bad magic.
        let mut bad = good.clone();
        bad[0] = 0x1e;
        assert!(corrupt(&bad));
        // Unknown compression method.
        let mut bad = good.clone();
        bad[2] = 7;
        assert!(corrupt(&bad));
        // Damaged CRC32 and ISIZE trailers.
        let n = good.len();
        let mut bad = good.clone();
        bad[n - 8] ^= 1;
        assert!(corrupt(&bad));
        let mut bad = good.clone();
        bad[n - 1] ^= 1;
        assert!(corrupt(&bad));
        // Truncated anywhere: header, deflate data, trailer.
        for cut in [1, 5, 10, 12, n / 2, n - 8, n - 1] {
            assert!(corrupt(&good[..cut]), "cut at {cut}");
        }
        // A damaged deflate stream: every single-byte change inside the
        // compressed data is detected (by the decoder or by the CRC32).
        for i in 10..n - 8 {
            let mut bad = good.clone();
            bad[i] ^= 0x55;
            assert!(gunzip(&bad, 4096).is_err(), "flip at {i}");
        }
    }

    #[test]
    fn trailing_data_is_rejected() {
        let good = gzip(b"payload");
        let mut padded = good.clone();
        padded.extend_from_slice(&[0, 0, 0]);
        assert_eq!(
            gunzip(&padded, 100),
            Err(GzipError::TrailingData { count: 3 })
        );
        let mut two = good.clone();
        two.extend_from_slice(&good);
        assert_eq!(
            gunzip(&two, 100),
            Err(GzipError::TrailingData { count: good.len() })
        );
    }

    #[test]
    fn packed_len_matches_tl_bytes() {
        // 4 (id) + 1 (len) + 20 (data) + 3 (pad) = 28
        assert_eq!(gzip_packed_len(20), 28);
        assert_eq!(gzip_packed_len(21), 28);
        assert_eq!(gzip_packed_len(23), 28);
        assert_eq!(gzip_packed_len(24), 32);
        assert_eq!(gzip_packed_len(253), 4 + 256);
        // From 254 bytes the length prefix is 4 bytes.
        assert_eq!(gzip_packed_len(254), 4 + 260);
        assert_eq!(gzip_packed_len(256), 4 + 260);
    }

    #[test]
    fn gzip_if_smaller_decides_by_wrapped_size() {
        // Small bodies never shrink.
        assert_eq!(gzip_if_smaller(&[]), None);
        assert_eq!(gzip_if_smaller(&[0u8; 8]), None);
        assert_eq!(gzip_if_smaller(&[0u8; 28]), None);
        // Random-looking bytes do not compress.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                // xorshift64: incompressible enough for deflate.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 56) as u8
            })
            .collect();
        let packed = gzip(&noise);
        assert!(gzip_packed_len(packed.len()) >= noise.len());
        assert_eq!(gzip_if_smaller(&noise), None);
        // Repetitive bodies do, and the result is the gzip member itself.
        let body = b"\x15\xc4\xb5\x1c".repeat(1024);
        let packed = gzip_if_smaller(&body).unwrap();
        assert!(gzip_packed_len(packed.len()) < body.len());
        assert_eq!(packed, gzip(&body));
        assert_eq!(gunzip(&packed, body.len()).unwrap(), body);
    }

    #[test]
    fn min_worth_compressing_is_a_true_bound() {
        // No body shorter than the bound can win: even the smallest gzip
        // member of one byte wraps to at least 28 bytes.
        for len in 1..MIN_WORTH_COMPRESSING {
            let body = vec![0u8; len];
            assert!(gzip_packed_len(gzip(&body).len()) >= len, "len {len}");
        }
        assert_eq!(gzip_packed_len(21), MIN_WORTH_COMPRESSING - 1);
    }

    #[test]
    fn error_messages_say_expected_and_found() {
        assert_eq!(
            GzipError::TooLarge { limit: 5 }.to_string(),
            "gzip data inflates to more than the limit of 5 bytes"
        );
        assert_eq!(
            GzipError::TrailingData { count: 3 }.to_string(),
            "expected the input to end after the gzip member, found 3 more bytes"
        );
        assert_eq!(
            gunzip(&[], 1).unwrap_err().to_string(),
            "gzip data is corrupt: expected a well-formed gzip member, found an empty input"
        );
    }
}
