#!/usr/bin/env bash
# Fuzz smoke runs: every target of core/fuzz for a bounded number of runs
# (FUZZ_RUNS, default 2000000) and time (FUZZ_SECONDS, default 20). New inputs
# go to target/fuzz-corpus/, never into the committed corpus; a crash fails
# the suite and leaves its input in core/fuzz/artifacts/.
set -uo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT/core/fuzz"
runs=${FUZZ_RUNS:-2000000}; secs=${FUZZ_SECONDS:-20}
p=0; f=0
for src in fuzz_targets/*.rs; do
  t=$(basename "$src" .rs)
  mkdir -p "$ROOT/target/fuzz-corpus/$t" "corpus/$t"
  if cargo fuzz run -s none "$t" "$ROOT/target/fuzz-corpus/$t" "corpus/$t" -- \
      -runs="$runs" -max_total_time="$secs" -print_final_stats=1 > "$ROOT/target/fuzz-$t.log" 2>&1; then
    echo "ok: $t ($(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$ROOT/target/fuzz-$t.log" | grep -Eo '[0-9]+$') executions)"
    p=$((p + 1))
  else
    echo "FAILED: fuzz target $t"; tail -30 "$ROOT/target/fuzz-$t.log"; f=$((f + 1))
  fi
done
record fuzz "$p" "$f"
[ "$f" -eq 0 ]
