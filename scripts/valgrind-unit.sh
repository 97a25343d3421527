#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run every unit test binary of a (non-sanitized) build under valgrind;
# any memory error or definite leak fails.
set -euo pipefail
build=${1:-build}
export VOUCH_TESTDATA=${VOUCH_TESTDATA:-$(cd "$(dirname "$0")/.." && pwd)/../shared/testdata}
export VOUCH_BIN="$build/vouch"
# Exhaustive tamper loops stride under valgrind (tests/unit/test_dcap.c).
export VOUCH_TEST_QUICK=1
n=0
for t in "$build"/test_*; do
  [ -x "$t" ] || continue
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "$t" >/dev/null 2>"$build/valgrind-$(basename "$t").log" || {
      echo "valgrind: $(basename "$t") FAILED" >&2; cat "$build/valgrind-$(basename "$t").log" >&2; exit 1; }
  n=$((n + 1))
done
echo "valgrind: $n unit test binaries clean"
