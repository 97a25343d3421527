# SPDX-License-Identifier: Apache-2.0
"""`vouch certify --platform snp|tdx|sgx` against vouchd (docs/snp.md §6,
docs/tdx.md §5.1), on trees of plain files standing for configfs-tsm and
Gramine's /dev/attestation.  The evidence file (outblob, quote) is a FIFO
served by a thread that answers every read with a real report or quote
(read in place from ../shared/testdata) carrying the REPORT_DATA the
client wrote (inblob, user_report_data); for SNP, auxblob is a
certificate table holding the report's VCEK.  The client collects, checks
and sends that evidence; vouchd parses it as the platform's and refuses
its signature (it was changed after signing, which is all that can be
done without the hardware).  A stale report (a plain file) is refused by
the client before anything is sent; no guest interface, and bad usage,
are errors too."""
import os, subprocess, sys, threading, time, uuid
sys.path.insert(0, os.path.dirname(__file__))
from vouchd_lib import Env, Checks, VOUCH

TD = os.environ.get("VOUCH_TESTDATA", os.path.join(os.path.dirname(__file__), "../../../shared/testdata"))
REPORT = os.path.join(TD, "snp/gsg_milan_attestation.bin")
VCEK = os.path.join(TD, "snp/gsg_milan_vcek.der")
TDX_QUOTE = os.path.join(TD, "tdx/phala_tdx_quote.dat")    # T-5, v4
SGX_QUOTE = os.path.join(TD, "sgx/mc_hw_quote_v3.dat")
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


def serve(outblob, inblob, template, offset):
    """Answer each read of the FIFO |outblob| with |template| carrying the
    64 bytes last written to |inblob| at |offset|."""
    while True:
        with open(outblob, "wb") as f:   # blocks until the client reads
            rd = open(inblob, "rb").read()
            served.append(rd)
            ev = bytearray(template)
            ev[offset:offset + 64] = rd.ljust(64, b"\0")[:64]
            f.write(ev)
        # One answer per read: wait for the reader to go (ENXIO) first.
        while True:
            try:
                os.close(os.open(outblob, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                break
            time.sleep(0.01)


def fifo(path, inblob, template, offset):
    os.mkfifo(path)
    threading.Thread(target=serve, args=(path, inblob, template, offset), daemon=True).start()


def entry(outblob_fifo, provider=b"sev_guest\n", template=report, offset=0x50):
    d = "%s/tsm%d" % (env.dir, len(os.listdir(env.dir)))
    e = d + "/report/e1"
    os.makedirs(e)
    for name, text in (("provider", provider), ("generation", b"3\n"),
                       ("inblob", b""), ("privlevel", b"")):
        open(os.path.join(e, name), "wb").write(text)
    if provider == b"sev_guest\n":
        open(e + "/auxblob", "wb").write(cert_table(
            [("63da758d-e664-4564-adc5-f4b93be8accd", open(VCEK, "rb").read())]))
    if outblob_fifo:
        fifo(e + "/outblob", e + "/inblob", template, offset)
    else:
        open(e + "/outblob", "wb").write(template)
    return d


def gramine(template):
    d = "%s/att%d" % (env.dir, len(os.listdir(env.dir)))
    os.makedirs(d)
    open(d + "/attestation_type", "w").write("dcap\n")
    open(d + "/user_report_data", "wb").close()
    fifo(d + "/quote", d + "/user_report_data", template, 48 + 320)
    return d


def certify(tsm, *extra, dev="/nonexistent-sev-guest", sgx="/nonexistent-attestation"):
    e = dict(os.environ, VOUCH_TSM_ROOT=tsm, VOUCH_TSM_ENTRY="e1", VOUCH_SEV_GUEST_DEV=dev,
             VOUCH_SGX_ATTESTATION_ROOT=sgx)
    return subprocess.run([VOUCH, "certify", "--service", "https://127.0.0.1:%d" % env.port,
                           "--domain-cert", env.root, "--key-out", env.dir + "/k.pem",
                           "--cert-out", env.dir + "/c.pem"] + list(extra),
                          capture_output=True, text=True, timeout=60, env=e)


def certify_events():
    return [r["event"] for r in env.audit() if r["event"]["type"] == "certify"]


try:
    env.start()
    pol = env.policy(1, platforms={"snp": {}, "tdx": {}, "sgx": {}}, measurements={"r": [measurement.hex()]})
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

    # TDX: a quote over the binding, verified by vouchd as TDX.
    n = len(served)
    p = certify(entry(True, b"tdx_guest\n", open(TDX_QUOTE, "rb").read(), 48 + 520), "--platform", "tdx")
    c(p.returncode == 1 and "attestation-rejected" in p.stderr,
      "tdx refused: exit %d %s" % (p.returncode, p.stderr))
    ev = certify_events()
    c(len(served) == n + 1 and len(ev) == 2 and ev[-1].get("platform") == "tdx"
      and ev[-1].get("error") == "VOUCH_ERR_SIGNATURE_INVALID",
      "vouchd verified it as TDX: %s" % ev[-1:])
    # A TD's configfs-tsm is not an SNP guest interface.
    p = certify(entry(True, b"tdx_guest\n", open(TDX_QUOTE, "rb").read(), 48 + 520), "--platform", "snp")
    c(p.returncode == 1 and "VOUCH_ERR_UNSUPPORTED_PLATFORM" in p.stderr,
      "snp on a TD: %d %s" % (p.returncode, p.stderr))

    # SGX under Gramine: the same.
    p = certify("/nonexistent-tsm", "--platform", "sgx", sgx=gramine(open(SGX_QUOTE, "rb").read()))
    c(p.returncode == 1 and "attestation-rejected" in p.stderr,
      "sgx refused: exit %d %s" % (p.returncode, p.stderr))
    ev = certify_events()
    c(len(ev) == 3 and ev[-1].get("platform") == "sgx"
      and ev[-1].get("error") == "VOUCH_ERR_SIGNATURE_INVALID",
      "vouchd verified it as SGX: %s" % ev[-1:])
    p = certify("/nonexistent-tsm", "--platform", "sgx")
    c(p.returncode == 1 and "VOUCH_ERR_NOT_FOUND" in p.stderr,
      "no Gramine interface: %d %s" % (p.returncode, p.stderr))

    # Usage: sim options with a hardware platform, unknown platform.
    for extra in (["--platform", "snp", "--platform-dir", env.dir + "/plat"],
                  ["--platform", "tdx", "--exe", VOUCH], ["--platform", "tpm"], []):
        p = certify("/nonexistent-tsm", *extra)
        c(p.returncode == 2, "usage error for %s: %d" % (extra, p.returncode))
finally:
    env.stop()
sys.exit(T.done())
