#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Channel and certify round trips with process start included, beside the
# plain TLS 1.3 baseline (openssl s_server / s_client / s_time with the same
# P-384 admission certificates), in one run.  Usage: bench/channel.sh [BUILD] [N]
set -euo pipefail
build=${1:-build}
n=${2:-30}
V="$build/vouch"; D="$build/vouchd"; E="$build/attested-echo"
T=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ms() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN{printf "%.1f", (b-a)*1000/n}'; }
"$V" domain init "$T/domain" >/dev/null 2>&1
"$V" service-cert issue --domain "$T/domain" --key-out "$T/issuer.key" --cert-out "$T/issuer.pem" 2>/dev/null
"$V" admin-cert issue --domain "$T/domain" --key-out "$T/admin.key" --cert-out "$T/admin.pem" 2>/dev/null
"$V" sim init "$T/plat" 2>/dev/null
ROOT="$T/domain/domain.pem"
cat > "$T/policy.json" <<JSON
{"vouch_policy":1,"version":1,"expires":"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)","platforms":{"sim":{}},
 "measurements":{"echo":["$(sha384sum "$(readlink -f "$E")" | cut -d' ' -f1)"],"cli":["$(sha384sum "$(readlink -f "$V")" | cut -d' ' -f1)"]}}
JSON
"$V" policy sign --domain "$T/domain" "$T/policy.json" -o "$T/policy.signed" 2>/dev/null
P=$(port)
"$D" --data-dir "$T/data" --domain-cert "$ROOT" --issuer-key "$T/issuer.key" --issuer-cert "$T/issuer.pem" \
  --listen "127.0.0.1:$P" --sim-root "$T/plat/sim-root.pem" 2>/dev/null & pids+=($!)
for _ in $(seq 100); do curl -sf --cacert "$ROOT" "https://127.0.0.1:$P/healthz" >/dev/null && break; sleep 0.05; done
curl -sf --cacert "$ROOT" --cert "$T/admin.pem" --key "$T/admin.key" -X PUT --data-binary @"$T/policy.signed" \
  "https://127.0.0.1:$P/v1/policy" >/dev/null
export VOUCH_DOMAIN_ROOT="$ROOT" VOUCH_SERVICE_URL="https://127.0.0.1:$P" VOUCH_SIM_DIR="$T/plat"

EP=$(port)
VOUCH_STORE="$T/srv" "$E" server "$EP" >/dev/null 2>&1 & pids+=($!)
sleep 0.5
VOUCH_STORE="$T/cli" "$E" client 127.0.0.1 "$EP" warmup >/dev/null   # certifies once; later runs reuse the sealed store
t0=$(date +%s.%N)
for i in $(seq "$n"); do VOUCH_STORE="$T/cli" "$E" client 127.0.0.1 "$EP" "ping $i" >/dev/null; done
t1=$(date +%s.%N)
chan=$(ms "$t0" "$t1" "$n")

# Baseline: the same P-384 admission certificates in stock OpenSSL tools.
"$V" certify --service "https://127.0.0.1:$P" --domain-cert "$ROOT" --platform-dir "$T/plat" \
  --key-out "$T/s.key" --cert-out "$T/s.chain" >/dev/null
"$V" certify --service "https://127.0.0.1:$P" --domain-cert "$ROOT" --platform-dir "$T/plat" \
  --key-out "$T/c.key" --cert-out "$T/c.chain" >/dev/null
csplit -s -f "$T/s-" "$T/s.chain" '/-----BEGIN/' '{1}' 2>/dev/null || true
csplit -s -f "$T/c-" "$T/c.chain" '/-----BEGIN/' '{1}' 2>/dev/null || true
BP=$(port)
openssl s_server -quiet -accept "$BP" -tls1_3 -cert "$T/s-01" -cert_chain "$T/s-02" -key "$T/s.key" \
  -CAfile "$ROOT" -Verify 3 -naccept 100000 >/dev/null 2>&1 & pids+=($!)
sleep 0.5
t0=$(date +%s.%N)
for i in $(seq "$n"); do
  openssl s_client -connect "127.0.0.1:$BP" -tls1_3 -cert "$T/c-01" -cert_chain "$T/c-02" -key "$T/c.key" \
    -CAfile "$ROOT" -verify_return_error </dev/null >/dev/null 2>&1
done
t1=$(date +%s.%N)
base=$(ms "$t0" "$t1" "$n")
stime=$(openssl s_time -connect "127.0.0.1:$BP" -new -time 5 -cert "$T/c-01" -key "$T/c.key" -CAfile "$ROOT" 2>/dev/null \
  | awk '/real seconds/ {printf "%.0f", $1/$4; exit}')

t0=$(date +%s.%N)
for i in $(seq "$n"); do
  "$V" certify --service "https://127.0.0.1:$P" --domain-cert "$ROOT" --platform-dir "$T/plat" \
    --key-out "$T/k$i" --cert-out "$T/c$i" >/dev/null
done
t1=$(date +%s.%N)
cert=$(ms "$t0" "$t1" "$n")

echo "n=$n sequential runs each, process start included, P-384 everywhere, TLS 1.3, loopback"
echo "channel round trip (attested-echo client: open + sealed-store unseal + connect + mutual handshake + request/reply): $chan ms"
echo "  baseline openssl s_client mutual TLS 1.3 handshake to openssl s_server (same certs): $base ms -> ratio $(awk -v a="$chan" -v b="$base" 'BEGIN{printf "%.2f", a/b}')"
echo "certify round trip (vouch certify: challenge + keygen + sim evidence + certify + write): $cert ms -> $(awk -v a="$cert" -v b="$base" 'BEGIN{printf "%.2f", a/b}') x the s_client baseline"
echo "  openssl s_time against the same s_server, new mutual handshakes without process start: ${stime:-?} connections/s"
