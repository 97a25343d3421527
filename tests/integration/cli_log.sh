#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The sealed log end to end: `vouch log keygen`, a log written by one
# process (slog_write, the public vouch_log API) and verified by another
# (`vouch log verify`); damaged copies exit 1 naming the damage; a bad or
# wrong key and unreadable input exit 2; --json; --help everywhere.
set -uo pipefail
V=${VOUCH_BIN:?}
W=${SLOG_WRITE_BIN:-$(dirname "$V")/slog_write}
[ -x "$W" ] || { echo "cli_log.sh: $W not built" >&2; exit 1; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# expect CODE TEXT -- command...: exit code, and TEXT (if not -) in stdout+stderr
expect() {
  local code=$1 text=$2; shift 3
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -ne "$code" ]; then bad "exit $rc (want $code): $*"; cat "$T/err" >&2; return; fi
  if [ "$text" != "-" ] && ! grep -qF -- "$text" "$T/out" "$T/err"; then
    bad "output lacks '$text': $*"; cat "$T/out" "$T/err" >&2; return; fi
  ok
}
# record offsets: header 224 bytes, then 344-byte records (short messages)
H=224; R=344
rec() { dd if="$1" bs=1 skip=$((H + $2 * R)) count=$R 2>/dev/null; }

expect 0 - -- "$V" log keygen --out "$T/tenant.key" --pub-out "$T/tenant.pub"
[ "$(stat -c %a "$T/tenant.key")" = 600 ] && ok || bad "private key mode"
expect 1 VOUCH_ERR_STATE -- "$V" log keygen --out "$T/tenant.key" --pub-out "$T/x.pub"
expect 0 - -- "$V" log keygen --out "$T/other.key" --pub-out "$T/other.pub"
K="--key $T/tenant.key"

# One process writes (10 messages, a checkpoint, close: seq 0..11) ...
printf 'boot\ninfo: step 1\nwarn: low disk\nerror: \033[31mred\033[0m and \\ and tab\there\n#checkpoint\ndebug: d1\nd2\nd3\nd4\nd5\nlast\n' \
  | "$W" --pub "$T/tenant.pub" "$T/log" || bad "slog_write"
[ "$(stat -c %a "$T/log")" = 600 ] && ok || bad "log file mode"
[ "$(stat -c %s "$T/log")" -eq $((H + 12 * R)) ] && ok || bad "log size $(stat -c %s "$T/log")"
# ... another verifies.
expect 0 "verdict: intact (1 stream)" -- "$V" log verify $K "$T/log"
grep -q ' warn  low disk$' "$T/out" && ok || bad "message text"
grep -qF 'error \x1b[31mred\x1b[0m and \\ and tab\there' "$T/out" && ok || bad "control characters not escaped"
grep -q $'\033' "$T/out" && bad "raw escape reached the terminal" || ok
grep -q 'checkpoint: 5 records, 4 messages' "$T/out" && ok || bad "checkpoint"
grep -q 'close: 12 records, 10 messages' "$T/out" && ok || bad "close record"
expect 0 '"verdict":"intact"' -- "$V" log verify $K --json "$T/log"
python3 - "$T/out" <<'PY' && ok || bad "json"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["verdict"] == "intact" and o["damage"] == [] and o["findings"] == []
assert len(o["records"]) == 12 and o["records"][0]["text"] == "boot"
assert o["streams"][0]["closed"] and o["streams"][0]["profile"]
assert [r["seq"] for r in o["records"]] == list(range(12))
PY

# Damaged copies: exit 1, the damage named on stdout and stderr.
{ head -c $((H + 3 * R)) "$T/log"; tail -c +$((H + 4 * R + 1)) "$T/log"; } > "$T/dropped"
expect 1 "verdict: damaged: dropped" -- "$V" log verify $K "$T/dropped"
grep -q "vouch: log damaged: dropped" "$T/err" && ok || bad "stderr names the damage"
grep -q "seq 3 is missing" "$T/out" && ok || bad "dropped seq"
{ head -c $((H + 3 * R)) "$T/log"; rec "$T/log" 4; rec "$T/log" 3; tail -c +$((H + 5 * R + 1)) "$T/log"; } > "$T/reordered"
expect 1 "verdict: damaged: reordered" -- "$V" log verify $K "$T/reordered"
{ head -c $((H + 4 * R)) "$T/log"; rec "$T/log" 3; tail -c +$((H + 4 * R + 1)) "$T/log"; } > "$T/replayed"
expect 1 "verdict: damaged: replayed" -- "$V" log verify $K "$T/replayed"
cp "$T/log" "$T/tampered"
printf '\x00' | dd of="$T/tampered" bs=1 seek=$((H + 2 * R + 100)) conv=notrunc 2>/dev/null
expect 1 "verdict: damaged: tampered" -- "$V" log verify $K "$T/tampered"
grep -q "in place of seq 2" "$T/out" && ok || bad "tampered seq"
head -c $(( $(stat -c %s "$T/log") - 50 )) "$T/log" > "$T/torn"
expect 1 "verdict: damaged: truncated" -- "$V" log verify $K "$T/torn"
head -c $((H + 11 * R)) "$T/log" > "$T/noclose"
expect 1 "verdict: damaged: truncated" -- "$V" log verify $K "$T/noclose"
grep -q "no close record" "$T/out" && ok || bad "no close record"
expect 1 '"damage":["truncated"]' -- "$V" log verify $K --json "$T/noclose"
# A record from another stream to the same tenant, written by another process.
printf 'x0\nx1\nx2\n' | "$W" --pub "$T/tenant.pub" "$T/log2" || bad "slog_write 2"
{ head -c $((H + 5 * R)) "$T/log"; rec "$T/log2" 1; tail -c +$((H + 5 * R + 1)) "$T/log"; } > "$T/spliced"
expect 1 "verdict: damaged: spliced" -- "$V" log verify $K "$T/spliced"
# A crash (no close record) and a restart append a second stream.
printf 'a\nb\n' | "$W" --no-close --pub "$T/tenant.pub" "$T/crash" || bad "slog_write crash"
printf 'c\n' | "$W" --pub "$T/tenant.pub" "$T/crash" || bad "slog_write restart"
expect 1 "stream 1: 2 records, damaged (truncated)" -- "$V" log verify $K "$T/crash"
grep -q "stream 2: 2 records, intact" "$T/out" && ok || bad "second stream intact"
# Header changed: every record is unreadable.
cp "$T/log" "$T/header"
printf 'Z' | dd of="$T/header" bs=1 seek=80 conv=notrunc 2>/dev/null
expect 1 "verdict: damaged: tampered" -- "$V" log verify $K "$T/header"

# Keys: another tenant's key, a public key, garbage, missing: exit 2.
expect 2 "VOUCH_ERR_BAD_KEY" -- "$V" log verify --key "$T/other.key" "$T/log"
expect 2 "VOUCH_ERR_BAD_KEY" -- "$V" log verify --key "$T/tenant.pub" "$T/log"
expect 2 "VOUCH_ERR_BAD_KEY" -- "$V" log verify --key "$T/log" "$T/log"
expect 2 "VOUCH_ERR_NOT_FOUND" -- "$V" log verify --key "$T/missing" "$T/log"
expect 2 "VOUCH_ERR_NOT_FOUND" -- "$V" log verify $K "$T/missing"
# Usage.
expect 2 - -- "$V" log verify "$T/log"
expect 2 - -- "$V" log verify $K
expect 2 - -- "$V" log verify $K "$T/log" "$T/log"
expect 2 - -- "$V" log verify --bogus $K "$T/log"
expect 2 - -- "$V" log keygen --out "$T/k3"
expect 2 - -- "$V" log bogus
expect 0 "usage: vouch log verify" -- "$V" log verify --help
expect 0 "usage: vouch log keygen" -- "$V" log keygen --help
expect 0 "keygen" -- "$V" log --help
expect 0 "log" -- "$V" --help

echo "cli_log: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
