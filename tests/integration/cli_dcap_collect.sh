#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `vouch evidence collect --platform tdx|sgx` on fake interface trees of
# plain files made here in a temporary directory from real quotes (read in
# place from $VOUCH_TESTDATA): TDX through configfs-tsm ($VOUCH_TSM_ROOT),
# SGX through Gramine's /dev/attestation ($VOUCH_SGX_ATTESTATION_ROOT).
# What is written (inblob, user_report_data), the quote written out and
# verified, and every check on the answer.
set -uo pipefail
V=${VOUCH_BIN:?}
D=${VOUCH_TESTDATA:-$(dirname "$0")/../../../shared/testdata}
if [ ! -d "$D/tdx" ]; then echo "SKIP: no testdata at $D"; exit 0; fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() {
  local code=$1 name=$2; shift 3
  timeout 30 "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -ne "$code" ]; then bad "exit $rc (want $code): $*"; cat "$T/err" >&2; return; fi
  if [ "$name" != "-" ] && ! grep -q "vouch: $name:" "$T/err"; then
    bad "stderr lacks $name: $*"; cat "$T/err" >&2; return; fi
  ok
}
hexat() { python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); o=int(sys.argv[2]); print(d[o:o+64].hex())' "$@"; }

# --- TDX: T-5, whose REPORT_DATA is at quote offset 48 + 520. ---
Q=$D/tdx/phala_tdx_quote.dat
RD=$(hexat "$Q" 568)
E=$T/tsm/report/vouch-test
fake_tsm() {
  rm -rf "$E"; mkdir -p "$E"
  printf 'tdx_guest\n' > "$E/provider"; printf '3\n' > "$E/generation"
  : > "$E/inblob"; cp "$Q" "$E/outblob"
}
export VOUCH_TSM_ROOT=$T/tsm VOUCH_TSM_ENTRY=vouch-test
fake_tsm
expect 0 - -- "$V" evidence collect --platform tdx --report-data "$RD" -o "$T/tdx.q"
cmp -s "$T/tdx.q" "$Q" && ok || bad "quote bytes"
cmp -s "$E/inblob" <(python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$RD") && ok || bad "inblob"
grep -q "tdx quote from" "$T/err" && ok || bad "message"
expect 0 - -- "$V" evidence verify --offline --at 2025-07-19T10:00:34Z \
  --endorsements "$D/tdx/phala_tdx_quote_collateral.json" --report-data "$RD" "$T/tdx.q"
fake_tsm
expect 1 VOUCH_ERR_REPORT_DATA_MISMATCH -- "$V" evidence collect --platform tdx \
  --report-data "$(printf '00%.0s' $(seq 64))" -o "$T/x"
[ ! -e "$T/x" ] && ok || bad "output written on failure"
printf 'sev_guest\n' > "$E/provider"
expect 1 VOUCH_ERR_UNSUPPORTED_PLATFORM -- "$V" evidence collect --platform tdx --report-data "$RD" -o "$T/x"
fake_tsm; : > "$E/outblob"
expect 1 VOUCH_ERR_TRUNCATED -- "$V" evidence collect --platform tdx --report-data "$RD" -o "$T/x"
fake_tsm; head -c 3000 "$Q" > "$E/outblob"
expect 1 VOUCH_ERR_TRUNCATED -- "$V" evidence collect --platform tdx --report-data "$RD" -o "$T/x"
fake_tsm; cp "$D/sgx/trustee_occlum_quote_v3.dat" "$E/outblob"
expect 1 VOUCH_ERR_PLATFORM_MISMATCH -- "$V" evidence collect --platform tdx --report-data "$RD" -o "$T/x"
fake_tsm; head -c 70000 /dev/zero > "$E/outblob"
expect 1 VOUCH_ERR_TOO_LARGE -- "$V" evidence collect --platform tdx --report-data "$RD" -o "$T/x"
expect 2 - -- "$V" evidence collect --platform tdx --report-data "$RD" --vmpl 0 -o "$T/x"
VOUCH_TSM_ROOT=$T/none expect 1 VOUCH_ERR_NOT_FOUND -- "$V" evidence collect --platform tdx --report-data "$RD" -o "$T/x"

# --- SGX: G-1, REPORT_DATA at 48 + 320. ---
Q=$D/sgx/trustee_occlum_quote_v3.dat
RD=$(hexat "$Q" 368)
G=$T/attestation
fake_gramine() {
  rm -rf "$G"; mkdir -p "$G"
  printf 'dcap\n' > "$G/attestation_type"; : > "$G/user_report_data"; cp "$Q" "$G/quote"
}
export VOUCH_SGX_ATTESTATION_ROOT=$G
fake_gramine
expect 0 - -- "$V" evidence collect --platform sgx --report-data "$RD" -o "$T/sgx.q"
cmp -s "$T/sgx.q" "$Q" && ok || bad "sgx quote bytes"
cmp -s "$G/user_report_data" <(python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$RD") && ok || bad "user_report_data"
printf 'epid\n' > "$G/attestation_type"
expect 1 VOUCH_ERR_UNSUPPORTED_PLATFORM -- "$V" evidence collect --platform sgx --report-data "$RD" -o "$T/x"
fake_gramine
expect 1 VOUCH_ERR_REPORT_DATA_MISMATCH -- "$V" evidence collect --platform sgx \
  --report-data "$(printf '00%.0s' $(seq 64))" -o "$T/x"
fake_gramine; cp "$D/tdx/phala_tdx_quote.dat" "$G/quote"
expect 1 VOUCH_ERR_PLATFORM_MISMATCH -- "$V" evidence collect --platform sgx --report-data "$RD" -o "$T/x"
fake_gramine; : > "$G/quote"
expect 1 VOUCH_ERR_TRUNCATED -- "$V" evidence collect --platform sgx --report-data "$RD" -o "$T/x"
fake_gramine; rm "$G/quote"
expect 1 VOUCH_ERR_NOT_FOUND -- "$V" evidence collect --platform sgx --report-data "$RD" -o "$T/x"
VOUCH_SGX_ATTESTATION_ROOT=$T/none expect 1 VOUCH_ERR_NOT_FOUND -- "$V" evidence collect --platform sgx --report-data "$RD" -o "$T/x"

echo "cli_dcap_collect: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
