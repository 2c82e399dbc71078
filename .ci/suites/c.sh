#!/usr/bin/env bash
# The C suite: builds libmtproto.a (crate mtproto-ffi), checks that the committed
# header matches the sources, then compiles every ffi/tests/*.c against the
# header and the static library and runs each binary in three modes:
#   plain     - gcc -O1, run directly;
#   valgrind  - the plain binary under valgrind --leak-check=full --error-exitcode=1;
#   sanitize  - rebuilt with -fsanitize=address,undefined and run.
# Counting: each binary prints "N passed, M failed" as its last line; the suite
# total is the sum over binaries AND modes (every check counts once per mode).
# A stale header counts as one failure (see below). A crash, a sanitizer
# report, a valgrind error or a missing count line counts as one extra failure
# of that run.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"

PROFILE=debug
OUT="$ROOT/target/c-tests"
mkdir -p "$OUT"
LIB="$ROOT/target/$PROFILE/libmtproto.a"
VECTORS="$ROOT/tests/vectors"

echo "[c] cargo build -p mtproto-ffi ($PROFILE)"
cargo build -p mtproto-ffi

passed=0
failed=0

# The header drift test. rust.sh counts it (cargo test --workspace); here it
# is a gate only, because the C tests below compile against the committed
# header: a pass is not counted again, a failure counts as one C failure.
echo "[c] header drift test"
if ! cargo test -p mtproto-ffi --test header; then
  echo "[c] ffi/include/mtproto.h is stale: UPDATE_HEADER=1 cargo test -p mtproto-ffi --test header"
  failed=$((failed + 1))
fi

CFLAGS=(-std=c11 -Wall -Wextra -Werror -g -I "$ROOT/ffi/include")
LIBS=("$LIB" -lcjson -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=86"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

declare -A mode_passed mode_failed
for m in plain valgrind sanitize; do mode_passed[$m]=0; mode_failed[$m]=0; done

# run_one MODE NAME CMD...: run a test binary, add its counts.
run_one() {
  local mode=$1 name=$2; shift 2
  local log="$OUT/$name.$mode.log" rc=0
  echo "[c] $mode: $name"
  "$@" >"$log" 2>&1 || rc=$?
  # Show failures and the count line; the full log stays in target/c-tests/.
  grep -E '^FAIL|ERROR SUMMARY|definitely lost|runtime error|AddressSanitizer|LeakSanitizer' "$log" | head -50 || true
  local last p=0 f=0
  last=$(tail -n 1 "$log")
  if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}
  else
    # valgrind/sanitizers print after the program; find the program's line.
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)
    if [[ $line =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
      p=${BASH_REMATCH[1]}; f=${BASH_REMATCH[2]}
    else
      echo "[c] $mode: $name printed no count line (exit $rc); last lines:"; tail -n 20 "$log"
      f=1
    fi
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "[c] $mode: $name exited $rc with no failed check (crash, leak or tool error); see $log"
    tail -n 30 "$log"
    f=1
  fi
  echo "[c] $mode: $name: $p passed, $f failed"
  mode_passed[$mode]=$((mode_passed[$mode] + p))
  mode_failed[$mode]=$((mode_failed[$mode] + f))
}

shopt -s nullglob
tests=("$ROOT"/ffi/tests/*.c)
[ ${#tests[@]} -gt 0 ] || { echo "[c] no C tests found"; exit 1; }

for src in "${tests[@]}"; do
  name=$(basename "$src" .c)
  args=()
  [ "$name" = test_vectors ] && args=("$VECTORS")
  [ "$name" = test_tl ] && args=("$VECTORS" "$ROOT/tests/schema")
  [ "$name" = test_transport ] && args=("$VECTORS")
  [ "$name" = test_auth ] && args=("$VECTORS")

  if gcc "${CFLAGS[@]}" -O1 -o "$OUT/$name" "$src" "${LIBS[@]}"; then
    run_one plain "$name" "$OUT/$name" "${args[@]}"
    run_one valgrind "$name" valgrind -q --leak-check=full --errors-for-leak-kinds=definite,possible \
      --error-exitcode=1 "$OUT/$name" "${args[@]}"
  else
    echo "[c] compile failed: $name"
    mode_failed[plain]=$((mode_failed[plain] + 1)); mode_failed[valgrind]=$((mode_failed[valgrind] + 1))
  fi

  if gcc "${CFLAGS[@]}" -O1 "${SAN[@]}" -o "$OUT/$name.san" "$src" "${LIBS[@]}"; then
    run_one sanitize "$name" "$OUT/$name.san" "${args[@]}"
  else
    echo "[c] compile failed (sanitizers): $name"
    mode_failed[sanitize]=$((mode_failed[sanitize] + 1))
  fi
done

for m in plain valgrind sanitize; do
  echo "[c] mode $m: ${mode_passed[$m]} passed, ${mode_failed[$m]} failed"
  passed=$((passed + mode_passed[$m])); failed=$((failed + mode_failed[$m]))
done

record c "$passed" "$failed"
[ "$failed" -eq 0 ]
