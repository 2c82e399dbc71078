#!/usr/bin/env bash
# `make test`: install what is missing, run every suite (a failing suite does
# not stop the others), print one summary line per suite and a last line
# `N passed, N failed`. Exits non-zero if anything failed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

SUITES=(rust c wasm kotlin swift mobile fuzz)
rm -rf "$SUMMARY_DIR"
mkdir -p "$SUMMARY_DIR"
start=$(date +%s)

if ! bash .ci/install-tools.sh; then
  echo "tools: installation failed"
  record tools 0 1
fi

for s in "${SUITES[@]}"; do
  echo
  echo "=============== suite: $s ==============="
  t0=$(date +%s)
  bash ".ci/suites/$s.sh"
  rc=$?
  if [ ! -f "$SUMMARY_DIR/$s" ]; then
    record "$s" 0 1 >/dev/null # died before counting
  elif [ $rc -ne 0 ] && [ "$(cut -d' ' -f2 "$SUMMARY_DIR/$s")" = 0 ]; then
    read -r p _ < "$SUMMARY_DIR/$s"
    record "$s" "$p" 1 >/dev/null # failed outside its counted tests
  fi
  echo "--- $s took $(( $(date +%s) - t0 )) s (exit $rc)"
done

echo
echo "=============== summary ($(( $(date +%s) - start )) s) ==============="
total_p=0; total_f=0
for f in "$SUMMARY_DIR"/*; do
  read -r p fl < "$f"
  printf '%-8s %5d passed, %d failed\n' "$(basename "$f"):" "$p" "$fl"
  total_p=$((total_p + p)); total_f=$((total_f + fl))
done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
