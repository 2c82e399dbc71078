//! The generated types against the dynamic codec, for every constructor and
//! function of the API schema (and of the MTProto service schema): two
//! independent implementations of the same wire format must agree on every
//! byte.
//!
//! - **JSON → bytes → typed → bytes**: random values of each combinator
//!   (all optional fields present, none, and random mixes) are encoded by the
//!   dynamic codec, decoded by the generated types (through the boxed type's
//!   enum or alias, or the `Function` enum) and encoded again: the bytes
//!   must be identical. The same for every function's result type
//!   (`RemoteCall::Return`: `Vec<i64>`, `Vec<User>`, `bool`, ...).
//! - **bytes neither encoder wrote**: every encoding is mutated (bit flips,
//!   truncation, words replaced) and given to both decoders. They must
//!   accept and refuse the same inputs, and what the generated types accept
//!   and write back must decode, with the dynamic codec, to what the codec
//!   read from the mutated input. This is the reverse direction: typed
//!   values the dynamic encoder never produced, written by the generated
//!   code and read by the codec.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{Flags, Gen, Rng, Run, fix_sizes, generated, has_nan, holds_raw};
use mtproto_core::TlError;
use mtproto_core::tl::dynamic::Codec;
use mtproto_core::tl::schema::{Combinator, ParamType, Schema, Section};
use mtproto_core::tl::{Deserialize, Serialize};
use serde_json::Value;

include!(concat!(env!("OUT_DIR"), "/boxed_table.rs"));

fn reencode<T: Deserialize + Serialize>(bytes: &[u8]) -> Result<Vec<u8>, TlError> {
    T::from_tl_bytes(bytes).map(|v| v.to_tl_bytes())
}

/// Decode with the generated types: a function through the schema's
/// `Function` enum, a constructor through its boxed type. Checks the
/// function's id on the way.
type TypedReencode = fn(&Combinator, &[u8]) -> Result<Vec<u8>, TlError>;

fn api_typed(c: &Combinator, bytes: &[u8]) -> Result<Vec<u8>, TlError> {
    match c.section {
        Section::Functions => mtproto_tl_api::Function::from_tl_bytes(bytes).map(|f| {
            assert_eq!(f.constructor_id(), c.id, "{}", c.name);
            f.to_tl_bytes()
        }),
        Section::Types => api_reencode(&c.result.name, bytes)
            .unwrap_or_else(|| panic!("no generated type for {}", c.result.name)),
    }
}

fn mtproto_typed(c: &Combinator, bytes: &[u8]) -> Result<Vec<u8>, TlError> {
    match c.section {
        Section::Functions => mtproto_core::tl::mtproto::Function::from_tl_bytes(bytes).map(|f| {
            assert_eq!(f.constructor_id(), c.id, "{}", c.name);
            f.to_tl_bytes()
        }),
        Section::Types => mtproto_reencode(&c.result.name, bytes)
            .unwrap_or_else(|| panic!("no generated type for {}", c.result.name)),
    }
}

fn api_schema() -> Schema {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/api.tl");
    Schema::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn mtproto_schema() -> Schema {
    Schema::parse_verified(mtproto_core::tl::MTPROTO_SCHEMA).unwrap()
}

/// The dynamic codec's reading of `bytes` as a value of `c`'s kind: its
/// boxed type for a constructor, any function for a function.
fn dynamic_decode(codec: &Codec, c: &Combinator, bytes: &[u8]) -> Result<Value, TlError> {
    match c.section {
        Section::Types => codec.decode_as(&c.result.name, bytes),
        Section::Functions => codec.decode_as("!X", bytes),
    }
}

/// How each combinator's values are drawn: every optional field present,
/// none, then random mixes.
const ROUNDS: [Flags; 6] = [
    Flags::All,
    Flags::None,
    Flags::Random,
    Flags::Random,
    Flags::Random,
    Flags::Random,
];

struct Tally {
    combinators: usize,
    /// Fields (and `true` flags) present in the all-fields round.
    fields: usize,
    values: usize,
    bytes: usize,
}

/// JSON → dynamic encode → typed decode → typed encode, for every
/// generated combinator of `schema`; returns what was checked.
fn cross_check(schema: &Schema, typed: TypedReencode, seed: u64) -> Tally {
    let codec = Codec::new(schema.clone());
    let g = Gen::new(schema);
    let mut rng = Rng::new(seed);
    let mut tally = Tally {
        combinators: 0,
        fields: 0,
        values: 0,
        bytes: 0,
    };
    for c in schema.combinators.iter().filter(|c| generated(c)) {
        for flags in ROUNDS {
            let mut run = Run {
                rng: &mut rng,
                flags,
                budget: 150,
                max_depth: 8,
            };
            let mut v = g.combinator(&mut run, c, 0);
            if flags == Flags::All {
                // Every field of the combinator itself is exercised.
                for p in &c.params {
                    if matches!(&p.ty, ParamType::Typed { ty, .. } if ty.name != "true" || p.is_true_flag())
                    {
                        assert!(v.get(&p.name).is_some(), "{}.{} missing", c.name, p.name);
                        tally.fields += 1;
                    }
                }
            }
            fix_sizes(&codec, &mut v);
            let bytes = codec
                .encode(&v)
                .unwrap_or_else(|e| panic!("dynamic encode {}: {e}\n{v}", c.name));
            let again = typed(c, &bytes)
                .unwrap_or_else(|e| panic!("typed decode {} ({flags:?}): {e}\n{v}", c.name));
            assert!(
                again == bytes,
                "{} ({flags:?}): the generated types wrote other bytes\n{v}",
                c.name
            );
            tally.values += 1;
            tally.bytes += bytes.len();
        }
        tally.combinators += 1;
    }
    tally
}

#[test]
fn every_api_combinator_matches_the_dynamic_codec() {
    let schema = api_schema();
    let expected = schema.combinators.iter().filter(|c| generated(c)).count();
    let t = cross_check(&schema, api_typed, 228);
    assert_eq!(t.combinators, expected);
    // api.tl (layer 228): 1,645 constructors and 809 functions have a
    // generated struct; a smaller count means something was skipped.
    assert!(t.combinators >= 2450, "{}", t.combinators);
    eprintln!(
        "api.tl: {} combinators ({} fields), {} values, {} bytes cross-checked",
        t.combinators, t.fields, t.values, t.bytes
    );
}

#[test]
fn every_mtproto_combinator_matches_the_dynamic_codec() {
    let schema = mtproto_schema();
    let expected = schema.combinators.iter().filter(|c| generated(c)).count();
    let t = cross_check(&schema, mtproto_typed, 1);
    assert_eq!(t.combinators, expected);
    assert!(t.combinators > 50, "{}", t.combinators);
}

#[test]
fn every_api_function_result_matches_the_dynamic_codec() {
    let schema = api_schema();
    let codec = Codec::new(schema.clone());
    let g = Gen::new(&schema);
    let mut rng = Rng::new(7);
    let mut checked = 0;
    let mut vectors = 0;
    for f in schema.functions().filter(|c| generated(c)) {
        for flags in ROUNDS {
            let mut run = Run {
                rng: &mut rng,
                flags,
                budget: 150,
                max_depth: 8,
            };
            // A generic function answers with whatever its query returns:
            // any value, kept raw.
            let generic = f.type_params.contains(&f.result.name);
            let v = g.value(&mut run, &f.result, &f.type_params, 0);
            let ty = if generic {
                "Object".to_string()
            } else {
                f.result.to_string()
            };
            let bytes = codec
                .encode_as(&ty, &v)
                .unwrap_or_else(|e| panic!("dynamic encode {} result: {e}\n{v}", f.name));
            let again = api_return_reencode(&f.name, &bytes)
                .unwrap_or_else(|| panic!("no result type for {}", f.name))
                .unwrap_or_else(|e| panic!("typed decode {} result ({ty}): {e}\n{v}", f.name));
            assert!(again == bytes, "{} result ({ty}) differs\n{v}", f.name);
        }
        if f.result.name == "Vector" {
            vectors += 1;
        }
        checked += 1;
    }
    assert_eq!(checked, schema.functions().filter(|c| generated(c)).count());
    // Vector<long>, Vector<int>, Vector<User>, ... (38 in layer 228).
    assert!(vectors > 30, "{vectors}");
}

/// Small changes to a valid encoding: flip a bit, cut the end, overwrite a
/// word with 0, all ones or a neighbour's value.
fn mutate(rng: &mut Rng, bytes: &[u8]) -> Vec<u8> {
    let mut m = bytes.to_vec();
    if m.is_empty() {
        return m;
    }
    match rng.below(4) {
        0 => {
            let i = rng.below(m.len());
            m[i] ^= 1 << rng.below(8);
        }
        1 => m.truncate(rng.below(m.len())),
        2 => {
            // A word set to a value counts, lengths and flags often meet.
            let i = rng.below(m.len() / 4) * 4;
            let w = [0u32, u32::MAX, 1, 0x1cb5_c415][rng.below(4)].to_le_bytes();
            for (k, b) in w.iter().enumerate() {
                if let Some(x) = m.get_mut(i + k) {
                    *x = *b;
                }
            }
        }
        _ => {
            // Another random word: often a count, a length or a flags word.
            let i = rng.below(m.len() / 4) * 4;
            let w = (rng.next() as u32).to_le_bytes();
            for (k, b) in w.iter().enumerate() {
                if let Some(x) = m.get_mut(i + k) {
                    *x = *b;
                }
            }
        }
    }
    m
}

fn differential(schema: &Schema, typed: TypedReencode, seed: u64, per_value: usize) -> usize {
    let codec = Codec::new(schema.clone());
    let g = Gen::new(schema);
    let mut rng = Rng::new(seed);
    let mut accepted = 0usize;
    let mut total = 0usize;
    for c in schema.combinators.iter().filter(|c| generated(c)) {
        // `Object` and `!X` are raw bytes to the generated types, which
        // then accept content the codec may refuse: for combinators holding
        // one, only the "codec accepts ⇒ types accept" half applies.
        let raw = holds_raw(schema, c);
        for flags in [Flags::All, Flags::Random] {
            let mut run = Run {
                rng: &mut rng,
                flags,
                budget: 60,
                max_depth: 6,
            };
            let mut v = g.combinator(&mut run, c, 0);
            fix_sizes(&codec, &mut v);
            let bytes = codec.encode(&v).unwrap();
            for _ in 0..per_value {
                let m = mutate(&mut rng, &bytes);
                let dynamic = dynamic_decode(&codec, c, &m);
                let generated = typed(c, &m);
                total += 1;
                if let Ok(d) = &dynamic {
                    // The codec reads `message.bytes` as a plain int; the
                    // types check it against the body (and refuse a
                    // mismatch): no common ground to compare.
                    let mut sized = d.clone();
                    fix_sizes(&codec, &mut sized);
                    if &sized != d {
                        continue;
                    }
                }
                match (&dynamic, &generated) {
                    (Ok(d), Ok(written)) => {
                        accepted += 1;
                        // What the generated code writes reads back as the
                        // same value (not always the same bytes: flag bits
                        // no field uses are dropped by both).
                        let back = dynamic_decode(&codec, c, written).unwrap_or_else(|e| {
                            panic!(
                                "{}: the codec cannot read what the types wrote: {e}",
                                c.name
                            )
                        });
                        assert_eq!(&back, d, "{}: mutated value differs", c.name);
                        // And byte for byte, unless a NaN's payload (kept
                        // by the types, one "NaN" in JSON) differs.
                        if !has_nan(d) {
                            assert!(
                                written == &codec.encode(d).unwrap(),
                                "{}: the two encoders disagree",
                                c.name
                            );
                        }
                    }
                    (Err(_), Err(_)) => {}
                    (Ok(d), Err(e)) => panic!(
                        "{}: the codec accepts what the types refuse ({e}): {d}\n{}",
                        c.name,
                        hex(&m)
                    ),
                    (Err(e), Ok(_)) if !raw => panic!(
                        "{}: the types accept what the codec refuses ({e})\n{}",
                        c.name,
                        hex(&m)
                    ),
                    (Err(_), Ok(_)) => {}
                }
            }
        }
    }
    eprintln!("{total} mutated inputs, {accepted} accepted by both");
    // Mutations of flags words and truncations at a value's end leave
    // many inputs valid: both kinds of outcome must have been exercised.
    assert!(
        accepted > total / 20 && accepted < total,
        "{accepted}/{total}"
    );
    total
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn mutated_api_inputs_are_judged_alike() {
    let n = differential(&api_schema(), api_typed, 99, 8);
    assert!(n > 30_000, "{n}");
}

#[test]
fn mutated_mtproto_inputs_are_judged_alike() {
    differential(&mtproto_schema(), mtproto_typed, 5, 32);
}
