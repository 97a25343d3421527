#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# vouchd certify benchmark, side by side with its crypto bound, in one run.
# Usage: bench/run.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
build=${1:-build}
secs=${2:-10}
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
  --threads ${VOUCHD_THREADS:-2} --conn-deadline 60 2>"$T/vouchd.log" & pid=$!
for _ in $(seq 100); do curl -sf --cacert "$T/domain/domain.pem" https://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.05; done
curl -sf --cacert "$T/domain/domain.pem" --cert "$T/admin.pem" --key "$T/admin.key" -X PUT \
  --data-binary @"$T/policy.signed" https://127.0.0.1:$PORT/v1/policy >/dev/null

echo "machine: $(nproc) cores; vouchd 2 threads; ${secs}s per measurement"
cout=$("$B" crypto "$secs" 2 "$T/issuer.key" "$T/issuer.pem" "$T/domain/domain.pem")
crypto=$(echo "$cout" | awk '/^RESULT/ {print $5}')
sms=$(echo "$cout" | awk '/^SERVER_MS/ {print $2}')
sbound=$(awk -v m="$sms" 'BEGIN{printf "%.0f", 2000/m}')
echo "crypto bound (TLS 1.3 handshake both sides + P-384 verify + P-384 sign), 2 threads: $crypto ops/s"
echo "  server side of it (server handshake + verify + sign): $sms ms CPU -> $sbound ops/s on 2 cores"
cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }   # vouchd utime+stime, clock ticks
hz=$(getconf CLK_TCK)
for c in 2 4 8; do
  c0=$(cpu)
  out=$("$B" certify "$secs" "$c" "https://127.0.0.1:$PORT" "$T/domain/domain.pem" "$T/plat")
  c1=$(cpu)
  r=$(echo "$out" | awk '/^RESULT/ {print $5}'); n=$(echo "$out" | awk '/^RESULT/ {print $3}')
  ms=$(awk -v a="$c0" -v b="$c1" -v hz="$hz" -v n="$n" 'BEGIN{printf "%.2f", (b-a)*1000/hz/n}')
  echo "certify, $c concurrent clients (same machine), fresh TLS connection each: $r req/s = $(awk -v a="$r" -v b="$crypto" 'BEGIN{printf "%.2f", a/b}') x bound; vouchd CPU $ms ms/certify -> server capacity on 2 cores $(awk -v m="$ms" 'BEGIN{printf "%.0f", 2000/m}') req/s = $(awk -v m="$ms" -v b="$sms" 'BEGIN{printf "%.2f", b/m}') x server-side bound"
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
