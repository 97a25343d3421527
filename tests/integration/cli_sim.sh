#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The CLI contract on the sim platform: exit codes (0 verified, 1 rejected
# with the stable error name on stderr and in the JSON, 2 usage error or
# unreadable input), --json, --at, --report-data, --help everywhere.
set -uo pipefail
V=${VOUCH_BIN:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# expect CODE ERRNAME -- command...: exit code and (for 1) the error name on stderr
expect() {
  local code=$1 name=$2; shift 3
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -ne "$code" ]; then bad "exit $rc (want $code): $*"; cat "$T/err" >&2; return; fi
  if [ "$name" != "-" ] && ! grep -q "vouch: $name:" "$T/err"; then
    bad "stderr lacks $name: $*"; cat "$T/err" >&2; return; fi
  ok
}

RD=$(printf 'ab%.0s' $(seq 64))
RD2=$(printf 'cd%.0s' $(seq 64))
expect 0 - -- "$V" sim init --tcb-svn 2 "$T/p"
expect 1 VOUCH_ERR_STATE -- "$V" sim init "$T/p"
expect 0 - -- "$V" sim init --chip-days 1 "$T/short"
expect 0 - -- "$V" sim init "$T/other"
[ "$(stat -c %a "$T/p/chip.key")" = 600 ] && [ "$(stat -c %a "$T/p/sim-root.key")" = 600 ] \
  && [ "$(stat -c %a "$T/p/seal-secret.bin")" = 600 ] && ok || bad "key file modes"
expect 0 - -- "$V" sim attest --platform-dir "$T/p" --report-data "$RD" -o "$T/ev"
expect 0 - -- "$V" sim attest --platform-dir "$T/p" --report-data "$RD" --debug -o "$T/ev-debug"
expect 0 - -- "$V" sim attest --platform-dir "$T/short" --report-data "$RD" -o "$T/ev-short"
A="--trust-anchor $T/p/sim-root.pem"

# verified, with the measurement of the vouch binary itself
expect 0 - -- "$V" evidence verify $A --report-data "$RD" --json "$T/ev"
want=$(sha384sum "$(readlink -f "$V")" | cut -d' ' -f1)
grep -q "\"measurement\":\"$want\"" "$T/out" && ok || bad "measurement is not SHA-384 of the vouch binary"
grep -q '"report_data_binding":"checked"' "$T/out" && ok || bad "binding not checked"
grep -q '"verdict":"verified"' "$T/out" && ok || bad "verdict"
# without --report-data the binding is reported unchecked, never passed
expect 0 - -- "$V" evidence verify $A "$T/ev"
grep -q "report_data binding: UNCHECKED" "$T/out" && ok || bad "unchecked not reported"
expect 0 - -- "$V" evidence verify $A --json --platform sim "$T/ev"
grep -q '"report_data_binding":"unchecked"' "$T/out" && ok || bad "json unchecked"

# rejections: exit 1 with the stable name on stderr and in the JSON
expect 1 VOUCH_ERR_REPORT_DATA_MISMATCH -- "$V" evidence verify $A --report-data "$RD2" --json "$T/ev"
grep -q '"error":"VOUCH_ERR_REPORT_DATA_MISMATCH"' "$T/out" && grep -q '"verdict":"rejected"' "$T/out" \
  && ok || bad "rejection JSON"
expect 1 VOUCH_ERR_DEBUG_ENABLED -- "$V" evidence verify $A "$T/ev-debug"
expect 0 - -- "$V" evidence verify $A --insecure-allow-debug --json "$T/ev-debug"
grep -q '"insecure_relaxed":\["debug"\]' "$T/out" && ok || bad "relaxation not reported"
expect 1 VOUCH_ERR_CHAIN_INVALID -- "$V" evidence verify --trust-anchor "$T/other/sim-root.pem" "$T/ev"
expect 1 VOUCH_ERR_NO_TRUST_ANCHOR -- "$V" evidence verify "$T/ev"
# the chip certificate of "short" is valid for one day
later=$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)
expect 1 VOUCH_ERR_CERT_EXPIRED -- "$V" evidence verify --trust-anchor "$T/short/sim-root.pem" --at "$later" "$T/ev-short"
expect 0 - -- "$V" evidence verify --trust-anchor "$T/short/sim-root.pem" "$T/ev-short"
head -c 100 "$T/ev" > "$T/trunc"
expect 1 VOUCH_ERR_TRUNCATED -- "$V" evidence verify $A --platform sim "$T/trunc"
cp "$T/ev" "$T/trail"; printf 'x' >> "$T/trail"
expect 1 VOUCH_ERR_TRAILING_DATA -- "$V" evidence verify $A "$T/trail"
head -c 4096 /dev/urandom > "$T/random"
expect 1 VOUCH_ERR_UNKNOWN_FORMAT -- "$V" evidence verify $A "$T/random"
expect 1 VOUCH_ERR_UNSUPPORTED_PLATFORM -- "$V" evidence verify --platform tpm $A "$T/ev"
expect 1 VOUCH_ERR_PLATFORM_MISMATCH -- "$V" evidence verify --platform tdx $A "$T/ev"
expect 1 VOUCH_ERR_PLATFORM_MISMATCH -- "$V" evidence verify --platform snp $A "$T/ev"

# usage errors and unreadable input: exit 2
expect 2 - -- "$V" evidence verify $A --report-data "${RD}ab" "$T/ev"
expect 2 - -- "$V" evidence verify $A --report-data "${RD:2}" "$T/ev"
expect 2 - -- "$V" evidence verify $A --report-data "zz${RD:2}" "$T/ev"
expect 2 - -- "$V" evidence verify $A --at yesterday "$T/ev"
expect 2 - -- "$V" evidence verify $A --platform nope "$T/ev"
expect 2 VOUCH_ERR_NOT_FOUND -- "$V" evidence verify $A "$T/missing"
expect 2 - -- "$V" evidence verify $A
expect 2 - -- "$V" evidence verify --bogus "$T/ev"
expect 2 VOUCH_ERR_NOT_FOUND -- "$V" evidence verify --trust-anchor "$T/missing.pem" "$T/ev"
expect 2 VOUCH_ERR_BAD_CERT -- "$V" evidence verify --trust-anchor "$T/random" "$T/ev"
expect 2 VOUCH_ERR_UNKNOWN_FORMAT -- "$V" evidence verify $A --endorsements "$T/random" "$T/ev"
head -c 2000000 /dev/zero > "$T/huge"
expect 2 VOUCH_ERR_TOO_LARGE -- "$V" evidence verify $A "$T/huge"
expect 2 - -- "$V" sim attest --platform-dir "$T/p" --report-data abcd -o "$T/x"
expect 2 - -- "$V" nonsense
# endorsements: a directory, recognized by content (the sim root as an extra
# untrusted certificate changes nothing; unknown files are skipped)
mkdir "$T/endo"; cp "$T/p/chip.pem" "$T/endo/"; cp "$T/random" "$T/endo/"
expect 0 - -- "$V" evidence verify $A --endorsements "$T/endo" "$T/ev"

# show: decoded and marked unverified
expect 0 - -- "$V" evidence show "$T/ev"
grep -q '"verified": false' "$T/out" && ok || bad "show not marked unverified"
expect 1 VOUCH_ERR_UNKNOWN_FORMAT -- "$V" evidence show "$T/random"

# --help on every subcommand, to stdout, exit 0
for c in "" "sim" "sim init" "sim attest" "evidence" "evidence verify" "evidence show"; do
  expect 0 - -- "$V" $c --help
  grep -qi usage "$T/out" && ok || bad "--help for '$c' prints no usage"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
