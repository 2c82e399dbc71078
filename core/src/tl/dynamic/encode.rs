//! JSON → TL bytes (the form of the module docs).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value};

use super::decode::Want;
use super::{Codec, Kind, MAX_DEPTH, at, constructor_name, wrong};
use crate::error::TlError;
use crate::tl::schema::{Combinator, ParamType, Section, TypeRef};
use crate::tl::{MAX_BYTES_LEN, Writer};

pub(super) struct Encoder<'c> {
    codec: &'c Codec,
    w: Writer,
    depth: usize,
}

impl<'c> Encoder<'c> {
    pub(super) fn new(codec: &'c Codec) -> Self {
        Encoder {
            codec,
            w: Writer::new(),
            depth: 0,
        }
    }

    pub(super) fn finish(self) -> Vec<u8> {
        self.w.into_inner()
    }

    /// A boxed constructor or function; errors carry the root's name.
    pub(super) fn object(&mut self, v: &Value) -> Result<(), TlError> {
        let name = constructor_name(v)?.to_string();
        self.boxed(v, Want::Any).map_err(|e| match e {
            e @ TlError::At { .. } => at(&name, e),
            e => e,
        })
    }

    pub(super) fn value(
        &mut self,
        ty: &TypeRef,
        v: &Value,
        generics: &[String],
    ) -> Result<(), TlError> {
        match self.codec.kind(ty, generics)? {
            Kind::Int => {
                let n = v
                    .as_i64()
                    .filter(|n| (-(1i64 << 31)..(1i64 << 32)).contains(n));
                let n = n.ok_or_else(|| wrong("an int (a number from -2^31 to 2^32-1)", v))?;
                self.w.write_u32(n as u32);
            }
            Kind::Long => self.w.write_u64(long(v)?),
            Kind::Double => self.w.write_f64(double(v)?),
            Kind::Int128 => self.w.write_raw(&fixed_hex::<16>(v)?),
            Kind::Int256 => self.w.write_raw(&fixed_hex::<32>(v)?),
            Kind::String => {
                let s = v.as_str().ok_or_else(|| wrong("a string", v))?;
                self.bytes(s.as_bytes())?;
            }
            Kind::Bytes => {
                let s = v.as_str().ok_or_else(|| wrong("a base64 string", v))?;
                let data = BASE64.decode(s).map_err(|_| wrong("a base64 string", v))?;
                self.bytes(&data)?;
            }
            Kind::Bool => self
                .w
                .write_bool(v.as_bool().ok_or_else(|| wrong("true or false", v))?),
            Kind::True => {}
            Kind::Vector { boxed, elem } => {
                let items = v.as_array().ok_or_else(|| wrong("an array", v))?;
                if boxed {
                    self.w.write_vector_header(items.len());
                } else {
                    self.w.write_u32(items.len() as u32);
                }
                self.enter()?;
                for (i, item) in items.iter().enumerate() {
                    self.value(elem, item, generics)
                        .map_err(|e| at(&format!("[{i}]"), e))?;
                }
                self.depth -= 1;
            }
            Kind::Object => self.boxed(v, Want::Any)?,
            Kind::Query => self.boxed(v, Want::Function)?,
            Kind::Boxed(t) => self.boxed(v, Want::Type(t))?,
            Kind::Bare(c) => {
                match v.get("_") {
                    None => {}
                    Some(Value::String(n)) if *n == c.name => {}
                    Some(other) => {
                        return Err(wrong(
                            &format!("\"_\": \"{}\" (or no \"_\")", c.name),
                            other,
                        ));
                    }
                }
                self.fields(c, v)?;
            }
        }
        Ok(())
    }

    fn bytes(&mut self, data: &[u8]) -> Result<(), TlError> {
        if data.len() > MAX_BYTES_LEN {
            return Err(TlError::WrongType {
                expected: format!("at most {MAX_BYTES_LEN} bytes"),
                found: format!("{} bytes", data.len()),
            });
        }
        self.w.write_bytes(data);
        Ok(())
    }

    fn enter(&mut self) -> Result<(), TlError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(TlError::TooDeep { limit: MAX_DEPTH });
        }
        Ok(())
    }

    fn boxed(&mut self, v: &Value, want: Want<'_>) -> Result<(), TlError> {
        let name = constructor_name(v)?;
        let c = self
            .codec
            .schema
            .by_name(name)
            .ok_or_else(|| TlError::UnknownName {
                name: name.to_string(),
            })?;
        let fits = match want {
            Want::Type(t) => c.section == Section::Types && c.result.name == t,
            Want::Function => c.section == Section::Functions,
            Want::Any => true,
        };
        if !fits {
            let expected = match want {
                Want::Type(t) => format!("a constructor of {t}"),
                Want::Function => "a function (!X)".to_string(),
                Want::Any => "Object".to_string(),
            };
            return Err(TlError::WrongType {
                expected,
                found: format!("{name} (of {})", c.result),
            });
        }
        self.w.write_u32(c.id);
        self.fields(c, v)
    }

    fn fields(&mut self, c: &Combinator, v: &Value) -> Result<(), TlError> {
        let obj = v
            .as_object()
            .ok_or_else(|| wrong(&format!("an object for {}", c.name), v))?;
        check_known_fields(c, obj)?;
        self.enter()?;
        let flags = flag_words(c, obj)?;
        for p in &c.params {
            match &p.ty {
                ParamType::Flags => {
                    let word = flags
                        .iter()
                        .find(|(n, _)| *n == p.name)
                        .map_or(0, |(_, w)| *w);
                    self.w.write_u32(word);
                }
                ParamType::Typed { ty, condition } => {
                    let given = obj.get(&p.name).filter(|v| !v.is_null());
                    if ty.name == "true" {
                        continue; // a bit in its flags word, or nothing
                    }
                    let value = match (given, condition) {
                        // Absent is fine unless another field (a `true`
                        // sharing the bit) set the bit this one needs.
                        (None, Some(cond)) => {
                            let word = flags
                                .iter()
                                .find(|(n, _)| *n == cond.field)
                                .map_or(0, |(_, w)| *w);
                            if (word >> cond.bit) & 1 == 0 {
                                continue;
                            }
                            return Err(at(
                                &p.name,
                                TlError::MissingField {
                                    field: p.name.clone(),
                                },
                            ));
                        }
                        (None, None) => {
                            return Err(at(
                                &p.name,
                                TlError::MissingField {
                                    field: p.name.clone(),
                                },
                            ));
                        }
                        (Some(value), _) => value,
                    };
                    self.value(ty, value, &c.type_params)
                        .map_err(|e| at(&p.name, e))?;
                }
                ParamType::Repeat { .. } => {
                    return Err(TlError::UnknownName {
                        name: format!("{} (a [ ] repetition outside the builtin vector)", c.name),
                    });
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }
}

/// A JSON key that is not a field of the constructor is a mistake (a
/// misspelled optional field would otherwise vanish silently).
fn check_known_fields(c: &Combinator, obj: &Map<String, Value>) -> Result<(), TlError> {
    for key in obj.keys() {
        if key != "_" && !c.params.iter().any(|p| p.name == *key) {
            return Err(TlError::UnknownName {
                name: format!("{}.{key} (no such field)", c.name),
            });
        }
    }
    Ok(())
}

/// Each `#` field's value: the bits of the conditional fields present, OR-ed
/// with a number given for the field itself.
fn flag_words<'a>(
    c: &'a Combinator,
    obj: &Map<String, Value>,
) -> Result<Vec<(&'a str, u32)>, TlError> {
    let mut words: Vec<(&str, u32)> = Vec::new();
    for p in &c.params {
        match &p.ty {
            ParamType::Flags => {
                let base = match obj.get(&p.name) {
                    None | Some(Value::Null) => 0,
                    Some(v) => v
                        .as_u64()
                        .filter(|n| *n <= u64::from(u32::MAX))
                        .ok_or_else(|| at(&p.name, wrong("a 32-bit unsigned number", v)))?
                        as u32,
                };
                words.push((&p.name, base));
            }
            ParamType::Typed {
                ty,
                condition: Some(cond),
            } => {
                let present = match obj.get(&p.name) {
                    None | Some(Value::Null) => false,
                    Some(Value::Bool(b)) if ty.name == "true" => *b,
                    Some(other) if ty.name == "true" => {
                        return Err(at(&p.name, wrong("true or false", other)));
                    }
                    Some(_) => true,
                };
                if present {
                    if let Some((_, w)) = words.iter_mut().find(|(n, _)| *n == cond.field) {
                        *w |= 1 << cond.bit;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(words)
}

fn long(v: &Value) -> Result<u64, TlError> {
    let parsed = match v {
        Value::Number(n) => n.as_i64().map(|i| i as u64).or_else(|| n.as_u64()),
        Value::String(s) => s
            .parse::<i64>()
            .map(|i| i as u64)
            .ok()
            .or_else(|| s.parse::<u64>().ok()),
        _ => None,
    };
    parsed.ok_or_else(|| wrong("a long (a decimal string or an integer)", v))
}

fn double(v: &Value) -> Result<f64, TlError> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s == "NaN" => Some(f64::NAN),
        Value::String(s) if s == "Infinity" => Some(f64::INFINITY),
        Value::String(s) if s == "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
    .ok_or_else(|| {
        wrong(
            "a double (a number, \"NaN\", \"Infinity\" or \"-Infinity\")",
            v,
        )
    })
}

fn fixed_hex<const N: usize>(v: &Value) -> Result<[u8; N], TlError> {
    let expected = || wrong(&format!("a hex string of {} digits", 2 * N), v);
    let s = v
        .as_str()
        .filter(|s| s.len() == 2 * N)
        .ok_or_else(expected)?;
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        let pair = s.get(2 * i..2 * i + 2).ok_or_else(expected)?;
        *byte = u8::from_str_radix(pair, 16).map_err(|_| expected())?;
    }
    Ok(out)
}
