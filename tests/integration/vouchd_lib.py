# SPDX-License-Identifier: Apache-2.0
"""Helpers for vouchd integration tests: a domain, a sim platform, a
running vouchd on loopback, HTTPS requests with or without client
certificates, and an independent implementation of the certify binding
(docs/vouchd.md) so the daemon's own code is not checked against itself."""
import atexit, base64, hashlib, http.client, json, os, random, shutil, signal, socket, ssl
import struct, subprocess, tempfile, time, datetime

VOUCH = os.environ["VOUCH_BIN"]
VOUCHD = os.environ.get("VOUCHD_BIN", os.path.join(os.path.dirname(VOUCH), "vouchd"))


def run(*args, check=True, **kw):
    p = subprocess.run(list(args), capture_output=True, text=True, **kw)
    if check and p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (args, p.returncode, p.stderr))
    return p


def rfc3339(t):
    return datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def bind(label, *parts):
    h = hashlib.sha512(label.encode() + b"\0")
    for p in parts:
        h.update(struct.pack(">I", len(p)) + p)
    return h.digest()


class Env:
    def __init__(self, nonce_ttl=5, extra=()):
        self.dir = tempfile.mkdtemp(prefix="vouchd-test-")
        # Removed at exit unless VOUCH_KEEP_TMP is set (to look at logs).
        if not os.environ.get("VOUCH_KEEP_TMP"):
            atexit.register(shutil.rmtree, self.dir, True)
        d = self.dir
        run(VOUCH, "domain", "init", d + "/domain")
        run(VOUCH, "service-cert", "issue", "--domain", d + "/domain",
            "--key-out", d + "/issuer.key", "--cert-out", d + "/issuer.pem")
        run(VOUCH, "admin-cert", "issue", "--domain", d + "/domain",
            "--key-out", d + "/admin.key", "--cert-out", d + "/admin.pem")
        run(VOUCH, "sim", "init", "--tcb-svn", "2", d + "/plat")
        self.root = d + "/domain/domain.pem"
        self.measurement = hashlib.sha384(open(os.path.realpath(VOUCH), "rb").read()).hexdigest()
        self.policy_version = 0
        self.nonce_ttl = nonce_ttl
        self.extra = list(extra)
        self.proc = None

    def policy(self, version, expires=None, platforms=None, measurements=None, **kw):
        pol = {"vouch_policy": 1, "version": version,
               "expires": rfc3339(expires if expires else time.time() + 86400),
               "platforms": platforms if platforms is not None else {"sim": {"min_tcb_svn": 1}},
               "measurements": measurements if measurements is not None else {"release-1": [self.measurement]},
               "admission": {"lifetime_seconds": 3600}}
        pol.update(kw)
        path = "%s/policy-%d-%d.json" % (self.dir, version, random.randrange(1 << 30))
        with open(path, "w") as f:
            json.dump(pol, f)
        return path

    def sign(self, path, domain=None):
        out = path + ".signed"
        run(VOUCH, "policy", "sign", "--domain", domain or self.dir + "/domain", path, "-o", out)
        return open(out, "rb").read()

    def start(self, data="data", threads=2, wait=True):
        for _ in range(20):
            self.port = random.randrange(20000, 60000)
            s = socket.socket()
            try:
                s.bind(("127.0.0.1", self.port))
            except OSError:
                continue
            finally:
                s.close()
            break
        self.data = self.dir + "/" + data
        self.log = open(self.dir + "/vouchd.log", "ab")
        self.proc = subprocess.Popen(
            [VOUCHD, "--data-dir", self.data, "--domain-cert", self.root,
             "--issuer-key", self.dir + "/issuer.key", "--issuer-cert", self.dir + "/issuer.pem",
             "--listen", "127.0.0.1:%d" % self.port, "--sim-root", self.dir + "/plat/sim-root.pem",
             "--nonce-ttl", str(self.nonce_ttl), "--threads", str(threads)] + self.extra,
            stdout=self.log, stderr=self.log)
        if wait:
            for _ in range(200):
                try:
                    if self.get("/healthz")[0] == 200:
                        return
                except OSError:
                    time.sleep(0.05)
            raise RuntimeError("vouchd did not start: " + open(self.dir + "/vouchd.log").read())

    def stop(self, sig=signal.SIGTERM):
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=20)
        self.proc = None
        return rc

    def ctx(self, cert=None, key=None):
        c = ssl.create_default_context(cafile=self.root)
        c.minimum_version = ssl.TLSVersion.TLSv1_3
        if cert:
            c.load_cert_chain(cert, key)
        return c

    def request(self, method, path, body=None, cert=None, key=None, headers=None):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx(cert, key), timeout=20)
        try:
            h = {"Content-Type": "application/json"}
            h.update(headers or {})
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            data = r.read()
            ctype = r.getheader("Content-Type", "")
            return r.status, data, ctype
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def admin(self, method, path, body=None):
        return self.request(method, path, body, cert=self.dir + "/admin.pem", key=self.dir + "/admin.key")

    def put_policy(self, signed):
        return self.admin("PUT", "/v1/policy", signed)

    def challenge(self):
        st, body, _ = self.post("/v1/challenge", {})
        assert st == 200, (st, body)
        return bytes.fromhex(json.loads(body)["nonce"])

    def keypair(self, name):
        key = "%s/%s.key" % (self.dir, name)
        if not os.path.exists(key):
            run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", key)
        pub = run("openssl", "pkey", "-in", key, "-pubout").stdout
        spki = subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-outform", "DER"],
                              capture_output=True, check=True).stdout
        return key, pub, spki

    def evidence(self, report_data, *extra, exe=None):
        out = "%s/ev-%d" % (self.dir, random.randrange(1 << 30))
        args = [VOUCH, "sim", "attest", "--platform-dir", self.dir + "/plat",
                "--report-data", report_data.hex(), "-o", out] + list(extra)
        if exe:
            args += ["--exe", exe]
        run(*args)
        return base64.b64encode(open(out, "rb").read()).decode()

    def audit(self, after=0):
        st, body, _ = self.admin("GET", "/v1/audit?after=%d&limit=1000" % after)
        assert st == 200, (st, body)
        return json.loads(body)["records"]


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL:", what, flush=True)

    def done(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 0 if self.failed == 0 else 1


# ---- secrets (tests/integration/vouchd_secrets*.py, docs/secrets.md) ----
# Independent implementations of the release binding, RFC 9180 HPKE base
# mode (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM) and the
# KEK wrap format, on Python's cryptography package.

def release_bind(nonce, pub_raw, name, profile=None):
    parts = [nonce, pub_raw, name.encode()]
    if profile is not None:
        parts.append(profile.encode())
    return bind("vouch-release-v1", *parts)


def x25519_keypair():
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives import serialization as ser
    priv = X25519PrivateKey.generate()
    pub = priv.public_key()
    raw = pub.public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)
    pem = pub.public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo).decode()
    return priv, raw, pem


def _hkdf_extract(salt, ikm):
    import hmac
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def _hkdf_expand(prk, info, n):
    import hmac
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:n]


def hpke_open(priv, sealed, info, aad):
    """RFC 9180 base mode, single-shot Open: enc || ct with AES-256-GCM."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    enc, ct = sealed[:32], sealed[32:]
    kem_suite = b"KEM" + struct.pack(">H", 0x20)
    suite = b"HPKE" + struct.pack(">HHH", 0x20, 0x01, 0x02)

    def lextract(sid, salt, label, ikm):
        return _hkdf_extract(salt, b"HPKE-v1" + sid + label + ikm)

    def lexpand(sid, prk, label, inf, n):
        return _hkdf_expand(prk, struct.pack(">H", n) + b"HPKE-v1" + sid + label + inf, n)

    dh = priv.exchange(X25519PublicKey.from_public_bytes(enc))
    pkr = priv.public_key().public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw)
    eae = lextract(kem_suite, b"", b"eae_prk", dh)
    shared = lexpand(kem_suite, eae, b"shared_secret", enc + pkr, 32)
    ctx = b"\x00" + lextract(suite, b"", b"psk_id_hash", b"") + lextract(suite, b"", b"info_hash", info)
    secret = lextract(suite, shared, b"secret", b"")
    key = lexpand(suite, secret, b"key", ctx, 32)
    nonce = lexpand(suite, secret, b"base_nonce", ctx, 12)
    return AESGCM(key).decrypt(nonce, ct, aad)


def release_info(name):
    return b"vouch-release-v1" + name.encode()


def release_aad(name, version):
    return struct.pack(">Q", version) + name.encode()


def kek_aad(name, version):
    n = name.encode()
    return b"vouch-kek-wrap-v1\0" + struct.pack(">I", len(n)) + n + struct.pack(">Q", version)


def kek_unwrap(key, name, version, wrapped):
    """daemon/kek.h wrapped format 1: 0x01 || nonce(12) || ct || tag(16)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    assert wrapped[0] == 1
    return AESGCM(key).decrypt(wrapped[1:13], wrapped[13:], kek_aad(name, version))


def kek_wrap(key, name, version, value):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    nonce = os.urandom(12)
    return b"\x01" + nonce + AESGCM(key).encrypt(nonce, value, kek_aad(name, version))


def kek_file_id(key):
    return "file:" + hashlib.sha256(b"vouch-kek-id-v1" + key).hexdigest()[:16]
