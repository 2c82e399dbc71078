#!/usr/bin/env bash
# Builds the npm package `mtproto-wasm` into wasm/pkg/ (git-ignored):
#   wasm/pkg/       Node (CommonJS: require("mtproto-wasm")), with its .d.ts
#   wasm/pkg/web/   browsers and bundlers (ES module; call `init()` first)
# Steps: cargo (wasm32, release) -> wasm-bindgen (exactly the Cargo.lock
# version, from .tools/bin) -> wasm-opt -Oz (npm binaryen, never Debian's).
# Needs the tools of .ci/install-tools.sh. Quiet unless something fails.
set -euo pipefail
source "$(dirname "$0")/../.ci/lib.sh"
cd "$ROOT"

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "wasm/build.sh: wasm-bindgen CLI ${have:-missing}, Cargo.lock wants $want: run .ci/install-tools.sh" >&2
  exit 1
fi
opt="$TOOLS/node_modules/.bin/wasm-opt"
[ -x "$opt" ] || { echo "wasm/build.sh: $opt missing: run .ci/install-tools.sh" >&2; exit 1; }

cargo build -q -p mtproto-wasm --target wasm32-unknown-unknown --release
in=target/wasm32-unknown-unknown/release/mtproto_wasm.wasm
pkg=wasm/pkg

rm -rf "$pkg"
wasm-bindgen --target nodejs --out-dir "$pkg" "$in"
wasm-bindgen --target web --out-dir "$pkg/web" "$in"
for wasm in "$pkg/mtproto_wasm_bg.wasm" "$pkg/web/mtproto_wasm_bg.wasm"; do
  "$opt" -Oz "$wasm" -o "$wasm"
done

version=$(cargo pkgid -p mtproto-wasm | sed 's/.*@//')
sed "s/@VERSION@/$version/" wasm/npm/package.json > "$pkg/package.json"
# The web build is ES modules: say so to Node and bundlers.
echo '{ "type": "module" }' > "$pkg/web/package.json"
cp wasm/npm/README.md "$pkg/README.md"
