# SPDX-License-Identifier: Apache-2.0
"""Crash safety: kill -9 vouchd during a burst of certify requests from
concurrent clients, restart it on the same store: every certificate a
client received is recorded, the audit chain verifies, and the service
certifies again."""
import os, shutil, signal, sqlite3, subprocess, sys, threading, time
sys.path.insert(0, os.path.dirname(__file__))
from vouchd_lib import Env, Checks, run, VOUCH

env = Env(nonce_ttl=60)
T = Checks()
c = T.check
received = []
lock = threading.Lock()
stop = threading.Event()


def client(i):
    n = 0
    while not stop.is_set():
        n += 1
        d = "%s/c%d-%d" % (env.dir, i, n)
        p = subprocess.run([VOUCH, "certify", "--service", "https://127.0.0.1:%d" % env.port,
                            "--domain-cert", env.root, "--platform-dir", env.dir + "/plat",
                            "--key-out", d + ".key", "--cert-out", d + ".pem"],
                           capture_output=True, text=True)
        if p.returncode == 0:
            with lock:
                received.append(p.stdout.strip())


try:
    env.start(threads=2)
    st, body, _ = env.put_policy(env.sign(env.policy(1)))
    c(st == 201, "policy accepted")
    threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    deadline = time.time() + 20
    while len(received) < 15 and time.time() < deadline:
        time.sleep(0.05)
    env.proc.send_signal(signal.SIGKILL)   # in the middle of the burst
    env.proc.wait()
    env.proc = None
    stop.set()
    for t in threads:
        t.join()
    c(len(received) >= 15, "burst produced certificates (%d)" % len(received))
    db = sqlite3.connect(env.data + "/vouchd.db")
    stored = {r[0] for r in db.execute("SELECT serial FROM certs")}
    db.close()
    missing = [s for s in received if s not in stored]
    c(not missing, "every certificate a client received is stored (%d missing of %d)" % (len(missing), len(received)))
    p = run(VOUCH, "audit", "verify", "--data-dir", env.data, check=False)
    c(p.returncode == 0, "audit chain intact after kill -9: " + p.stdout + p.stderr)
    env.start(threads=2)
    p = run(VOUCH, "certify", "--service", "https://127.0.0.1:%d" % env.port, "--domain-cert", env.root,
            "--platform-dir", env.dir + "/plat", "--key-out", env.dir + "/after.key",
            "--cert-out", env.dir + "/after.pem", check=False)
    c(p.returncode == 0, "certifies after restart: " + p.stderr)
    c(env.stop() == 0, "clean stop")
    print("crash test: %d certificates received before kill -9, all stored" % len(received))
finally:
    stop.set()
    if env.proc:
        env.stop(signal.SIGKILL)
    shutil.rmtree(env.dir, ignore_errors=True)
sys.exit(T.done())
