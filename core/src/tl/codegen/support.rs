//! The run-time pieces the generated code uses: [`RawObject`] for `Object`
//! and `!X` fields, and [`RemoteCall`] tying a function to its answer.

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
    fn bool_is_boxed() {
        assert_eq!(true.to_tl_bytes(), [0xb5, 0x75, 0x72, 0x99]);
        assert!(!bool::from_tl_bytes(&false.to_tl_bytes()).unwrap());
        assert!(bool::from_tl_bytes(&[0; 4]).is_err());
    }
}
