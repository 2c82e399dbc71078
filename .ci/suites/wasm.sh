#!/usr/bin/env bash
# The wasm suite: builds the npm package (wasm/build.sh: cargo for wasm32,
# wasm-bindgen, wasm-opt) and runs the Node tests in wasm/test/ against it.
# The benchmarks (wasm/bench/ige.mjs, wasm/bench/tl.mjs and
# wasm/bench/transport.mjs) are not run here: timing is never tested.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"

out="$ROOT/target/wasm-suite"
mkdir -p "$out"

echo "wasm: building the npm package (wasm/pkg)"
if ! bash wasm/build.sh; then
  echo "wasm: build failed" >&2
  record wasm 0 1
  exit 1
fi

echo "wasm: node --test wasm/test/"
# Readable results on stdout; the TAP stream (whose "# pass N" / "# fail M"
# summary gives the counts) into a file.
tap="$out/node-test.tap"
status=0
node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  wasm/test/ || status=$?

passed=$(awk '/^# pass / { n = $3 } END { print n + 0 }' "$tap")
failed=$(awk '/^# fail / { n = $3 } END { print n + 0 }' "$tap")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # node failed without a failing test (a file that did not load, a crash):
  # count it as a failure rather than report a clean suite.
  failed=1
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "wasm: no tests ran" >&2
  failed=1
fi
record wasm "$passed" "$failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
