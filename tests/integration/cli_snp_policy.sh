#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `vouch evidence verify --policy` on the real SEV-SNP reports (read in
# place from $VOUCH_TESTDATA): plain and signed (JWS) domain policies, the
# "platforms.snp" settings admitted and denied, the verdict and the
# explanation in text and JSON, and the rule that a policy file only adds
# requirements.  Exit codes: 0 admitted, 1 rejected/denied/invalid policy,
# 2 usage.
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
has() { grep -q -- "$1" "$T/$2" && ok || { bad "$2 lacks: $1"; cat "$T/$2" >&2; }; }

# Genoa S-3 (v3, VMPL 0, VCEK, TCB bl 10 tee 0 snp 23 ucode 25, policy 0x30000).
G=$D/snp/derived/trustee_genoa_e2e_report.bin
GE="--offline --at 2025-06-01T00:00:00Z --endorsements $D/snp/derived/trustee_genoa_e2e_vcek.der
  --endorsements $D/certs/amd/ask_ark_genoa.pem --endorsements $D/crl/amd/genoa_crl_2024-10-23.der"
GM=6a6519d757e68c2e939c9dbbbc1828498e8de35d2766dd05f1a2cca5059d0cf4ae62a36d75c837974dd50b315506e73e
# Milan VLEK S-2 (v3, VMPL 1, VLEK, TCB bl 4 tee 0 snp 24 ucode 217; current ucode 220).
L=$D/snp/trustee_milan_vlek_report.bin
LE="--offline --at 2025-06-01T00:00:00Z --insecure-allow-provisional-firmware --endorsements $D/snp/trustee_milan_vlek.der
  --endorsements $D/certs/amd/ask_ark_milan_vlek.pem --endorsements $D/crl/amd/milan_crl_2025-05-06.der"
LM=8922ebbdd00ec2c541f36a6e7a82a8773a7accb451ed67bc94e740dbe92c93c4e8c9af857f5ceeb5a493df2a570d7bf0
# Milan S-1 (v2, a DEBUG guest).
M=$D/snp/gsg_milan_attestation.bin
ME="--offline --at 2022-09-24T01:00:00Z --endorsements $D/snp/gsg_milan_vcek.der
  --endorsements $D/certs/amd/ask_ark_milan.pem --endorsements $D/crl/amd/milan_crl_2022-05-09.der"
MM=b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01
Z32=$(printf '0%.0s' $(seq 64))

# policy FILE SNP-SETTINGS MEASUREMENT [EXTRA-TOP-LEVEL]
policy() {
  printf '{"vouch_policy":1,"version":4,"expires":"2030-01-01T00:00:00Z","platforms":{"snp":{%s}},"measurements":{"rel-1":["%s"]}%s}\n' \
    "$2" "$3" "${4:-}" > "$1"
}

# --- Admitted, every setting at once (Genoa). ---
policy "$T/g.json" '"products":["Genoa"],"signing_keys":["vcek"],"min_tcb":{"Genoa":{"bootloader":10,"tee":0,"snp":23,"microcode":25}},"max_vmpl":0,"guest_policy":{"require":["smt"],"forbid":["single_socket"]},"host_data":["'$Z32'"]' $GM
expect 0 - -- "$V" evidence verify $GE --policy "$T/g.json" "$G"
has "policy: admitted (version 4): admitted: platform snp, release rel-1, policy version 4" out
expect 0 - -- "$V" evidence verify $GE --policy "$T/g.json" --json "$G"
has '"verdict":"admitted"' out
has '"policy":{' out
has '"release":"rel-1"' out
has '"error":"VOUCH_OK"' out

# --- Each setting denied, with its explanation and error name. ---
policy "$T/d.json" '"min_tcb":{"Genoa":{"bootloader":10,"tee":0,"snp":24,"microcode":25}}' $GM
expect 1 VOUCH_ERR_TCB_OUT_OF_DATE -- "$V" evidence verify $GE --policy "$T/d.json" "$G"
has "policy: DENIED (version 4): platforms.snp.min_tcb.Genoa.snp: claim snp.reported_tcb.snp = 23, requires greaterOrEquals 24" out
expect 1 VOUCH_ERR_TCB_OUT_OF_DATE -- "$V" evidence verify $GE --policy "$T/d.json" --json "$G"
has '"verdict":"denied"' out
has '"error":"VOUCH_ERR_TCB_OUT_OF_DATE"' out
has '"path":"platforms.snp.min_tcb.Genoa.snp"' out
has '"claim":"snp.reported_tcb.snp"' out
# REPORTED_TCB, not CURRENT_TCB: S-2 runs microcode 220, its VLEK certifies 217.
policy "$T/d.json" '"min_tcb":{"Milan":{"bootloader":4,"tee":0,"snp":24,"microcode":218}},"allow_provisional_firmware":true' $LM
expect 1 VOUCH_ERR_TCB_OUT_OF_DATE -- "$V" evidence verify $LE --policy "$T/d.json" "$L"
has "snp.reported_tcb.microcode = 217, requires greaterOrEquals 218" out
policy "$T/d.json" '"min_tcb":{"Milan":{"bootloader":4,"tee":0,"snp":24,"microcode":217}},"allow_provisional_firmware":true' $LM
expect 0 - -- "$V" evidence verify $LE --policy "$T/d.json" "$L"
policy "$T/d.json" '"max_vmpl":0,"allow_provisional_firmware":true' $LM
expect 1 VOUCH_ERR_POLICY_DENIED -- "$V" evidence verify $LE --policy "$T/d.json" "$L"
has "platforms.snp.max_vmpl: claim snp.vmpl = 1, requires lessOrEquals 0" out
policy "$T/d.json" '"max_vmpl":1,"allow_provisional_firmware":true' $LM
expect 0 - -- "$V" evidence verify $LE --policy "$T/d.json" "$L"
policy "$T/d.json" '"signing_keys":["vcek"],"allow_provisional_firmware":true' $LM
expect 1 VOUCH_ERR_POLICY_DENIED -- "$V" evidence verify $LE --policy "$T/d.json" "$L"
has 'claim snp.signing_key = "vlek", requires in \["vcek"\]' out
policy "$T/d.json" '"signing_keys":["vlek"],"allow_provisional_firmware":true' $LM
expect 0 - -- "$V" evidence verify $LE --policy "$T/d.json" "$L"
policy "$T/d.json" '"products":["Milan","Turin"]' $GM
expect 1 VOUCH_ERR_POLICY_DENIED -- "$V" evidence verify $GE --policy "$T/d.json" "$G"
has 'claim snp.product = "Genoa", requires in \["Milan", "Turin"\]' out
policy "$T/d.json" '"guest_policy":{"require":["single_socket"]}' $GM
expect 1 VOUCH_ERR_POLICY_DENIED -- "$V" evidence verify $GE --policy "$T/d.json" "$G"
has "lacks bit 20 (single_socket)" out
policy "$T/d.json" '"guest_policy":{"forbid":["smt"]}' $GM
expect 1 VOUCH_ERR_POLICY_DENIED -- "$V" evidence verify $GE --policy "$T/d.json" "$G"
has "has bit 16 (smt) set" out
policy "$T/d.json" '"host_data":["'$(printf '1%.0s' $(seq 64))'"]' $GM
expect 1 VOUCH_ERR_POLICY_DENIED -- "$V" evidence verify $GE --policy "$T/d.json" "$G"
has "platforms.snp.host_data: claim host_data = $Z32 is none of the 1 allowed values" out
# The general parts: measurements, rules, trusted platforms, expiry.
policy "$T/d.json" '"allow_provisional_firmware":true' $LM
expect 1 VOUCH_ERR_MEASUREMENT_NOT_TRUSTED -- "$V" evidence verify $GE --policy "$T/d.json" "$G"
policy "$T/d.json" '' $GM ',"rules":{"claim":"snp.guest_svn","greaterOrEquals":1}'
expect 1 VOUCH_ERR_POLICY_DENIED -- "$V" evidence verify $GE --policy "$T/d.json" "$G"
has "rules: claim snp.guest_svn = 0, requires greaterOrEquals 1" out
printf '{"vouch_policy":1,"version":1,"expires":"2030-01-01T00:00:00Z","platforms":{"sim":{}},"measurements":{}}' > "$T/d.json"
expect 1 VOUCH_ERR_PLATFORM_NOT_TRUSTED -- "$V" evidence verify $GE --policy "$T/d.json" "$G"
policy "$T/d.json" '' $GM
expect 1 VOUCH_ERR_POLICY_EXPIRED -- "$V" evidence verify --offline --at 2031-01-01T00:00:00Z \
  --insecure-skip-revocation --insecure-allow-debug --policy "$T/d.json" --endorsements "$D/snp/derived/trustee_genoa_e2e_vcek.der" \
  --endorsements "$D/certs/amd/ask_ark_genoa.pem" "$G"

# --- A policy adds requirements, it never relaxes verification. ---
policy "$T/m.json" '"insecure_allow_debug":true' $MM
expect 1 VOUCH_ERR_DEBUG_ENABLED -- "$V" evidence verify $ME --policy "$T/m.json" "$M"
expect 0 - -- "$V" evidence verify $ME --insecure-allow-debug --policy "$T/m.json" "$M"
policy "$T/m.json" '' $MM
expect 1 VOUCH_ERR_DEBUG_ENABLED -- "$V" evidence verify $ME --insecure-allow-debug --policy "$T/m.json" "$M"
has "platforms.snp.insecure_allow_debug: claim debug = true" out
# Verification failures come first, with or without a policy.
expect 1 VOUCH_ERR_CRL_MISSING -- "$V" evidence verify --offline --at 2025-06-01T00:00:00Z \
  --endorsements "$D/snp/derived/trustee_genoa_e2e_vcek.der" --endorsements "$D/certs/amd/ask_ark_genoa.pem" \
  --policy "$T/g.json" "$G"

# --- Signed policies. ---
"$V" domain init "$T/dom" >/dev/null 2>&1 || bad "domain init"
"$V" domain init "$T/other" >/dev/null 2>&1 || bad "domain init other"
expect 0 - -- "$V" policy sign --domain "$T/dom" "$T/g.json" -o "$T/g.signed"
expect 0 - -- "$V" evidence verify $GE --policy "$T/g.signed" --domain-cert "$T/dom/domain.pem" "$G"
has "policy: admitted" out
expect 2 - -- "$V" evidence verify $GE --policy "$T/g.signed" "$G"
has "give the domain root with --domain-cert" err
expect 2 - -- "$V" evidence verify $GE --policy "$T/g.json" --domain-cert "$T/dom/domain.pem" "$G"
expect 2 - -- "$V" evidence verify $GE --domain-cert "$T/dom/domain.pem" "$G"
expect 1 VOUCH_ERR_POLICY_SIGNATURE -- "$V" evidence verify $GE --policy "$T/g.signed" \
  --domain-cert "$T/other/domain.pem" "$G"
sed 's/"signature":"./"signature":"A/' "$T/g.signed" > "$T/bad.signed"
expect 1 VOUCH_ERR_POLICY_SIGNATURE -- "$V" evidence verify $GE --policy "$T/bad.signed" \
  --domain-cert "$T/dom/domain.pem" "$G"

# --- Unknown or ill-typed snp settings fail at signing time and here. ---
policy "$T/u.json" '"min_tcb_svn":3' $GM
expect 1 VOUCH_ERR_POLICY_INVALID -- "$V" policy sign --domain "$T/dom" "$T/u.json" -o "$T/u.signed"
has "platforms.snp.min_tcb_svn: unknown key" err
expect 1 VOUCH_ERR_POLICY_INVALID -- "$V" evidence verify $GE --policy "$T/u.json" "$G"
policy "$T/u.json" '"guest_policy":{"forbid":["migrate_ma"]}' $GM
expect 1 VOUCH_ERR_POLICY_INVALID -- "$V" policy sign --domain "$T/dom" "$T/u.json" -o "$T/u.signed"
policy "$T/u.json" '"min_tcb":{"Genoa":{"bootloader":10}}' $GM
expect 1 VOUCH_ERR_POLICY_INVALID -- "$V" policy sign --domain "$T/dom" "$T/u.json" -o "$T/u.signed"
has 'platforms.snp.min_tcb.Genoa: missing "tee"' err
printf '{' > "$T/u.json"
expect 1 VOUCH_ERR_BAD_JSON -- "$V" evidence verify $GE --policy "$T/u.json" "$G"
expect 2 VOUCH_ERR_NOT_FOUND -- "$V" evidence verify $GE --policy "$T/none.json" "$G"

echo "cli_snp_policy: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
