//! Random values of any TL schema in the dynamic codec's JSON form, written
//! independently of the codec's own test generator (it resolves types from
//! the schema by itself), for the cross-check and the benchmark.
#![allow(dead_code)]

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use mtproto_core::tl::codegen::is_native_combinator;
use mtproto_core::tl::schema::name_is_bare;
use mtproto_core::tl::schema::{Combinator, ParamType, Schema, Section, TypeRef};
use serde_json::{Map, Value, json};

/// xorshift64*: deterministic, seedable, no dependency. Not for secrets.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn coin(&mut self) -> bool {
        self.next() & 1 == 0
    }
}

/// What a type reference denotes.
pub enum Kind<'s> {
    Int,
    Long,
    Double,
    Int128,
    Int256,
    String,
    Bytes,
    Bool,
    True,
    Vector(&'s TypeRef),
    /// Any constructor (`Object`, or a generic parameter).
    Object,
    /// Any function (`!X`).
    Query,
    Boxed(&'s str),
    Bare(&'s Combinator),
}

pub fn kind<'s>(schema: &'s Schema, ty: &'s TypeRef, generics: &[String]) -> Kind<'s> {
    if ty.bang {
        return Kind::Query;
    }
    if generics.contains(&ty.name) {
        return Kind::Object;
    }
    match (ty.name.as_str(), ty.args.as_slice()) {
        ("int", []) => Kind::Int,
        ("long", []) => Kind::Long,
        ("double", []) => Kind::Double,
        ("int128", []) => Kind::Int128,
        ("int256", []) => Kind::Int256,
        ("string", []) => Kind::String,
        ("bytes", []) => Kind::Bytes,
        ("Bool", []) => Kind::Bool,
        ("true", []) => Kind::True,
        ("Object", []) => Kind::Object,
        ("Vector" | "vector", [elem]) => Kind::Vector(elem),
        (name, []) if ty.bare && name_is_bare(name) => Kind::Bare(
            schema
                .by_name(name)
                .unwrap_or_else(|| panic!("no constructor {name}")),
        ),
        (name, []) if ty.bare => {
            let mut cs = schema.constructors_of(name);
            Kind::Bare(
                cs.next()
                    .unwrap_or_else(|| panic!("no constructor of %{name}")),
            )
        }
        (name, []) => Kind::Boxed(name),
        _ => panic!("unsupported type {ty}"),
    }
}

/// Whether a combinator gets a generated struct (builtins, `Bool`, `True`,
/// `Vector` and id aliases do not); the same rule as `build.rs`.
pub fn generated(c: &Combinator) -> bool {
    !is_native_combinator(c)
        && (c.section == Section::Functions
            || !["Bool", "True", "Vector", "Object"].contains(&c.result.name.as_str()))
        && c.id_check != mtproto_core::tl::schema::id::IdCheck::Alias
        && !c
            .params
            .iter()
            .any(|p| matches!(p.ty, ParamType::Repeat { .. }))
}

/// How conditional fields are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flags {
    /// Every conditional field present (until the budget runs out).
    All,
    /// None present.
    None,
    /// Each flag bit a coin toss.
    Random,
}

/// Random JSON values for one schema.
pub struct Gen<'s> {
    pub schema: &'s Schema,
    /// For each constructor, the least nesting depth a value of it can
    /// have: once the budget or the depth limit is reached, the generator
    /// picks the constructor that ends soonest, so recursion terminates.
    height: HashMap<&'s str, u32>,
    /// Simple constructors and functions (no fields) for `Object` and `!X`.
    simple_types: Vec<&'s Combinator>,
    simple_functions: Vec<&'s Combinator>,
}

pub struct Run<'r> {
    pub rng: &'r mut Rng,
    pub flags: Flags,
    /// Values left to generate before everything becomes minimal.
    pub budget: usize,
    pub max_depth: usize,
}

impl<'s> Gen<'s> {
    pub fn new(schema: &'s Schema) -> Self {
        let ctors: Vec<&Combinator> = schema
            .combinators
            .iter()
            .filter(|c| generated(c) || c.section == Section::Types)
            .collect();
        let mut height: HashMap<&str, u32> = HashMap::new();
        // Least fixed point of height(c) = 1 + max over required fields.
        loop {
            let mut changed = false;
            for c in &ctors {
                let mut h = Some(1u32);
                for p in &c.params {
                    if let ParamType::Typed {
                        ty,
                        condition: None,
                    } = &p.ty
                    {
                        let fh = Self::field_height(schema, &height, ty, &c.type_params);
                        h = match (h, fh) {
                            (Some(a), Some(b)) => Some(a.max(b + 1)),
                            _ => None,
                        };
                    }
                }
                if let Some(h) = h {
                    if height.get(c.name.as_str()).is_none_or(|&old| h < old) {
                        height.insert(&c.name, h);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let simple = |section: Section| -> Vec<&Combinator> {
            schema
                .combinators
                .iter()
                .filter(|c| {
                    c.section == section
                        && c.params.is_empty()
                        && c.type_params.is_empty()
                        && generated(c)
                })
                .collect()
        };
        Gen {
            schema,
            height,
            simple_types: simple(Section::Types),
            simple_functions: simple(Section::Functions),
        }
    }

    fn field_height(
        schema: &Schema,
        height: &HashMap<&str, u32>,
        ty: &TypeRef,
        generics: &[String],
    ) -> Option<u32> {
        match kind(schema, ty, generics) {
            Kind::Boxed(t) => schema
                .constructors_of(t)
                .filter_map(|c| height.get(c.name.as_str()).copied())
                .min(),
            Kind::Bare(c) => height.get(c.name.as_str()).copied(),
            Kind::Object | Kind::Query => Some(1),
            _ => Some(0),
        }
    }

    /// A random value of the combinator `c` (its JSON object, with `"_"`).
    pub fn combinator(&self, run: &mut Run<'_>, c: &'s Combinator, depth: usize) -> Value {
        let minimal = run.budget == 0 || depth >= run.max_depth;
        let mut m = Map::new();
        m.insert("_".into(), Value::String(c.name.clone()));
        // One decision per flag bit: fields sharing a bit are present
        // together.
        let mut bits: Vec<(&str, u32, bool)> = Vec::new();
        for p in &c.params {
            let ParamType::Typed { ty, condition } = &p.ty else {
                continue;
            };
            let present = match condition {
                None => true,
                Some(cond) => match bits
                    .iter()
                    .find(|(f, b, _)| *f == cond.field && *b == cond.bit)
                {
                    Some(&(_, _, d)) => d,
                    None => {
                        let d = !minimal
                            && match run.flags {
                                Flags::All => true,
                                Flags::None => false,
                                Flags::Random => run.rng.coin(),
                            };
                        bits.push((&cond.field, cond.bit, d));
                        d
                    }
                },
            };
            if ty.name == "true" {
                if condition.is_some() && present {
                    m.insert(p.name.clone(), Value::Bool(true));
                }
                continue;
            }
            if present {
                let v = self.value(run, ty, &c.type_params, depth + 1);
                m.insert(p.name.clone(), v);
            }
        }
        Value::Object(m)
    }

    /// A random value of `ty` as written in a combinator with `generics`.
    pub fn value(
        &self,
        run: &mut Run<'_>,
        ty: &'s TypeRef,
        generics: &[String],
        depth: usize,
    ) -> Value {
        run.budget = run.budget.saturating_sub(1);
        let minimal = run.budget == 0 || depth >= run.max_depth;
        let rng = &mut *run.rng;
        match kind(self.schema, ty, generics) {
            Kind::Int => {
                let v = [0, 1, -1, i32::MIN, i32::MAX, rng.next() as i32][rng.below(6)];
                json!(v)
            }
            Kind::Long => {
                let v = [0, -1, i64::MIN, i64::MAX, rng.next() as i64][rng.below(5)];
                Value::String(v.to_string())
            }
            Kind::Double => match rng.below(8) {
                0 => json!("NaN"),
                1 => json!("Infinity"),
                2 => json!("-Infinity"),
                3 => json!(-0.0),
                _ => json!((rng.next() as i64 % 1_000_000_000) as f64 / 1024.0),
            },
            Kind::Int128 => Value::String(format!("{:016x}{:016x}", rng.next(), rng.next())),
            Kind::Int256 => Value::String((0..4).map(|_| format!("{:016x}", rng.next())).collect()),
            Kind::String => {
                let len = [0, 1, 3, 5, 253, 254, 300][rng.below(7)];
                let s: String = "aé✓z".chars().cycle().take(len).collect();
                Value::String(s)
            }
            Kind::Bytes => {
                let len = [0, 1, 2, 3, 4, 253, 254, 255, 600][rng.below(9)];
                let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                Value::String(BASE64.encode(data))
            }
            Kind::Bool => Value::Bool(rng.coin()),
            Kind::True => Value::Bool(true),
            Kind::Vector(elem) => {
                let n = if minimal { 0 } else { 1 + rng.below(3) };
                Value::Array(
                    (0..n)
                        .map(|_| self.value(run, elem, generics, depth + 1))
                        .collect(),
                )
            }
            Kind::Object => {
                let c = self.simple_types[rng.below(self.simple_types.len())];
                self.combinator(run, c, depth)
            }
            Kind::Query => {
                // Nest generic queries a little (invokeWithLayer(initConnection(..))).
                let generic: Vec<&Combinator> = if minimal {
                    Vec::new()
                } else {
                    self.schema
                        .functions()
                        .filter(|c| !c.type_params.is_empty() && generated(c))
                        .collect()
                };
                let c = if !generic.is_empty() && rng.below(4) == 0 {
                    generic[rng.below(generic.len())]
                } else {
                    self.simple_functions[rng.below(self.simple_functions.len())]
                };
                self.combinator(run, c, depth)
            }
            Kind::Boxed(t) => {
                let options: Vec<&Combinator> = self.schema.constructors_of(t).collect();
                assert!(!options.is_empty(), "no constructors of {t}");
                let c = if minimal {
                    *options
                        .iter()
                        .min_by_key(|c| {
                            self.height
                                .get(c.name.as_str())
                                .copied()
                                .unwrap_or(u32::MAX)
                        })
                        .unwrap_or(&options[0])
                } else {
                    options[rng.below(options.len())]
                };
                self.combinator(run, c, depth)
            }
            Kind::Bare(c) => {
                let keep_name = rng.coin();
                let mut v = self.combinator(run, c, depth);
                // The codec takes a bare value with or without its name.
                if !keep_name {
                    if let Value::Object(m) = &mut v {
                        m.remove("_");
                    }
                }
                v
            }
        }
    }
}

/// Whether a value of `c` can hold an `Object` or `!X` anywhere: the
/// generated types keep those as raw bytes and so accept any content there,
/// which the dynamic codec decodes and may refuse.
pub fn holds_raw(schema: &Schema, c: &Combinator) -> bool {
    fn walk<'s>(
        schema: &'s Schema,
        c: &'s Combinator,
        seen: &mut std::collections::HashSet<&'s str>,
    ) -> bool {
        if !seen.insert(&c.name) {
            return false;
        }
        c.params.iter().any(|p| match &p.ty {
            ParamType::Typed { ty, .. } if ty.name != "true" => {
                ty_raw(schema, ty, &c.type_params, seen)
            }
            _ => false,
        })
    }
    fn ty_raw<'s>(
        schema: &'s Schema,
        ty: &'s TypeRef,
        generics: &[String],
        seen: &mut std::collections::HashSet<&'s str>,
    ) -> bool {
        match kind(schema, ty, generics) {
            Kind::Object | Kind::Query => true,
            Kind::Vector(elem) => ty_raw(schema, elem, generics, seen),
            Kind::Boxed(t) => schema
                .constructors_of(t)
                .collect::<Vec<_>>()
                .into_iter()
                .any(|c| walk(schema, c, seen)),
            Kind::Bare(c) => walk(schema, c, seen),
            _ => false,
        }
    }
    walk(schema, c, &mut std::collections::HashSet::new())
}

/// Set every `bytes:int` that sizes a following `body:Object` (the
/// service schema's `message`) to the body's encoded length: the dynamic
/// codec writes the number given, the generated types compute it.
pub fn fix_sizes(codec: &mtproto_core::tl::dynamic::Codec, v: &mut Value) {
    match v {
        Value::Object(m) => {
            for x in m.values_mut() {
                fix_sizes(codec, x);
            }
            if let (Some(Value::Number(_)), Some(body)) = (m.get("bytes"), m.get("body")) {
                if let Ok(b) = codec.encode(body) {
                    m.insert("bytes".into(), json!(b.len()));
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| fix_sizes(codec, x)),
        _ => {}
    }
}

/// Whether a decoded value holds a NaN: the codec's JSON has one NaN, the
/// wire has many (the generated types keep the payload bits).
pub fn has_nan(v: &Value) -> bool {
    match v {
        Value::String(s) => s == "NaN",
        Value::Object(m) => m.values().any(has_nan),
        Value::Array(a) => a.iter().any(has_nan),
        _ => false,
    }
}
