#!/usr/bin/env bash
# Swift suite: the Swift package in swift/ (generated uniffi bindings + XCTest
# tests over the shared vectors), linked against the Rust cdylib.
#
# Without a Swift toolchain (there is none for this project's Linux machines)
# it checks that the package's files are present, prints exactly one line
# `SKIPPED swift: no toolchain` and records 0 0. Whether the committed Swift
# bindings match the Rust crate is checked by kotlin.sh in either case.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"

files=(
  swift/Package.swift
  swift/Sources/MTProto/MTProto.swift
  swift/Sources/MTProtoFFI/MTProtoFFI.h
  swift/Sources/MTProtoFFI/module.modulemap
  swift/Tests/MTProtoTests/MTProtoTests.swift
  swift/Tests/MTProtoTests/Vectors.swift
  swift/Tests/MTProtoTests/TlTests.swift
  swift/Tests/MTProtoTests/TransportTests.swift
  swift/Tests/MTProtoTests/AuthTests.swift
)
for f in "${files[@]}"; do
  if [ ! -s "$f" ]; then
    echo "swift: $f is missing (regenerate the bindings with: bash .ci/suites/regen-uniffi.sh)" >&2
    record swift 0 1
    exit 1
  fi
done

if ! command -v swift >/dev/null 2>&1; then
  echo "SKIPPED swift: no toolchain"
  record swift 0 0 >/dev/null
  exit 0
fi

cargo build -q -p mtproto-uniffi
lib="$ROOT/target/debug"
log="$ROOT/target/swift-test.log"
mkdir -p "$ROOT/target"
set +e
(cd swift && MTPROTO_VECTORS="$ROOT/tests/vectors" \
  swift test --scratch-path "$ROOT/target/swift-build" \
    -Xlinker -L"$lib" -Xlinker -rpath -Xlinker "$lib") 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# XCTest prints one line per test: "Test Case '...' passed|failed (... seconds)".
passed=$(grep -cE "^Test Case '.*' passed" "$log" || true)
failed=$(grep -cE "^Test Case '.*' failed" "$log" || true)
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
if [ "$passed" = 0 ] && [ "$failed" = 0 ]; then
  echo "swift: no test ran" >&2
  failed=1
fi
record swift "$passed" "$failed"
[ "$failed" = 0 ]
