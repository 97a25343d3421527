#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make run-evidence`: vouch's first job end to end on the simulated platform.
# Create a simulated platform, attest a program (the vouch binary itself)
# with a fresh nonce as report_data, verify the evidence against the sim
# root, print the claims.  Everything lives in a temporary directory.
set -euo pipefail
build=${1:-build}
V="$build/vouch"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

step() { printf '\n== %s\n' "$*"; }

step "1. create a simulated platform (vendor root + chip key, ECDSA P-384)"
"$V" sim init "$T/platform"
ls -l "$T/platform" | sed 1d | awk '{print "   " $1 "  " $NF}'

step "2. the verifier picks a fresh 64-byte nonce"
NONCE=$(openssl rand -hex 64)
echo "   report_data = ${NONCE:0:32}..."

step "3. attest the program $(basename "$V") (measurement = SHA-384 of the executable)"
"$V" sim attest --platform-dir "$T/platform" --report-data "$NONCE" --exe "$V" -o "$T/evidence.bin"
echo "   evidence: $(stat -c %s "$T/evidence.bin") bytes (report + chip certificate)"
echo "   sha384sum: $(sha384sum "$V" | cut -c1-32)..."

step "4. verify the evidence offline against the sim root, binding the nonce"
"$V" evidence verify --trust-anchor "$T/platform/sim-root.pem" --report-data "$NONCE" "$T/evidence.bin"

step "5. the same evidence with another nonce is refused (exit 1)"
OTHER=$(openssl rand -hex 64)
if "$V" evidence verify --trust-anchor "$T/platform/sim-root.pem" --report-data "$OTHER" "$T/evidence.bin" >/dev/null; then
  echo "   BUG: accepted"; exit 1
fi

step "6. a debug-mode report is refused unless --insecure-allow-debug"
"$V" sim attest --platform-dir "$T/platform" --report-data "$NONCE" --debug -o "$T/debug.bin"
if "$V" evidence verify --trust-anchor "$T/platform/sim-root.pem" --report-data "$NONCE" "$T/debug.bin" >/dev/null; then
  echo "   BUG: accepted"; exit 1
fi
echo
echo "done: evidence verified, foreign nonce and debug mode refused."
