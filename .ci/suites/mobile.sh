#!/usr/bin/env bash
# Static libraries for iOS and Android (the libraries an app links; no Apple
# or NDK linker is needed for a staticlib, hence `cargo rustc --crate-type`).
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
p=0; f=0
for target in aarch64-apple-ios aarch64-linux-android; do
  for crate in mtproto-uniffi:mtproto_uniffi mtproto-ffi:mtproto; do
    pkg=${crate%%:*}; lib=${crate##*:}
    out="target/$target/release/lib$lib.a"
    rm -f "$out"
    if cargo rustc -q -p "$pkg" --lib --crate-type staticlib --target "$target" --release && [ -s "$out" ]; then
      echo "ok: $out ($(du -h "$out" | cut -f1))"; p=$((p + 1))
    else
      echo "FAILED: $pkg for $target"; f=$((f + 1))
    fi
  done
done
record mobile "$p" "$f"
[ "$f" -eq 0 ]
