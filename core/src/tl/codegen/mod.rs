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
//! A function's result type ([`RemoteCall::Return`]) is its boxed type, `bool`
//! for `Bool`, or [`RawObject`] for a generic `X`.
//!
//! Every vector count is checked against the input left, using the smallest
//! encoding of the element type, before anything is allocated. Refused, each
//! with a [`TlError::Schema`] naming the line: recursive types (decoding depth
//! would be chosen by the input; the dynamic codec bounds it), an `Object` of
//! unknown length that is not the last field, or in a vector (where it ends
//! would be ambiguous), function results that are vectors or builtins, generic
//! constructors, and names that clash in Rust. The secret-chat schema
//! generates; api.tl, which needs the first two, is for the dynamic codec.
//!
//! The service schema's output is committed as [`crate::tl::mtproto`]; a
//! test regenerates it and fails on any difference
//! (`UPDATE_GENERATED=1 cargo test -p mtproto-core --test tl_codegen`
//! rewrites it).
//!
//! [`Identifiable`]: crate::tl::Identifiable
//! [`Serialize`]: crate::tl::Serialize
//! [`Deserialize`]: crate::tl::Deserialize

mod emit;
mod model;
mod names;
mod support;

pub use support::{RawObject, RemoteCall};

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
