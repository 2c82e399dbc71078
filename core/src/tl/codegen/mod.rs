//! Rust types generated from a TL schema (`/mtproto/TL`), and the run-time
//! pieces they use.
//!
//! [`generate_rust`] turns a parsed [`Schema`] into the source of one module:
//!
//! - `types::`: a struct per constructor, implementing [`Identifiable`],
//!   boxed [`Serialize`]/[`Deserialize`] (constructor id first) and the bare
//!   forms `serialize_bare`/`deserialize_bare`;
//! - `functions::`: a struct per function, the same, plus [`RemoteCall`]
//!   naming its result type;
//! - at the top: an enum per boxed type with several constructors (reading
//!   dispatches on the id), an alias per boxed type with one, and one enum of
//!   every function for servers.
//!
//! Field types: `int` `i32`, `long` `i64`, `double` `f64`, `int128`
//! `[u8; 16]`, `int256` `[u8; 32]`, `string` `String`, `bytes` `Vec<u8>`,
//! `Bool` `bool`, `Vector<T>`/`vector<T>` `Vec<T>` (boxed or bare on the
//! wire as written), a bare constructor (`vector<future_salt>`, `%Message`)
//! its struct, `flags.N?true` `bool`, `flags.N?T` `Option<T>`, and `Object`
//! or `!X` [`RawObject`] (see there for how their end is found). `#` fields
//! are not stored: they are computed from the fields they govern on write,
//! and bits no field uses are ignored on read (so new flags from a newer
//! layer do not break older code). If two fields share a bit, keep them both
//! present or both absent: the bit is set when either is.
//!
//! A function's result type ([`RemoteCall::Return`]) is its boxed type,
//! `bool` for `Bool`, `Vec<T>` for a boxed `Vector<T>` (`Vec<i64>` for
//! `Vector<long>`, `Vec<User>` for `Vector<User>`), a primitive for a
//! builtin, or [`RawObject`] for a generic `X`. Each of these Rust types
//! stands for exactly one TL form, so that it can be read and written as a
//! whole value: `bytes` in a result is the [`Bytes`] newtype, never
//! `Vec<u8>` (see [below](#function-results-as-rust-values)).
//!
//! # Function results as Rust values
//!
//! [`RemoteCall::Return`] must be [`Serialize`] + [`Deserialize`], and a
//! function may answer with a builtin or a vector (`= Vector<long>`,
//! `= Vector<User>`, `= Bool`). Each Rust type below stands for exactly one
//! TL form, so that nothing about the wire is left to guess:
//!
//! | Rust | TL |
//! |---|---|
//! | `i32`, `i64`, `f64` | `int`, `long`, `double` |
//! | `[u8; 16]`, `[u8; 32]` | `int128`, `int256` |
//! | `String` | `string` |
//! | [`Bytes`] | `bytes` (a newtype: `Vec<u8>` is no TL value on its own) |
//! | `bool` | boxed `Bool` (`boolTrue`/`boolFalse`) |
//! | `Vec<T>` | boxed `Vector<T>`: `vector#1cb5c415`, the count, then each element as `T` writes it (primitives bare as always, types boxed with their id) |
//! | generated types and enums | the boxed type (constructor id first) |
//!
//! Bare vectors (`vector<T>`) and bare constructors (`%T`) are not values of
//! their own: they only occur as fields, which the generated code reads and
//! writes inline (there `bytes` stays `Vec<u8>`). The generator refuses a
//! function result that would need them.
//!
//! # Recursion
//!
//! Types that can contain themselves (`RichText`, `PageBlock`, `JSONValue`
//! in the API schema) are generated like any other, with two differences:
//!
//! - reading a value of a recursive constructor counts one nesting level
//!   ([`Reader::enter`]): more than [`MAX_DEPTH`] open levels is
//!   [`TlError::TooDeep`], so input cannot choose how deep the decoder
//!   recurses (and how much stack it uses). Non-recursive types need no
//!   count: how deep they nest is fixed by the schema;
//! - a field that holds a value of its own cycle directly (not in a vector)
//!   is a `Box<T>` (`Option<Box<T>>` when conditional), which gives every
//!   type a finite size. Which fields: those inside a cycle of the graph of
//!   direct containment, so `textBold text:RichText` is boxed and
//!   `textConcat texts:Vector<RichText>` is not.
//!
//! A type that contains itself in every case (`node next:Node = Node`) has
//! no finite value and is refused.
//!
//! # Limits
//!
//! Every vector count is checked against the input left, using the smallest
//! encoding of the element type, before anything is allocated. Refused, each
//! with a [`TlError::Schema`] naming the line: an `Object` of unknown length
//! that is not the last field, or in a vector (where it ends would be
//! ambiguous), function results that are bare (`vector<T>`, `%T`), generic
//! constructors, recursive types without a finite value, and names that
//! clash in Rust. `gzip_packed` is not inflated by generated code (the
//! dynamic codec does it): unpack a message body before decoding it.
//!
//! The service schema's output is committed as [`crate::tl::mtproto`]; a
//! test regenerates it and fails on any difference
//! (`UPDATE_GENERATED=1 cargo test -p mtproto-core --test tl_codegen`
//! rewrites it).
//!
//! [`Identifiable`]: crate::tl::Identifiable
//! [`Reader::enter`]: crate::tl::Reader::enter
//! [`MAX_DEPTH`]: crate::tl::MAX_DEPTH
//! [`Serialize`]: crate::tl::Serialize
//! [`Deserialize`]: crate::tl::Deserialize

mod emit;
mod model;
mod names;
mod support;

pub use support::{Bytes, RawObject, RemoteCall, read_variant};

/// Combinators the serializer handles natively, which get no generated
/// struct (`/mtproto/serialize`: the builtin types, `Vector t`, `Bool`,
/// `true`).
pub const NATIVE_COMBINATORS: &[&str] = &[
    "int",
    "long",
    "double",
    "string",
    "bytes",
    "int128",
    "int256",
    "vector",
    "boolTrue",
    "boolFalse",
    "true",
];

/// Whether `c` is one of [`NATIVE_COMBINATORS`].
pub fn is_native_combinator(c: &crate::tl::schema::Combinator) -> bool {
    NATIVE_COMBINATORS.contains(&c.name.as_str())
}

use crate::error::TlError;
use crate::tl::schema::Schema;

/// How the generated module is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodegenOptions {
    /// The path of this crate as seen from the generated code: `crate`
    /// inside mtproto-core, `mtproto_core` anywhere else.
    pub crate_path: String,
    /// The schema's name as docs cite it (`core/schema/mtproto.tl`).
    pub source_name: String,
    /// The module's `//!` documentation.
    pub module_doc: String,
    /// How to regenerate the file, for its header comment.
    pub regenerate: String,
    /// The name of the enum of every function.
    pub function_enum: String,
}

impl Default for CodegenOptions {
    fn default() -> Self {
        CodegenOptions {
            crate_path: "crate".into(),
            source_name: "the schema".into(),
            module_doc: "Types generated from a TL schema.".into(),
            regenerate: "regenerate it from the schema.".into(),
            function_enum: "Function".into(),
        }
    }
}

/// The Rust name generated code gives a TL type, constructor or function:
/// `messages.Messages` → `MessagesMessages` (an enum or alias at the top of
/// the module), `messages.messages` → `MessagesMessages` (a struct in
/// `types`), `messages.getHistory` → `MessagesGetHistory` (a struct in
/// `functions`). For tools that refer to generated types by their TL names.
pub fn rust_name(tl_name: &str) -> String {
    names::camel_case(tl_name)
}

/// The Rust source of a module with a type for every constructor and
/// function of `schema` (see the [module docs](self)).
///
/// The output is plain text laid out close to rustfmt's style; mark the
/// module `#[rustfmt::skip]` so that the committed file stays exactly what
/// the generator writes.
pub fn generate_rust(schema: &Schema, options: &CodegenOptions) -> Result<String, TlError> {
    let model = model::Model::build(schema, &options.function_enum)?;
    let mut e = emit::Emitter::new(&model, options);
    e.file();
    Ok(e.finish())
}
