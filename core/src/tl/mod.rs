//! TL, the Type Language every MTProto message is written in (`/mtproto/TL`,
//! `/mtproto/serialize`): the binary reader and writer of its primitives, a
//! parser for schemas as real ones are written, gzip_packed, and a dynamic
//! codec between TL bytes and JSON for any schema loaded at run time.

pub mod codegen;
pub mod de;
pub mod dynamic;
pub mod gzip;
// Generated: `cargo fmt` must leave it exactly as the generator wrote it.
#[rustfmt::skip]
pub mod mtproto;
pub mod schema;
pub mod ser;

pub use de::Reader;
pub use ser::Writer;

/// The MTProto service and key-exchange schema (`core/schema/mtproto.tl`),
/// written from the specification; every id in it verifies.
pub const MTPROTO_SCHEMA: &str = include_str!("../../schema/mtproto.tl");

/// Constructor id of the boxed `Vector t` (`vector#1cb5c415`).
pub const VECTOR_ID: u32 = 0x1cb5_c415;
/// Constructor id of `boolTrue`.
pub const BOOL_TRUE_ID: u32 = 0x9972_75b5;
/// Constructor id of `boolFalse`.
pub const BOOL_FALSE_ID: u32 = 0xbc79_9737;
/// Constructor id of `gzip_packed`.
pub const GZIP_PACKED_ID: u32 = 0x3072_cfa1;

/// The largest `bytes`/`string` TL can encode: the long form has a 3-byte
/// length.
pub const MAX_BYTES_LEN: usize = (1 << 24) - 1;

/// How deep values may nest before decoding (or the dynamic codec's
/// encoding) gives up with [`TlError::TooDeep`](crate::error::TlError::TooDeep).
///
/// Decoders recurse once per nesting level, so a schema with recursive types
/// (`RichText`, `PageBlock`, `JSONValue` in the API schema) would otherwise
/// let the input choose how deep the stack goes. Real API objects nest a few
/// dozen levels at most. The dynamic codec counts every constructor and
/// vector; generated types count the levels of recursive types
/// ([`Reader::enter`]), the only ones that can nest without bound.
pub const MAX_DEPTH: usize = 64;

/// A value that can be written as TL.
pub trait Serialize {
    /// Append this value's TL encoding (boxed types include their
    /// constructor id).
    fn serialize(&self, w: &mut Writer);

    /// This value's TL encoding as a new buffer.
    fn to_tl_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new();
        self.serialize(&mut w);
        w.into_inner()
    }
}

/// A value that can be read from TL.
pub trait Deserialize: Sized {
    /// The fewest bytes one value takes on the wire. A vector's count is
    /// checked against it before anything is allocated, so that a short
    /// input cannot make the reader reserve room for millions of elements.
    ///
    /// 4 is right for every boxed value (its constructor id) and every TL
    /// primitive; generated types and wider primitives give their exact
    /// minimum.
    const MIN_ENCODED_LEN: usize = 4;

    /// Read one value at the reader's position.
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, crate::error::TlError>;

    /// Read one value that must span all of `bytes` (trailing bytes are an
    /// error).
    fn from_tl_bytes(bytes: &[u8]) -> Result<Self, crate::error::TlError> {
        let mut r = Reader::new(bytes);
        let v = Self::deserialize(&mut r)?;
        r.finish()?;
        Ok(v)
    }
}

/// A boxed TL type with one fixed constructor id.
pub trait Identifiable {
    /// The constructor id written in front of the value.
    const CONSTRUCTOR_ID: u32;
}
