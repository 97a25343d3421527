#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The CLI on the real AMD SEV-SNP Milan sample (S-1, read in place from
# $VOUCH_TESTDATA): verified with the right collateral, rejected without a
# CRL, --insecure-skip-revocation reported as unchecked, a flipped byte
# rejected.  Exit codes: 0 verified, 1 rejected.  --offline throughout:
# downloads are cli_snp_collateral.sh's business.
set -uo pipefail
V=${VOUCH_BIN:?}
D=${VOUCH_TESTDATA:-$(dirname "$0")/../../../shared/testdata}
if [ ! -d "$D/snp" ]; then echo "SKIP: no testdata at $D"; exit 0; fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() {
  local code=$1 name=$2; shift 3
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -ne "$code" ]; then bad "exit $rc (want $code): $*"; cat "$T/err" >&2; return; fi
  if [ "$name" != "-" ] && ! grep -q "vouch: $name:" "$T/err"; then
    bad "stderr lacks $name: $*"; cat "$T/err" >&2; return; fi
  ok
}

R=$D/snp/gsg_milan_attestation.bin
E="--offline --endorsements $D/snp/gsg_milan_vcek.der --endorsements $D/certs/amd/ask_ark_milan.pem"
CRL="--endorsements $D/crl/amd/milan_crl_2022-05-09.der"
AT="--at 2022-09-24T01:00:00Z"
RD=0102030405$(printf '00%.0s' $(seq 59))

# The sample's guest policy allows DEBUG: refused by default.
expect 1 VOUCH_ERR_DEBUG_ENABLED -- "$V" evidence verify --platform snp $E $CRL $AT "$R"
expect 0 - -- "$V" evidence verify --platform snp $E $CRL $AT --insecure-allow-debug \
  --report-data "$RD" --json "$R"
grep -q '"verdict":"verified"' "$T/out" && ok || bad "verdict"
grep -q '"platform":"snp"' "$T/out" && ok || bad "platform"
grep -q '"report_data_binding":"checked"' "$T/out" && ok || bad "binding"
grep -q '"unchecked":\[\]' "$T/out" && ok || bad "nothing unchecked"
grep -q '"snp.reported_tcb.microcode":68' "$T/out" && ok || bad "tcb claim"
# auto detection finds snp by content
expect 0 - -- "$V" evidence verify $E $CRL $AT --insecure-allow-debug "$R"
grep -q "verified: snp evidence" "$T/out" && ok || bad "auto platform"

# No CRL: fail closed; stale CRL: expired.
expect 1 VOUCH_ERR_CRL_MISSING -- "$V" evidence verify --platform snp $E $AT --insecure-allow-debug "$R"
expect 1 VOUCH_ERR_CRL_EXPIRED -- "$V" evidence verify --platform snp $E $CRL \
  --at 2025-06-01T00:00:00Z --insecure-allow-debug "$R"
# Explicitly skipped: verified, and listed as unchecked.
expect 0 - -- "$V" evidence verify --platform snp $E $AT --insecure-allow-debug \
  --insecure-skip-revocation --json "$R"
grep -q '"unchecked":\["revocation"' "$T/out" && ok || bad "revocation not listed unchecked"
"$V" evidence verify --help | grep -q -- "--insecure-skip-revocation" && ok || bad "help text"
# Without --offline a missing CRL is downloaded: with nothing listening
# that is a network error, never an acceptance.
expect 1 VOUCH_ERR_NETWORK -- "$V" evidence verify --platform snp --kds-url http://127.0.0.1:1 \
  --endorsements "$D/snp/gsg_milan_vcek.der" --endorsements "$D/certs/amd/ask_ark_milan.pem" \
  $AT --insecure-allow-debug "$R"
expect 2 - -- "$V" evidence verify --offline --kds-url http://127.0.0.1:1 "$R"
expect 2 - -- "$V" evidence verify --kds-url ftp://kds.example "$R"

# A flipped byte inside the signed range.
cp "$R" "$T/flip"; printf '\x42' | dd of="$T/flip" bs=1 seek=$((0x90)) conv=notrunc status=none
expect 1 VOUCH_ERR_SIGNATURE_INVALID -- "$V" evidence verify --platform snp $E $CRL $AT \
  --insecure-allow-debug "$T/flip"
# A Genoa root for a Milan report.
expect 1 VOUCH_ERR_CHAIN_INVALID -- "$V" evidence verify --platform snp --offline \
  --endorsements "$D/snp/gsg_milan_vcek.der" --endorsements "$D/certs/amd/ask_ark_genoa.pem" \
  $CRL $AT --insecure-allow-debug "$R"
# show decodes without verifying
expect 0 - -- "$V" evidence show --platform snp "$R"
grep -q '"verified": *false' "$T/out" && ok || bad "show"

echo "cli_snp: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
