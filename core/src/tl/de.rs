//! Reading TL primitives. Every read is bounds-checked and returns
//! [`TlError`] instead of panicking; nothing allocates more than the input can
//! justify (a count or length larger than what is left is an error before any
//! allocation), and nesting is bounded ([`Reader::enter`]).

use super::{BOOL_FALSE_ID, BOOL_TRUE_ID, MAX_DEPTH, VECTOR_ID};
use crate::error::TlError;

/// A cursor over TL input.
///
/// After an error the reader is left where the error was found (position
/// and nesting depth): decode again from a fresh reader or a clone taken
/// before the failed read.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Levels of recursive values being read (see [`Reader::enter`]).
    depth: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader {
            buf,
            pos: 0,
            depth: 0,
        }
    }

    /// Start reading one level of a value that may contain itself (a
    /// recursive type such as `RichText`): fails with [`TlError::TooDeep`]
    /// once [`MAX_DEPTH`] levels are open, so that input cannot choose how
    /// deep the decoder recurses. Call [`leave`](Self::leave) when the level
    /// was read; generated deserializers do both.
    pub fn enter(&mut self) -> Result<(), TlError> {
        if self.depth >= MAX_DEPTH {
            return Err(TlError::TooDeep { limit: MAX_DEPTH });
        }
        self.depth += 1;
        Ok(())
    }

    /// Close the level the last [`enter`](Self::enter) opened.
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Levels open now ([`enter`](Self::enter) calls not yet left).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Bytes consumed so far (error messages cite it).
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes left.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The unread bytes.
    pub fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    /// Succeed only if everything was read.
    pub fn finish(&self) -> Result<(), TlError> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(TlError::TrailingBytes { count }),
        }
    }

    /// Take the next `n` bytes.
    pub fn read_raw(&mut self, n: usize) -> Result<&'a [u8], TlError> {
        let out =
            self.buf
                .get(self.pos..self.pos.saturating_add(n))
                .ok_or(TlError::UnexpectedEof {
                    at: self.pos,
                    needed: n,
                    available: self.remaining(),
                })?;
        self.pos += n;
        Ok(out)
    }

    fn read_array<const N: usize>(&mut self) -> Result<[u8; N], TlError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.read_raw(N)?);
        Ok(a)
    }

    /// Look at the next 32-bit word (a constructor id) without consuming it.
    pub fn peek_u32(&self) -> Result<u32, TlError> {
        self.clone().read_u32()
    }

    /// A 32-bit word (constructor id, `#` flags).
    pub fn read_u32(&mut self) -> Result<u32, TlError> {
        self.read_array().map(u32::from_le_bytes)
    }

    /// `int`.
    pub fn read_i32(&mut self) -> Result<i32, TlError> {
        self.read_array().map(i32::from_le_bytes)
    }

    /// `long`.
    pub fn read_i64(&mut self) -> Result<i64, TlError> {
        self.read_array().map(i64::from_le_bytes)
    }

    /// `long` as unsigned (ids, salts).
    pub fn read_u64(&mut self) -> Result<u64, TlError> {
        self.read_array().map(u64::from_le_bytes)
    }

    /// `double`.
    pub fn read_f64(&mut self) -> Result<f64, TlError> {
        self.read_array().map(f64::from_le_bytes)
    }

    /// `int128`.
    pub fn read_int128(&mut self) -> Result<[u8; 16], TlError> {
        self.read_array()
    }

    /// `int256`.
    pub fn read_int256(&mut self) -> Result<[u8; 32], TlError> {
        self.read_array()
    }

    /// `bytes`: the length prefix, the data, the padding.
    ///
    /// Strict, so that decoding then encoding gives the same bytes: the long
    /// form (`0xfe`) must carry a length of at least 254, `0xff` is invalid,
    /// and padding must be zeros (`/mtproto/serialize`).
    pub fn read_bytes(&mut self) -> Result<&'a [u8], TlError> {
        let at = self.pos;
        let first = self.read_array::<1>()?[0];
        let (len, header) = match first {
            0..=253 => (usize::from(first), 1),
            0xfe => {
                let l = self.read_array::<3>()?;
                let len = usize::from(l[0]) | usize::from(l[1]) << 8 | usize::from(l[2]) << 16;
                if len < 254 {
                    return Err(TlError::InvalidLength { at });
                }
                (len, 4)
            }
            _ => return Err(TlError::InvalidLength { at }),
        };
        let data = self.read_raw(len)?;
        let pad = (4 - (header + len) % 4) % 4;
        if self.read_raw(pad)?.iter().any(|&b| b != 0) {
            return Err(TlError::NonZeroPadding { at: self.pos - pad });
        }
        Ok(data)
    }

    /// `string`: `bytes` holding UTF-8.
    pub fn read_string(&mut self) -> Result<&'a str, TlError> {
        let at = self.pos;
        core::str::from_utf8(self.read_bytes()?).map_err(|_| TlError::InvalidUtf8 { at })
    }

    /// Boxed `Bool`.
    pub fn read_bool(&mut self) -> Result<bool, TlError> {
        let at = self.pos;
        match self.read_u32()? {
            BOOL_TRUE_ID => Ok(true),
            BOOL_FALSE_ID => Ok(false),
            id => Err(TlError::UnknownConstructor {
                id,
                expected: "Bool".into(),
                at,
            }),
        }
    }

    /// The count of a bare `vector`, checked against the input left: each
    /// element takes at least `min_element_len` bytes (at least 1 is assumed),
    /// so a count the input cannot hold is an error before anything is
    /// allocated.
    pub fn read_count(&mut self, min_element_len: usize) -> Result<usize, TlError> {
        let at = self.pos;
        let count = self.read_u32()? as usize;
        let available = self.remaining();
        if count.saturating_mul(min_element_len.max(1)) > available {
            return Err(TlError::VectorTooLong {
                at,
                count,
                available,
            });
        }
        Ok(count)
    }

    /// The header of a boxed `Vector t`: the constructor id and the count
    /// (see [`read_count`](Self::read_count)).
    pub fn read_vector_header(&mut self, min_element_len: usize) -> Result<usize, TlError> {
        let at = self.pos;
        match self.read_u32()? {
            VECTOR_ID => self.read_count(min_element_len),
            id => Err(TlError::UnknownConstructor {
                id,
                expected: "Vector".into(),
                at,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Writer;
    use super::*;

    #[test]
    fn bytes_round_trip_at_every_prefix_boundary() {
        for len in [0usize, 1, 2, 3, 4, 5, 252, 253, 254, 255, 256, 1000, 70000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 31) as u8).collect();
            let mut w = Writer::new();
            w.write_bytes(&data);
            w.write_u32(0xdead_beef);
            let enc = w.into_inner();
            assert_eq!(enc.len() % 4, 0);
            assert_eq!(enc.len() - 4, super::super::ser::bytes_encoded_len(len));
            let mut r = Reader::new(&enc);
            assert_eq!(r.read_bytes().unwrap(), &data[..], "len {len}");
            assert_eq!(r.read_u32().unwrap(), 0xdead_beef);
            r.finish().unwrap();
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let mut r = Reader::new(&[]);
        for _ in 0..MAX_DEPTH {
            r.enter().unwrap();
        }
        assert_eq!(r.depth(), MAX_DEPTH);
        assert!(matches!(
            r.enter(),
            Err(TlError::TooDeep { limit: MAX_DEPTH })
        ));
        r.leave();
        r.enter().unwrap();
        for _ in 0..MAX_DEPTH + 3 {
            r.leave();
        }
        assert_eq!(r.depth(), 0);
    }

    #[test]
    fn known_encodings() {
        let mut w = Writer::new();
        w.write_string("abc");
        w.write_i32(-2);
        w.write_i64(0x0102_0304_0506_0708);
        w.write_bool(true);
        w.write_f64(1.5);
        assert_eq!(
            hex::encode(w.as_slice()),
            "03616263feffffff0807060504030201b5757299000000000000f83f"
        );
    }

    #[test]
    fn rejects_bad_input_without_panicking() {
        // Truncated at every point.
        let mut w = Writer::new();
        w.write_bytes(&[7u8; 300]);
        let enc = w.into_inner();
        for cut in 0..enc.len() {
            assert!(Reader::new(&enc[..cut]).read_bytes().is_err(), "cut {cut}");
        }
        // Non-canonical long form, 0xff prefix, non-zero padding.
        assert!(matches!(
            Reader::new(&[0xfe, 3, 0, 0, 1, 2, 3, 0]).read_bytes(),
            Err(TlError::InvalidLength { at: 0 })
        ));
        assert!(Reader::new(&[0xff, 0, 0, 0]).read_bytes().is_err());
        assert!(matches!(
            Reader::new(&[1, 9, 0, 1]).read_bytes(),
            Err(TlError::NonZeroPadding { at: 2 })
        ));
        assert!(Reader::new(&[2, 0xc3, 0x28, 0]).read_string().is_err());
        // A count the input cannot hold is refused before allocating.
        let huge = [0x15, 0xc4, 0xb5, 0x1c, 0xff, 0xff, 0xff, 0xff];
        assert!(matches!(
            Reader::new(&huge).read_vector_header(4),
            Err(TlError::VectorTooLong {
                count: 0xffff_ffff,
                ..
            })
        ));
        assert!(Reader::new(&[1, 2, 3, 4]).read_bool().is_err());
        assert!(matches!(
            Reader::new(&[0; 5]).finish(),
            Err(TlError::TrailingBytes { count: 5 })
        ));
    }
}
