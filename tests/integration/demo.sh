#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make run` (scripts/demo.sh) end to end: its output is checked, the joint
# statistics are recomputed independently from the owners' CSV files, and
# nothing it started may be left running.
set -uo pipefail
build=$(dirname "${VOUCH_BIN:?}")
src=${VOUCH_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
out=$(mktemp); trap 'rm -f "$out"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $2" >&2; fi; }

# In its own session, so that whatever it leaves behind can be found.
setsid bash -c 'echo $$ > "$0.sid"; exec bash "$1" "$2"' "$out" "$src/scripts/demo.sh" "$build" >"$out" 2>&1
rc=$?
sid=$(cat "$out.sid"); rm -f "$out.sid"
check "[ $rc -eq 0 ]" "demo exit status $rc"
sleep 0.2
check "! pgrep -s $sid >/dev/null" "processes left running: $(pgrep -s "$sid" -a)"
for line in "analytics: certified; waiting for 3 data owners" \
    "analytics: joint result over 72 rows sent to 3 owners" \
    "owner 1: verified (sim program, release analytics-1.0" \
    "owner 2: verified (sim program, release analytics-1.0" \
    "owner 3: verified (sim program, release analytics-1.0" \
    "all three owners received the same signed result" \
    "VOUCH_ERR_POLICY_DENIED" \
    "certify    rejected  VOUCH_ERR_MEASUREMENT_NOT_TRUSTED" \
    "audit log intact" \
    "the word rows appears 0 times" \
    "results-signing key \"joint-stats-results-key\" released by vouchd" \
    "vouchd refused to release joint-stats-results-key: release-denied" \
    "EAR warning, results key verified)" \
    "analytics: owner 3 (attested sim peer, release owner-client-1.0) sent" \
    "verdict: intact" \
    "sealed log intact."; do
  check "grep -qF '$line' '$out'" "missing: $line"
done
# The statistics, recomputed outside vouch (R-7 quartiles = 'inclusive').
python3 - "$src/examples/joint-stats/data" > "$out.want" <<'PY'
import csv, statistics, sys
rows = {}
for i in (1, 2, 3):
    for r in csv.DictReader(open("%s/owner%d.csv" % (sys.argv[1], i))):
        rows.setdefault(r["group"], []).append(float(r["value"]))
for g, v in sorted(rows.items()):
    q1, med, q3 = statistics.quantiles(v, n=4, method="inclusive")
    print("   %-6s %5d %9.1f %8.2f %7.1f %7.2f %7.2f %7.2f %7.1f" % (
        g, len(v), sum(v), sum(v) / len(v), min(v), q1, med, q3, max(v)))
PY
while IFS= read -r want; do
  check "grep -qF -- '$want' '$out'" "statistics differ: want '$want'"
done < "$out.want"
rm -f "$out.want"
[ "$fail" -eq 0 ] || cat "$out"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
