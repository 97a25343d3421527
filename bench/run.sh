#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# vouchd certify benchmark, side by side with its crypto bound, in one run.
# Usage: bench/run.sh [BUILD_DIR] [SECONDS]   (VOUCHD_THREADS: worker threads)
#
# The bound (bench_certify crypto) is one TLS 1.3 handshake + one P-384
# verify + one P-384 signature, with vouchd's key types.  It is measured
# before every certify row and after the last, and each row is compared
# with the mean of the two bounds measured next to it: the machine is
# shared, and its speed drifts within a run.
set -euo pipefail
build=${1:-build}
secs=${2:-10}
threads=${VOUCHD_THREADS:-2}
V="$build/vouch"; D="$build/vouchd"; B="$build/bench_certify"
T=$(mktemp -d); pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
"$V" domain init "$T/domain" >/dev/null 2>&1
"$V" service-cert issue --domain "$T/domain" --key-out "$T/issuer.key" --cert-out "$T/issuer.pem" 2>/dev/null
"$V" admin-cert issue --domain "$T/domain" --key-out "$T/admin.key" --cert-out "$T/admin.pem" 2>/dev/null
"$V" sim init "$T/plat" 2>/dev/null
M=$(sha384sum "$(readlink -f "$B")" | cut -d' ' -f1)
M2=$(sha384sum "$(readlink -f "$V")" | cut -d' ' -f1)
EXP=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
cat > "$T/policy.json" <<JSON
{"vouch_policy":1,"version":1,"expires":"$EXP","platforms":{"sim":{}},
 "measurements":{"bench":["$M"],"cli":["$M2"]}}
JSON
"$V" policy sign --domain "$T/domain" "$T/policy.json" -o "$T/policy.signed" 2>/dev/null
PORT=$(( 20000 + RANDOM % 20000 ))
"$D" --data-dir "$T/data" --domain-cert "$T/domain/domain.pem" --issuer-key "$T/issuer.key" \
  --issuer-cert "$T/issuer.pem" --listen 127.0.0.1:$PORT --sim-root "$T/plat/sim-root.pem" \
  --threads "$threads" --conn-deadline 60 2>"$T/vouchd.log" & pid=$!
for _ in $(seq 100); do curl -sf --cacert "$T/domain/domain.pem" https://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.05; done
curl -sf --cacert "$T/domain/domain.pem" --cert "$T/admin.pem" --key "$T/admin.key" -X PUT \
  --data-binary @"$T/policy.signed" https://127.0.0.1:$PORT/v1/policy >/dev/null

f2() { awk -v x="$1" 'BEGIN{printf "%.2f", x}'; }
f3() { awk -v x="$1" 'BEGIN{printf "%.3f", x}'; }
echo "machine: $(nproc) cores; vouchd $threads threads; ${secs}s per measurement"
# bound K: ops/s (both sides, 2 threads), server-side ms, and its parts.
declare -a b_ops b_ms b_hs b_ver b_sig
bound() {
  local k=$1 out
  out=$("$B" crypto "$secs" 2 "$T/issuer.key" "$T/issuer.pem" "$T/domain/domain.pem")
  b_ops[k]=$(echo "$out" | awk '/^RESULT/ {print $5}')
  b_ms[k]=$(echo "$out" | awk '/^SERVER_MS/ {print $2}')
  b_hs[k]=$(echo "$out" | awk '/^SERVER_PARTS_MS/ {print $3}')
  b_ver[k]=$(echo "$out" | awk '/^SERVER_PARTS_MS/ {print $5}')
  b_sig[k]=$(echo "$out" | awk '/^SERVER_PARTS_MS/ {print $7}')
  echo "crypto bound #$k (TLS 1.3 handshake both sides + P-384 verify + P-384 sign), 2 threads: ${b_ops[k]} ops/s;" \
    "server side ${b_ms[k]} ms CPU (handshake ${b_hs[k]}, verify ${b_ver[k]}, sign ${b_sig[k]})" \
    "-> $(awk -v m="${b_ms[k]}" 'BEGIN{printf "%.0f", 2000/m}') ops/s on 2 cores"
}
cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }   # vouchd utime+stime, clock ticks
hz=$(getconf CLK_TCK)
rows=(2 4 8)
declare -a r_rate r_ms
bound 0
for i in "${!rows[@]}"; do
  c0=$(cpu)
  out=$("$B" certify "$secs" "${rows[i]}" "https://127.0.0.1:$PORT" "$T/domain/domain.pem" "$T/plat")
  c1=$(cpu)
  r_rate[i]=$(echo "$out" | awk '/^RESULT/ {print $5}')
  n=$(echo "$out" | awk '/^RESULT/ {print $3}')
  r_ms[i]=$(awk -v a="$c0" -v b="$c1" -v hz="$hz" -v n="$n" 'BEGIN{printf "%.2f", (b-a)*1000/hz/n}')
  bound $((i + 1))
done
for i in "${!rows[@]}"; do
  j=$((i + 1))
  ops=$(awk -v a="${b_ops[i]}" -v b="${b_ops[j]}" 'BEGIN{print (a+b)/2}')
  sms=$(awk -v a="${b_ms[i]}" -v b="${b_ms[j]}" 'BEGIN{print (a+b)/2}')
  # What certify itself must do of that crypto on the server: the
  # handshake, the evidence verify and two signatures (certificate, EAR).
  own=$(awk -v h1="${b_hs[i]}" -v h2="${b_hs[j]}" -v v1="${b_ver[i]}" -v v2="${b_ver[j]}" \
    -v s1="${b_sig[i]}" -v s2="${b_sig[j]}" 'BEGIN{print (h1+h2)/2 + (v1+v2)/2 + (s1+s2)}')
  ms=${r_ms[i]}
  echo "certify, ${rows[i]} concurrent clients (same machine), fresh TLS connection each:" \
    "${r_rate[i]} req/s = $(f2 "$(awk -v a="${r_rate[i]}" -v b="$ops" 'BEGIN{print a/b}')") x bound (#$i/#$j);" \
    "vouchd CPU $ms ms/certify -> server capacity on 2 cores $(awk -v m="$ms" 'BEGIN{printf "%.0f", 2000/m}') req/s" \
    "= $(f2 "$(awk -v m="$ms" -v b="$sms" 'BEGIN{print b/m}')") x server-side bound" \
    "(certify's own crypto $(f3 "$own") ms: at most $(f2 "$(awk -v o="$own" -v b="$sms" 'BEGIN{print b/o}')") x)"
done
# Round trip with the client process start included: vouch certify, one at a time.
n=20; t0=$(date +%s.%N)
for i in $(seq $n); do
  "$V" certify --service https://127.0.0.1:$PORT --domain-cert "$T/domain/domain.pem" \
    --platform-dir "$T/plat" --key-out "$T/k$i" --cert-out "$T/c$i" >/dev/null
done
t1=$(date +%s.%N)
echo "certify round trip incl. process start (vouch certify, sequential, n=$n): $(awk -v a="$t0" -v b="$t1" -v n=$n 'BEGIN{printf "%.1f", (b-a)*1000/n}') ms"
t0=$(date +%s.%N)
for i in $(seq $n); do
  openssl s_client -connect 127.0.0.1:$PORT -CAfile "$T/domain/domain.pem" -tls1_3 </dev/null >/dev/null 2>&1
done
t1=$(date +%s.%N)
echo "baseline: openssl s_client TLS 1.3 connect to vouchd incl. process start (n=$n): $(awk -v a="$t0" -v b="$t1" -v n=$n 'BEGIN{printf "%.1f", (b-a)*1000/n}') ms"
