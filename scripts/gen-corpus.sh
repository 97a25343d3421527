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
