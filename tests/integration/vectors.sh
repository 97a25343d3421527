#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs every case of tests/vectors/PLATFORM/MANIFEST (snp, tdx, sgx): real
# evidence and collateral from $VOUCH_TESTDATA (read in place), each with
# the expected stable error name, through
#   vouch evidence verify --platform PLATFORM --offline ...
# Manifest format: see tests/vectors/snp/MANIFEST.  Evidence ending in
# .hex is ASCII hex and decoded first.  In options, @FILE names a file of
# the manifest's directory and %PATH a path under $VOUCH_TESTDATA.
set -uo pipefail
V=${VOUCH_BIN:?}
D=${VOUCH_TESTDATA:-$(dirname "$0")/../../../shared/testdata}
VECS=$(dirname "$0")/../vectors
if [ ! -d "$D" ]; then echo "SKIP: no testdata at $D"; exit 0; fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf '%s' "${s%"${s##*[![:space:]]}"}"; }
for VEC in "$VECS"/*/; do
  VEC=${VEC%/}; platform=$(basename "$VEC")
  [ -f "$VEC/MANIFEST" ] || continue
  n0=$pass
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    IFS='|' read -r name ev at ends opts want <<<"$line"
    name=$(trim "$name"); ev=$(trim "$ev"); at=$(trim "$at")
    ends=$(trim "$ends"); opts=$(trim "$opts"); want=$(trim "$want")
    args=(evidence verify --platform "$platform" --offline --at "$at")
    if [ "$ends" != "-" ]; then for e in $ends; do args+=(--endorsements "$D/$e"); done; fi
    if [ "$opts" != "-" ]; then
      for o in $opts; do
        case "$o" in
          @*) args+=("$VEC/${o#@}") ;;
          %*) args+=("$D/${o#%}") ;;
          *) args+=("$o") ;;
        esac
      done
    fi
    file="$D/$ev"
    case "$ev" in
      *.hex) python3 -c 'import sys; t = open(sys.argv[1]).read().strip(); sys.stdout.buffer.write(bytes.fromhex(t[2:] if t.startswith("0x") else t))' \
               "$file" >"$T/ev.bin"; file="$T/ev.bin" ;;
    esac
    "$V" "${args[@]}" "$file" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$want" = VOUCH_OK ]; then
      if [ "$rc" -eq 0 ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: $platform/$name: exit $rc, want 0" >&2; cat "$T/err" >&2; fi
    elif [ "$rc" -eq 1 ] && grep -q "^vouch: $want:" "$T/err"; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1)); echo "FAIL: $platform/$name: exit $rc, want 1 with $want" >&2; cat "$T/err" >&2
    fi
  done < "$VEC/MANIFEST"
  echo "vectors: $platform: $((pass - n0)) passed"
done
echo "vectors: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
