# SPDX-License-Identifier: Apache-2.0
"""vouchd started from a config file; the connection cap; clients that
reset mid-response (SIGPIPE must not kill the daemon); bad config."""
import os, shutil, socket, ssl, struct, subprocess, sys, time
sys.path.insert(0, os.path.dirname(__file__))
from vouchd_lib import Env, Checks, VOUCHD

env = Env()
T = Checks()
c = T.check
try:
    # Options from a config file; the command line still wins for --listen.
    conf = env.dir + "/vouchd.conf"
    with open(conf, "w") as f:
        f.write("# vouchd test configuration\n")
        f.write("domain-cert = %s\nissuer-key = %s/issuer.key\n" % (env.root, env.dir))
        f.write("issuer-cert = %s/issuer.pem\nmax-conns = 4\n  threads = 1\n" % env.dir)
    env.extra = ["--config", conf]
    # Env.start passes --domain-cert etc. too; the file must agree with them.
    env.start(threads=1)
    c(env.get("/healthz")[0] == 200, "started from a config file")

    # The connection cap: 4 idle TLS connections are held, the 5th is closed.
    held = []
    for _ in range(4):
        s = env.ctx().wrap_socket(socket.create_connection(("127.0.0.1", env.port), timeout=5),
                                  server_hostname="localhost")
        held.append(s)
    refused = False
    try:
        s = env.ctx().wrap_socket(socket.create_connection(("127.0.0.1", env.port), timeout=5),
                                  server_hostname="localhost")
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        refused = s.recv(100) == b""
    except (ssl.SSLError, OSError):
        refused = True
    c(refused, "connection over the cap is closed")
    for s in held:
        s.close()
    time.sleep(0.3)
    c(env.get("/healthz")[0] == 200, "served again once connections closed")
    st, body, _ = env.get("/metrics")
    c(b"vouchd_overload_total 0" not in body, "overload counted")

    # Clients that reset while the response is being written (SIGPIPE trap).
    for _ in range(30):
        s = env.ctx().wrap_socket(socket.create_connection(("127.0.0.1", env.port), timeout=5),
                                  server_hostname="localhost")
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        # SO_LINGER 0: close sends a reset instead of a FIN.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    time.sleep(0.5)
    c(env.proc.poll() is None, "daemon survives clients resetting mid-response")
    c(env.get("/healthz")[0] == 200, "and still serves")
    c(env.stop() == 0, "clean stop")

    # A bad configuration is refused with exit 2 and a message.
    with open(conf, "a") as f:
        f.write("max-conns = lots\n")
    p = subprocess.run([VOUCHD, "--config", conf, "--data-dir", env.dir + "/d2", "--listen", "127.0.0.1:1"],
                       capture_output=True, text=True, timeout=10)
    c(p.returncode == 2 and "max-conns" in p.stderr, "bad config value refused: %d %s" % (p.returncode, p.stderr))
    with open(conf, "w") as f:
        f.write("no-such-option = 1\n")
    p = subprocess.run([VOUCHD, "--config", conf], capture_output=True, text=True, timeout=10)
    c(p.returncode == 2 and "unknown option" in p.stderr, "unknown config key refused")
    p = subprocess.run([VOUCHD, "--data-dir", env.dir + "/d3", "--domain-cert", env.root,
                        "--issuer-key", env.dir + "/issuer.key", "--issuer-cert", env.dir + "/admin.pem",
                        "--listen", "127.0.0.1:1"], capture_output=True, text=True, timeout=10)
    c(p.returncode != 0 and "issuer" in p.stderr, "issuer key/cert mismatch refused: " + p.stderr)
    p = subprocess.run([VOUCHD, "--help"], capture_output=True, text=True, timeout=10)
    c(p.returncode == 0 and "--conn-deadline" in p.stdout and "--max-inflight" in p.stdout, "--help documents options")
finally:
    if env.proc:
        env.stop(9)
    if T.failed and os.path.exists(env.dir + "/vouchd.log"):
        print(open(env.dir + "/vouchd.log", errors="replace").read()[-2000:])
    shutil.rmtree(env.dir, ignore_errors=True)
sys.exit(T.done())
