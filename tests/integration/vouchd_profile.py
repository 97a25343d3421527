# SPDX-License-Identifier: Apache-2.0
"""The build profile in the certify binding (docs/vouchd.md, docs/logging.md):
a policy requiring "production" admits evidence bound with that profile,
refuses another profile, a profile not bound at all, and a profile claimed
in the request but not the one bound into report_data."""
import json, os, sys
sys.path.insert(0, os.path.dirname(__file__))
from vouchd_lib import Env, Checks, bind

env = Env(nonce_ttl=30)
T = Checks()
c = T.check


def certify(profile_bound, profile_sent, key="app"):
    _, pub, spki = env.keypair(key)
    n = env.challenge()
    parts = [n, spki] + ([profile_bound.encode()] if profile_bound is not None else [])
    body = {"nonce": n.hex(), "evidence": env.evidence(bind("vouch-certify-v1", *parts)),
            "public_key": pub}
    if profile_sent is not None:
        body["profile"] = profile_sent
    return env.post("/v1/certify", body)


def last_certify():
    recs = [r for r in env.audit() if r["event"]["type"] == "certify"]
    return recs[-1]["event"] if recs else {}


try:
    env.start()
    rules = {"allOf": [{"claim": "profile", "equals": "production"}]}
    st, body, _ = env.put_policy(env.sign(env.policy(1, rules=rules)))
    c(st == 201, "policy requiring production stored: %d %s" % (st, body))

    st, body, _ = certify("production", "production")
    c(st == 200 and "certificate_chain" in json.loads(body), "production bound and sent: admitted (%d %s)" % (st, body))

    for bound in ("debug", "test", "staging"):
        st, body, _ = certify(bound, bound)
        ev = last_certify()
        c(st == 403 and json.loads(body).get("code") == "attestation-rejected",
          "%s build refused (%d %s)" % (bound, st, body))
        c(ev.get("error") == "VOUCH_ERR_POLICY_DENIED", "%s: audited as policy denial: %s" % (bound, ev))

    # A debug build cannot claim production: the profile is in report_data.
    st, body, _ = certify("debug", "production")
    ev = last_certify()
    c(st == 403, "debug bound, production claimed: refused (%d)" % st)
    c(ev.get("error") == "VOUCH_ERR_REPORT_DATA_MISMATCH", "claimed profile not bound: audited %s" % ev)

    # Nor strip it: without a bound profile the claim is absent and the rule fails.
    st, body, _ = certify(None, None)
    ev = last_certify()
    c(st == 403 and ev.get("error") == "VOUCH_ERR_POLICY_DENIED", "no profile: refused %d %s" % (st, ev))
    st, body, _ = certify("production", None)
    ev = last_certify()
    c(st == 403 and ev.get("error") == "VOUCH_ERR_REPORT_DATA_MISMATCH", "bound but not sent: refused %s" % ev)

    # Unknown profile names are malformed requests.
    for bad in ("prod", "", "Production", 7, None):
        _, pub, spki = env.keypair("app")
        n = env.challenge()
        st, body, _ = env.post("/v1/certify", {"nonce": n.hex(), "evidence": env.evidence(bind("vouch-certify-v1", n, spki)),
                                               "public_key": pub, "profile": bad})
        c(st == 400, "profile %r: 400 (%d)" % (bad, st))
finally:
    env.stop()
sys.exit(T.done())
