# SPDX-License-Identifier: Apache-2.0
"""vouchd secrets end to end on the sim platform (docs/secrets.md).

Admin endpoints (versions, metadata without values, strict bodies, admin
authentication); a release opened by an independent HPKE implementation,
and only with the ephemeral key; every refusal the issue names, each
audited with its precise reason while the attester sees one coarse code:
an untrusted measurement, a debug platform, a replayed and an expired
nonce, evidence bound to another key, another secret name, another label
or an unbound profile, a failing rule, a passed not_after, a reached
max_releases (held exactly by two vouchd processes on one store), an
unknown secret, an expired policy; the CLI (put from a file and stdin,
list, delete, get to a 0600 file and to stdout); vouch_secret_get and
vouch_secret_seal_key from a program linked with libvouch; KEK checks at
start, rotation file -> file and file -> PKCS#11 (SoftHSM2, when
installed); values never in the log, the audit log, any answer or the
database; core dumps: none by default, and with them allowed the KEK and
a released value are absent from the core.
"""
import base64, hashlib, http.client, json, os, resource, shutil, signal, socket
import sqlite3, stat, subprocess, sys, threading, time
sys.path.insert(0, os.path.dirname(__file__))
from vouchd_lib import (Env, Checks, bind, run, rfc3339, VOUCH, VOUCHD, release_bind,
                        x25519_keypair, hpke_open, release_info, release_aad, kek_unwrap,
                        kek_file_id)

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
WORKLOAD = os.path.join(os.path.dirname(VOUCH), "test_secrets_release")

env = Env(nonce_ttl=5)
T = Checks()
c = T.check
VALUES = []        # every secret value used: looked for everywhere later
BODIES = []        # every answer vouchd gave


def value(tag, n=40):
    v = ("VOUCHSECRET-%s-" % tag).encode() + os.urandom(n).hex().encode()
    VALUES.append(v)
    return v


def put(name, rule, val, admin=True):
    body = {"rule": rule, "value": base64.b64encode(val).decode()}
    if admin:
        st, b, _ = env.admin("PUT", "/v1/secrets/" + name, body)
    else:
        st, b, _ = env.request("PUT", "/v1/secrets/" + name, body)
    BODIES.append(b)
    return st, (json.loads(b) if b else {})


def admin(method, path, body=None):
    st, b, _ = env.admin(method, path, body)
    BODIES.append(b)
    return st, (json.loads(b) if b else {})


def release(name, bind_name=None, bind_key=None, nonce=None, extra=(), exe=None,
            profile=None, send_profile=None, label="vouch-release-v1", port=None,
            tamper=False):
    priv, raw, pem = x25519_keypair()
    n = nonce if nonce is not None else env.challenge()
    parts = [n, bind_key if bind_key is not None else raw, (bind_name or name).encode()]
    if profile is not None:
        parts.append(profile.encode())
    ev = env.evidence(bind(label, *parts), *extra, exe=exe)
    if tamper:
        raw_ev = bytearray(base64.b64decode(ev))
        raw_ev[len(raw_ev) // 2] ^= 1
        ev = base64.b64encode(bytes(raw_ev)).decode()
    req = {"nonce": n.hex(), "evidence": ev, "public_key": pem}
    sp = send_profile if send_profile is not None else profile
    if sp is not None:
        req["profile"] = sp
    st, b = post_to(port or env.port, "/v1/secrets/%s/release" % name, req)
    return st, b, priv, n


def post_to(port, path, body):
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=env.ctx(), timeout=20)
    try:
        conn.request("POST", path, body=json.dumps(body) if not isinstance(body, (bytes, str)) else body,
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        BODIES.append(data)
        return r.status, data
    finally:
        conn.close()


def opened(b, priv, name):
    j = json.loads(b)
    return hpke_open(priv, base64.b64decode(j["sealed"]), release_info(name),
                     release_aad(name, j["version"]))


def events(type_):
    return [r["event"] for r in env.audit() if r["event"]["type"] == type_]


def expect_denied(what, st, b, error, stage=None, code="release-denied"):
    j = json.loads(b) if b else {}
    c(st == (503 if code == "policy-unavailable" else 403) and j.get("code") == code,
      "%s: answer %d %s" % (what, st, b))
    ev = events("secret-release")[-1]
    c(ev.get("outcome") == "rejected" and (ev.get("error") == error or (error is None and ev.get("error"))) and
      (stage is None or ev.get("stage") == stage),
      "%s: audit %s (want %s at %s)" % (what, ev, error, stage))


def start_vouchd(extra, cwd=None, core=False, wait=True, port=None):
    """A vouchd like Env.start's, with more options, a cwd and core limits."""
    if port is None:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
    args = [VOUCHD, "--data-dir", env.data, "--domain-cert", env.root,
            "--issuer-key", env.dir + "/issuer.key", "--issuer-cert", env.dir + "/issuer.pem",
            "--listen", "127.0.0.1:%d" % port, "--sim-root", env.dir + "/plat/sim-root.pem",
            "--nonce-ttl", "5", "--threads", "2"] + list(extra)

    def pre():
        if core:
            resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    log = open(env.dir + "/vouchd.log", "ab")
    p = subprocess.Popen(args, stdout=log, stderr=log, cwd=cwd, preexec_fn=pre)
    if wait:
        for _ in range(200):
            try:
                conn = http.client.HTTPSConnection("127.0.0.1", port, context=env.ctx(), timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return p, port
            except OSError:
                if p.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError("vouchd did not start: " + open(env.dir + "/vouchd.log").read()[-2000:])
    return p, port


def use(p, port):
    """Make a process started by start_vouchd the one env talks to."""
    env.proc = p
    env.port = port


def measurement_of(path):
    return hashlib.sha384(open(os.path.realpath(path), "rb").read()).hexdigest()


def rules(**extra):
    r = {"db": {"rule": {"claim": "debug", "equals": False}},
         "limited": {"rule": {"claim": "platform", "equals": "sim"}, "max_releases": 2},
         "race": {"rule": {"claim": "platform", "equals": "sim"}, "max_releases": 3},
         "prod": {"rule": {"claim": "profile", "equals": "production"}},
         "old": {"rule": {"claim": "platform", "equals": "sim"},
                 "not_after": rfc3339(time.time() - 3600)}}
    r.update(extra)
    return r


try:
    env.start()
    st, b, _ = env.put_policy(env.sign(env.policy(1, release_rules=rules())))
    c(st == 201, "policy with release rules accepted: %s" % b)

    # ---- admin ----------------------------------------------------------
    v1, v2 = value("db1"), value("db2")
    st, j = put("db-password", "db", v1, admin=False)
    c(st == 401 and j.get("code") == "admin-required", "PUT without admin cert refused: %d %s" % (st, j))
    c(events("admin-refused")[-1].get("path") == "/v1/secrets/db-password", "refused PUT audited")
    st, j = put("db-password", "db", v1)
    c(st == 201 and j == {"name": "db-password", "version": 1, "rule": "db", "rule_in_policy": True},
      "PUT v1: %d %s" % (st, j))
    st, j = put("db-password", "db", v2)
    c(st == 201 and j.get("version") == 2, "PUT v2 keeps v1: %s" % j)
    st, b, _ = env.admin("PUT", "/v1/secrets/x", {"rule": "db", "value": "eA==", "extra": 1})
    c(st == 400, "unknown member refused: %d" % st)
    st, b, _ = env.admin("PUT", "/v1/secrets/x", '{"rule":"db","value":"eA==","value":"eQ=="}')
    c(st == 400, "duplicate member refused: %d" % st)
    for bad in ({"rule": "db", "value": "not base64!"}, {"rule": "db", "value": ""},
                {"rule": "db"}, {"value": "eA=="}, {"rule": "a b", "value": "eA=="},
                {"rule": "db", "value": base64.b64encode(b"x" * 65537).decode()},
                {"rule": 5, "value": "eA=="}):
        st, b, _ = env.admin("PUT", "/v1/secrets/x", bad)
        c(st == 400 and json.loads(b)["code"] == "bad-request", "bad PUT %s refused: %d" % (str(bad)[:60], st))
    st, j = put("big", "db", os.urandom(65536))
    c(st == 201, "a 65536-byte value is accepted: %d" % st)
    for bad in ("a%20b", "a" * 65, "caf%C3%A9"):
        st, b, _ = env.admin("PUT", "/v1/secrets/" + bad, {"rule": "db", "value": "eA=="})
        c(st == 400, "bad name %s refused: %d" % (bad, st))
    st, j = put("orphan", "no-such-rule", value("orphan"))
    c(st == 201 and j.get("rule_in_policy") is False, "a rule not in the policy is flagged: %s" % j)
    st, j = admin("GET", "/v1/secrets/db-password")
    c(st == 200 and [x["version"] for x in j.get("versions", [])] == [1, 2] and j.get("version") == 2 and
      j.get("rule") == "db" and j.get("releases") == 0 and j.get("kek_id", "").startswith("file:"),
      "GET metadata: %s" % j)
    st, j = admin("GET", "/v1/secrets")
    names = {x["name"]: x for x in j.get("secrets", [])}
    c(st == 200 and names.get("db-password", {}).get("versions") == 2 and "big" in names,
      "GET list: %s" % j)
    st, j = admin("GET", "/v1/secrets/nope")
    c(st == 404 and j.get("code") == "not-found", "GET unknown: %d" % st)
    st, j = admin("DELETE", "/v1/secrets/nope")
    c(st == 404, "DELETE unknown: %d" % st)
    st, j = admin("POST", "/v1/secrets/db-password", {})
    c(st == 405, "POST on a secret: %d" % st)
    st, b, _ = env.get("/v1/secrets/db-password/other")
    c(st == 404, "unknown sub-path: %d" % st)
    st, b, _ = env.get("/v1/secrets/db-password/release")
    c(st == 405, "GET release: %d" % st)

    # ---- a release ------------------------------------------------------
    st, b, priv, used_nonce = release("db-password")
    c(st == 200, "release: %d %s" % (st, b))
    j = json.loads(b)
    c(j.get("name") == "db-password" and j.get("version") == 2 and set(j) == {"name", "version", "sealed"},
      "release answer %s" % j)
    c(opened(b, priv, "db-password") == v2, "the newest value opens with the ephemeral key")
    other, _, _ = x25519_keypair()
    try:
        opened(b, other, "db-password")
        c(False, "opened with another key")
    except Exception:
        c(True, "")
    try:
        hpke_open(priv, base64.b64decode(j["sealed"]), release_info("db-password"), release_aad("db-password", 1))
        c(False, "opened with another version in the aad")
    except Exception:
        c(True, "")
    try:
        hpke_open(priv, base64.b64decode(j["sealed"]), release_info("other"), release_aad("other", 2))
        c(False, "opened under another name")
    except Exception:
        c(True, "")
    ev = events("secret-release")[-1]
    c(ev.get("outcome") == "released" and ev.get("secret") == "db-password" and ev.get("version") == 2 and
      ev.get("rule") == "db" and ev.get("releases") == 1 and ev.get("measurement") == env.measurement,
      "release audited: %s" % ev)

    # A low-order X25519 key (all zero): the same coarse refusal as any other
    # failure after the nonce, never a distinct answer (no oracle).
    zero = bytes(32)
    zpem = "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n" % base64.b64encode(
        bytes.fromhex("302a300506032b656e032100") + zero).decode()
    zn = env.challenge()
    zst, zb = post_to(env.port, "/v1/secrets/db-password/release",
                      {"nonce": zn.hex(), "evidence": env.evidence(release_bind(zn, zero, "db-password")),
                       "public_key": zpem})
    c(zst == 403 and json.loads(zb).get("code") == "release-denied",
      "low-order public key: 403 release-denied, like every refusal (%d %s)" % (zst, zb))
    zev = events("secret-release")[-1]
    c(zev.get("outcome") == "rejected" and zev.get("error") == "VOUCH_ERR_BAD_KEY", "low-order key audited: %s" % zev)

    # ---- refusals -------------------------------------------------------
    st, b, _, _ = release("db-password", exe="/bin/true")
    expect_denied("untrusted measurement", st, b, "VOUCH_ERR_MEASUREMENT_NOT_TRUSTED")
    st, b, _, _ = release("db-password", extra=("--debug",))
    expect_denied("debug platform", st, b, "VOUCH_ERR_DEBUG_ENABLED")
    st, b, _, _ = release("db-password", extra=("--tcb-svn", "0"))
    expect_denied("old TCB", st, b, "VOUCH_ERR_TCB_OUT_OF_DATE")
    st, b, _, _ = release("db-password", nonce=used_nonce)
    expect_denied("replayed nonce", st, b, "VOUCH_ERR_NONCE_INVALID", "nonce", code="nonce-invalid")
    st, b, _, _ = release("db-password", nonce=os.urandom(32))
    expect_denied("unknown nonce", st, b, "VOUCH_ERR_NONCE_INVALID", "nonce", code="nonce-invalid")
    n = env.challenge()
    time.sleep(6)
    st, b, _, _ = release("db-password", nonce=n)
    expect_denied("expired nonce", st, b, "VOUCH_ERR_NONCE_INVALID", "nonce", code="nonce-invalid")
    _, other_raw, _ = x25519_keypair()
    st, b, _, _ = release("db-password", bind_key=other_raw)
    expect_denied("bound to another key", st, b, "VOUCH_ERR_REPORT_DATA_MISMATCH")
    st, b, _, _ = release("db-password", bind_name="big")
    expect_denied("bound to another secret", st, b, "VOUCH_ERR_REPORT_DATA_MISMATCH")
    st, b, _, _ = release("db-password", label="vouch-certify-v1")
    expect_denied("certify label", st, b, "VOUCH_ERR_REPORT_DATA_MISMATCH")
    st, b, _, _ = release("db-password", send_profile="production")
    expect_denied("profile sent, not bound", st, b, "VOUCH_ERR_REPORT_DATA_MISMATCH")
    st, b, _, _ = release("db-password", profile="production", send_profile="debug")
    expect_denied("another profile bound", st, b, "VOUCH_ERR_REPORT_DATA_MISMATCH")
    st, b, _, _ = release("db-password", tamper=True)
    expect_denied("tampered evidence", st, b, None)
    st, b, _, _ = release("nope")
    expect_denied("unknown secret", st, b, "VOUCH_ERR_NOT_FOUND", "secret")
    st, b, _, _ = release("orphan")
    expect_denied("rule not in the policy", st, b, "VOUCH_ERR_POLICY_DENIED", "release-rule")
    vp = value("prod")
    put("prod-secret", "prod", vp)
    st, b, _, _ = release("prod-secret")
    expect_denied("rule fails (no profile)", st, b, "VOUCH_ERR_POLICY_DENIED", "release-rule")
    c("profile" in events("secret-release")[-1].get("detail", ""), "the audit says which claim failed")
    st, b, priv, _ = release("prod-secret", profile="production")
    c(st == 200 and opened(b, priv, "prod-secret") == vp, "rule holds with the bound profile: %d" % st)
    put("old-secret", "old", value("old"))
    st, b, _, _ = release("old-secret")
    expect_denied("not_after passed", st, b, "VOUCH_ERR_POLICY_DENIED", "release-rule")
    vl = value("limited")
    put("limited-secret", "limited", vl)
    for i in range(2):
        st, b, priv, _ = release("limited-secret")
        c(st == 200 and opened(b, priv, "limited-secret") == vl, "limited release %d: %d" % (i + 1, st))
    st, b, _, _ = release("limited-secret")
    expect_denied("max_releases reached", st, b, "VOUCH_ERR_POLICY_DENIED", "release-limit")
    st, j = admin("GET", "/v1/secrets/limited-secret")
    c(j.get("releases") == 2 and j.get("max_releases") == 2, "limit in the metadata: %s" % j)
    priv, raw, pem = x25519_keypair()
    for what, body in (("unknown member", {"nonce": "00" * 32, "evidence": "AA==", "public_key": pem, "x": 1}),
                       ("no nonce", {"evidence": "AA==", "public_key": pem}),
                       ("EC key", {"nonce": "00" * 32, "evidence": "AA==",
                                   "public_key": env.keypair("ec")[1]}),
                       ("bad profile", {"nonce": "00" * 32, "evidence": "AA==", "public_key": pem,
                                        "profile": "prod"})):
        st, b = post_to(env.port, "/v1/secrets/db-password/release", body)
        c(st == 400 and json.loads(b)["code"] == "bad-request", "%s refused: %d %s" % (what, st, b))
    st, b = post_to(env.port, "/v1/secrets/a%2fb/release", {})
    c(st == 400, "bad name in the release path: %d" % st)

    # ---- the CLI --------------------------------------------------------
    svc = ["--service", "https://127.0.0.1:%d" % env.port, "--domain-cert", env.root]
    adm = svc + ["--admin-cert", env.dir + "/admin.pem", "--admin-key", env.dir + "/admin.key"]
    vc = value("cli")
    vf = env.dir + "/cli-value"
    with open(vf, "wb") as f:
        f.write(vc)
    p = run(VOUCH, "secret", "put", *adm, "--rule", "db", "--value-file", vf, "cli-secret", check=False)
    c(p.returncode == 0 and "cli-secret version 1" in p.stdout, "vouch secret put: %s %s" % (p.stdout, p.stderr))
    vs = value("stdin")
    p = subprocess.run([VOUCH, "secret", "put", *adm, "--rule", "db", "--value-file", "-", "cli-secret"],
                       input=vs, capture_output=True)
    c(p.returncode == 0 and b"version 2" in p.stdout, "vouch secret put from stdin: %s" % p.stderr)
    p = run(VOUCH, "secret", "put", *adm, "--rule", "db", "cli-secret", check=False)
    c(p.returncode == 2, "put without --value-file is a usage error")
    p = run(VOUCH, "secret", "list", *adm, check=False)
    c(p.returncode == 0 and "cli-secret" in p.stdout and vs.decode() not in p.stdout, "vouch secret list")
    p = run(VOUCH, "secret", "list", *adm, "cli-secret", check=False)
    c(p.returncode == 0 and json.loads(p.stdout)["version"] == 2, "vouch secret list NAME")
    out = env.dir + "/got"
    p = run(VOUCH, "secret", "get", *svc, "--platform-dir", env.dir + "/plat", "-o", out, "cli-secret",
            check=False)
    c(p.returncode == 0 and open(out, "rb").read() == vs and stat.S_IMODE(os.stat(out).st_mode) == 0o600,
      "vouch secret get -o (0600): %s" % p.stderr)
    p = subprocess.run([VOUCH, "secret", "get", *svc, "--platform-dir", env.dir + "/plat", "cli-secret"],
                       capture_output=True)
    c(p.returncode == 0 and p.stdout == vs, "vouch secret get to stdout: %s" % p.stderr)
    p = run(VOUCH, "secret", "get", *svc, "--platform-dir", env.dir + "/plat", "--exe", "/bin/true",
            "cli-secret", check=False)
    c(p.returncode == 1 and "VOUCH_ERR_POLICY_DENIED" in p.stderr and "release-denied" in p.stderr,
      "vouch secret get refused: %d %s" % (p.returncode, p.stderr))
    p = run(VOUCH, "secret", "delete", *adm, "cli-secret", check=False)
    c(p.returncode == 0 and "2 versions deleted" in p.stdout, "vouch secret delete: %s" % p.stdout)
    p = run(VOUCH, "secret", "get", *svc, "--platform-dir", env.dir + "/plat", "cli-secret", check=False)
    c(p.returncode == 1, "a deleted secret is not released")
    p = run(VOUCH, "secret", "put", *adm, "--rule", "db", "--value-file", vf, "cli-secret", check=False)
    c(p.returncode == 0 and "version 3" in p.stdout, "numbers are not reused after delete: %s" % p.stdout)
    st, j = admin("GET", "/v1/secrets/cli-secret")
    c([x["version"] for x in j.get("versions", [])] == [3], "only the new version is kept: %s" % j)

    # ---- libvouch: vouch_secret_get, vouch_secret_seal_key --------------
    if os.path.exists(WORKLOAD):
        st, b, _ = env.put_policy(env.sign(env.policy(2, release_rules=rules(
            seal={"rule": {"claim": "measurement", "in": [measurement_of(WORKLOAD)]}}),
            measurements={"cli": [env.measurement], "workload": [measurement_of(WORKLOAD)]})))
        c(st == 201, "policy v2 with the workload: %s" % b)
        wl = [WORKLOAD, "--workload"]
        wargs = ["https://127.0.0.1:%d" % env.port, env.root, env.dir + "/plat", env.dir + "/wstore"]
        p = run(*wl, "get", *wargs, "db-password", check=False)
        c(p.returncode == 0 and bytes.fromhex(p.stdout.strip()) == v2,
          "vouch_secret_get: %s %s" % (p.stdout, p.stderr))
        p = run(*wl, "get", *wargs, "limited-secret", check=False)
        c(p.returncode == 1 and "VOUCH_ERR_POLICY_DENIED" in p.stderr, "vouch_secret_get refused: %s" % p.stderr)
        ikm = os.urandom(32)
        VALUES.append(ikm)
        put("vouch-seal-key", "seal", ikm)
        k1 = run(*wl, "seal-key", *wargs, check=False)
        k2 = run(*wl, "seal-key", *wargs, check=False)
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF
        from cryptography.hazmat.primitives import hashes
        want = HKDF(hashes.SHA256(), 32, b"vouch-seal-v1", bytes.fromhex(measurement_of(WORKLOAD))).derive(ikm)
        c(k1.returncode == 0 and k1.stdout == k2.stdout and bytes.fromhex(k1.stdout.strip()) == want,
          "vouch_secret_seal_key = HKDF(stored, vouch-seal-v1, measurement), derived by vouchd: %s %s" % (k1.stdout, k1.stderr))
        p = run(*wl, "get", *wargs, "vouch-seal-key", check=False)
        c(p.returncode == 0 and bytes.fromhex(p.stdout.strip()) == want and bytes.fromhex(p.stdout.strip()) != ikm,
          "the stored sealing secret itself is never released, only the derived key: %s" % p.stderr)
        p = run(VOUCH, "secret", "get", *svc, "--platform-dir", env.dir + "/plat", "vouch-seal-key", check=False)
        c(p.returncode == 1, "the seal key is not released to another measurement")
    else:
        print("SKIP: %s not built" % WORKLOAD)

    # ---- two vouchd processes, one store: max_releases holds exactly -----
    vr = value("race")
    put("race-secret", "race", vr)
    p2, port2 = start_vouchd([])
    reqs = []
    for i in range(8):
        priv, raw, pem = x25519_keypair()
        n = env.challenge()
        ev = env.evidence(release_bind(n, raw, "race-secret"))
        reqs.append((env.port if i % 2 else port2, {"nonce": n.hex(), "evidence": ev, "public_key": pem}, priv))
    results = [None] * len(reqs)

    def go(i):
        results[i] = post_to(reqs[i][0], "/v1/secrets/race-secret/release", reqs[i][1])
    th = [threading.Thread(target=go, args=(i,)) for i in range(len(reqs))]
    for t in th:
        t.start()
    for t in th:
        t.join()
    ok = [i for i, r in enumerate(results) if r[0] == 200]
    c(len(ok) == 3 and all(results[i][0] == 403 for i in range(len(reqs)) if i not in ok),
      "max_releases 3 across two processes: %s" % [r[0] for r in results])
    c(all(opened(results[i][1], reqs[i][2], "race-secret") == vr for i in ok), "the racing winners open it")
    p2.send_signal(signal.SIGTERM)
    p2.wait(timeout=20)

    # ---- metrics ---------------------------------------------------------
    st, b, _ = env.get("/metrics")
    m = b.decode()
    c('vouchd_requests_total{endpoint="release",outcome="ok"}' in m and
      'vouchd_requests_total{endpoint="secrets",outcome="ok"}' in m, "release and secrets metrics")

    # ---- KEK: checked at start, rotated ----------------------------------
    c(env.stop() == 0, "clean stop")
    old_kek = env.data + "/kek.key"
    old_key = open(old_kek, "rb").read()
    c(stat.S_IMODE(os.stat(old_kek).st_mode) == 0o600 and len(old_key) == 32, "the KEK file: 32 bytes, 0600")
    new_kek = env.dir + "/kek-2.key"
    p, _ = start_vouchd(["--kek-file", new_kek], wait=False)
    rc = p.wait(timeout=30)
    log = open(env.dir + "/vouchd.log").read()
    c(rc != 0 and "which is not loaded" in log, "refuses to start without the KEK of stored secrets (%d)" % rc)
    p = run(VOUCHD, "--rotate-kek", "--data-dir", env.data, "--kek-file", new_kek, check=False)
    c(p.returncode == 2, "rotation needs the previous key")
    p = run(VOUCHD, "--rotate-kek", "--data-dir", env.data, "--kek-file", new_kek,
            "--previous-kek-file", old_kek, check=False)
    c(p.returncode == 0 and "rewrapped" in p.stdout, "rotation file -> file: %s %s" % (p.stdout, p.stderr))
    new_key = open(new_kek, "rb").read()
    db = sqlite3.connect(env.data + "/vouchd.db")
    rows = db.execute("SELECT name, version, kek_id, wrapped FROM secrets").fetchall()
    db.close()
    good = 0
    for name, ver, kid, wrapped in rows:
        try:
            kek_unwrap(new_key, name, ver, wrapped)
            good += kid == kek_file_id(new_key)
        except Exception:
            pass
    c(rows and good == len(rows), "every version rewrapped under the new KEK (%d of %d)" % (good, len(rows)))
    p = run(VOUCHD, "--rotate-kek", "--data-dir", env.data, "--kek-file", new_kek,
            "--previous-kek-file", old_kek, check=False)
    c(p.returncode == 0 and "rewrapped 0" in p.stdout, "rotating again changes nothing: %s" % p.stdout)
    use(*start_vouchd(["--kek-file", new_kek]))
    st, b, priv, _ = release("db-password")
    c(st == 200 and opened(b, priv, "db-password") == v2, "released after rotation: %d" % st)
    c(any(e.get("type") == "kek-rotate" and e.get("outcome") == "done" for e in
          [r["event"] for r in env.audit()]), "rotation audited")
    env.stop()
    p, _ = start_vouchd([], wait=False)
    c(p.wait(timeout=30) != 0, "the old KEK alone no longer starts")

    # ---- core dumps ------------------------------------------------------
    cdir = env.dir + "/cwd"
    os.mkdir(cdir)
    p, port = start_vouchd(["--kek-file", new_kek], cwd=cdir, core=True)
    p.send_signal(signal.SIGSEGV)
    p.wait(timeout=30)
    time.sleep(0.5)
    cores = [f for f in os.listdir(cdir) if f.startswith("core")]
    pattern = open("/proc/sys/kernel/core_pattern").read().strip()
    if pattern.startswith("|") or "/" in pattern:
        print("SKIP: core_pattern %r is not a file in the cwd" % pattern)
    elif b"__asan_init" in open(VOUCHD, "rb").read():
        # ASan turns core dumps off itself (disable_coredump); the
        # protected-memory unit test (test_secrets_kek) still runs.
        c(not cores, "no core file (ASan build): %s" % cores)
        print("SKIP: core contents under ASan")
    else:
        c(not cores, "no core file by default (non-dumpable): %s" % cores)
        # With core dumps allowed, a process that released a value (and
        # never received it in a PUT) leaves neither it nor the KEK in the core.
        p, port = start_vouchd(["--kek-file", new_kek, "--insecure-allow-core-dumps"], cwd=cdir, core=True)
        use(p, port)
        st, b, priv, _ = release("db-password")
        c(st == 200 and opened(b, priv, "db-password") == v2, "release before the crash")
        p.send_signal(signal.SIGSEGV)
        p.wait(timeout=30)
        env.proc = None
        time.sleep(0.5)
        cores = [f for f in os.listdir(cdir) if f.startswith("core")]
        if not cores:
            c(False, "no core file with --insecure-allow-core-dumps")
        else:
            data = open(os.path.join(cdir, cores[0]), "rb").read()
            c(b"db-password" in data, "the core holds the process's ordinary memory (sanity)")
            c(v2 not in data, "the released value is not in the core")
            c(new_key not in data, "the KEK is not in the core")
            os.unlink(os.path.join(cdir, cores[0]))

    # ---- PKCS#11 (SoftHSM2) ---------------------------------------------
    p11_ok = os.path.exists(SOFTHSM) and shutil.which("softhsm2-util") is not None
    if p11_ok:
        tok = env.dir + "/tokens"
        os.mkdir(tok)
        conf = env.dir + "/softhsm2.conf"
        with open(conf, "w") as f:
            f.write("directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n" % tok)
        os.environ["SOFTHSM2_CONF"] = conf
        run("softhsm2-util", "--init-token", "--free", "--label", "vouch", "--pin", "246810", "--so-pin", "13579")
        pin = env.dir + "/pin"
        with open(pin, "w") as f:
            f.write("246810\n")
        os.chmod(pin, 0o600)
        p11 = ["--pkcs11-module", SOFTHSM, "--pkcs11-token", "vouch", "--pkcs11-pin-file", pin]
        p = run(VOUCHD, "--rotate-kek", "--data-dir", env.data, *p11, "--previous-kek-file", new_kek, check=False)
        if "built without PKCS#11" in p.stderr:
            print("SKIP: vouchd built without PKCS#11 support")
            p11_ok = False
    else:
        print("SKIP: SoftHSM2 not installed (PKCS#11 KEK)")
    if p11_ok:
        c(p.returncode == 0 and "to pkcs11:" in p.stdout, "rotation file -> PKCS#11: %s %s" % (p.stdout, p.stderr))
        db = sqlite3.connect(env.data + "/vouchd.db")
        kids = {r[0] for r in db.execute("SELECT kek_id FROM secrets")}
        db.close()
        c(len(kids) == 1 and next(iter(kids)).startswith("pkcs11:"), "every version on the token key: %s" % kids)
        use(*start_vouchd(p11))
        st, b, priv, _ = release("db-password")
        c(st == 200 and opened(b, priv, "db-password") == v2, "released with the token KEK: %d" % st)
        v3 = value("p11")
        st, j = put("db-password", "db", v3)
        st, j = admin("GET", "/v1/secrets/db-password")
        c(j.get("version") == 3 and j.get("kek_id", "").startswith("pkcs11:"), "new version wrapped by the token")
        st, b, priv, _ = release("db-password")
        c(st == 200 and opened(b, priv, "db-password") == v3, "new version released: %d" % st)
        env.stop()
        # The PIN from the environment; a wrong PIN does not start.
        envp = dict(os.environ, VOUCHD_PKCS11_PIN="000000")
        p = subprocess.run([VOUCHD, "--rotate-kek", "--data-dir", env.data, "--pkcs11-module", SOFTHSM,
                            "--pkcs11-token", "vouch", "--previous-kek-file", new_kek],
                           capture_output=True, text=True, env=envp)
        c(p.returncode != 0 and "C_Login" in p.stderr, "a wrong PIN is refused: %s" % p.stderr)
        envp["VOUCHD_PKCS11_PIN"] = "246810"
        p = subprocess.run([VOUCHD, "--rotate-kek", "--data-dir", env.data, "--pkcs11-module", SOFTHSM,
                            "--pkcs11-token", "vouch", "--previous-kek-file", new_kek],
                           capture_output=True, text=True, env=envp)
        c(p.returncode == 0 and "rewrapped 0" in p.stdout, "PIN from VOUCHD_PKCS11_PIN: %s" % p.stderr)
        use(*start_vouchd(p11))
    else:
        use(*start_vouchd(["--kek-file", new_kek]))

    # ---- an expired policy releases nothing ------------------------------
    st, b, _ = env.put_policy(env.sign(env.policy(10, expires=time.time() + 3, release_rules=rules())))
    c(st == 201, "a policy that expires in 3 s: %s" % b)
    st, b, priv, _ = release("db-password")
    c(st == 200, "released while it is current: %d" % st)
    time.sleep(4)
    st, b, _, _ = release("db-password")
    expect_denied("expired policy", st, b, "VOUCH_ERR_POLICY_EXPIRED", "policy-load", code="policy-unavailable")
    c(st == 503, "expired policy: 503 (%d)" % st)

    # ---- nothing secret anywhere it should not be ------------------------
    audit_text = json.dumps(env.audit())
    log = open(env.dir + "/vouchd.log", "rb").read()
    dbfiles = b"".join(open(env.data + "/" + f, "rb").read() for f in os.listdir(env.data)
                       if f.startswith("vouchd.db"))
    forms = []
    for v in VALUES:
        forms += [v, base64.b64encode(v), v.hex().encode()]
    c(not any(f in log for f in forms), "no value in vouchd's log")
    c(not any(f in audit_text.encode() for f in forms), "no value in the audit log")
    c(not any(f in b for b in BODIES for f in forms), "no value in any answer (%d answers)" % len(BODIES))
    c(not any(f in dbfiles for f in forms), "no value in the database files")
    p = run(VOUCH, "audit", "verify", "--data-dir", env.data, check=False)
    c(p.returncode == 0, "audit chain intact: " + p.stdout)
    c(env.stop() == 0, "clean stop")
finally:
    if env.proc:
        env.stop(signal.SIGKILL)
    shutil.rmtree(env.dir, ignore_errors=True)
sys.exit(T.done())
