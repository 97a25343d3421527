#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Attested channels end to end on the sim platform: vouchd certifies the
# attested-echo server and client (include/vouch.h only), they talk over
# domain mTLS; a stock TLS client (openssl s_client) with an admission
# certificate from `vouch certify` gets an echo; an admission certificate
# from another domain (a second vouchd), a client without a certificate
# and a client requiring another measurement are refused.
set -uo pipefail
V=${VOUCH_BIN:?}
D=${VOUCHD_BIN:-$(dirname "$V")/vouchd}
E=${ECHO_BIN:-$(dirname "$V")/attested-echo}
T=$(mktemp -d)
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
pass=0; fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
need() { "$@" >"$T/last.out" 2>"$T/last.err" || { echo "setup failed: $*" >&2; cat "$T/last.err" >&2; exit 1; }; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rfc3339() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

[ -x "$E" ] || { echo "no attested-echo binary at $E" >&2; exit 1; }
M_ECHO=$(sha384sum "$(readlink -f "$E")" | cut -d' ' -f1)
M_VOUCH=$(sha384sum "$(readlink -f "$V")" | cut -d' ' -f1)

need "$V" sim init --tcb-svn 2 "$T/plat"

# domain NAME: a domain, its issuing CA and admin, a signed policy that
# admits both binaries, and a running vouchd; sets URL_NAME.
domain() {
  local n=$1 d="$T/$1" port
  mkdir -p "$d"
  need "$V" domain init "$d/domain"
  need "$V" service-cert issue --domain "$d/domain" --key-out "$d/issuer.key" --cert-out "$d/issuer.pem"
  need "$V" admin-cert issue --domain "$d/domain" --key-out "$d/admin.key" --cert-out "$d/admin.pem"
  cat > "$d/policy.json" <<EOF
{"vouch_policy": 1, "version": 1, "expires": "$(rfc3339 '+1 day')",
 "platforms": {"sim": {"min_tcb_svn": 1}},
 "measurements": {"echo-1": ["$M_ECHO"], "cli-1": ["$M_VOUCH"]},
 "admission": {"lifetime_seconds": 3600}}
EOF
  need "$V" policy sign --domain "$d/domain" "$d/policy.json" -o "$d/policy.signed"
  port=$(free_port)
  "$D" --data-dir "$d/data" --domain-cert "$d/domain/domain.pem" \
    --issuer-key "$d/issuer.key" --issuer-cert "$d/issuer.pem" \
    --listen "127.0.0.1:$port" --sim-root "$T/plat/sim-root.pem" \
    >"$d/vouchd.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    curl -sf --cacert "$d/domain/domain.pem" "https://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 0.1
  done
  need curl -sf --cacert "$d/domain/domain.pem" --cert "$d/admin.pem" --key "$d/admin.key" \
    -X PUT --data-binary @"$d/policy.signed" "https://127.0.0.1:$port/v1/policy"
  printf -v "URL_$n" '%s' "https://127.0.0.1:$port"
}
domain A
domain B

# echo_env DOMAIN STORE: the environment of an attested-echo process.
echo_env() {
  local u="URL_$1"
  echo "VOUCH_STORE=$T/$2 VOUCH_DOMAIN_ROOT=$T/$1/domain/domain.pem VOUCH_SERVICE_URL=${!u} VOUCH_SIM_DIR=$T/plat"
}

# The server, certified by domain A.
EPORT=$(free_port)
env $(echo_env A server-store) "$E" server "$EPORT" >"$T/server.out" 2>"$T/server.err" &
PIDS+=($!)
for _ in $(seq 100); do grep -q listening "$T/server.out" 2>/dev/null && break; sleep 0.1; done
grep -q listening "$T/server.out" && ok || { bad "echo server did not start"; cat "$T/server.err" >&2; }
[ "$(stat -c %a "$T/server-store/identity.sealed")" = 600 ] && ok || bad "sealed store mode"

# 1. attested-echo client, requiring the server's measurement.
env $(echo_env A client-store) VOUCH_PEER_MEASUREMENT="$M_ECHO" \
  "$E" client 127.0.0.1 "$EPORT" "hello attested world" >"$T/c1.out" 2>"$T/c1.err"
rc=$?
[ $rc -eq 0 ] && ok || { bad "echo client exit $rc"; cat "$T/c1.err" >&2; }
grep -qx "echo: hello attested world" "$T/c1.out" && ok || bad "no echo"
grep -qx "server measurement: $M_ECHO" "$T/c1.out" && ok || bad "server measurement not shown"
grep -qx "server platform: sim" "$T/c1.out" && ok || bad "server platform not shown"
# The server saw the client's measurement.
grep -q "peer measurement: $M_ECHO" "$T/server.out" && ok || bad "server did not see the client"
# A restart reuses the sealed identity: same certificate, no new certify.
before=$(sha256sum "$T/client-store/identity.sealed")
env $(echo_env A client-store) "$E" client 127.0.0.1 "$EPORT" again >"$T/c1b.out" 2>&1 \
  && grep -qx "echo: again" "$T/c1b.out" && ok || bad "second client run"
[ "$before" = "$(sha256sum "$T/client-store/identity.sealed")" ] && ok || bad "identity not reused"

# 2. A client requiring another measurement refuses the server.
env $(echo_env A client-store) VOUCH_PEER_MEASUREMENT="$M_VOUCH" \
  "$E" client 127.0.0.1 "$EPORT" "must not arrive" >"$T/c2.out" 2>"$T/c2.err"
rc=$?
[ $rc -eq 1 ] && ok || bad "wrong-measurement client exit $rc"
grep -q "VOUCH_ERR_MEASUREMENT_NOT_TRUSTED" "$T/c2.err" && ok || { bad "no MEASUREMENT_NOT_TRUSTED"; cat "$T/c2.err" >&2; }
grep -q "echo:" "$T/c2.out" && bad "echo despite the wrong measurement" || ok

# 3. A stock TLS client with an admission certificate from `vouch certify`.
need "$V" certify --service "$URL_A" --domain-cert "$T/A/domain/domain.pem" \
  --platform-dir "$T/plat" --key-out "$T/app.key" --cert-out "$T/leaf.pem"
[ "$(stat -c %a "$T/app.key")" = 600 ] && ok || bad "app.key mode"
s_client() { # KEY CHAIN [more options]: send a line, print what comes back
  local key=$1 chain=$2; shift 2
  (printf 'stock client line\n'; sleep 1) | timeout 20 openssl s_client -connect "127.0.0.1:$EPORT" \
    -tls1_3 -CAfile "$T/A/domain/domain.pem" -verify_return_error -quiet -no_ign_eof \
    ${key:+-key "$key"} ${chain:+-cert "$chain" -cert_chain "$chain"} "$@" 2>&1
}
# -cert takes the leaf; -cert_chain sends the issuing CA after it (the
# server trusts the domain root only, so the intermediate must be sent).
s_client "$T/app.key" "$T/leaf.pem" >"$T/s1.out"
grep -qx "stock client line" "$T/s1.out" && ok || { bad "s_client got no echo"; cat "$T/s1.out" >&2; }
grep -q "peer measurement: $M_VOUCH" "$T/server.out" && ok || bad "server did not see the vouch CLI measurement"
# Without -cert_chain s_client sends the leaf alone: no path to the root.
(printf 'stock client line\n'; sleep 1) | timeout 20 openssl s_client -connect "127.0.0.1:$EPORT" \
  -tls1_3 -CAfile "$T/A/domain/domain.pem" -quiet -no_ign_eof -key "$T/app.key" \
  -cert "$T/leaf.pem" >"$T/s1b.out" 2>&1
grep -qx "stock client line" "$T/s1b.out" && bad "leaf without its issuing CA accepted" || ok
# The same certificate, verified the stock way against the domain root.
openssl verify -x509_strict -purpose sslclient -CAfile "$T/A/domain/domain.pem" \
  -untrusted "$T/leaf.pem" "$T/leaf.pem" >/dev/null 2>&1 && ok || bad "openssl verify of the admission chain"

# 4. An admission certificate from another domain is refused at the handshake.
need "$V" certify --service "$URL_B" --domain-cert "$T/B/domain/domain.pem" \
  --platform-dir "$T/plat" --key-out "$T/b.key" --cert-out "$T/b-leaf.pem"
n0=$(grep -c "channel refused" "$T/server.err")
s_client "$T/b.key" "$T/b-leaf.pem" >"$T/s2.out"
grep -qx "stock client line" "$T/s2.out" && bad "foreign certificate got an echo" || ok
sleep 0.2
[ "$(grep -c "channel refused: VOUCH_ERR_CHAIN_INVALID" "$T/server.err")" -gt "$n0" ] && ok \
  || { bad "server did not refuse the foreign certificate"; tail -3 "$T/server.err" >&2; }
# An attested-echo client of domain B refuses domain A's server.
env $(echo_env B b-store) "$E" client 127.0.0.1 "$EPORT" "cross-domain" >"$T/c3.out" 2>"$T/c3.err"
rc=$?
[ $rc -eq 1 ] && grep -q VOUCH_ERR_CHAIN_INVALID "$T/c3.err" && ok || { bad "domain-B client exit $rc"; cat "$T/c3.err" >&2; }

# 5. A plain TLS client without a certificate is refused.
n0=$(grep -c "channel refused" "$T/server.err")
s_client "" "" >"$T/s3.out"
grep -qx "stock client line" "$T/s3.out" && bad "certificate-less client got an echo" || ok
sleep 0.2
[ "$(grep -c "channel refused: VOUCH_ERR_CHAIN_INVALID.*no certificate" "$T/server.err")" -gt 0 ] \
  && [ "$(grep -c "channel refused" "$T/server.err")" -gt "$n0" ] && ok \
  || { bad "server did not refuse the client without a certificate"; tail -3 "$T/server.err" >&2; }
# ...and so is TLS 1.2, and so is a client that is not TLS at all.
timeout 5 openssl s_client -connect "127.0.0.1:$EPORT" -tls1_2 -cert "$T/leaf.pem" \
  -key "$T/app.key" </dev/null >"$T/s4.out" 2>&1 && bad "TLS 1.2 accepted" || ok
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 5 curl -s --http0.9 "http://127.0.0.1:$EPORT/" >/dev/null 2>&1
# The server survived all of it and still echoes.
env $(echo_env A client-store) "$E" client 127.0.0.1 "$EPORT" "still here" >"$T/c4.out" 2>&1 \
  && grep -qx "echo: still here" "$T/c4.out" && ok || { bad "server no longer echoes"; cat "$T/c4.out" "$T/server.err" >&2; }

# 6. A tampered sealed store is an error at open, never replaced.
cp "$T/client-store/identity.sealed" "$T/sealed.orig"
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[100]^=1; open(p,"wb").write(b)' \
  "$T/client-store/identity.sealed"
cp "$T/client-store/identity.sealed" "$T/sealed.bad"
env $(echo_env A client-store) "$E" client 127.0.0.1 "$EPORT" x >"$T/c5.out" 2>"$T/c5.err"
rc=$?
[ $rc -eq 1 ] && grep -q VOUCH_ERR_SIGNATURE_INVALID "$T/c5.err" && ok || { bad "tampered store: exit $rc"; cat "$T/c5.err" >&2; }
cmp -s "$T/client-store/identity.sealed" "$T/sealed.bad" && ok || bad "tampered store was replaced"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
