//! The committed header `include/mtproto.h` must be exactly what cbindgen
//! generates from the current sources with `cbindgen.toml`.
//!
//! To update it after changing the API:
//! `UPDATE_HEADER=1 cargo test -p mtproto-ffi --test header`.
#![allow(clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn header_matches_sources() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("read cbindgen.toml");
    // with_src parses src/lib.rs and follows its `mod` items: no `cargo
    // metadata` run, and mtproto-core is not parsed.
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen failed on ffi/src");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let path = dir.join("include/mtproto.h");
    if std::env::var_os("UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).expect("write include/mtproto.h");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    if committed != generated {
        let committed = String::from_utf8_lossy(&committed);
        let generated = String::from_utf8_lossy(&generated);
        let first = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "ffi/include/mtproto.h is out of date with ffi/src (first difference at line {}:\n  committed: {:?}\n  generated: {:?}).\n\
             Regenerate it with:\n    UPDATE_HEADER=1 cargo test -p mtproto-ffi --test header\n\
             and commit the result.",
            first + 1,
            committed.lines().nth(first).unwrap_or("<end of file>"),
            generated.lines().nth(first).unwrap_or("<end of file>"),
        );
    }
}
