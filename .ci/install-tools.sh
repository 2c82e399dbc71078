#!/usr/bin/env bash
# Installs everything `make test` needs that a new machine lacks, idempotently:
# each step checks first and does nothing when the tool is already there.
# Tools that are not system packages go into the git-ignored .tools/ dir.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$TOOLS"

say() { echo "[tools] $*"; }

# Rust targets: wasm for the npm package, iOS and Android for the static libs.
for t in wasm32-unknown-unknown aarch64-apple-ios aarch64-linux-android; do
  rustup target list --installed | grep -qx "$t" || { say "rustup target add $t"; rustup target add "$t"; }
done
for c in rustfmt clippy; do
  rustup component list --installed | grep -q "^$c" || rustup component add "$c"
done

# Debian packages: JNA for the Kotlin tests, valgrind and cJSON for the C tests.
need_apt=()
[ -f /usr/share/java/jna.jar ] || need_apt+=(libjna-java)
command -v valgrind >/dev/null || need_apt+=(valgrind)
[ -f /usr/include/cjson/cJSON.h ] || need_apt+=(libcjson-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# wasm-bindgen CLI at exactly the version in Cargo.lock (its lockfile does not
# resolve here, hence no --locked).
wbg=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
have=$("$TOOLS/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wbg" ]; then
  say "cargo install wasm-bindgen-cli $wbg"
  cargo install -q wasm-bindgen-cli --version "$wbg" --root "$TOOLS" --force
fi

# cargo-fuzz for the fuzz smoke runs.
if ! "$TOOLS/bin/cargo-fuzz" --version 2>/dev/null | grep -q '0.13.2'; then
  say "cargo install cargo-fuzz 0.13.2"
  cargo install -q cargo-fuzz --version 0.13.2 --locked --root "$TOOLS" --force
fi

# npm: the Kotlin compiler and binaryen's wasm-opt (never Debian's binaryen).
if [ ! -x "$TOOLS/node_modules/kotlin-compiler/bin/kotlinc" ] || [ ! -e "$TOOLS/node_modules/.bin/wasm-opt" ]; then
  say "npm install kotlin-compiler binaryen"
  [ -f "$TOOLS/package.json" ] || echo '{"name":"mtproto-tools","private":true}' > "$TOOLS/package.json"
  (cd "$TOOLS" && npm install --no-audit --no-fund --silent kotlin-compiler@2.4.20 binaryen@132.0.0)
fi
say "all tools present"
