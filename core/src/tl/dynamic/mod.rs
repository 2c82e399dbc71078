//! A dynamic codec between TL bytes and JSON, for any schema loaded at run
//! time: what the bindings and tools use to speak the whole Telegram API
//! without generated types.
//!
//! # The JSON form (identical in every language)
//!
//! | TL | JSON |
//! |---|---|
//! | constructor or function | object, `"_"` = its name (`"messages.getHistory"`), then its fields by name |
//! | `int` | number |
//! | `long` | decimal string (`"-42"`): 64-bit integers must survive JavaScript; numbers are accepted on input |
//! | `double` | number; `"NaN"`, `"Infinity"`, `"-Infinity"` for the values JSON lacks |
//! | `int128`, `int256` | lowercase hex string of 32 / 64 digits, bytes in wire order |
//! | `string` | string |
//! | `bytes` | base64 string (RFC 4648, standard alphabet, with padding) |
//! | `Bool` | `true` / `false` |
//! | `flags.N?true` | `true` when set; absent when not (`false` is accepted on input) |
//! | `Vector<T>`, `vector<T>` | array |
//! | `flags.N?T` | the field is present when set, absent (or `null`) when not |
//! | `#` (flags words) | computed from the fields when encoding and omitted when decoding; a number given on input is OR-ed in (bits no field describes) |
//! | `!X`, `Object` | an object naming any function (`!X`) or any constructor or function (`Object`) |
//!
//! Decoding emits exactly this form, with fields in schema order; encoding
//! accepts it. `gzip_packed` found where a boxed value is expected is inflated
//! (within [`Codec::with_gzip_limit`]) and decoded in place.
//!
//! Errors name the path of the field at fault
//! (`at invokeWithLayer.query.query: ...`, `at messages.messages.messages[3].message: ...`)
//! through [`TlError::At`].

mod decode;
mod encode;

use serde_json::Value;

use super::schema::{Combinator, Schema, TypeRef};
use crate::error::TlError;

/// How deep values may nest before decoding or encoding gives up
/// ([`TlError::TooDeep`]): every constructor and every vector counts one
/// level. The same limit as generated types ([`crate::tl::MAX_DEPTH`]).
pub use super::MAX_DEPTH;

/// The default limit on what one `gzip_packed` may inflate to: 16 MiB, the
/// largest message the transports carry.
pub const DEFAULT_GZIP_LIMIT: usize = 1 << 24;

/// Encodes JSON values to TL bytes and decodes TL bytes to JSON, for one
/// schema.
#[derive(Clone, Debug)]
pub struct Codec {
    schema: Schema,
    gzip_limit: usize,
}

impl Codec {
    /// A codec for `schema`.
    pub fn new(schema: Schema) -> Self {
        Codec {
            schema,
            gzip_limit: DEFAULT_GZIP_LIMIT,
        }
    }

    /// Parse `text` ([`Schema::parse`]) and make a codec for it.
    pub fn from_schema_text(text: &str) -> Result<Self, TlError> {
        Schema::parse(text).map(Self::new)
    }

    /// A codec for the built-in MTProto service schema
    /// ([`MTPROTO_SCHEMA`](crate::tl::MTPROTO_SCHEMA)).
    pub fn mtproto() -> Result<Self, TlError> {
        Schema::parse_verified(crate::tl::MTPROTO_SCHEMA).map(Self::new)
    }

    /// Limit what one `gzip_packed` may inflate to.
    pub fn with_gzip_limit(mut self, limit: usize) -> Self {
        self.gzip_limit = limit;
        self
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Encode a constructor or function value (boxed, with its id).
    pub fn encode(&self, value: &Value) -> Result<Vec<u8>, TlError> {
        let mut e = encode::Encoder::new(self);
        e.object(value)?;
        Ok(e.finish())
    }

    /// Encode `value` as the type `ty` (`"Vector<long>"`, `"Bool"`,
    /// `"messages.Messages"`, `"int"`).
    pub fn encode_as(&self, ty: &str, value: &Value) -> Result<Vec<u8>, TlError> {
        let ty = TypeRef::parse(ty)?;
        let mut e = encode::Encoder::new(self);
        e.value(&ty, value, &[])?;
        Ok(e.finish())
    }

    /// Decode one boxed constructor or function that spans all of `bytes`.
    pub fn decode(&self, bytes: &[u8]) -> Result<Value, TlError> {
        decode::Decoder::new(self).whole(bytes, &TypeRef::named("Object"))
    }

    /// Decode `bytes` as the type `ty` (see [`Codec::encode_as`]).
    pub fn decode_as(&self, ty: &str, bytes: &[u8]) -> Result<Value, TlError> {
        let ty = TypeRef::parse(ty)?;
        decode::Decoder::new(self).whole(bytes, &ty)
    }

    /// The result type of a function call given as JSON, with generics
    /// resolved: for `invokeWithLayer(initConnection(help.getConfig))` it is
    /// `Config`.
    pub fn result_type(&self, query: &Value) -> Result<TypeRef, TlError> {
        let mut q = query;
        for _ in 0..MAX_DEPTH {
            let f = self.function_of(q)?;
            // A generic function returns what its `!X` argument returns.
            let Some(inner) = f.params.iter().find_map(|p| match &p.ty {
                super::schema::ParamType::Typed { ty, .. }
                    if ty.bang && f.result.name == ty.name && f.result.args.is_empty() =>
                {
                    Some(p.name.as_str())
                }
                _ => None,
            }) else {
                return Ok(f.result.clone());
            };
            q = q.get(inner).ok_or_else(|| TlError::MissingField {
                field: inner.to_string(),
            })?;
        }
        Err(TlError::TooDeep { limit: MAX_DEPTH })
    }

    /// Decode the result of `query` (an `rpc_result`'s `result` bytes).
    pub fn decode_result(&self, query: &Value, bytes: &[u8]) -> Result<Value, TlError> {
        let ty = self.result_type(query)?;
        decode::Decoder::new(self).whole(bytes, &ty)
    }

    fn function_of(&self, query: &Value) -> Result<&Combinator, TlError> {
        let name = constructor_name(query)?;
        self.schema
            .by_name(name)
            .filter(|c| c.section == super::schema::Section::Functions)
            .ok_or_else(|| TlError::UnknownName {
                name: name.to_string(),
            })
    }
}

/// What a type reference denotes, once builtins and generics are resolved.
pub(super) enum Kind<'a> {
    Int,
    Long,
    Double,
    Int128,
    Int256,
    String,
    Bytes,
    Bool,
    /// A `true` that is not behind a flag: no bytes at all.
    True,
    Vector {
        boxed: bool,
        elem: &'a TypeRef,
    },
    /// Any boxed constructor or function.
    Object,
    /// `!X`: any boxed function.
    Query,
    /// A boxed value of this type.
    Boxed(&'a str),
    /// The fields of this constructor, without its id.
    Bare(&'a Combinator),
}

impl<'a> Kind<'a> {
    /// The fewest bytes one value takes on the wire (vector counts are
    /// checked against it before anything is allocated).
    pub(super) fn min_len(&self) -> usize {
        match self {
            Kind::True | Kind::Bare(_) => 0,
            Kind::Long | Kind::Double | Kind::Vector { boxed: true, .. } => 8,
            Kind::Int128 => 16,
            Kind::Int256 => 32,
            _ => 4,
        }
    }
}

impl Codec {
    /// Resolve `ty` as written inside a combinator with generic parameters
    /// `generics`.
    pub(super) fn kind<'a>(
        &'a self,
        ty: &'a TypeRef,
        generics: &[String],
    ) -> Result<Kind<'a>, TlError> {
        if ty.bang {
            return Ok(Kind::Query);
        }
        if generics.contains(&ty.name) {
            return Ok(Kind::Object);
        }
        let k = match (ty.name.as_str(), ty.args.as_slice()) {
            ("int" | "Int", []) => Kind::Int,
            ("long" | "Long", []) => Kind::Long,
            ("double" | "Double", []) => Kind::Double,
            ("int128" | "Int128", []) => Kind::Int128,
            ("int256" | "Int256", []) => Kind::Int256,
            ("string" | "String", []) => Kind::String,
            ("bytes" | "Bytes", []) => Kind::Bytes,
            ("Bool", []) => Kind::Bool,
            ("true", []) => Kind::True,
            ("Object", []) => Kind::Object,
            ("Vector", [elem]) => Kind::Vector {
                boxed: !ty.bare,
                elem,
            },
            ("vector", [elem]) => Kind::Vector { boxed: false, elem },
            (name, []) if ty.bare && super::schema::name_is_bare(name) => Kind::Bare(
                self.schema
                    .by_name(name)
                    .filter(|c| c.section == super::schema::Section::Types)
                    .ok_or_else(|| TlError::UnknownName {
                        name: name.to_string(),
                    })?,
            ),
            (name, []) if ty.bare => {
                // `%T`: the one constructor of T, bare.
                let mut cs = self.schema.constructors_of(name);
                match (cs.next(), cs.next()) {
                    (Some(c), None) => Kind::Bare(c),
                    _ => {
                        return Err(TlError::UnknownName {
                            name: format!("%{name} (a bare type needs exactly one constructor)"),
                        });
                    }
                }
            }
            (name, []) => Kind::Boxed(name),
            _ => {
                return Err(TlError::UnknownName {
                    name: ty.to_string(),
                });
            }
        };
        Ok(k)
    }
}

/// The `"_"` of a JSON object.
fn constructor_name(v: &Value) -> Result<&str, TlError> {
    match v {
        Value::Object(m) => match m.get("_") {
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(wrong("a string naming a constructor in \"_\"", other)),
            None => Err(TlError::MissingField { field: "_".into() }),
        },
        other => Err(wrong("an object", other)),
    }
}

/// A [`TlError::WrongType`] describing a JSON value.
fn wrong(expected: &str, found: &Value) -> TlError {
    let found = match found {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.len() > 40 => "a string".to_string(),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    };
    TlError::WrongType {
        expected: expected.to_string(),
        found,
    }
}

/// Prefix `segment` to the path of an error (`[3]` joins without a dot).
fn at(segment: &str, e: TlError) -> TlError {
    match e {
        TlError::At { path, source } => {
            let sep = if path.starts_with('[') { "" } else { "." };
            TlError::At {
                path: format!("{segment}{sep}{path}"),
                source,
            }
        }
        other => TlError::At {
            path: segment.to_string(),
            source: Box::new(other),
        },
    }
}

#[cfg(test)]
mod tests;
