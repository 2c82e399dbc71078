#!/usr/bin/env bash
# Kotlin suite: the uniffi bindings (Kotlin/JVM over JNA) against the shared vectors.
#
# 1. build the cdylib and regenerate the Kotlin AND Swift bindings into target/,
#    failing if they differ from the committed copies (update them with
#    `bash .ci/suites/regen-uniffi.sh`);
# 2. compile kotlin/src/main + kotlin/src/test in one kotlinc run (skipped when
#    no source changed since the last successful compile);
# 3. run the test runner (mtproto.test.MainKt) and record its counts.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"

KOTLIN_HOME="$TOOLS/node_modules/kotlin-compiler"
KOTLINC="$KOTLIN_HOME/bin/kotlinc"
JNA=/usr/share/java/jna.jar
[ -x "$KOTLINC" ] || { echo "kotlin: $KOTLINC missing (run .ci/install-tools.sh)" >&2; record kotlin 0 1; exit 1; }
[ -f "$JNA" ] || { echo "kotlin: $JNA missing (run .ci/install-tools.sh)" >&2; record kotlin 0 1; exit 1; }

work="$ROOT/target/kotlin"
mkdir -p "$work"

# 1. Drift check of the generated bindings.
check="$work/generated"
rm -rf "$check"
bash "$ROOT/.ci/suites/regen-uniffi.sh" --out "$check" >/dev/null
drift=0
for f in kotlin/src/main/kotlin/mtproto/mtproto_uniffi.kt \
         swift/Sources/MTProto/MTProto.swift \
         swift/Sources/MTProtoFFI/MTProtoFFI.h; do
  if ! diff -q "$check/$f" "$ROOT/$f" >/dev/null 2>&1; then
    echo "kotlin: generated bindings differ from the committed $f" >&2
    diff -u "$ROOT/$f" "$check/$f" 2>&1 | head -40 >&2 || true
    drift=1
  fi
done
if [ "$drift" != 0 ]; then
  echo "kotlin: the committed uniffi bindings are stale; update them with: bash .ci/suites/regen-uniffi.sh" >&2
  record kotlin 0 1
  exit 1
fi

# 2. Compile (one kotlinc run for the bindings and the tests).
classes="$work/classes"
stamp="$work/classes.stamp"
sum=$( { "$KOTLINC" -version 2>&1; find kotlin/src -name '*.kt' -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ] || [ ! -d "$classes" ]; then
  rm -rf "$classes" "$stamp"
  echo "kotlin: compiling"
  find kotlin/src -name '*.kt' > "$work/sources.txt"
  JAVA_OPTS="-Xss4m" "$KOTLINC" -nowarn -jvm-target 17 -cp "$JNA" -d "$classes" @"$work/sources.txt"
  echo "$sum" > "$stamp"
fi

# 3. Run.
mkdir -p "$work/jna-tmp"
log="$work/test.log"
set +e
java -Djna.library.path="$ROOT/target/debug" \
     -Djna.tmpdir="$work/jna-tmp" \
     -Dmtproto.vectors="$ROOT/tests/vectors" \
     -cp "$classes:$KOTLIN_HOME/lib/kotlin-stdlib.jar:$JNA" \
     mtproto.test.MainKt 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

line=$(grep -E '^kotlin: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -1 || true)
if [ -z "$line" ]; then
  echo "kotlin: the runner printed no summary (exit $status)" >&2
  record kotlin 0 1
  exit 1
fi
passed=$(echo "$line" | awk '{print $2}')
failed=$(echo "$line" | awk '{print $4}')
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
record kotlin "$passed" "$failed"
[ "$failed" = 0 ]
