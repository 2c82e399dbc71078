#!/usr/bin/env bash
# Rust: formatting, clippy with warnings as errors, and every test of the
# workspace (unit, integration, vectors, fuzz corpus replay, header drift,
# benchmarks once in test mode).
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
log="$ROOT/target/rust-test.log"
mkdir -p "$ROOT/target"
failed_checks=0; passed_checks=0

if cargo fmt --all --check; then passed_checks=$((passed_checks + 1)); else
  echo "FAILED: cargo fmt --check (run: cargo fmt --all)"; failed_checks=$((failed_checks + 1)); fi
if cargo clippy -q --workspace --all-targets -- -D warnings; then passed_checks=$((passed_checks + 1)); else
  echo "FAILED: cargo clippy"; failed_checks=$((failed_checks + 1)); fi

if RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p mtproto-core; then passed_checks=$((passed_checks + 1)); else
  echo "FAILED: cargo doc (broken or private intra-doc links)"; failed_checks=$((failed_checks + 1)); fi

cargo test --workspace --all-targets 2>&1 | tee "$log" | grep -E '^(test result: |test .* FAILED|error|failures:|---- )' 
rc=${PIPESTATUS[0]}
read -r p f < <(cargo_counts "$log")
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1 && echo "FAILED: cargo test exited $rc (see $log)"
record rust $((p + passed_checks)) $((f + failed_checks))
[ "$f" -eq 0 ] && [ "$failed_checks" -eq 0 ]
