#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run every unit test binary of a (non-sanitized) build under valgrind,
# as many at once as there are CPUs; any memory error or definite leak
# fails.
set -euo pipefail
build=${1:-build}
export VOUCH_TESTDATA=${VOUCH_TESTDATA:-$(cd "$(dirname "$0")/.." && pwd)/../shared/testdata}
export VOUCH_BIN="$build/vouch"
# Exhaustive tamper loops stride, and the slowest files run a
# representative subset, under valgrind (tests/unit/test_dcap.c,
# test_snp_synth.c).
export VOUCH_TEST_QUICK=1
one() { # TEST: run it, print its name if it fails
  local t=$1 log="$build/valgrind-$(basename "$1").log"
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "$t" >/dev/null 2>"$log" || { echo "$(basename "$t")"; }
}
export -f one
export build
# The slowest first, so that the parallel runs end together.
slow=(test_snp_synth test_dcap test_snp test_dcap_quote test_ecdsa_vectors)
tests=()
for n in "${slow[@]}"; do [ -x "$build/$n" ] && tests+=("$build/$n"); done
for t in "$build"/test_*; do
  [ -x "$t" ] || continue
  case " ${slow[*]} " in *" $(basename "$t") "*) continue ;; esac
  tests+=("$t")
done
failed=$(printf '%s\n' "${tests[@]}" | xargs -P "$(nproc)" -I{} bash -c 'one "$@"' _ {})
if [ -n "$failed" ]; then
  for f in $failed; do echo "valgrind: $f FAILED" >&2; cat "$build/valgrind-$f.log" >&2; done
  exit 1
fi
echo "valgrind: ${#tests[@]} unit test binaries clean"
