#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `vouch evidence collect --platform snp` on a fake configfs-tsm tree
# ($VOUCH_TSM_ROOT) of plain files, made here in a temporary directory
# from the real Milan report and certificates (read in place from
# $VOUCH_TESTDATA): what is written to inblob and privlevel, the evidence
# written out (report || certificate table) and verified, and every check
# on the answer: provider, REPORT_DATA, VMPL, generation, sizes.  Then the
# /dev/sev-guest fallback ($VOUCH_SEV_GUEST_DEV), which here can only fail.
set -uo pipefail
V=${VOUCH_BIN:?}
D=${VOUCH_TESTDATA:-$(dirname "$0")/../../../shared/testdata}
if [ ! -d "$D/snp" ]; then echo "SKIP: no testdata at $D"; exit 0; fi
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
  timeout 30 "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -ne "$code" ]; then bad "exit $rc (want $code): $*"; cat "$T/err" >&2; return; fi
  if [ "$name" != "-" ] && ! grep -q "vouch: $name:" "$T/err"; then
    bad "stderr lacks $name: $*"; cat "$T/err" >&2; return; fi
  ok
}

M=$D/snp/gsg_milan_attestation.bin
RD=0102030405$(printf '00%.0s' $(seq 59))
VERIFY="--offline --at 2022-09-24T01:00:00Z --insecure-allow-debug"
CRL="--endorsements $D/crl/amd/milan_crl_2022-05-09.der"
E=$T/tsm/report/vouch-test

# The host's certificate table (VCEK, ASK, ARK), zero-padded to a page.
python3 - "$D" "$T/auxblob" <<'PY'
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
open(out, "wb").write(t + bytes(-len(t) % 4096))
PY

# A configfs-tsm entry as plain files; the kernel would make these.
fake_entry() {
  rm -rf "$E"; mkdir -p "$E"
  printf 'sev_guest\n' > "$E/provider"
  printf '7\n' > "$E/generation"
  : > "$E/inblob"; : > "$E/privlevel"
  cp "$M" "$E/outblob"
  cp "$T/auxblob" "$E/auxblob"
}
export VOUCH_TSM_ROOT=$T/tsm VOUCH_TSM_ENTRY=vouch-test
export VOUCH_SEV_GUEST_DEV=$T/no-such-device

# --- The good path. ---
fake_entry
expect 0 - -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/ev"
grep -q "snp evidence from configfs-tsm" "$T/err" && ok || bad "source"
[ "$(stat -c %s "$T/ev")" -eq $((1184 + $(stat -c %s "$T/auxblob"))) ] && ok || bad "evidence = report || auxblob"
cmp -s <(head -c 1184 "$T/ev") "$M" && ok || bad "report bytes"
# inblob got exactly the 64 bytes; privlevel was left alone.
cmp -s "$E/inblob" <(printf '\001\002\003\004\005'; head -c 59 /dev/zero) && ok || bad "inblob contents"
[ ! -s "$E/privlevel" ] && ok || bad "privlevel written without --vmpl"
# The named entry existed, so it is kept.
[ -d "$E" ] && ok || bad "existing entry removed"
expect 0 - -- "$V" evidence verify $VERIFY $CRL "$T/ev"
grep -q '"report_data_binding":"checked"' "$T/out" || true
expect 0 - -- "$V" evidence verify $VERIFY $CRL --report-data "$RD" --json "$T/ev"
grep -q '"report_data_binding":"checked"' "$T/out" && ok || bad "binding checked"
# --vmpl 0 is written and matches the report's VMPL.
fake_entry
expect 0 - -- "$V" evidence collect --platform snp --report-data "$RD" --vmpl 0 -o "$T/ev0"
[ "$(cat "$E/privlevel")" = "0" ] && ok || bad "privlevel written"
# --no-certs: the report alone.
expect 0 - -- "$V" evidence collect --platform snp --report-data "$RD" --no-certs -o "$T/ev1"
[ "$(stat -c %s "$T/ev1")" -eq 1184 ] && ok || bad "--no-certs size"
# A host without certificates hands back zeros: no table.
head -c 4096 /dev/zero > "$E/auxblob"
expect 0 - -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/ev2"
[ "$(stat -c %s "$T/ev2")" -eq 1184 ] && ok || bad "zero auxblob dropped"
rm -f "$E/auxblob"
expect 0 - -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/ev3"
[ "$(stat -c %s "$T/ev3")" -eq 1184 ] && ok || bad "no auxblob"

# --- Every check on the answer. ---
fake_entry
expect 1 VOUCH_ERR_REPORT_DATA_MISMATCH -- "$V" evidence collect --platform snp \
  --report-data "$(printf '00%.0s' $(seq 64))" -o "$T/x"
[ ! -e "$T/x" ] && ok || bad "output written on failure"
expect 1 VOUCH_ERR_BAD_FIELD -- "$V" evidence collect --platform snp --report-data "$RD" --vmpl 2 -o "$T/x"
printf 'tdx_guest\n' > "$E/provider"
expect 1 VOUCH_ERR_UNSUPPORTED_PLATFORM -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/x"
fake_entry
printf 'x7\n' > "$E/generation"
expect 1 VOUCH_ERR_BAD_FIELD -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/x"
fake_entry
head -c 1000 "$M" > "$E/outblob"
expect 1 VOUCH_ERR_TRUNCATED -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/x"
cat "$M" "$M" > "$E/outblob"
expect 1 VOUCH_ERR_TRAILING_DATA -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/x"
: > "$E/outblob"
expect 1 VOUCH_ERR_TRUNCATED -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/x"
fake_entry
printf '\001' | dd of="$E/auxblob" bs=1 seek=$(($(stat -c %s "$E/auxblob") - 1)) conv=notrunc status=none
expect 1 VOUCH_ERR_RESERVED_NONZERO -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/x"
expect 0 - -- "$V" evidence collect --platform snp --report-data "$RD" --no-certs -o "$T/x"
# Another writer between our inblob and our outblob: the generation moves.
fake_entry
rm "$E/generation"; mkfifo "$E/generation"
# (The second reader blocks until the second writer comes.)
( printf '7\n' > "$E/generation"; sleep 0.5; printf '8\n' > "$E/generation" ) &
BG=$!
expect 1 VOUCH_ERR_STATE -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/x"
grep -q "generation 7 -> 8" "$T/err" && ok || bad "generation detail"
wait "$BG" 2>/dev/null; BG=

# --- A fresh entry: made and removed (here it stays empty: not configfs). ---
unset VOUCH_TSM_ENTRY
expect 1 VOUCH_ERR_NOT_FOUND -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/x"
[ "$(find "$T/tsm/report" -maxdepth 1 -name 'vouch-*' ! -name vouch-test | wc -l)" -eq 0 ] && ok || bad "fresh entry left behind"
export VOUCH_TSM_ENTRY=../escape
expect 1 VOUCH_ERR_INVALID_ARGUMENT -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/x"
export VOUCH_TSM_ENTRY=vouch-test

# --- No configfs-tsm: /dev/sev-guest, which cannot answer here. ---
export VOUCH_TSM_ROOT=$T/no-tsm
expect 1 VOUCH_ERR_NOT_FOUND -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/x"
grep -q "no SEV-SNP guest interface" "$T/err" && ok || bad "not-found detail"
: > "$T/fake-dev"
export VOUCH_SEV_GUEST_DEV=$T/fake-dev
expect 1 VOUCH_ERR_IO -- "$V" evidence collect --platform snp --report-data "$RD" -o "$T/x"
grep -q "ioctl" "$T/err" && ok || bad "ioctl detail"

# --- Usage. ---
expect 2 - -- "$V" evidence collect --platform snp --report-data 0102 -o "$T/x"
expect 2 - -- "$V" evidence collect --platform snp --report-data "$RD"
expect 2 - -- "$V" evidence collect --report-data "$RD" -o "$T/x"
expect 2 - -- "$V" evidence collect --platform snp --report-data "$RD" --vmpl 4 -o "$T/x"
expect 1 VOUCH_ERR_UNSUPPORTED_PLATFORM -- "$V" evidence collect --platform tpm --report-data "$RD" -o "$T/x"
expect 2 - -- "$V" evidence collect --platform nope --report-data "$RD" -o "$T/x"
"$V" evidence collect --help | grep -q "VOUCH_TSM_ROOT" && ok || bad "help"

echo "cli_snp_collect: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
