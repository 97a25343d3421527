#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The production profile end to end (docs/logging.md): the joint-stats
# programs built with VOUCH_PROFILE=production are driven into failures and
# one success against a real vouchd; every byte they write on stderr must be
# a line of `vouch catalog`, stdout stays empty, exit statuses are the
# catalog's, and the details reach the tenant's sealed log only.  A policy
# requiring the production profile refuses the debug build of the same
# program, whose measurement it also trusts.
set -euo pipefail
V="$VOUCH_BIN"; D="${VOUCHD_BIN:-$(dirname "$V")/vouchd}"
B=$(cd "$(dirname "$V")" && pwd); P="$B/profile-production"
cache() { sed -n "s/^$1:[A-Z]*=//p" "$B/CMakeCache.txt"; }
T=$(mktemp -d); pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The production build of the two demo programs, beside this build.
cmake -S "$VOUCH_SRC" -B "$P" -DVOUCH_PROFILE=production -DVOUCH_TESTS=OFF \
  -DVOUCH_SANITIZE="$(cache VOUCH_SANITIZE)" -DCMAKE_BUILD_TYPE="$(cache CMAKE_BUILD_TYPE)" \
  -DVOUCH_WERROR="$(cache VOUCH_WERROR)" >"$T/cmake.log" 2>&1 || { cat "$T/cmake.log"; fail "configure"; }
cmake --build "$P" -j2 --target joint-stats-analytics joint-stats-owner >"$T/build.log" 2>&1 \
  || { tail -50 "$T/build.log"; fail "production build"; }
PA="$P/joint-stats-analytics"; PO="$P/joint-stats-owner"
DA="$B/joint-stats-analytics"
m() { sha384sum "$(readlink -f "$1")" | cut -d' ' -f1; }
MPA=$(m "$PA"); MPO=$(m "$PO"); MDA=$(m "$DA")
[ "$MPA" != "$MDA" ] || fail "production and debug builds have the same measurement"

"$V" domain init "$T/domain" >/dev/null
"$V" service-cert issue --domain "$T/domain" --key-out "$T/issuer.key" --cert-out "$T/issuer.pem" 2>/dev/null
"$V" admin-cert issue --domain "$T/domain" --key-out "$T/admin.key" --cert-out "$T/admin.pem" 2>/dev/null
"$V" sim init "$T/plat" >/dev/null
"$V" log keygen --out "$T/tenant.key" --pub-out "$T/tenant.pub" >/dev/null
ROOT="$T/domain/domain.pem"
cat > "$T/policy.json" <<JSON
{"vouch_policy":1,"version":1,"expires":"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)",
 "platforms":{"sim":{}},
 "measurements":{"analytics":["$MPA","$MDA"],"owner":["$MPO"]},
 "rules":{"allOf":[{"claim":"profile","equals":"production"}]},
 "release_rules":{"results":{"rule":{"claim":"measurement","equals":"$MPA"}}}}
JSON
"$V" policy sign --domain "$T/domain" "$T/policy.json" -o "$T/policy.signed" >/dev/null
PORT=$(free_port)
"$D" --data-dir "$T/data" --domain-cert "$ROOT" --issuer-key "$T/issuer.key" \
  --issuer-cert "$T/issuer.pem" --listen "127.0.0.1:$PORT" --sim-root "$T/plat/sim-root.pem" \
  2>"$T/vouchd.log" &
pids+=($!)
for _ in $(seq 200); do
  curl -sf --cacert "$ROOT" "https://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.05
done
curl -sf --cacert "$ROOT" --cert "$T/admin.pem" --key "$T/admin.key" -X PUT \
  --data-binary @"$T/policy.signed" "https://127.0.0.1:$PORT/v1/policy" >/dev/null || fail "policy"
export VOUCH_DOMAIN_ROOT="$ROOT" VOUCH_SERVICE_URL="https://127.0.0.1:$PORT" VOUCH_SIM_DIR="$T/plat"
# The results-signing key, released by vouchd to the production analytics program only.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$T/results.key" 2>/dev/null
openssl pkey -in "$T/results.key" -pubout -out "$T/results.pub"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 2>/dev/null | openssl pkey -pubout -out "$T/other.pub"
"$V" secret put --service "$VOUCH_SERVICE_URL" --domain-cert "$ROOT" --admin-cert "$T/admin.pem" \
  --admin-key "$T/admin.key" --rule results --value-file "$T/results.key" results-key >/dev/null || fail "secret put"
printf 'group,value\na,1\nb,2\na,3\n' >"$T/rows.csv"
printf 'not,a,csv\x01\n' >"$T/bad.csv"

n=0
# expect NAME STATUS CODE -- CMD...: a production run; its output is kept for the byte check.
expect() {
  local name=$1 want=$2 code=$3 rc=0; shift 4
  n=$((n + 1))
  "$@" >"$T/out.$n" 2>"$T/err.$n" || rc=$?
  echo "$name" >"$T/name.$n"
  [ "$rc" = "$want" ] || { cat "$T/err.$n"; fail "$name: exit $rc, want $want"; }
  [ -z "$code" ] || grep -q "^vouch: VC-$code " "$T/err.$n" || { cat "$T/err.$n"; fail "$name: no VC-$code"; }
  echo "ok: $name (exit $rc${code:+, VC-$code})"
}

expect "no arguments" 11 101 -- "$PA"
expect "no owner measurement" 11 101 -- env -u VOUCH_OWNER_MEASUREMENT "$PA" 1 1
expect "no store" 11 102 -- env VOUCH_OWNER_MEASUREMENT="$MPO" "$PA" "$(free_port)" 1
expect "certifier unreachable" 12 202 -- env VOUCH_OWNER_MEASUREMENT="$MPO" VOUCH_STORE="$T/s1" \
  VOUCH_SERVICE_URL="https://127.0.0.1:1" "$PA" "$(free_port)" 1
expect "tenant log key not released" 11 105 -- env VOUCH_OWNER_MEASUREMENT="$MPO" VOUCH_STORE="$T/s2" \
  VOUCH_LOG_FILE="$T/x.vlog" "$PA" "$(free_port)" 1
expect "secret release refused" 12 204 -- env VOUCH_OWNER_MEASUREMENT="$MPO" VOUCH_STORE="$T/s5" \
  VOUCH_RESULTS_KEY_SECRET=no-such-secret "$PA" "$(free_port)" 1
expect "owner: missing CSV" 14 401 -- env VOUCH_PEER_MEASUREMENT="$MPA" VOUCH_STORE="$T/s3" \
  "$PO" 127.0.0.1 "$(free_port)" "$T/does-not-exist.csv" "$T/b.json"

# The debug build of the same program: its measurement is trusted, its profile is not.
rc=0; VOUCH_OWNER_MEASUREMENT="$MPO" VOUCH_STORE="$T/s4" timeout 60 "$DA" "$(free_port)" 1 \
  >"$T/debug.out" 2>"$T/debug.err" || rc=$?
[ "$rc" = 12 ] && grep -q '^vouch: VC-201 certify: admission refused by the certifier: .*POLICY_DENIED' "$T/debug.err" \
  || { cat "$T/debug.err"; fail "debug build under a production-only policy: exit $rc"; }
echo "ok: debug build refused by a policy requiring production (it may show details: $(wc -c <"$T/debug.err") bytes)"

# Success, with the tenant's sealed log: the tenant's public key reaches the
# program through vouchd (key release), never from the host.
"$V" secret put --service "$VOUCH_SERVICE_URL" --domain-cert "$ROOT" --admin-cert "$T/admin.pem" \
  --admin-key "$T/admin.key" --rule results --value-file "$T/tenant.pub" \
  joint-stats-tenant-log-key >/dev/null || fail "tenant key put"
AP=$(free_port)
VOUCH_OWNER_MEASUREMENT="$MPO" VOUCH_STORE="$T/as" VOUCH_LOG_FILE="$T/analytics.vlog" \
  VOUCH_RESULTS_KEY_SECRET=results-key \
  timeout 60 "$PA" "$AP" 1 >"$T/out.ok" 2>"$T/err.ok" &
apid=$!; pids+=($apid)
ok=0
for _ in $(seq 100); do
  if VOUCH_PEER_MEASUREMENT="$MPA" VOUCH_STORE="$T/os" timeout 30 "$PO" 127.0.0.1 "$AP" "$T/rows.csv" \
      "$T/bundle.json" >"$T/out.ok2" 2>"$T/err.ok2"; then ok=1; break; fi
  grep -q "VC-302" "$T/err.ok2" || { cat "$T/err.ok2" "$T/err.ok"; "$V" log verify --key "$T/tenant.key" "$T/analytics.vlog"; fail "owner"; }
  sleep 0.1
done
[ $ok = 1 ] || fail "owner never reached the analytics program"
wait "$apid" || fail "analytics failed: $(cat "$T/err.ok")"
rv() { "$V" result verify --domain-cert "$ROOT" --expect-measurement "$MPA" "$@"; }
rv --results-key "$T/results.pub" "$T/bundle.json" | grep -q 'results-key countersignature verified' \
  || fail "result bundle with the released results key"
rv "$T/bundle.json" | grep -q 'countersignature unchecked' || fail "unchecked countersignature not reported"
rc=0; rv --results-key "$T/other.pub" "$T/bundle.json" >/dev/null 2>"$T/rk.err" || rc=$?
[ $rc = 1 ] && grep -q SIGNATURE_INVALID "$T/rk.err" || fail "another results key accepted (exit $rc)"
python3 - "$T" <<'PY'
import json, sys
d = sys.argv[1]
b = json.load(open(d + "/bundle.json"))
s = b.pop("results_key_signature")
json.dump(b, open(d + "/nors.json", "w"))
b["results_key_signature"] = s[:10] + ("0" if s[10] != "0" else "1") + s[11:]
json.dump(b, open(d + "/badrs.json", "w"))
b["results_key_signature"] = "zz"
json.dump(b, open(d + "/junkrs.json", "w"))
PY
for f in nors badrs junkrs; do
  rc=0; rv --results-key "$T/results.pub" "$T/$f.json" >/dev/null 2>&1 || rc=$?
  [ $rc = 1 ] || fail "$f accepted with --results-key (exit $rc)"
done
rv "$T/nors.json" | grep -q 'countersignature absent' || fail "absent countersignature not reported"
rc=0; rv --results-key "$T/missing.pub" "$T/bundle.json" >/dev/null 2>&1 || rc=$?
[ $rc = 2 ] || fail "missing results key file: exit $rc"
echo "ok: results countersigned with the key vouchd released; other, missing, tampered countersignatures refused"
for f in out.ok err.ok out.ok2; do [ ! -s "$T/$f" ] || { cat "$T/$f"; fail "successful run wrote to the host ($f)"; }; done
# The owner's connection attempts before the program listened are catalog lines only.
n=$((n + 1)); cp "$T/err.ok2" "$T/err.$n"; : >"$T/out.$n"; echo "owner retries" >"$T/name.$n"
"$V" log verify --key "$T/tenant.key" "$T/analytics.vlog" >"$T/log.txt" || { cat "$T/log.txt"; fail "tenant log verify"; }
grep -q 'owner 1 (attested sim peer, release owner) sent 3 rows' "$T/log.txt" || { cat "$T/log.txt"; fail "log content"; }
grep -q 'results-signing key "results-key" released by vouchd' "$T/log.txt" || { cat "$T/log.txt"; fail "log: key release"; }
echo "ok: production success: nothing on stdout or stderr; the tenant's log has the details"

# An owner that is not the trusted client: the program refuses it and keeps waiting.
AP=$(free_port)
VOUCH_OWNER_MEASUREMENT="$MDA" VOUCH_STORE="$T/as" VOUCH_LOG_FILE="$T/refuse.vlog" \
  timeout 60 "$PA" "$AP" 1 >"$T/out.r" 2>"$T/err.r" &
apid=$!; pids+=($apid)
for _ in $(seq 100); do
  rc=0; VOUCH_PEER_MEASUREMENT="$MPA" VOUCH_STORE="$T/os" timeout 30 "$PO" 127.0.0.1 "$AP" "$T/rows.csv" \
    "$T/b2.json" >"$T/out.r2" 2>"$T/err.r2" || rc=$?
  grep -q 'VC-302' "$T/err.r2" || break
  sleep 0.1
done
[ "$rc" = 13 ] || { cat "$T/err.r2"; fail "refused owner: exit $rc"; }
for _ in $(seq 100); do grep -q 'VC-303' "$T/err.r" && break; sleep 0.05; done
kill "$apid"; wait "$apid" 2>/dev/null || true
grep -q '^vouch: VC-303 ' "$T/err.r" || { cat "$T/err.r"; fail "analytics did not report the refused peer"; }
for s in r r2; do n=$((n + 1)); cp "$T/err.$s" "$T/err.$n"; cp "$T/out.$s" "$T/out.$n"; echo "refused peer ($s)" >"$T/name.$n"; done
echo "ok: untrusted owner refused (VC-303 on the analytics side, exit 13 for the owner)"

# Malformed rows: an application-layer failure.
AP=$(free_port)
VOUCH_OWNER_MEASUREMENT="$MPO" VOUCH_STORE="$T/as" timeout 60 "$PA" "$AP" 1 >"$T/out.m" 2>"$T/err.m" &
apid=$!; pids+=($apid)
for _ in $(seq 100); do
  rc=0; VOUCH_PEER_MEASUREMENT="$MPA" VOUCH_STORE="$T/os" timeout 30 "$PO" 127.0.0.1 "$AP" "$T/bad.csv" \
    "$T/b3.json" >"$T/out.m2" 2>"$T/err.m2" || rc=$?
  grep -q 'VC-302' "$T/err.m2" || break
  sleep 0.1
done
rc2=0; wait "$apid" || rc2=$?
[ "$rc2" = 14 ] && grep -q '^vouch: VC-401 ' "$T/err.m" || { cat "$T/err.m"; fail "malformed rows: exit $rc2"; }
[ "$rc" = 13 ] || { cat "$T/err.m2"; fail "owner after malformed rows: exit $rc"; }
for s in m m2; do n=$((n + 1)); cp "$T/err.$s" "$T/err.$n"; cp "$T/out.$s" "$T/out.$n"; echo "malformed ($s)" >"$T/name.$n"; done
echo "ok: malformed rows: VC-401, exit 14"

# Every byte the production programs wrote on the host is a catalog line.
"$V" catalog | cut -f1 >"$T/catalog.txt"
python3 - "$T" "$n" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
lines = set(open(d + "/catalog.txt", "rb").read().split(b"\n")) - {b""}
bad = 0
for i in range(1, n + 1):
    name = open("%s/name.%d" % (d, i)).read().strip()
    out = open("%s/out.%d" % (d, i), "rb").read()
    err = open("%s/err.%d" % (d, i), "rb").read()
    if out:
        print("FAIL: %s: stdout is not empty: %r" % (name, out[:200])); bad += 1
    if err and not err.endswith(b"\n"):
        print("FAIL: %s: stderr does not end with a newline: %r" % (name, err[-80:])); bad += 1
    for l in err.split(b"\n")[:-1] if err else []:
        if l not in lines:
            print("FAIL: %s: not a catalog line: %r" % (name, l)); bad += 1
print("checked %d production runs byte by byte against %d catalog lines" % (n, len(lines)))
sys.exit(1 if bad else 0)
PY
echo "profile_production: all checks passed"
