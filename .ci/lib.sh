# Shared by the scripts in .ci/: paths, the tools dir, and the suite summary.
# Sourced, not run.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/.tools"
export PATH="$TOOLS/bin:$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
SUMMARY_DIR="$ROOT/target/test-summary"

# record SUITE PASSED FAILED: the suite's counts for the final summary of `make test`.
record() {
  mkdir -p "$SUMMARY_DIR"
  echo "$2 $3" > "$SUMMARY_DIR/$1"
  echo "$1: $2 passed, $3 failed"
}

# cargo_counts FILE: sum the "test result: ... N passed; M failed" lines of cargo test output.
cargo_counts() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;?$/) p += $(i-1); if ($(i) ~ /^failed;?$/) f += $(i-1) } }
       END { printf "%d %d\n", p, f }' "$1"
}
