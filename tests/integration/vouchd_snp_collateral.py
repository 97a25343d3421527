# SPDX-License-Identifier: Apache-2.0
"""vouchd and SEV-SNP collateral (docs/snp.md): without a cache or KDS a
real report is refused for want of its VCEK; with --kds-url vouchd fetches
the VCEK, the AMD chain and the CRL (from a local KDS stand-in serving
../shared/testdata in place) into --collateral-cache, gets as far as the
CRL (stale today: the real CRLs' windows are in the past) and refuses for
that; restarted with the cache only it never fetches and reaches the same
point.  A bad --kds-url stops vouchd at start."""
import base64, json, os, subprocess, sys, time
sys.path.insert(0, os.path.dirname(__file__))
from vouchd_lib import Env, Checks, run, VOUCHD

TD = os.environ.get("VOUCH_TESTDATA", os.path.join(os.path.dirname(__file__), "../../../shared/testdata"))
REPORT = os.path.join(TD, "snp/gsg_milan_attestation.bin")
T = Checks()
c = T.check
if not os.path.exists(REPORT):
    if os.environ.get("CI"):
        print("FAIL: no testdata at %s" % TD)
        sys.exit(1)
    print("SKIP: no testdata at %s" % TD)
    sys.exit(0)

ev = base64.b64encode(open(REPORT, "rb").read()).decode()
rd = open(REPORT, "rb").read()[0x50:0x90]
measurement = open(REPORT, "rb").read()[0x90:0xC0]
tmp = Env().dir
port_file, log = tmp + "/kds.port", tmp + "/kds.log"
open(log, "w").close()
srv = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "snp_kds_server.py"), TD, port_file, log])
envs = []


def requests():
    return len(open(log).read().splitlines())


def verify(env):
    st, body, _ = env.post("/v1/verify", {"report_data": rd.hex(), "evidence": ev})
    recs = [r for r in env.audit() if r["event"]["type"] == "verify"]
    return st, recs[-1]["event"] if recs else {}


def start(extra):
    env = Env(extra=extra)
    envs.append(env)
    env.start()
    pol = env.policy(1, platforms={"snp": {}}, measurements={"r": [measurement.hex()]})
    st, body, _ = env.put_policy(env.sign(pol))
    c(st == 201, "policy stored (%d %s)" % (st, body))
    return env


try:
    for _ in range(100):
        if os.path.exists(port_file) and open(port_file).read().strip():
            break
        time.sleep(0.1)
    kds = "http://127.0.0.1:%s/p2025" % open(port_file).read().strip()
    cache = tmp + "/cache"

    env = start([])
    st, ev0 = verify(env)
    c(ev0.get("outcome") == "rejected" and ev0.get("error") == "VOUCH_ERR_COLLATERAL_MISSING",
      "no collateral: refused for the missing VCEK: %s" % ev0)
    c(requests() == 0, "no collateral options: nothing fetched")
    env.stop()

    env = start(["--collateral-cache", cache, "--kds-url", kds])
    st, ev1 = verify(env)
    n1 = requests()
    c(n1 >= 2, "fetched from the KDS stand-in (%d requests)" % n1)
    c(ev1.get("outcome") == "rejected" and ev1.get("error") == "VOUCH_ERR_CRL_EXPIRED",
      "with fetched collateral the check reaches the (stale) CRL: %s" % ev1)
    cached = [os.path.join(d, f) for d, _, fs in os.walk(cache) for f in fs]
    c(len(cached) >= 2, "collateral kept in the cache: %s" % cached)
    env.stop()

    env = start(["--collateral-cache", cache])
    st, ev2 = verify(env)
    c(requests() == n1, "cache only: no fetch")
    c(ev2.get("error") == "VOUCH_ERR_CRL_EXPIRED", "cache only: same verdict %s" % ev2)
    env.stop()

    bad = Env(extra=["--kds-url", "ftp://kds.example"])
    envs.append(bad)
    bad.start(wait=False)
    rc = bad.proc.wait(timeout=20)
    bad.proc = None
    c(rc != 0, "a bad --kds-url stops vouchd at start (exit %d)" % rc)
finally:
    for e in envs:
        e.stop()
    srv.kill()
    srv.wait()
sys.exit(T.done())
