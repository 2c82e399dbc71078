//! TL bytes → JSON (the form of the module docs).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Number, Value};

use super::{Codec, Kind, MAX_DEPTH, at};
use crate::error::TlError;
use crate::tl::schema::{Combinator, ParamType, TypeRef};
use crate::tl::{GZIP_PACKED_ID, Reader, VECTOR_ID, gzip};

/// Which combinators a boxed position accepts.
#[derive(Clone, Copy)]
pub(super) enum Want<'a> {
    /// Constructors of this type.
    Type(&'a str),
    /// Any function (`!X`).
    Function,
    /// Any constructor or function (`Object`).
    Any,
}

impl Want<'_> {
    fn describe(self) -> String {
        match self {
            Want::Type(t) => t.to_string(),
            Want::Function => "a function (!X)".to_string(),
            Want::Any => "Object".to_string(),
        }
    }
}

pub(super) struct Decoder<'c> {
    codec: &'c Codec,
    depth: usize,
    root: Option<String>,
}

impl<'c> Decoder<'c> {
    pub(super) fn new(codec: &'c Codec) -> Self {
        Decoder {
            codec,
            depth: 0,
            root: None,
        }
    }

    /// Decode one value of type `ty` spanning all of `bytes`.
    pub(super) fn whole(mut self, bytes: &[u8], ty: &TypeRef) -> Result<Value, TlError> {
        let mut r = Reader::new(bytes);
        let result = self
            .value(&mut r, ty, &[])
            .and_then(|v| r.finish().map(|()| v));
        match (result, self.root) {
            (Err(e @ TlError::At { .. }), Some(root)) => Err(at(&root, e)),
            (other, _) => other,
        }
    }

    fn value(
        &mut self,
        r: &mut Reader<'_>,
        ty: &TypeRef,
        generics: &[String],
    ) -> Result<Value, TlError> {
        Ok(match self.codec.kind(ty, generics)? {
            Kind::Int => Value::from(r.read_i32()?),
            Kind::Long => Value::String(r.read_i64()?.to_string()),
            Kind::Double => double(r.read_f64()?),
            Kind::Int128 => Value::String(hex(&r.read_int128()?)),
            Kind::Int256 => Value::String(hex(&r.read_int256()?)),
            Kind::String => Value::String(r.read_string()?.to_string()),
            Kind::Bytes => Value::String(BASE64.encode(r.read_bytes()?)),
            Kind::Bool => Value::Bool(r.read_bool()?),
            Kind::True => Value::Bool(true),
            Kind::Vector { boxed, elem } => {
                let min = self.codec.kind(elem, generics)?.min_len();
                let n = if boxed {
                    r.read_vector_header(min)?
                } else {
                    r.read_count(min)?
                };
                self.enter()?;
                let mut items = Vec::with_capacity(n);
                for i in 0..n {
                    let v = self
                        .value(r, elem, generics)
                        .map_err(|e| at(&format!("[{i}]"), e))?;
                    items.push(v);
                }
                self.depth -= 1;
                Value::Array(items)
            }
            Kind::Object => self.boxed(r, Want::Any)?,
            Kind::Query => self.boxed(r, Want::Function)?,
            Kind::Boxed(name) => self.boxed(r, Want::Type(name))?,
            Kind::Bare(c) => self.fields(r, c)?,
        })
    }

    fn enter(&mut self) -> Result<(), TlError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(TlError::TooDeep { limit: MAX_DEPTH });
        }
        Ok(())
    }

    /// A constructor id and the fields of what it names. `gzip_packed` in its
    /// place is inflated and decoded as what was expected.
    fn boxed(&mut self, r: &mut Reader<'_>, want: Want<'_>) -> Result<Value, TlError> {
        let pos = r.position();
        let id = r.read_u32()?;
        if id == GZIP_PACKED_ID {
            let inflated = gzip::gunzip(r.read_bytes()?, self.codec.gzip_limit)?;
            self.enter()?;
            let mut inner = Reader::new(&inflated);
            let v = self.boxed(&mut inner, want)?;
            inner.finish()?;
            self.depth -= 1;
            return Ok(v);
        }
        let schema = &self.codec.schema;
        let found = match want {
            Want::Type(t) => schema.constructor_by_id(id).filter(|c| c.result.name == t),
            Want::Function => schema.function_by_id(id),
            Want::Any if id == VECTOR_ID => None,
            Want::Any => schema
                .constructor_by_id(id)
                .or_else(|| schema.function_by_id(id)),
        };
        let c = found.ok_or_else(|| TlError::UnknownConstructor {
            id,
            expected: match (want, id) {
                (Want::Any, VECTOR_ID) => {
                    "Object (a Vector needs its element type: decode it with decode_as)".into()
                }
                _ => want.describe(),
            },
            at: pos,
        })?;
        self.fields(r, c)
    }

    fn fields(&mut self, r: &mut Reader<'_>, c: &Combinator) -> Result<Value, TlError> {
        if self.root.is_none() {
            self.root = Some(c.name.clone());
        }
        self.enter()?;
        let mut map = Map::new();
        map.insert("_".into(), Value::String(c.name.clone()));
        let mut flags: Vec<(&str, u32)> = Vec::new();
        for p in &c.params {
            match &p.ty {
                ParamType::Flags => flags.push((&p.name, r.read_u32()?)),
                ParamType::Typed { ty, condition } => {
                    if let Some(cond) = condition {
                        let word = flags
                            .iter()
                            .find(|(n, _)| *n == cond.field)
                            .map_or(0, |(_, v)| *v);
                        if (word >> cond.bit) & 1 == 0 {
                            continue;
                        }
                        if ty.name == "true" {
                            map.insert(p.name.clone(), Value::Bool(true));
                            continue;
                        }
                    } else if ty.name == "true" {
                        continue;
                    }
                    let v = self
                        .value(r, ty, &c.type_params)
                        .map_err(|e| at(&p.name, e))?;
                    map.insert(p.name.clone(), v);
                }
                ParamType::Repeat { .. } => {
                    return Err(TlError::UnknownName {
                        name: format!("{} (a [ ] repetition outside the builtin vector)", c.name),
                    });
                }
            }
        }
        self.depth -= 1;
        Ok(Value::Object(map))
    }
}

fn hex(bytes: &[u8]) -> String {
    use core::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn double(v: f64) -> Value {
    match Number::from_f64(v) {
        Some(n) => Value::Number(n),
        None if v.is_nan() => Value::String("NaN".into()),
        None if v > 0.0 => Value::String("Infinity".into()),
        None => Value::String("-Infinity".into()),
    }
}
