#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SEV-SNP collateral for `vouch evidence verify` beyond --endorsements, on
# the real reports (read in place from $VOUCH_TESTDATA): downloaded from a
# local AMD KDS stand-in (snp_kds_server.py, --kds-url), kept in and read
# from --cache-dir with its validity, --offline, and the certificate table
# of an extended report (built here in a temporary directory from the real
# VCEK/ASK/ARK).  Nothing downloaded is trusted for where it came from.
set -uo pipefail
V=${VOUCH_BIN:?}
D=${VOUCH_TESTDATA:-$(dirname "$0")/../../../shared/testdata}
if [ ! -d "$D/snp" ]; then echo "SKIP: no testdata at $D"; exit 0; fi
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 0; }
T=$(mktemp -d)
SRV=
cleanup() { if [ -n "$SRV" ]; then kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null; fi; rm -rf "$T"; }
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
# The stand-in saw |$1| requests since the last check.
want_requests() {
  local total n; total=$(wc -l < "$T/log"); n=$((total - SEEN)); SEEN=$total
  [ "$n" -eq "$1" ] && ok || bad "$2: $n requests, want $1"
}

python3 "$(dirname "$0")/snp_kds_server.py" "$D" "$T/port" "$T/log" &
SRV=$!
touch "$T/log"
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || { echo "FAIL: the KDS stand-in did not start"; exit 1; }
K=http://127.0.0.1:$(cat "$T/port")
SEEN=0

M=$D/snp/gsg_milan_attestation.bin
MAT="--at 2022-09-24T01:00:00Z --insecure-allow-debug"
C=$T/cache

# --- Nothing but the report: VCEK, chain and CRL come from KDS. ---
expect 0 - -- "$V" evidence verify --kds-url "$K/p2022" $MAT "$M"
grep -q "verified: snp evidence" "$T/out" && ok || bad "verified"
want_requests 3 "VCEK, cert_chain and crl downloaded"
grep -q "^/p2022/vcek/v1/Milan/3ac3fe21.*?blSPL=2&teeSPL=0&snpSPL=5&ucodeSPL=68$" "$T/log" && ok || bad "VCEK URL"
grep -q "^/p2022/vcek/v1/Milan/cert_chain$" "$T/log" && ok || bad "cert_chain URL"
grep -q "^/p2022/vcek/v1/Milan/crl$" "$T/log" && ok || bad "crl URL"
# Given endorsements are used first: only the CRL is missing.
expect 0 - -- "$V" evidence verify --kds-url "$K/p2022" $MAT \
  --endorsements "$D/snp/gsg_milan_vcek.der" --endorsements "$D/certs/amd/ask_ark_milan.pem" "$M"
want_requests 1 "only the CRL"
expect 0 - -- "$V" evidence verify --kds-url "$K/p2022" $MAT --endorsements "$D/snp/gsg_milan_vcek.der" \
  --endorsements "$D/certs/amd/ask_ark_milan.pem" --endorsements "$D/crl/amd/milan_crl_2022-05-09.der" "$M"
want_requests 0 "complete endorsements"

# --- The cache: filled by downloads, then enough on its own. ---
expect 0 - -- "$V" evidence verify --kds-url "$K/p2022" --cache-dir "$C" $MAT "$M"
want_requests 3 "cold cache"
[ -f "$C/snp/Milan/vcek_cert_chain.pem" ] && [ -f "$C/snp/Milan/vcek_crl.der" ] && \
  ls "$C"/snp/Milan/vcek/3ac3fe21*-4405000000000002.der >/dev/null 2>&1 && ok || bad "cache layout"
expect 0 - -- "$V" evidence verify --kds-url "$K/p2022" --cache-dir "$C" $MAT "$M"
want_requests 0 "warm cache"
expect 0 - -- "$V" evidence verify --offline --cache-dir "$C" $MAT "$M"
want_requests 0 "offline cache"
# In 2025 the cached CRL is past nextUpdate: fetched again.  The p2022
# answer is still stale, so that fails; p2025 has the current list.
expect 1 VOUCH_ERR_CRL_EXPIRED -- "$V" evidence verify --kds-url "$K/p2022" --cache-dir "$C" \
  --at 2025-06-01T00:00:00Z --insecure-allow-debug "$M"
want_requests 1 "stale CRL refetched"
expect 0 - -- "$V" evidence verify --kds-url "$K/p2025" --cache-dir "$C" \
  --at 2025-06-01T00:00:00Z --insecure-allow-debug "$M"
want_requests 1 "current CRL fetched (VCEK and chain still valid)"
expect 0 - -- "$V" evidence verify --offline --cache-dir "$C" --at 2025-06-01T00:00:00Z --insecure-allow-debug "$M"
# ... and the 2022 time now sees a future-dated cached list: offline, that is final.
expect 1 VOUCH_ERR_CRL_EXPIRED -- "$V" evidence verify --offline --cache-dir "$C" $MAT "$M"
want_requests 0 "offline never fetches"
# Offline without a cache: nothing to verify with.
expect 1 VOUCH_ERR_COLLATERAL_MISSING -- "$V" evidence verify --offline $MAT "$M"

# --- Genoa (v3: the product comes from CPUID) and a VLEK. ---
G=$D/snp/derived/trustee_genoa_e2e_report.bin
expect 0 - -- "$V" evidence verify --kds-url "$K/p2025" --at 2025-06-01T00:00:00Z "$G"
want_requests 3 "Genoa collateral"
grep -c "/Genoa/" "$T/log" | grep -q '^3$' && ok || bad "only Genoa URLs for a Genoa report"
L=$D/snp/trustee_milan_vlek_report.bin
expect 1 VOUCH_ERR_COLLATERAL_MISSING -- "$V" evidence verify --kds-url "$K/p2025" --at 2025-06-01T00:00:00Z "$L"
want_requests 0 "a VLEK is never looked up by chip"
# S-2 runs provisional firmware (committed microcode 219, current 220).
expect 1 VOUCH_ERR_TCB_MISMATCH -- "$V" evidence verify --kds-url "$K/p2025" --at 2025-06-01T00:00:00Z \
  --endorsements "$D/snp/trustee_milan_vlek.der" "$L"
want_requests 2 "VLEK chain and CRL"
expect 0 - -- "$V" evidence verify --kds-url "$K/p2025" --at 2025-06-01T00:00:00Z \
  --insecure-allow-provisional-firmware --endorsements "$D/snp/trustee_milan_vlek.der" "$L"
want_requests 2 "VLEK chain and CRL again (no cache dir here)"
grep -q "^/p2025/vlek/v1/Milan/cert_chain$" "$T/log" && grep -q "^/p2025/vlek/v1/Milan/crl$" "$T/log" \
  && ok || bad "VLEK URLs"
# The Azure sample (S-4): the report inside the HCL blob, cut out here.
dd if="$D/snp/az-snp-vtpm/hcl-report.bin" of="$T/az.bin" bs=1 skip=32 count=1184 status=none
expect 0 - -- "$V" evidence verify --kds-url "$K/p2025" --at 2025-06-01T00:00:00Z \
  --insecure-allow-provisional-firmware "$T/az.bin"
want_requests 3 "Azure collateral"

# --- KDS misbehaving: never an acceptance. ---
expect 1 VOUCH_ERR_BAD_CERT -- "$V" evidence verify --kds-url "$K/garbage" $MAT "$M"
expect 1 VOUCH_ERR_TOO_LARGE -- "$V" evidence verify --kds-url "$K/big" $MAT "$M"
expect 1 VOUCH_ERR_NETWORK -- "$V" evidence verify --kds-url "$K/e500" $MAT "$M"
expect 1 VOUCH_ERR_NETWORK -- "$V" evidence verify --kds-url "$K/redirect" $MAT "$M"
grep -q "HTTP 302" "$T/err" && ok || bad "redirect not followed"

# --- KDS rate limiting (429): a precise network error, no waiting. ---
SEEN=$(wc -l < "$T/log")
expect 1 VOUCH_ERR_NETWORK -- "$V" evidence verify --kds-url "$K/r429" $MAT "$M"
grep -q "rate limited by 127.0.0.1:[0-9]*: retry after 120 s" "$T/err" && ok || bad "429 message"
# The v2 report's VCEK is looked up as Milan and, after the 429, not as Genoa.
want_requests 1 "nothing asked after the 429"
expect 1 VOUCH_ERR_NETWORK -- "$V" evidence verify --kds-url "$K/r429-bare" $MAT "$M"
grep -q "rate limited by 127.0.0.1:[0-9]*: retry later" "$T/err" && ok || bad "429 without Retry-After"
want_requests 1 "429 without Retry-After"
expect 1 VOUCH_ERR_NETWORK -- "$V" evidence verify --kds-url "$K/r429-date" $MAT "$M"
grep -q "retry later" "$T/err" && ok || bad "an HTTP-date is an unknown delay"
want_requests 1 "429 with an HTTP-date"
# VCEK and chain downloaded, the CRL refused with 429: no acceptance.
expect 1 VOUCH_ERR_NETWORK -- "$V" evidence verify --kds-url "$K/r429-crl" $MAT "$M"
grep -q "retry after 120 s" "$T/err" && ok || bad "429 for the CRL"
want_requests 3 "VCEK, chain, then the CRL's 429"
# A fresh cache needs no KDS ...
expect 0 - -- "$V" evidence verify --kds-url "$K/r429" --cache-dir "$C" --at 2025-06-01T00:00:00Z \
  --insecure-allow-debug "$M"
want_requests 0 "fresh cache while KDS rate-limits"
# ... and a stale (here future-dated) cached CRL is never the fallback.
expect 1 VOUCH_ERR_NETWORK -- "$V" evidence verify --kds-url "$K/r429" --cache-dir "$C" $MAT "$M"
grep -q "retry after 120 s" "$T/err" && ok || bad "stale cache with a 429"
want_requests 1 "stale CRL asked for, 429"
# A Genoa chain served for Milan: the pinned roots decide.
expect 1 VOUCH_ERR_CHAIN_INVALID -- "$V" evidence verify --kds-url "$K/wrong-root" $MAT \
  --endorsements "$D/snp/gsg_milan_vcek.der" --endorsements "$D/crl/amd/milan_crl_2022-05-09.der" "$M"
# Another TCB than the report's: KDS has no such VCEK.
cp "$M" "$T/m-tcb"; printf '\x45' | dd of="$T/m-tcb" bs=1 seek=$((0x187)) conv=notrunc status=none
expect 1 VOUCH_ERR_COLLATERAL_MISSING -- "$V" evidence verify --kds-url "$K/p2022" $MAT "$T/m-tcb"
grep -q "ucodeSPL=69" "$T/log" && ok || bad "VCEK asked for the report's (tampered) TCB"
# A flipped signed byte: KDS answers with the real VCEK, which refuses it.
cp "$M" "$T/m-flip"; printf '\x42' | dd of="$T/m-flip" bs=1 seek=$((0x90)) conv=notrunc status=none
expect 1 VOUCH_ERR_SIGNATURE_INVALID -- "$V" evidence verify --kds-url "$K/p2022" $MAT "$T/m-flip"
# A poisoned cache is verified like anything else.
mkdir -p "$T/poison/snp/Milan"
cp "$D/certs/amd/ask_ark_genoa.pem" "$T/poison/snp/Milan/vcek_cert_chain.pem"
expect 1 VOUCH_ERR_CHAIN_INVALID -- "$V" evidence verify --offline --cache-dir "$T/poison" $MAT \
  --endorsements "$D/snp/gsg_milan_vcek.der" --endorsements "$D/crl/amd/milan_crl_2022-05-09.der" "$M"

# --- The extended report: report || certificate table (VCEK, ASK, ARK). ---
SEEN=$(wc -l < "$T/log")
python3 - "$D" "$T/ext.bin" <<'PY'
import base64, re, struct, sys, uuid
d, out = sys.argv[1], sys.argv[2]
rd = lambda p: open(f"{d}/{p}", "rb").read()
pem = re.findall(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", rd("certs/amd/ask_ark_milan.pem"), re.S)
ask, ark = (base64.b64decode(b"".join(b.split())) for b in pem)
ents = [("63da758d-e664-4564-adc5-f4b93be8accd", rd("snp/gsg_milan_vcek.der")),
        ("4ab7b379-bbac-4fe4-a02f-05aef327c782", ask), ("c0b406a4-a803-4952-9743-3fb6014cd0ae", ark)]
off, hdr, body = 24 * (len(ents) + 1), b"", b""
for g, data in ents:
    hdr += uuid.UUID(g).bytes + struct.pack("<II", off + len(body), len(data)); body += data
t = hdr + bytes(24) + body
t += bytes(-len(t) % 4096)
open(out, "wb").write(rd("snp/gsg_milan_attestation.bin") + t)
PY
expect 0 - -- "$V" evidence verify --offline $MAT --endorsements "$D/crl/amd/milan_crl_2022-05-09.der" "$T/ext.bin"
expect 1 VOUCH_ERR_CRL_MISSING -- "$V" evidence verify --offline $MAT "$T/ext.bin"
expect 0 - -- "$V" evidence verify --kds-url "$K/p2022" $MAT "$T/ext.bin"
want_requests 1 "extended report: only the CRL is fetched"
expect 0 - -- "$V" evidence show "$T/ext.bin"
grep -q '"kind": "VCEK"' "$T/out" && grep -q '"kind": "ARK"' "$T/out" && ok || bad "show certificate_table"
# One byte of padding set: the table is refused as a whole.
cp "$T/ext.bin" "$T/ext-bad.bin"; printf '\x01' >> "$T/ext-bad.bin"
expect 1 VOUCH_ERR_RESERVED_NONZERO -- "$V" evidence verify --offline $MAT \
  --endorsements "$D/crl/amd/milan_crl_2022-05-09.der" --platform snp "$T/ext-bad.bin"

echo "cli_snp_collateral: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
