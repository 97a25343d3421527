#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run every libFuzzer target for SECONDS each, seeded with the committed
# corpus (generated from vouch's own output) and, at run time, with real
# evidence from ../shared/testdata.  New inputs go to a scratch directory;
# the committed corpus is not modified.
set -euo pipefail
build=${1:-build-fuzz}
seconds=${2:-20}
top=$(cd "$(dirname "$0")/.." && pwd)
testdata=${VOUCH_TESTDATA:-$top/../shared/testdata}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fails=0
for bin in "$build"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin"); name=${name#fuzz_}
  work="$scratch/$name"; mkdir -p "$work"
  seeds=("$top/fuzz/corpus/$name")
  # Real evidence and certificates as extra seeds, read in place.
  [ -d "$testdata/certs/amd" ] && seeds+=("$testdata/certs/amd")
  if [ "$name" = snp_report ] && [ -d "$testdata/snp" ]; then
    seeds+=("$testdata/snp")
  fi
  case "$name" in
    dcap_quote) for d in tdx sgx tdx/az-tdx-vtpm tdx/gtg_ccel; do [ -d "$testdata/$d" ] && seeds+=("$testdata/$d"); done ;;
    dcap_pck) [ -d "$testdata/certs/intel" ] && seeds+=("$testdata/certs/intel") ;;
    ccel) [ -d "$testdata/tdx/gtg_ccel" ] && seeds+=("$testdata/tdx/gtg_ccel") ;;
    crl) for d in crl/intel crl/amd tdx/gtg_collateral sgx/mc_collateral; do [ -d "$testdata/$d" ] && seeds+=("$testdata/$d"); done ;;
  esac
  echo "fuzz: $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$scratch/" -print_final_stats=0 "$work" "${seeds[@]}" \
      >"$scratch/$name.log" 2>&1; then
    echo "fuzz: $name FAILED" >&2
    tail -n 40 "$scratch/$name.log" >&2
    mkdir -p "$top/fuzz/crashes" && cp "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* "$top/fuzz/crashes/" 2>/dev/null || true
    fails=$((fails + 1))
  else
    grep -E "^#[0-9]+.*(DONE|pulse)" "$scratch/$name.log" | tail -n 1 || true
  fi
done
[ "$fails" -eq 0 ]
