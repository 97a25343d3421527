#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerate the committed fuzz seed corpora from vouch's own output
# (sim evidence and the sim certificates); nothing from outside the project.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
V=${1:-$top/build/vouch}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$V" sim init "$T/p" 2>/dev/null
RD=$(printf '%0128x' 1)
"$V" sim attest --platform-dir "$T/p" --report-data "$RD" -o "$T/ev"
"$V" sim attest --platform-dir "$T/p" --report-data "$RD" --debug -o "$T/ev-debug"
for t in sim_evidence sim_report der; do rm -rf "$top/fuzz/corpus/$t"; mkdir -p "$top/fuzz/corpus/$t"; done
cp "$T/ev" "$top/fuzz/corpus/sim_evidence/valid"
cp "$T/ev-debug" "$top/fuzz/corpus/sim_evidence/debug"
head -c 100 "$T/ev" > "$top/fuzz/corpus/sim_evidence/truncated"
# the report alone: bytes 16..16+320 of the container
dd if="$T/ev" of="$top/fuzz/corpus/sim_report/valid" bs=1 skip=16 count=320 2>/dev/null
dd if="$T/ev-debug" of="$top/fuzz/corpus/sim_report/debug" bs=1 skip=16 count=320 2>/dev/null
openssl x509 -in "$T/p/chip.pem" -outform DER -out "$top/fuzz/corpus/der/chip-cert"
openssl x509 -in "$T/p/sim-root.pem" -outform DER -out "$top/fuzz/corpus/der/root-cert"
echo "corpora regenerated under fuzz/corpus"
# policies and signed envelopes made by our own tools
for t in policy admission; do rm -rf "$top/fuzz/corpus/$t"; mkdir -p "$top/fuzz/corpus/$t"; done
"$V" domain init "$T/d" >/dev/null 2>&1
cat > "$top/fuzz/corpus/policy/minimal.json" <<JSON
{"vouch_policy":1,"version":1,"expires":"2030-01-01T00:00:00Z","platforms":{"sim":{}},"measurements":{"r1":["$(printf '%096x' 1)"]}}
JSON
cat > "$top/fuzz/corpus/policy/rules.json" <<JSON
{"vouch_policy":1,"version":3,"expires":"2030-01-01T00:00:00Z","platforms":{"sim":{"min_tcb_svn":2,"insecure_allow_debug":false}},"measurements":{"r1":["$(printf '%096x' 1)"],"r2":["$(printf '%096x' 2)"]},"admission":{"lifetime_seconds":600},"rules":{"allOf":[{"claim":"sim.tcb_svn","greaterOrEquals":2},{"anyOf":[{"claim":"debug","equals":false},{"claim":"host_data","exists":true}]},{"claim":"platform","in":["sim","snp"]}]},"release_rules":{"disk":{"rule":{"claim":"debug","equals":false},"max_releases":3,"not_after":"2029-01-01T00:00:00Z"}}}
JSON
"$V" policy sign --domain "$T/d" "$top/fuzz/corpus/policy/rules.json" -o "$top/fuzz/corpus/policy/rules.signed" 2>/dev/null
# the admission extension of a certificate vouchd would issue (DER inside the extension)
printf '\x30\x50\x02\x01\x01\x0c\x03sim\x04\x30%s\x02\x01\x07\x0c\x0ajoint-1.0' "$(head -c 48 /dev/zero | tr '\0' 'A')" > "$top/fuzz/corpus/admission/example"
echo "policy and admission corpora regenerated"
# a synthetic SEV-SNP report layout (version 2, policy bit 17, signature_algo 1, zero elsewhere):
# made here, not taken from any real machine; real reports are added as seeds at run time
rm -rf "$top/fuzz/corpus/snp_report"; mkdir -p "$top/fuzz/corpus/snp_report"
python3 - "$top/fuzz/corpus/snp_report/synthetic-v2" <<'PY'
import struct, sys
r = bytearray(0x4A0)
struct.pack_into("<I", r, 0x00, 2)          # VERSION
struct.pack_into("<Q", r, 0x08, 0x30000)    # POLICY: bit 17 reserved-one, SMT
struct.pack_into("<I", r, 0x34, 1)          # SIGNATURE_ALGO: ECDSA P-384 with SHA-384
open(sys.argv[1], "wb").write(r)
PY
echo "snp corpus regenerated"
# SEV-SNP extended request certificate tables (fuzz/fuzz_snp_certs.c): synthetic
# layouts made here with placeholder bytes, no real certificate
rm -rf "$top/fuzz/corpus/snp_certs"; mkdir -p "$top/fuzz/corpus/snp_certs"
python3 - "$top/fuzz/corpus/snp_certs" <<'PY'
import os, struct, sys, uuid
d = sys.argv[1]
G = {n: uuid.UUID(u).bytes for n, u in {
    "ark": "c0b406a4-a803-4952-9743-3fb6014cd0ae", "ask": "4ab7b379-bbac-4fe4-a02f-05aef327c782",
    "vcek": "63da758d-e664-4564-adc5-f4b93be8accd", "vlek": "a8074bc2-a25a-483e-aae6-39c045a0b8a1",
    "crl": "92f81bc3-5811-4d3d-97ff-d19f88dc67ea"}.items()}
def table(entries, pad=0):
    off = 24 * (len(entries) + 1); hdr = b""; body = b""
    for guid, data in entries:
        hdr += guid + struct.pack("<II", off + len(body), len(data)); body += data
    t = hdr + bytes(24) + body
    return t + bytes(max(0, pad - len(t)))
blob = lambda n, b: bytes([0x30, 0x82, n >> 8, n & 0xff]) + bytes([b]) * n
open(os.path.join(d, "vcek-ask-ark-page"), "wb").write(
    table([(G["vcek"], blob(200, 1)), (G["ask"], blob(300, 2)), (G["ark"], blob(300, 3))], 4096))
open(os.path.join(d, "vlek-crl-other"), "wb").write(
    table([(G["vlek"], blob(100, 4)), (G["crl"], blob(50, 5)), (bytes(range(16)), b"x" * 8)]))
open(os.path.join(d, "empty"), "wb").write(bytes(24))
t = bytearray(table([(G["vcek"], blob(40, 6)), (G["ask"], blob(40, 7))]))
struct.pack_into("<I", t, 24 + 16, 72)          # ASK offset onto the VCEK: overlap
open(os.path.join(d, "overlap"), "wb").write(bytes(t))
open(os.path.join(d, "no-terminator"), "wb").write(G["ark"] + struct.pack("<II", 24, 8))
PY
echo "snp_certs corpus regenerated"
# HPKE messages sealed by our own hpke_tool (tests/interop/hpke_tool.c) to the
# fixed recipient key, info and aad of fuzz/fuzz_hpke_open.c; the first byte
# picks the AEAD (0 AES-128-GCM, 1 AES-256-GCM, 2 ChaCha20-Poly1305, 3 export-only)
H=${HPKE_TOOL:-$(dirname "$V")/hpke_tool}
if [ -x "$H" ]; then
  d="$top/fuzz/corpus/hpke_open"; rm -rf "$d"; mkdir -p "$d"
  printf '%s' 'vouch fuzz_hpke_open recipient key, not a secret' > "$T/hpke.ikm"
  "$H" derive "$T/hpke.ikm" "$T/hpke.key" "$T/hpke.pub"
  hpke_hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
  INFO=$(hpke_hex 'vouch fuzz info'); AAD=$(hpke_hex 'vouch fuzz aad')
  printf '%s' 'Beauty is truth, truth beauty' > "$T/hpke.pt"
  : > "$T/hpke.empty"
  hpke_seed() {  # SELECTOR-BYTE AEAD PLAINTEXT OUT
    "$H" seal "$2" "$T/hpke.pub" "$INFO" "$AAD" "" "$3" "$T/hpke.ct" >/dev/null
    { printf "$1"; cat "$T/hpke.ct"; } > "$d/$4"
  }
  hpke_seed '\000' aes128gcm "$T/hpke.pt" aes128gcm
  hpke_seed '\001' aes256gcm "$T/hpke.pt" aes256gcm
  hpke_seed '\002' chacha20poly1305 "$T/hpke.pt" chacha20poly1305
  hpke_seed '\000' aes128gcm "$T/hpke.empty" aes128gcm-empty
  head -c 40 "$d/aes128gcm" > "$d/truncated"
  hpke_seed '\003' export-only "$T/hpke.empty" export-only
  printf 'exporter context' >> "$d/export-only"
  echo "hpke_open corpus regenerated"
else
  echo "no hpke_tool at $H: hpke_open corpus not regenerated" >&2
fi
# Sealed log streams written by our own slog_write (tests/tools/slog_write.c)
# to the fixed tenant key of fuzz/fuzz_slog.c: whole, never closed, torn,
# restarted after a crash, with a changed byte, and a long message.
S=${SLOG_WRITE:-$(dirname "$V")/slog_write}
if [ -x "$S" ]; then
  d="$top/fuzz/corpus/slog"; rm -rf "$d"; mkdir -p "$d"
  K="vouch fuzz_slog tenant key, not a secret"
  printf 'boot\nwarn: disk 91%% full\nerror: \033[1mbold\033[0m\n#checkpoint\ndebug: x\n' |
    "$S" --derive-key "$K" "$d/intact"
  printf 'one\ntwo\n' | "$S" --derive-key "$K" --no-close "$d/unclosed"
  head -c $(( $(stat -c %s "$d/intact") - 100 )) "$d/intact" > "$d/torn"
  cp "$d/unclosed" "$d/restarted"
  printf 'after the crash\n' | "$S" --derive-key "$K" "$d/restarted"
  cp "$d/intact" "$d/tampered"
  printf '\001' | dd of="$d/tampered" bs=1 seek=700 conv=notrunc 2>/dev/null
  head -c 3000 /dev/zero | tr '\0' 'L' | "$S" --derive-key "$K" "$d/long"
  chmod 644 "$d"/*
  echo "slog corpus regenerated"
else
  echo "no slog_write at $S: slog corpus not regenerated" >&2
fi
# DCAP (tdx, sgx): synthetic quotes, a PCK extension and certificate, a CC
# event log and a CRL, all made by tests/unit/test_dcap.c's synthetic
# hierarchy (generated keys, never Intel's); real quotes are seeds at run time
B=$(dirname "$V")
for t in dcap_quote dcap_pck ccel crl; do rm -rf "$top/fuzz/corpus/$t"; mkdir -p "$top/fuzz/corpus/$t"; done
VOUCH_DCAP_CORPUS_OUT="$top/fuzz/corpus" "$B/test_dcap_quote" >/dev/null
VOUCH_DCAP_CORPUS="$top/fuzz/corpus" "$B/test_dcap" >/dev/null
echo "dcap corpora regenerated"
