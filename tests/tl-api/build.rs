//! Generates the Rust types for `tests/schema/api.tl` into `OUT_DIR/api.rs`
//! (included by `src/lib.rs`), and for the tests tables from each boxed
//! type's TL name to its generated type and from each function's name to
//! its result type (`OUT_DIR/boxed_table.rs`): the cross-check decodes
//! values whose type it only knows by name.

use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;

use mtproto_core::tl::codegen::{CodegenOptions, generate_rust, is_native_combinator, rust_name};
use mtproto_core::tl::schema::id::IdCheck;
use mtproto_core::tl::schema::{Combinator, Schema};

const SCHEMA: &str = "../schema/api.tl";

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed={SCHEMA}");
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = std::env::var("OUT_DIR")?;
    let text = std::fs::read_to_string(SCHEMA)?;
    let schema = Schema::parse(&text)?;
    let options = CodegenOptions {
        crate_path: "mtproto_core".into(),
        source_name: "tests/schema/api.tl".into(),
        // `include!` cannot take inner attributes or `//!` docs: the crate
        // docs live in lib.rs.
        module_doc: String::new(),
        regenerate: "it is written by tests/tl-api/build.rs on every build.".into(),
        function_enum: "Function".into(),
    };
    let code = generate_rust(&schema, &options)?;
    std::fs::write(Path::new(&out_dir).join("api.rs"), code)?;

    let core = Schema::parse_verified(mtproto_core::tl::MTPROTO_SCHEMA)?;
    let mut table = String::new();
    boxed_table(&mut table, "api", "mtproto_tl_api", &schema)?;
    return_table(&mut table, "api", "mtproto_tl_api", &schema)?;
    boxed_table(&mut table, "mtproto", "mtproto_core::tl::mtproto", &core)?;
    std::fs::write(Path::new(&out_dir).join("boxed_table.rs"), table)?;
    Ok(())
}

/// Whether the generator gives `c` a struct and its type an enum or alias:
/// the same rule as its model (builtins, `Bool`, `True`, `Vector`, `Object`
/// and id aliases such as `invokeWithBusinessConnectionPrefix` get none).
fn generated(c: &Combinator) -> bool {
    !is_native_combinator(c)
        && !["Bool", "True", "Vector", "Object"].contains(&c.result.name.as_str())
        && c.id_check != IdCheck::Alias
}

/// `fn <name>_reencode(ty, bytes)`: decode `bytes` as the boxed type named
/// `ty` with the generated types and encode the value again; `None` for a
/// name with no generated type.
fn boxed_table(
    out: &mut String,
    name: &str,
    path: &str,
    schema: &Schema,
) -> Result<(), Box<dyn Error>> {
    let mut types: Vec<&str> = schema
        .constructors()
        .filter(|c| generated(c))
        .map(|c| c.result.name.as_str())
        .collect();
    types.sort_unstable();
    types.dedup();
    writeln!(
        out,
        "/// Decode `bytes` as the boxed type `ty` of the {name} schema with the generated types, \
         and encode the value again.\n\
         #[allow(dead_code)]\n\
         pub fn {name}_reencode(ty: &str, bytes: &[u8]) -> Option<Result<Vec<u8>, TlError>> {{\n    \
         Some(match ty {{"
    )?;
    for t in types {
        writeln!(
            out,
            "        {t:?} => reencode::<{path}::{}>(bytes),",
            rust_name(t)
        )?;
    }
    writeln!(out, "        _ => return None,\n    }})\n}}\n")?;
    Ok(())
}

/// `fn <name>_return_reencode(function, bytes)`: decode `bytes` as the
/// result of the function named `function` (`RemoteCall::Return`) and
/// encode it again; `None` for a name with no generated function.
fn return_table(
    out: &mut String,
    name: &str,
    path: &str,
    schema: &Schema,
) -> Result<(), Box<dyn Error>> {
    writeln!(
        out,
        "/// Decode `bytes` as the result of the function `function` of the {name} schema \
         (its `RemoteCall::Return`), and encode the value again.\n\
         #[allow(dead_code)]\n\
         pub fn {name}_return_reencode(function: &str, bytes: &[u8]) -> Option<Result<Vec<u8>, TlError>> {{\n    \
         Some(match function {{"
    )?;
    for f in schema.functions().filter(|c| c.id_check != IdCheck::Alias) {
        writeln!(
            out,
            "        {:?} => reencode::<<{path}::functions::{} as \
             mtproto_core::tl::codegen::RemoteCall>::Return>(bytes),",
            f.name,
            rust_name(&f.name)
        )?;
    }
    writeln!(out, "        _ => return None,\n    }})\n}}\n")?;
    Ok(())
}
