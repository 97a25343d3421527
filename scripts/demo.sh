#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make run`: multi-party analytics on the simulated platform, end to end.
#
# A domain owner creates a domain and signs a policy that trusts two
# programs: the analytics program and the data owners' client.  vouchd
# (embedded SQLite) certifies them.  Three data owners each open an
# attested channel to the analytics program, check its measurement, and
# only then send their rows; the program returns the joint statistics
# signed with its attested key, with its admission chain and EAR token,
# and each owner verifies that bundle offline.  A tampered analytics
# binary is refused.  The analytics program's messages go into a sealed
# log that only the tenant's key opens; the demo ends with the tenant
# verifying it.  Every process started here is stopped by PID.
set -euo pipefail
build=${1:-build}
V="$build/vouch"; D="$build/vouchd"
A="$build/joint-stats-analytics"; O="$build/joint-stats-owner"
DATA="$(cd "$(dirname "$0")/.." && pwd)/examples/joint-stats/data"
T=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

step "1. The domain owner creates a domain, vouchd's issuing CA, an admin certificate"
"$V" domain init --name "analytics-consortium" "$T/domain"
"$V" service-cert issue --domain "$T/domain" --key-out "$T/issuer.key" --cert-out "$T/issuer.pem"
"$V" admin-cert issue --domain "$T/domain" --key-out "$T/admin.key" --cert-out "$T/admin.pem"
ROOT="$T/domain/domain.pem"

step "2. A simulated TEE platform (vendor root + chip key)"
"$V" sim init "$T/plat"

step "3. The policy: trust the sim platform, the analytics program and the owners' client"
MA=$(sha384sum "$(readlink -f "$A")" | cut -d' ' -f1)
MO=$(sha384sum "$(readlink -f "$O")" | cut -d' ' -f1)
echo "   analytics measurement: ${MA:0:32}..."
echo "   owner client measurement: ${MO:0:32}..."
cat > "$T/policy.json" <<JSON
{
  "vouch_policy": 1,
  "version": 1,
  "expires": "$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)",
  "platforms": { "sim": { "min_tcb_svn": 1 } },
  "measurements": { "analytics-1.0": ["$MA"], "owner-client-1.0": ["$MO"] },
  "admission": { "lifetime_seconds": 3600 },
  "release_rules": {
    "analytics-only": { "rule": { "claim": "measurement", "equals": "$MA" }, "max_releases": 10 }
  }
}
JSON
"$V" policy sign --domain "$T/domain" "$T/policy.json" -o "$T/policy.signed"
"$V" policy check --domain-cert "$ROOT" "$T/policy.signed" | sed 's/^/   /'

step "4. vouchd starts on 127.0.0.1 (SQLite store) and receives the signed policy"
PORT=$(free_port)
"$D" --data-dir "$T/vouchd-data" --domain-cert "$ROOT" --issuer-key "$T/issuer.key" \
  --issuer-cert "$T/issuer.pem" --listen "127.0.0.1:$PORT" --sim-root "$T/plat/sim-root.pem" \
  2>"$T/vouchd.log" &
pids+=($!)
for _ in $(seq 100); do
  curl -sf --cacert "$ROOT" "https://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.05
done
curl -sf --cacert "$ROOT" --cert "$T/admin.pem" --key "$T/admin.key" -X PUT \
  --data-binary @"$T/policy.signed" "https://127.0.0.1:$PORT/v1/policy" | sed 's/^/   vouchd: policy stored: /'; echo

export VOUCH_DOMAIN_ROOT="$ROOT" VOUCH_SERVICE_URL="https://127.0.0.1:$PORT" VOUCH_SIM_DIR="$T/plat"

step "4b. The domain owner gives vouchd the results-signing key, for the analytics program only"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$T/results.key" 2>/dev/null
openssl pkey -in "$T/results.key" -pubout -out "$T/results.pub"
"$V" secret put --service "$VOUCH_SERVICE_URL" --domain-cert "$ROOT" --admin-cert "$T/admin.pem" \
  --admin-key "$T/admin.key" --rule analytics-only --value-file - joint-stats-results-key \
  <"$T/results.key" | sed 's/^/   vouchd: /'
rm -f "$T/results.key"
echo "   the private key now exists only wrapped in vouchd; owners get results.pub"
if "$V" secret get --service "$VOUCH_SERVICE_URL" --domain-cert "$ROOT" --platform-dir "$T/plat" \
    --exe "$O" -o "$T/stolen.key" joint-stats-results-key 2>"$T/stolen.err"; then
  echo "   BUG: the key was released to the owners' client"; exit 1
fi
echo "   the owners' client program asks for it: $(sed 's/^vouch: //' "$T/stolen.err")"

step "5. The analytics program certifies, gets the results-signing key, waits for three data owners"
echo "   (its tenant made an X25519 key for the program's sealed log, and vouchd hands the public"
echo "    half to the analytics program only: the host cannot swap in a key of its own)"
"$V" log keygen --out "$T/tenant.key" --pub-out "$T/tenant.pub" 2>/dev/null
"$V" secret put --service "$VOUCH_SERVICE_URL" --domain-cert "$ROOT" --admin-cert "$T/admin.pem" \
  --admin-key "$T/admin.key" --rule analytics-only --value-file "$T/tenant.pub" \
  joint-stats-tenant-log-key >/dev/null
APORT=$(free_port)
VOUCH_STORE="$T/analytics-store" VOUCH_OWNER_MEASUREMENT="$MO" \
  VOUCH_LOG_FILE="$T/analytics.vlog" \
  VOUCH_RESULTS_KEY_SECRET=joint-stats-results-key \
  timeout 120 "$A" "$APORT" 3 >"$T/analytics.out" 2>&1 &
apid=$!; pids+=($apid)
for _ in $(seq 100); do grep -q waiting "$T/analytics.out" 2>/dev/null && break; sleep 0.05; done
sed 's/^/   /' "$T/analytics.out"

step "6. Each owner certifies, checks the analytics measurement, sends its rows"
# The owners run at once: the joint result exists only when all have sent.
opids=()
for i in 1 2 3; do
  VOUCH_STORE="$T/owner$i-store" VOUCH_PEER_MEASUREMENT="$MA" \
    timeout 60 "$O" 127.0.0.1 "$APORT" "$DATA/owner$i.csv" "$T/bundle$i.json" >"$T/owner$i.out" 2>&1 &
  opids+=($!); pids+=($!)
done
for i in 1 2 3; do
  if ! wait "${opids[$((i - 1))]}"; then
    echo "   owner $i failed:"; sed 's/^/   /' "$T/owner$i.out"; exit 1
  fi
  sed "s|$DATA/||; s/^/   /" "$T/owner$i.out"
done
wait "$apid"
sed 's/^/   /' "$T/analytics.out" | tail -n +3

step "7. Each owner verifies the result bundle offline (vouch result verify)"
for i in 1 2 3; do
  "$V" result verify --domain-cert "$ROOT" --expect-measurement "$MA" --results-key "$T/results.pub" \
    --json "$T/bundle$i.json" >"$T/verified$i.json"
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print("   owner %s: %s (%s program, release %s, policy v%d, EAR %s, results key %s)" % (sys.argv[2], j["verdict"], j["platform"], j["release"], j["policy_version"], j["ear_status"], j["results_key"]))' "$T/verified$i.json" "$i"
done
echo
echo "   joint result (verified):"
python3 - "$T/verified1.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["result"]
print("   %-6s %5s %9s %8s %7s %7s %7s %7s %7s" % ("group", "count", "sum", "mean", "min", "q1", "median", "q3", "max"))
for g, s in sorted(r["groups"].items()):
    print("   %-6s %5d %9.1f %8.2f %7.1f %7.2f %7.2f %7.2f %7.1f" % (g, s["count"], s["sum"], s["mean"], s["min"], s["q1"], s["median"], s["q3"], s["max"]))
print("   %d rows from %d owners; no owner saw another's rows" % (r["rows"], r["owners"]))
PY
cmp -s "$T/bundle1.json" "$T/bundle2.json" && cmp -s "$T/bundle1.json" "$T/bundle3.json" \
  && echo "   all three owners received the same signed result"

step "8. A tampered analytics binary is refused by vouchd"
cp "$A" "$T/joint-stats-analytics-tampered"; printf 'x' >> "$T/joint-stats-analytics-tampered"
if VOUCH_STORE="$T/tampered-store" VOUCH_OWNER_MEASUREMENT="$MO" timeout 60 "$T/joint-stats-analytics-tampered" "$(free_port)" 1 >"$T/tampered.out" 2>&1; then
  echo "   BUG: the tampered binary was certified"; exit 1
fi
sed 's/^/   /' "$T/tampered.out"
echo "   (and an owner pins the analytics measurement, so it could not be fooled either)"

step "9. The audit log (hash-chained; precise reasons for the domain owner only)"
curl -sf --cacert "$ROOT" --cert "$T/admin.pem" --key "$T/admin.key" \
  "https://127.0.0.1:$PORT/v1/audit?after=0&limit=1000" >"$T/audit.json"
python3 - "$T/audit.json" <<'PY'
import collections, json, sys
recs = json.load(open(sys.argv[1]))["records"]
c = collections.Counter()
for r in recs:
    e = r["event"]
    c[(e["type"], e.get("outcome"), e.get("error", ""), e.get("release", ""))] += 1
for (t, o, err, rel), n in sorted(c.items()):
    print("   %2d x %-10s %-9s %s" % (n, t, o, (err + " " + rel).strip()))
PY
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=("${pids[@]:1}")
"$V" audit verify --data-dir "$T/vouchd-data" | sed 's/^/   /'

step "10. The tenant reads the analytics program's sealed log (the host stored only ciphertext)"
echo "   host's copy: $(wc -c <"$T/analytics.vlog") bytes of ciphertext (the word rows appears $(grep -c -a rows "$T/analytics.vlog" || true) times)"
"$V" log verify --key "$T/tenant.key" "$T/analytics.vlog" | sed 's/^/   /'
echo
echo "done: 3 owners, 1 attested joint result verified by each, tampered binary refused, sealed log intact."
