#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `vouch catalog`: the host-visible lines in their documented shape, and
# docs/logging.md carries exactly the table the binary prints.
set -euo pipefail
V="$VOUCH_BIN"; src=${VOUCH_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
fail() { echo "FAIL: $*"; exit 1; }
out=$("$V" catalog)
[ "$(echo "$out" | wc -l)" -ge 20 ] || fail "catalog too short"
echo "$out" | grep -vqE '^vouch: VC-[1-4][0-9]{2} [a-z]+: [a-z][a-z ]+	1[1-4]$' \
  && fail "a line out of shape: $(echo "$out" | grep -vE '^vouch: VC-[1-4][0-9]{2} [a-z]+: [a-z][a-z ]+	1[1-4]$' | head -1)"
[ "$(echo "$out" | cut -f1 | sort | uniq -d)" = "" ] || fail "duplicate lines"
"$V" catalog --markdown >"${TMPDIR:-/tmp}/vouch-catalog.$$"
python3 - "$src/docs/logging.md" "${TMPDIR:-/tmp}/vouch-catalog.$$" <<'PY' || fail "docs/logging.md table differs from vouch catalog --markdown"
import sys
doc, md = open(sys.argv[1]).read(), open(sys.argv[2]).read()
sys.exit(0 if md in doc else 1)
PY
rm -f "${TMPDIR:-/tmp}/vouch-catalog.$$"
rc=0; "$V" catalog --bogus 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "bad option: exit $rc"
"$V" catalog --help >/dev/null 2>&1 || fail "--help"
echo "cli_catalog: ok"
