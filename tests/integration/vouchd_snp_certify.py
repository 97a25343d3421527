# SPDX-License-Identifier: Apache-2.0
"""`vouch certify --platform snp` against vouchd (docs/snp.md §6), on a
configfs-tsm tree of plain files.  Its outblob is a FIFO served by a
thread that answers every read with the real Milan report (S-1, read in
place) carrying the REPORT_DATA the client wrote to inblob, and auxblob is
a certificate table holding S-1's VCEK.  The client collects, checks and
sends that evidence; vouchd parses it as SEV-SNP, takes the VCEK from the
table and refuses the signature (the report was changed after signing,
which is all that can be done without an SNP machine).  A stale report
(the plain file as it is) is refused by the client before anything is
sent; no guest interface, and bad usage, are errors too."""
import os, subprocess, sys, threading, time, uuid
sys.path.insert(0, os.path.dirname(__file__))
from vouchd_lib import Env, Checks, VOUCH

TD = os.environ.get("VOUCH_TESTDATA", os.path.join(os.path.dirname(__file__), "../../../shared/testdata"))
REPORT = os.path.join(TD, "snp/gsg_milan_attestation.bin")
VCEK = os.path.join(TD, "snp/gsg_milan_vcek.der")
T = Checks()
c = T.check
if not os.path.exists(REPORT):
    if os.environ.get("CI"):
        print("FAIL: no testdata at %s" % TD)
        sys.exit(1)
    print("SKIP: no testdata at %s" % TD)
    sys.exit(0)

report = open(REPORT, "rb").read()
measurement = report[0x90:0xC0]


def cert_table(entries):
    """GHCB 56421 certificate table: {GUID, offset u32le, length u32le}
    entries, an all-zero terminator, then the data."""
    head = 24 * (len(entries) + 1)
    table, data = b"", b""
    for guid, blob in entries:
        table += uuid.UUID(guid).bytes + (head + len(data)).to_bytes(4, "little") \
            + len(blob).to_bytes(4, "little")
        data += blob
    return table + bytes(24) + data


env = Env()
served = []


def serve(outblob, inblob):
    while True:
        with open(outblob, "wb") as f:   # blocks until the client reads
            rd = open(inblob, "rb").read()
            served.append(rd)
            rep = bytearray(report)
            rep[0x50:0x90] = rd.ljust(64, b"\0")[:64]
            f.write(rep)
        # One answer per read: wait for the reader to go (ENXIO) first.
        while True:
            try:
                os.close(os.open(outblob, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                break
            time.sleep(0.01)


def entry(outblob_fifo):
    d = "%s/tsm%d" % (env.dir, len(served) + (100 if outblob_fifo else 0))
    e = d + "/report/e1"
    os.makedirs(e)
    for name, text in (("provider", b"sev_guest\n"), ("generation", b"3\n"),
                       ("inblob", b""), ("privlevel", b"")):
        open(os.path.join(e, name), "wb").write(text)
    open(e + "/auxblob", "wb").write(cert_table(
        [("63da758d-e664-4564-adc5-f4b93be8accd", open(VCEK, "rb").read())]))
    if outblob_fifo:
        os.mkfifo(e + "/outblob")
        threading.Thread(target=serve, args=(e + "/outblob", e + "/inblob"), daemon=True).start()
    else:
        open(e + "/outblob", "wb").write(report)
    return d


def certify(tsm, *extra, dev="/nonexistent-sev-guest"):
    e = dict(os.environ, VOUCH_TSM_ROOT=tsm, VOUCH_TSM_ENTRY="e1", VOUCH_SEV_GUEST_DEV=dev)
    return subprocess.run([VOUCH, "certify", "--service", "https://127.0.0.1:%d" % env.port,
                           "--domain-cert", env.root, "--key-out", env.dir + "/k.pem",
                           "--cert-out", env.dir + "/c.pem"] + list(extra),
                          capture_output=True, text=True, timeout=60, env=e)


def certify_events():
    return [r["event"] for r in env.audit() if r["event"]["type"] == "certify"]


try:
    env.start()
    pol = env.policy(1, platforms={"snp": {}}, measurements={"r": [measurement.hex()]})
    st, body, _ = env.put_policy(env.sign(pol))
    c(st == 201, "policy stored (%d %s)" % (st, body))

    # Fresh evidence bound to vouchd's challenge: sent, verified, refused.
    p = certify(entry(True), "--platform", "snp")
    c(p.returncode == 1, "refused: exit %d %s" % (p.returncode, p.stderr))
    c("VOUCH_ERR_POLICY_DENIED" in p.stderr and "attestation-rejected" in p.stderr,
      "vouchd's refusal named: %s" % p.stderr)
    c(len(served) == 1 and len(served[0]) == 64 and served[0] != bytes(64),
      "one report asked for, with 64 bytes of binding: %r" % served)
    ev = certify_events()
    c(len(ev) == 1 and ev[-1].get("platform") == "snp"
      and ev[-1].get("error") == "VOUCH_ERR_SIGNATURE_INVALID",
      "vouchd verified it as SEV-SNP with the table's VCEK: %s" % ev)
    c(not os.path.exists(env.dir + "/k.pem") and not os.path.exists(env.dir + "/c.pem"),
      "nothing written on refusal")

    # A report that does not carry the binding never leaves the guest.
    p = certify(entry(False), "--platform", "snp")
    c(p.returncode == 1 and "VOUCH_ERR_REPORT_DATA_MISMATCH" in p.stderr,
      "stale report refused by the client: %d %s" % (p.returncode, p.stderr))
    c(len(certify_events()) == 1, "nothing sent to vouchd for it")

    # No guest interface at all.
    p = certify("/nonexistent-tsm", "--platform", "snp")
    c(p.returncode == 1 and "VOUCH_ERR_NOT_FOUND" in p.stderr,
      "no SNP interface: %d %s" % (p.returncode, p.stderr))

    # Usage: sim options with snp, unknown platform.
    for extra in (["--platform", "snp", "--platform-dir", env.dir + "/plat"],
                  ["--platform", "snp", "--exe", VOUCH], ["--platform", "tdx"], []):
        p = certify("/nonexistent-tsm", *extra)
        c(p.returncode == 2, "usage error for %s: %d" % (extra, p.returncode))
finally:
    env.stop()
sys.exit(T.done())
