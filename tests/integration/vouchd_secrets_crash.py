# SPDX-License-Identifier: Apache-2.0
"""Crash safety of secrets (docs/secrets.md).

1. kill -9 vouchd during a burst of secret writes from concurrent admin
   clients (new secrets and new versions of one shared secret): after the
   crash every write a client saw acknowledged is in the store and opens
   (unwrapped here by an independent AES-GCM with the KEK file), the
   versions of the shared secret are distinct, the audit chain verifies,
   and after a restart the secrets are released.
2. kill -9 "vouchd --rotate-kek" at several points of a rotation over a
   few thousand versions: each time every version is under the old KEK
   or every version under the new one (one transaction), and opens with
   that key; a rotation that reported success left all of them under the
   new key; vouchd then serves with the new key alone.
"""
import base64, json, os, random, shutil, signal, sqlite3, subprocess, sys, threading, time
sys.path.insert(0, os.path.dirname(__file__))
from vouchd_lib import (Env, Checks, run, VOUCH, VOUCHD, release_bind, x25519_keypair, hpke_open,
                        release_info, release_aad, kek_unwrap, kek_wrap, kek_file_id)

BULK = 3000           # versions written straight into the store for the rotation
BULK_VALUE = 4096     # bytes each

env = Env(nonce_ttl=60)
T = Checks()
c = T.check
acked = []            # (name, version, value) the clients saw acknowledged
lock = threading.Lock()
stop = threading.Event()


def writer(i):
    n = 0
    while not stop.is_set():
        n += 1
        name = "shared" if n % 3 == 0 else "c%d-%d" % (i, n)
        val = os.urandom(random.randrange(1, 600))
        try:
            st, b, _ = env.admin("PUT", "/v1/secrets/" + name,
                                 {"rule": "db", "value": base64.b64encode(val).decode()})
        except Exception:
            continue          # the daemon died under us: not acknowledged
        if st == 201:
            with lock:
                acked.append((name, json.loads(b)["version"], val))


def rows():
    db = sqlite3.connect(env.data + "/vouchd.db")
    try:
        return db.execute("SELECT name, version, kek_id, wrapped FROM secrets").fetchall()
    finally:
        db.close()


def release(name):
    priv, raw, pem = x25519_keypair()
    n = env.challenge()
    ev = env.evidence(release_bind(n, raw, name))
    st, b, _ = env.post("/v1/secrets/%s/release" % name, {"nonce": n.hex(), "evidence": ev, "public_key": pem})
    if st != 200:
        return st, None, None
    j = json.loads(b)
    return st, j["version"], hpke_open(priv, base64.b64decode(j["sealed"]), release_info(name),
                                       release_aad(name, j["version"]))


def consistent(old_key, new_key):
    """All versions under one KEK, each opening with it: which one, or None."""
    rs = rows()
    kids = {r[2] for r in rs}
    if len(kids) != 1:
        return None, "mixed KEKs %s" % kids
    kid = next(iter(kids))
    key = {kek_file_id(old_key): old_key, kek_file_id(new_key): new_key}.get(kid)
    if key is None:
        return None, "unknown KEK %s" % kid
    for name, ver, _, wrapped in rs:
        try:
            kek_unwrap(key, name, ver, wrapped)
        except Exception:
            return None, "%s v%d does not open" % (name, ver)
    return ("old" if key == old_key else "new"), "%d versions" % len(rs)


try:
    env.start(threads=2)
    st, b, _ = env.put_policy(env.sign(env.policy(1, release_rules={
        "db": {"rule": {"claim": "debug", "equals": False}}})))
    c(st == 201, "policy accepted")

    # ---- 1. kill -9 during writes ---------------------------------------
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    deadline = time.time() + 30
    while len(acked) < 60 and time.time() < deadline:
        time.sleep(0.02)
    env.proc.send_signal(signal.SIGKILL)
    env.proc.wait()
    env.proc = None
    stop.set()
    for t in threads:
        t.join()
    c(len(acked) >= 60, "the burst acknowledged writes (%d)" % len(acked))
    key = open(env.data + "/kek.key", "rb").read()
    stored = {(r[0], r[1]): r for r in rows()}
    missing = [a for a in acked if (a[0], a[1]) not in stored]
    c(not missing, "every acknowledged write is stored (%d missing of %d)" % (len(missing), len(acked)))
    bad = 0
    for name, ver, val in acked:
        r = stored.get((name, ver))
        try:
            bad += r is None or r[2] != kek_file_id(key) or kek_unwrap(key, name, ver, r[3]) != val
        except Exception:
            bad += 1
    c(bad == 0, "every acknowledged write opens with the KEK to its value (%d bad)" % bad)
    shared = [a[1] for a in acked if a[0] == "shared"]
    c(shared and len(shared) == len(set(shared)), "concurrent versions of one secret are distinct: %s" % shared)
    p = run(VOUCH, "audit", "verify", "--data-dir", env.data, check=False)
    c(p.returncode == 0, "audit chain intact after kill -9: " + p.stdout + p.stderr)

    env.start(threads=2)
    for name, ver, val in random.sample([a for a in acked if a[0] != "shared"], 3):
        st, v, got = release(name)
        c(st == 200 and v == ver and got == val, "released after restart: %s v%d (%s)" % (name, ver, st))
    st, v, got = release("shared")
    latest = max(k[1] for k in stored if k[0] == "shared")
    c(st == 200 and v == latest and got == kek_unwrap(key, "shared", latest, stored[("shared", latest)][3]),
      "the newest stored version of the shared secret is released (v%s of %d)" % (v, latest))
    c(env.stop() == 0, "clean stop")

    # ---- 2. kill -9 during KEK rotation ---------------------------------
    db = sqlite3.connect(env.data + "/vouchd.db")
    kid = kek_file_id(key)
    with db:
        for i in range(BULK):
            name = "bulk-%d" % i
            db.execute("INSERT INTO secret_names (name, last_version) VALUES (?, 1)", (name,))
            db.execute("INSERT INTO secrets (name, version, rule, created_at, kek_id, wrapped)"
                       " VALUES (?, 1, 'db', 0, ?, ?)",
                       (name, kid, kek_wrap(key, name, 1, os.urandom(BULK_VALUE))))
    db.close()
    new_kek = env.dir + "/kek-new.key"
    rotate = [VOUCHD, "--rotate-kek", "--data-dir", env.data, "--kek-file", new_kek,
              "--previous-kek-file", env.data + "/kek.key"]
    # How long a whole rotation takes, measured on a copy.
    shutil.copytree(env.data, env.dir + "/copy")
    t0 = time.time()
    p = run(*[a.replace(env.data, env.dir + "/copy") for a in rotate], check=False)
    full = time.time() - t0
    c(p.returncode == 0, "a whole rotation on a copy (%.2f s): %s" % (full, p.stderr))
    shutil.rmtree(env.dir + "/copy")
    new_key = None
    mid, done = 0, False
    for frac in (0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 0.5, 0.5, 1.5):
        proc = subprocess.Popen(rotate, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(full * frac)
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        finished = proc.returncode == 0 and b"rewrapped" in out
        # Uncommitted pages the rotation spilled into the WAL: the kill
        # came in the middle of its transaction, not before or after.
        wal = env.data + "/vouchd.db-wal"
        spilled = os.path.exists(wal) and os.path.getsize(wal) > 1024 * 1024
        if new_key is None and os.path.exists(new_kek):
            new_key = open(new_kek, "rb").read()
        which, why = consistent(key, new_key or b"\0" * 32)
        c(which is not None, "consistent after kill -9 at %.0f%% of a rotation: %s" % (frac * 100, why))
        if finished:
            c(which == "new", "a rotation that reported success left everything on the new KEK")
            done = True
            break
        if running and spilled and which == "old":
            mid += 1
    c(mid >= 1, "at least one kill landed inside the rotation's transaction (%d)" % mid)
    if not done:
        p = run(*rotate, check=False)
        c(p.returncode == 0, "rotation completes after the crashes: %s" % p.stderr)
        new_key = open(new_kek, "rb").read()
        which, why = consistent(key, new_key)
        c(which == "new", "after the completed rotation: %s %s" % (which, why))
    env.extra = ["--kek-file", new_kek]
    env.start(threads=2)
    name, ver, val = random.choice([a for a in acked if a[0] != "shared"])
    st, v, got = release(name)
    c(st == 200 and got == val, "served with the new KEK alone after the crashes: %s" % st)
    p = run(VOUCH, "audit", "verify", "--data-dir", env.data, check=False)
    c(p.returncode == 0, "audit chain intact: " + p.stdout)
    c(env.stop() == 0, "clean stop")
    print("crash test: %d writes acknowledged before kill -9, all stored; %d kills mid-rotation, "
          "rotation of %d versions takes %.2f s" % (len(acked), mid, len(rows()), full))
finally:
    stop.set()
    if env.proc:
        env.stop(signal.SIGKILL)
    shutil.rmtree(env.dir, ignore_errors=True)
sys.exit(T.done())
