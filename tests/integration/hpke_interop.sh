#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# RFC 9180 HPKE interop between vouch (tests/interop/hpke_tool.c, on
# lib/crypto/hpke.c) and npm @hpke/core (tests/interop/hpke_interop.mjs):
# for AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305, vouch seals and
# @hpke/core opens, and @hpke/core seals and vouch opens, with info and
# aad (and once with both empty, and an empty plaintext); both ends must
# agree on the exported secret, including with the export-only AEAD.
# Keys cross over as PEM (node:crypto writes and reads PKCS#8 / SPKI).
# A wrong aad or info must fail on both ends.
#
# Without node or the npm packages: fail when CI is set, else SKIP.
set -uo pipefail
V=${VOUCH_BIN:?}
SRC=${VOUCH_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
H=${HPKE_TOOL:-$(dirname "$V")/hpke_tool}
JS="$SRC/tests/interop/hpke_interop.mjs"

skip() {
  if [ -n "${CI:-}" ]; then
    echo "FAIL: $* (required in CI; run scripts/deps.sh)" >&2
    exit 1
  fi
  echo "SKIP: $*"
  exit 0
}
command -v node >/dev/null 2>&1 || skip "node is not installed"
[ -d "$SRC/tests/interop/node_modules/@hpke/core" ] &&
  [ -d "$SRC/tests/interop/node_modules/@hpke/chacha20poly1305" ] ||
  skip "npm @hpke/core is not installed (tests/interop: npm install)"
[ -x "$H" ] || { echo "no hpke_tool binary at $H" >&2; exit 1; }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
need() { "$@" >"$T/last.out" 2>"$T/last.err" || { echo "setup failed: $*" >&2; cat "$T/last.err" >&2; exit 1; }; }
rhex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
N() { timeout 60 node "$JS" "$@"; }
C() { timeout 60 "$H" "$@"; }

# Recipient keys: one made by node for vouch to seal to, one made by
# vouch for node to seal to.  Each side reads the other's PEM.
need N keygen "$T/node.key" "$T/node.pub"
need C keygen "$T/vouch.key" "$T/vouch.pub"
[ "$(stat -c %a "$T/vouch.key")" = 600 ] && ok || bad "vouch private key is not mode 0600"
need C pub "$T/node.pub"
[ "$(wc -c <"$T/last.out")" = 65 ] && ok || bad "vouch cannot read node's public key PEM"

# vouch reads node's PKCS#8 private key: an export-only message node
# sealed to its own key opens with vouch to the same exported secret.
e1=$(N seal export-only "$T/node.pub" "" "" "" /dev/null "$T/self" 2>"$T/err") &&
  e2=$(C open export-only "$T/node.key" "" "" "" "$T/self" "$T/x" 2>"$T/err") &&
  [ "$e1" = "$e2" ] && ok || bad "vouch cannot use node's private key PEM: $(cat "$T/err")"

head -c 1000 /dev/urandom >"$T/pt"
: >"$T/empty"

# one AEAD INFO AAD EXPCTX PT: both directions, exports compared.
one() {
  local aead=$1 info=$2 aad=$3 exp=$4 pt=$5 e1 e2
  # vouch seals, node opens
  if e1=$(C seal "$aead" "$T/node.pub" "$info" "$aad" "$exp" "$pt" "$T/c2n" 2>"$T/err") &&
     e2=$(N open "$aead" "$T/node.key" "$info" "$aad" "$exp" "$T/c2n" "$T/c2n.pt" 2>"$T/err"); then
    if [ "$aead" = export-only ] || cmp -s "$pt" "$T/c2n.pt"; then ok; else bad "$aead: vouch->node plaintext differs"; fi
    [ "$e1" = "$e2" ] && ok || bad "$aead: vouch->node exports differ ($e1 / $e2)"
  else
    bad "$aead: vouch->node: $(cat "$T/err")"
  fi
  # node seals, vouch opens
  if e1=$(N seal "$aead" "$T/vouch.pub" "$info" "$aad" "$exp" "$pt" "$T/n2c" 2>"$T/err") &&
     e2=$(C open "$aead" "$T/vouch.key" "$info" "$aad" "$exp" "$T/n2c" "$T/n2c.pt" 2>"$T/err"); then
    if [ "$aead" = export-only ] || cmp -s "$pt" "$T/n2c.pt"; then ok; else bad "$aead: node->vouch plaintext differs"; fi
    [ "$e1" = "$e2" ] && ok || bad "$aead: node->vouch exports differ ($e1 / $e2)"
  else
    bad "$aead: node->vouch: $(cat "$T/err")"
  fi
}

for aead in aes128gcm aes256gcm chacha20poly1305; do
  INFO=$(rhex 37); AAD=$(rhex 19); EXP=$(rhex 11)
  one "$aead" "$INFO" "$AAD" "$EXP" "$T/pt"
  one "$aead" "" "" "" "$T/empty"
  # The other side refuses a wrong aad and a wrong info.
  C seal "$aead" "$T/node.pub" "$INFO" "$AAD" "$EXP" "$T/pt" "$T/c2n" >/dev/null 2>&1 || bad "$aead: seal"
  N open "$aead" "$T/node.key" "$INFO" "${AAD}00" "$EXP" "$T/c2n" "$T/x" >/dev/null 2>&1 &&
    bad "$aead: node opened with a wrong aad" || ok
  N open "$aead" "$T/node.key" "00$INFO" "$AAD" "$EXP" "$T/c2n" "$T/x" >/dev/null 2>&1 &&
    bad "$aead: node opened with a wrong info" || ok
  N seal "$aead" "$T/vouch.pub" "$INFO" "$AAD" "$EXP" "$T/pt" "$T/n2c" >/dev/null 2>&1 || bad "$aead: node seal"
  C open "$aead" "$T/vouch.key" "$INFO" "${AAD}00" "$EXP" "$T/n2c" "$T/x" >/dev/null 2>&1 &&
    bad "$aead: vouch opened with a wrong aad" || ok
  C open "$aead" "$T/vouch.key" "00$INFO" "$AAD" "$EXP" "$T/n2c" "$T/x" >/dev/null 2>&1 &&
    bad "$aead: vouch opened with a wrong info" || ok
  # A node message for another recipient (node's key) does not open with vouch's.
  C open "$aead" "$T/node.key" "$INFO" "$AAD" "$EXP" "$T/n2c" "$T/x" >/dev/null 2>&1 &&
    bad "$aead: opened with another recipient's key" || ok
done
one export-only "$(rhex 20)" "" "$(rhex 9)" "$T/empty"

echo "hpke_interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
