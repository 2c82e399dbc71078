//! The run-time pieces the generated code uses: [`RawObject`] for `Object`
//! and `!X` fields, [`RemoteCall`] tying a function to its answer, and the
//! TL forms of the Rust values a function can answer with (the table is in
//! [the codegen docs](super#function-results-as-rust-values)).

use crate::error::TlError;
use crate::tl::{Deserialize, Identifiable, Reader, Serialize, Writer};

/// A TL value of a type the schema leaves open, kept as its raw boxed
/// encoding (constructor id first): an `Object` field, such as
/// `rpc_result.result` or `message.body`, or the nested query of a generic
/// function (`query:!X`) and its answer.
///
/// Where such a value ends cannot come from the value itself (its type is
/// unknown), so the generated code finds it one of two ways:
///
/// - **sized**: an `Object` field right after a field `bytes:int` (as in
///   `message msg_id:long seqno:int bytes:int body:Object`,
///   `/mtproto/service_messages`, "Simple Container") spans exactly that many
///   bytes ([`read_sized`](Self::read_sized)); the length is not a struct
///   field, it is written from the value;
/// - **rest**: any other `Object` or `!X` field runs to the end of the input
///   ([`read_rest`](Self::read_rest)), so the generator accepts it only as
///   the last field of its combinator, and a type holding it only as a last
///   field, recursively. `rpc_result` is always the whole body of a message,
///   whose length the envelope or the container gives.
///
/// The bytes must hold one whole boxed value (at least a constructor id, a
/// multiple of 4 bytes): reads check it, writes copy the bytes as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct RawObject(pub Vec<u8>);

impl RawObject {
    /// The encoding of `value`, boxed (with its constructor id).
    pub fn from_value<T: Serialize + ?Sized>(value: &T) -> Self {
        RawObject(value.to_tl_bytes())
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The constructor id the value starts with, if it has 4 bytes.
    pub fn constructor_id(&self) -> Option<u32> {
        let id: [u8; 4] = self.0.get(..4)?.try_into().ok()?;
        Some(u32::from_le_bytes(id))
    }

    /// Decode the value as `T`; it must span all the bytes.
    pub fn decode<T: Deserialize>(&self) -> Result<T, TlError> {
        T::from_tl_bytes(&self.0)
    }

    /// Take everything left in `r`: the "rest" rule above. At least a
    /// constructor id must be left.
    pub fn read_rest(r: &mut Reader<'_>) -> Result<Self, TlError> {
        if r.remaining() < 4 {
            return Err(TlError::UnexpectedEof {
                at: r.position(),
                needed: 4,
                available: r.remaining(),
            });
        }
        let n = r.remaining();
        r.read_raw(n).map(|b| RawObject(b.to_vec()))
    }

    /// Take `len` bytes, the length just read from the `bytes:int` field
    /// before the value: the "sized" rule above. A length that is negative,
    /// shorter than a constructor id or not a multiple of 4 is
    /// [`TlError::InvalidLength`] at the length field (TL values are whole
    /// 32-bit words, `/mtproto/serialize`; accepting another length would
    /// misalign every message after it in a container), and one longer than
    /// the input is [`TlError::UnexpectedEof`].
    pub fn read_sized(r: &mut Reader<'_>, len: i32) -> Result<Self, TlError> {
        let at = r.position().saturating_sub(4);
        let len = usize::try_from(len)
            .ok()
            .filter(|&l| l >= 4 && l % 4 == 0)
            .ok_or(TlError::InvalidLength { at })?;
        r.read_raw(len).map(|b| RawObject(b.to_vec()))
    }

    /// The length written in a `bytes:int` field before this value.
    /// (Longer than `i32::MAX` cannot be encoded; such a value could not be
    /// sent in any MTProto message either.)
    pub fn len_i32(&self) -> i32 {
        i32::try_from(self.0.len()).unwrap_or(i32::MAX)
    }
}

impl From<Vec<u8>> for RawObject {
    fn from(bytes: Vec<u8>) -> Self {
        RawObject(bytes)
    }
}

impl Serialize for RawObject {
    /// The bytes as they are: they already are a boxed value.
    fn serialize(&self, w: &mut Writer) {
        w.write_raw(&self.0);
    }
}

impl Deserialize for RawObject {
    /// [`RawObject::read_rest`]: a raw value is the rest of its input.
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, TlError> {
        Self::read_rest(r)
    }
}

/// Read the fields of one constructor of a boxed type and wrap them as the
/// type's enum variant: what each arm of a generated enum's `deserialize`
/// does once it has matched the constructor id.
///
/// A function of its own so that the value being read occupies stack only
/// here, once, rather than once per arm in the enum's `deserialize` (an
/// unoptimized build gives every arm's temporary its own slot, and a type
/// such as `MessageMedia` has dozens of constructors); decoding a recursive
/// type goes through such a frame at every level.
#[inline]
pub fn read_variant<'a, T, E>(
    r: &mut Reader<'a>,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, TlError>,
    wrap: impl FnOnce(T) -> E,
) -> Result<E, TlError> {
    read(r).map(wrap)
}

/// TL `bytes` as a value of its own: a function result or a `Vector<bytes>`
/// element (see [the codegen docs](super#function-results-as-rust-values) for why
/// `Vec<u8>` is not used there). Struct fields of type `bytes` are plain `Vec<u8>`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bytes(pub Vec<u8>);

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes(bytes)
    }
}

impl Serialize for Bytes {
    /// The length prefix, the data and zero padding (data longer than
    /// [`MAX_BYTES_LEN`](crate::tl::MAX_BYTES_LEN) cannot be encoded and is
    /// truncated, as [`Writer::write_bytes`] documents).
    fn serialize(&self, w: &mut Writer) {
        w.write_bytes(&self.0);
    }
}

impl Deserialize for Bytes {
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, TlError> {
        r.read_bytes().map(|b| Bytes(b.to_vec()))
    }
}

/// TL `int`.
impl Serialize for i32 {
    fn serialize(&self, w: &mut Writer) {
        w.write_i32(*self);
    }
}

/// TL `int`.
impl Deserialize for i32 {
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, TlError> {
        r.read_i32()
    }
}

/// TL `long`.
impl Serialize for i64 {
    fn serialize(&self, w: &mut Writer) {
        w.write_i64(*self);
    }
}

/// TL `long`.
impl Deserialize for i64 {
    const MIN_ENCODED_LEN: usize = 8;

    fn deserialize(r: &mut Reader<'_>) -> Result<Self, TlError> {
        r.read_i64()
    }
}

/// TL `double`.
impl Serialize for f64 {
    fn serialize(&self, w: &mut Writer) {
        w.write_f64(*self);
    }
}

/// TL `double`.
impl Deserialize for f64 {
    const MIN_ENCODED_LEN: usize = 8;

    fn deserialize(r: &mut Reader<'_>) -> Result<Self, TlError> {
        r.read_f64()
    }
}

/// TL `int128`: 16 bytes as they are.
impl Serialize for [u8; 16] {
    fn serialize(&self, w: &mut Writer) {
        w.write_raw(self);
    }
}

/// TL `int128`.
impl Deserialize for [u8; 16] {
    const MIN_ENCODED_LEN: usize = 16;

    fn deserialize(r: &mut Reader<'_>) -> Result<Self, TlError> {
        r.read_int128()
    }
}

/// TL `int256`: 32 bytes as they are.
impl Serialize for [u8; 32] {
    fn serialize(&self, w: &mut Writer) {
        w.write_raw(self);
    }
}

/// TL `int256`.
impl Deserialize for [u8; 32] {
    const MIN_ENCODED_LEN: usize = 32;

    fn deserialize(r: &mut Reader<'_>) -> Result<Self, TlError> {
        r.read_int256()
    }
}

/// TL `string` (UTF-8 `bytes`; see [`Bytes`] for the length limit).
impl Serialize for String {
    fn serialize(&self, w: &mut Writer) {
        w.write_string(self);
    }
}

/// TL `string`; bytes that are not UTF-8 are [`TlError::InvalidUtf8`].
impl Deserialize for String {
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, TlError> {
        r.read_string().map(str::to_owned)
    }
}

/// Boxed `Vector<T>`: its constructor id, the count, the elements.
impl<T: Serialize> Serialize for Vec<T> {
    fn serialize(&self, w: &mut Writer) {
        w.write_vector_header(self.len());
        for x in self {
            x.serialize(w);
        }
    }
}

/// Boxed `Vector<T>`. The count is checked against the input left (each
/// element takes at least [`T::MIN_ENCODED_LEN`](Deserialize::MIN_ENCODED_LEN)
/// bytes) before anything is allocated.
impl<T: Deserialize> Deserialize for Vec<T> {
    const MIN_ENCODED_LEN: usize = 8;

    fn deserialize(r: &mut Reader<'_>) -> Result<Self, TlError> {
        let n = r.read_vector_header(T::MIN_ENCODED_LEN)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(T::deserialize(r)?);
        }
        Ok(v)
    }
}

/// Boxed `Bool` (`boolTrue`/`boolFalse`), the result type of many functions.
impl Serialize for bool {
    fn serialize(&self, w: &mut Writer) {
        w.write_bool(*self);
    }
}

/// Boxed `Bool`; any other constructor id is [`TlError::UnknownConstructor`].
impl Deserialize for bool {
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, TlError> {
        r.read_bool()
    }
}

/// A TL function (an RPC query): what it is written as, and what it returns.
///
/// A client serializes the query and, when the matching `rpc_result`
/// arrives, decodes its `result` as [`RemoteCall::Return`]. A server decodes
/// the query (every generated function also implements [`Deserialize`]) and
/// answers with a `Return` value.
pub trait RemoteCall: Serialize + Deserialize + Identifiable {
    /// The function's result type (`= Type` in the schema). Generic
    /// functions (`{X:Type} ... query:!X = X`) answer with whatever the
    /// inner query returns: [`RawObject`].
    type Return: Serialize + Deserialize;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_object_reads() {
        let data = [1u8, 2, 3, 4, 5, 6, 7, 8];
        let mut r = Reader::new(&data);
        assert_eq!(RawObject::read_rest(&mut r).unwrap().0, data);
        assert!(RawObject::read_rest(&mut Reader::new(&[1, 2, 3])).is_err());

        let mut r = Reader::new(&data);
        r.read_u32().unwrap();
        assert!(matches!(
            RawObject::read_sized(&mut r.clone(), 3),
            Err(TlError::InvalidLength { at: 0 })
        ));
        assert!(RawObject::read_sized(&mut r.clone(), -4).is_err());
        assert!(RawObject::read_sized(&mut r.clone(), 0).is_err());
        assert!(matches!(
            RawObject::read_sized(&mut r.clone(), 8),
            Err(TlError::UnexpectedEof { .. })
        ));
        let v = RawObject::read_sized(&mut r, 4).unwrap();
        assert_eq!(v.constructor_id(), Some(0x0807_0605));
        assert_eq!(v.len_i32(), 4);
        assert_eq!(RawObject::default().constructor_id(), None);
    }

    #[test]
    fn whole_values_have_one_tl_form() {
        fn round<T: Serialize + Deserialize + PartialEq + core::fmt::Debug>(v: T, hex: &str) {
            let bytes = v.to_tl_bytes();
            assert_eq!(hex::encode(&bytes), hex);
            assert_eq!(T::from_tl_bytes(&bytes).unwrap(), v);
        }
        round(-2i32, "feffffff");
        round(1i64, "0100000000000000");
        round(1.5f64, "000000000000f83f");
        round([7u8; 16], &"07".repeat(16));
        round([8u8; 32], &"08".repeat(32));
        round(String::from("abc"), "03616263");
        round(Bytes(vec![1, 2]), "02010200");
        // Vec<T> is the boxed Vector: id, count, elements as T writes them.
        round(
            vec![1i64, 2],
            "15c4b51c0200000001000000000000000200000000000000",
        );
        round(vec![true], "15c4b51c01000000b5757299");
        round(
            vec![vec![Bytes(vec![])]],
            "15c4b51c0100000015c4b51c0100000000000000",
        );
        assert!(String::from_tl_bytes(&[2, 0xc3, 0x28, 0]).is_err());
        // A count the input cannot hold, for the element's smallest size.
        let mut w = Writer::new();
        w.write_vector_header(2);
        w.write_i64(1);
        w.write_i32(0);
        assert!(matches!(
            Vec::<i64>::from_tl_bytes(w.as_slice()),
            Err(TlError::VectorTooLong { count: 2, .. })
        ));
        assert_eq!(<Vec<[u8; 32]>>::MIN_ENCODED_LEN, 8);
        assert_eq!(<[u8; 32]>::MIN_ENCODED_LEN, 32);
    }

    #[test]
    fn bool_is_boxed() {
        assert_eq!(true.to_tl_bytes(), [0xb5, 0x75, 0x72, 0x99]);
        assert!(!bool::from_tl_bytes(&false.to_tl_bytes()).unwrap());
        assert!(bool::from_tl_bytes(&[0; 4]).is_err());
    }
}
