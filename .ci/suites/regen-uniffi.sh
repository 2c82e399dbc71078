#!/usr/bin/env bash
# Regenerates the committed uniffi bindings from the Rust crate `mtproto-uniffi`:
#   kotlin/src/main/kotlin/mtproto/mtproto_uniffi.kt
#   swift/Sources/MTProto/MTProto.swift
#   swift/Sources/MTProtoFFI/MTProtoFFI.h
# (swift/Sources/MTProtoFFI/module.modulemap is written by hand.)
#
#   bash .ci/suites/regen-uniffi.sh            rewrite the committed copies
#   bash .ci/suites/regen-uniffi.sh --out DIR  write the same layout under DIR
#                                              (kotlin.sh uses this to detect drift)
#
# Not a test suite: it never calls `record`.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"

out="$ROOT"
if [ "${1:-}" = "--out" ]; then
  out=${2:?"--out needs a directory"}
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--out DIR]" >&2
  exit 2
fi

case "$(uname -s)" in
  Darwin) lib="$ROOT/target/debug/libmtproto_uniffi.dylib" ;;
  *) lib="$ROOT/target/debug/libmtproto_uniffi.so" ;;
esac

# The generator reads the metadata embedded in the library (library mode) and
# bindings/uniffi.toml; uniffi-bindgen is built from the workspace so its
# version always matches the runtime's.
cargo build -q -p mtproto-uniffi
cargo build -q -p uniffi-bindgen
gen="$ROOT/target/uniffi-gen"
rm -rf "$gen"
for lang in kotlin swift; do
  "$ROOT/target/debug/uniffi-bindgen" generate "$lib" --language "$lang" --out-dir "$gen/$lang" --no-format >/dev/null
done

install_file() { mkdir -p "$(dirname "$2")"; cp "$1" "$2"; }
install_file "$gen/kotlin/mtproto/mtproto_uniffi.kt" "$out/kotlin/src/main/kotlin/mtproto/mtproto_uniffi.kt"
install_file "$gen/swift/MTProto.swift" "$out/swift/Sources/MTProto/MTProto.swift"
install_file "$gen/swift/MTProtoFFI.h" "$out/swift/Sources/MTProtoFFI/MTProtoFFI.h"
echo "uniffi bindings written under $out"
