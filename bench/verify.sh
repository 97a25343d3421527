#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Evidence verification throughput on one core, beside OpenSSL's raw
# ECDSA verify rate, in one run (issues 5 and 6):
#   snp: Milan report (S-1) with VCEK, ASK/ARK and CRL, against
#        `openssl speed ecdsap384` verify/s; target cached >= 1.7x
#   tdx: dcap-qvl quote (T-5) with its collateral bundle, against
#        `openssl speed ecdsap256` verify/s / 2 (a quote carries two
#        P-256 signatures); target cached >= 0.8x
# "cached" reuses one verification configuration (validated chains and
# collateral stay cached inside their validity windows); "uncached"
# makes a new one per verification.  The measurements alternate for
# ROUNDS rounds so a busy machine slows them alike; each round gives its
# own ratios and the summary takes medians.  Build with optimisation.
# Usage: bench/verify.sh [BUILD_DIR] [SECONDS] [ROUNDS]
set -euo pipefail
build=${1:-build}
secs=${2:-3}
rounds=${3:-3}
B="$build/bench_verify"
D=${VOUCH_TESTDATA:-$(cd "$(dirname "$0")/.." && pwd)/../shared/testdata}
[ -x "$B" ] || { echo "bench/verify.sh: $B not built" >&2; exit 2; }
[ -d "$D/snp" ] || { echo "bench/verify.sh: no testdata at $D" >&2; exit 2; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(openssl version)"
echo "${secs}s per measurement, $rounds rounds, one process each (one core)"
snp=(--insecure-allow-debug snp "$secs" MODE 2022-09-24T01:00:00Z "$D/snp/gsg_milan_attestation.bin"
     "$D/snp/gsg_milan_vcek.der" "$D/certs/amd/ask_ark_milan.pem" "$D/crl/amd/milan_crl_2022-05-09.der")
tdx=(tdx "$secs" MODE 2025-07-19T10:00:34Z "$D/tdx/phala_tdx_quote.dat" "$D/tdx/phala_tdx_quote_collateral.json")
run() { # MODE ARGS...
  local mode=$1; shift; local a=("$@") i
  for i in "${!a[@]}"; do [ "${a[$i]}" = MODE ] && a[$i]=$mode; done
  "$B" "${a[@]}" | awk '/^RESULT/ { print $5 }'
}
speed() { openssl speed -seconds "$secs" "$1" 2>/dev/null | awk -v c="$2" '$0 ~ c { print $NF }'; }
have_tdx=1
"$B" tdx 0.01 cached 2025-07-19T10:00:34Z "$D/tdx/phala_tdx_quote.dat" \
  "$D/tdx/phala_tdx_quote_collateral.json" >/dev/null 2>&1 || have_tdx=0
R=$(mktemp); trap 'rm -f "$R"' EXIT
for r in $(seq "$rounds"); do
  o384=$(speed ecdsap384 nistp384); sc=$(run cached "${snp[@]}"); su=$(run uncached "${snp[@]}")
  o256=0; tc=0; tu=0
  if [ "$have_tdx" = 1 ]; then
    o256=$(speed ecdsap256 nistp256); tc=$(run cached "${tdx[@]}"); tu=$(run uncached "${tdx[@]}")
  fi
  echo "$o384 $sc $su $o256 $tc $tu" >> "$R"
  awk -v r="$r" -v a="$o384 $sc $su $o256 $tc $tu" 'BEGIN { split(a, v, " ");
    printf "round %d: openssl p384 verify %.0f/s | snp cached %.0f/s (%.2fx) uncached %.0f/s (%.2fx)",
      r, v[1], v[2], v[2] / v[1], v[3], v[3] / v[1];
    if (v[4] > 0) printf " | openssl p256 verify %.0f/s, /2 = %.0f | tdx cached %.0f/s (%.2fx) uncached %.0f/s (%.2fx)",
      v[4], v[4] / 2, v[5], v[5] / (v[4] / 2), v[6], v[6] / (v[4] / 2);
    printf "\n" }'
done
med() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
s_c=$(awk '{ print $2 / $1 }' "$R" | med); s_u=$(awk '{ print $3 / $1 }' "$R" | med)
echo "median snp: cached $(printf %.2f "$s_c")x, uncached $(printf %.2f "$s_u")x of openssl ecdsap384 verify (target cached >= 1.7x)"
if [ "$have_tdx" = 1 ]; then
  t_c=$(awk '{ print $5 / ($4 / 2) }' "$R" | med); t_u=$(awk '{ print $6 / ($4 / 2) }' "$R" | med)
  echo "median tdx: cached $(printf %.2f "$t_c")x, uncached $(printf %.2f "$t_u")x of openssl ecdsap256 verify / 2 (target cached >= 0.8x)"
else
  echo "tdx: not measured (platform not built)"
fi
