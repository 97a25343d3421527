#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Domain tooling: domain init, service-cert, admin-cert, policy sign/check.
set -uo pipefail
V=${VOUCH_BIN:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() { local code=$1 name=$2; shift 3
  "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ "$rc" -ne "$code" ]; then bad "exit $rc (want $code): $*"; cat "$T/err" >&2; return; fi
  if [ "$name" != "-" ] && ! grep -q "vouch: $name:" "$T/err"; then bad "stderr lacks $name: $*"; cat "$T/err" >&2; return; fi
  ok; }

expect 0 - -- "$V" domain init "$T/d"
[ "$(stat -c %a "$T/d/domain.key")" = 600 ] && ok || bad "domain.key mode"
grep -q '^urn:vouch:domain:[0-9a-f]\{64\}$' "$T/out" && ok || bad "domain URI printed"
expect 1 VOUCH_ERR_STATE -- "$V" domain init "$T/d"
expect 0 - -- "$V" service-cert issue --domain "$T/d" --key-out "$T/i.key" --cert-out "$T/i.pem" --days 7
[ "$(stat -c %a "$T/i.key")" = 600 ] && ok || bad "issuer key mode"
openssl x509 -in "$T/i.pem" -noout -text | grep -q "CA:TRUE, pathlen:0" && ok || bad "service cert pathlen 0"
end=$(date -d "$(openssl x509 -in "$T/i.pem" -noout -enddate | cut -d= -f2)" +%s)
[ $(( end - $(date +%s) )) -le $(( 7 * 86400 + 60 )) ] && ok || bad "service cert validity"
openssl verify -CAfile "$T/d/domain.pem" "$T/i.pem" >/dev/null && ok || bad "service cert chains to the root"
expect 0 - -- "$V" admin-cert issue --domain "$T/d" --key-out "$T/a.key" --cert-out "$T/a.pem"
expect 2 - -- "$V" service-cert issue --domain "$T/d" --key-out "$T/x.key"
expect 2 VOUCH_ERR_NOT_FOUND -- "$V" service-cert issue --domain "$T/none" --key-out "$T/x.key" --cert-out "$T/x.pem"

M=$(printf '%096x' 1)
exp=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)
printf '{"vouch_policy":1,"version":2,"expires":"%s","platforms":{"sim":{"min_tcb_svn":1}},"measurements":{"r1":["%s"]},"rules":{"claim":"sim.tcb_svn","greaterOrEquals":1}}' "$exp" "$M" > "$T/p.json"
expect 0 - -- "$V" policy sign --domain "$T/d" "$T/p.json" -o "$T/p.signed"
expect 0 - -- "$V" policy check --domain-cert "$T/d/domain.pem" "$T/p.signed"
grep -q "version: 2" "$T/out" && grep -q "trusted platforms: sim (min_tcb_svn 1)" "$T/out" && grep -q "valid and current" "$T/out" \
  && ok || bad "policy check explains"
later=$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)
expect 1 VOUCH_ERR_POLICY_EXPIRED -- "$V" policy check --domain-cert "$T/d/domain.pem" --at "$later" "$T/p.signed"
"$V" domain init "$T/other" >/dev/null 2>&1
expect 1 VOUCH_ERR_POLICY_SIGNATURE -- "$V" policy check --domain-cert "$T/other/domain.pem" "$T/p.signed"
sed 's/"version":2/"version":3/' "$T/p.json" > "$T/p3.json"
python3 - "$T/p.signed" "$T/p3.json" "$T/forged" <<'PY'
import base64, json, sys
env = json.load(open(sys.argv[1]))
env["payload"] = base64.urlsafe_b64encode(open(sys.argv[2], "rb").read()).rstrip(b"=").decode()
json.dump(env, open(sys.argv[3], "w"))
PY
expect 1 VOUCH_ERR_POLICY_SIGNATURE -- "$V" policy check --domain-cert "$T/d/domain.pem" "$T/forged"
sed 's/"rules"/"rulez"/' "$T/p.json" > "$T/bad1.json"
expect 1 VOUCH_ERR_POLICY_INVALID -- "$V" policy sign --domain "$T/d" "$T/bad1.json" -o "$T/x"
sed 's/sim.tcb_svn","greater/sim.tcb_svm","greater/' "$T/p.json" > "$T/bad2.json"
expect 1 VOUCH_ERR_UNKNOWN_CLAIM -- "$V" policy sign --domain "$T/d" "$T/bad2.json" -o "$T/x"
printf '{"vouch_policy":1,"vouch_policy":1}' > "$T/bad3.json"
expect 1 VOUCH_ERR_DUPLICATE_KEY -- "$V" policy sign --domain "$T/d" "$T/bad3.json" -o "$T/x"
[ ! -e "$T/x" ] && ok || bad "nothing written for a refused policy"
for c in "domain init" "service-cert issue" "admin-cert issue" "policy sign" "policy check" "certify" "audit verify" "result verify"; do
  expect 0 - -- "$V" $c --help
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
