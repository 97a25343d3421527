#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Intel TDX collateral that the endorsements lack, from a local Intel PCS
# stand-in (pcs_server.py, --pcs-url) serving real collateral from
# $VOUCH_TESTDATA in place, kept in and read back from --cache-dir, and
# the offline rules: a fresh cached copy is used without the network, a
# stale one is refused, nothing is fetched with --offline.
set -uo pipefail
V=${VOUCH_BIN:?}
D=${VOUCH_TESTDATA:-$(dirname "$0")/../../../shared/testdata}
if [ ! -d "$D/tdx" ]; then echo "SKIP: no testdata at $D"; exit 0; fi
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 0; }
T=$(mktemp -d)
BG=
cleanup() { if [ -n "$BG" ]; then kill "$BG" 2>/dev/null; wait "$BG" 2>/dev/null; fi; rm -rf "$T"; }
trap cleanup EXIT
pass=0; fail=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() {
  local code=$1 name=$2; shift 3
  timeout 60 "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -ne "$code" ]; then bad "exit $rc (want $code): $*"; cat "$T/err" >&2; return; fi
  if [ "$name" != "-" ] && ! grep -q "vouch: $name:" "$T/err"; then
    bad "stderr lacks $name: $*"; cat "$T/err" >&2; return; fi
  ok
}
python3 "$(dirname "$0")/pcs_server.py" "$D" "$T/port" "$T/log" &
BG=$!
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || { echo "FAIL: the PCS stand-in did not start"; exit 1; }
P=http://127.0.0.1:$(cat "$T/port")
Q=$D/tdx/phala_tdx_quote.dat
AT="--at 2025-07-19T10:00:34Z"
: > "$T/log"

# Nothing given: TCB Info, QE Identity, both CRLs and the chains from PCS.
expect 0 - -- "$V" evidence verify --platform tdx $AT --pcs-url "$P/p2025" --cache-dir "$T/c" "$Q"
[ "$(wc -l < "$T/log")" -eq 4 ] && ok || bad "four downloads, got $(wc -l < "$T/log")"
grep -q '"\?tcb.status"\? *"UpToDate"' "$T/out" && ok || bad "status"
for f in tcb-tdx-b0c06f000000.json tcb-tdx-b0c06f000000.json.chain.pem qe-tdx.json qe-tdx.json.chain.pem \
    pckcrl-platform.der pckcrl-platform.der.chain.pem rootcacrl.der; do
  [ -s "$T/c/intel/$f" ] && ok || bad "cached $f"
done
# From the cache, offline: no download.
: > "$T/log"
expect 0 - -- "$V" evidence verify --platform tdx $AT --offline --cache-dir "$T/c" "$Q"
[ ! -s "$T/log" ] && ok || bad "offline downloaded"
# Fresh in the cache: used even with fetching on.
expect 0 - -- "$V" evidence verify --platform tdx $AT --pcs-url "$P/p2025" --cache-dir "$T/c" "$Q"
[ ! -s "$T/log" ] && ok || bad "fresh cache refetched"
# Past the PCK CRL's nextUpdate, offline: the stale copy is refused.
expect 1 VOUCH_ERR_CRL_EXPIRED -- "$V" evidence verify --platform tdx --at 2025-07-19T10:30:00Z --offline --cache-dir "$T/c" "$Q"
# ... and online it is fetched again (the stand-in has nothing newer).
expect 1 VOUCH_ERR_CRL_EXPIRED -- "$V" evidence verify --platform tdx --at 2025-07-19T10:30:00Z --pcs-url "$P/p2025" --cache-dir "$T/c" "$Q"
grep -q pckcrl "$T/log" && ok || bad "stale copy not refetched"
# Offline without a cache: nothing to verify against.
expect 1 VOUCH_ERR_COLLATERAL_MISSING -- "$V" evidence verify --platform tdx $AT --offline "$Q"
# A PCS that does not know the FMSPC, one without issuer chains, one too big.
expect 1 - -- "$V" evidence verify --platform tdx $AT --pcs-url "$P/nothing" "$Q"
expect 1 - -- "$V" evidence verify --platform tdx $AT --pcs-url "$P/nochain" "$Q"
expect 1 - -- "$V" evidence verify --platform tdx $AT --pcs-url "$P/big" "$Q"
# Unreachable.
expect 1 VOUCH_ERR_NETWORK -- "$V" evidence verify --platform tdx $AT --pcs-url http://127.0.0.1:9 "$Q"
# Bad URLs are usage errors.
expect 2 - -- "$V" evidence verify --platform tdx $AT --pcs-url ftp://x "$Q"
expect 2 - -- "$V" evidence verify --platform tdx $AT --offline --pcs-url "$P/p2025" "$Q"

echo "cli_dcap_pcs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
