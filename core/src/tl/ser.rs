//! Writing TL primitives (`/mtproto/serialize`): little-endian integers,
//! `bytes`/`string` with their length prefix and zero padding to 4 bytes,
//! Bool and vectors.

use super::{BOOL_FALSE_ID, BOOL_TRUE_ID, MAX_BYTES_LEN, VECTOR_ID};

/// An append-only TL output buffer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Writer { buf: Vec::new() }
    }

    /// An empty writer with room for `n` bytes.
    pub fn with_capacity(n: usize) -> Self {
        Writer {
            buf: Vec::with_capacity(n),
        }
    }

    /// The bytes written so far.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing was written yet.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The written bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.buf
    }

    /// `int`: 32 bits, little-endian.
    pub fn write_i32(&mut self, v: i32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// A 32-bit word such as a constructor id or `#` flags.
    pub fn write_u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// `long`: 64 bits, little-endian.
    pub fn write_i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// An unsigned 64-bit `long` (ids, salts).
    pub fn write_u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// `double`: IEEE 754 binary64, little-endian.
    pub fn write_f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// `int128`, `int256` and other raw fixed-size data, written as is.
    pub fn write_raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// `bytes`/`string`: a 1-byte length (< 254) or `0xfe` and a 3-byte
    /// length, the data, then zeros up to a multiple of 4.
    ///
    /// Data longer than [`MAX_BYTES_LEN`] cannot be
    /// expressed; callers check with [`bytes_fit`] first (the typed and dynamic
    /// encoders do). Here it is truncated rather than panicking.
    pub fn write_bytes(&mut self, data: &[u8]) {
        let data = data.get(..MAX_BYTES_LEN).unwrap_or(data);
        let len = data.len();
        let header = if len < 254 {
            self.buf.push(len as u8);
            1
        } else {
            self.buf.push(0xfe);
            self.buf.extend_from_slice(&(len as u32).to_le_bytes()[..3]);
            4
        };
        self.buf.extend_from_slice(data);
        let pad = (4 - (header + len) % 4) % 4;
        self.buf.resize(self.buf.len() + pad, 0);
    }

    /// `string`: UTF-8 text as `bytes`.
    pub fn write_string(&mut self, s: &str) {
        self.write_bytes(s.as_bytes());
    }

    /// Boxed `Bool`: `boolTrue` or `boolFalse`.
    pub fn write_bool(&mut self, v: bool) {
        self.write_u32(if v { BOOL_TRUE_ID } else { BOOL_FALSE_ID });
    }

    /// The start of a boxed `Vector t`: its constructor id and the count.
    pub fn write_vector_header(&mut self, count: usize) {
        self.write_u32(VECTOR_ID);
        self.write_u32(count as u32);
    }
}

/// Whether `len` bytes can be encoded as TL `bytes`.
pub fn bytes_fit(len: usize) -> bool {
    len <= MAX_BYTES_LEN
}

/// The encoded size of `bytes` of length `len`: prefix, data and padding.
pub fn bytes_encoded_len(len: usize) -> usize {
    let header = if len < 254 { 1 } else { 4 };
    (header + len).next_multiple_of(4)
}
