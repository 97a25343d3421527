#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A stand-in for AMD KDS for tests/integration/cli_snp_collateral.sh.

Serves the real collateral from $VOUCH_TESTDATA in place (nothing is copied)
under the KDS URL scheme (AMD 57230):

  /{profile}/vcek/v1/{product}/{hwid}?blSPL=..&teeSPL=..&snpSPL=..&ucodeSPL=..
  /{profile}/{vcek,vlek}/v1/{product}/cert_chain
  /{profile}/{vcek,vlek}/v1/{product}/crl

The first path segment picks a profile: p2022 and p2025 serve the KDS CRLs
in force then; garbage, big, e500, redirect and wrong-root misbehave.  The
rate-limited ones answer 429 Too Many Requests: r429 with "Retry-After:
120", r429-bare without Retry-After, r429-date with an HTTP-date (which
vouch counts as unknown), and r429-crl only for the CRL (otherwise it is
p2022).  Any other URL, including a VCEK query with other parameters, is a
404.  Every request line is appended to the log file, so the test can count
downloads (and see that a rate-limited client stopped asking).

usage: snp_kds_server.py TESTDATA PORT_FILE LOG_FILE
"""
import base64
import http.server
import os
import re
import sys

TD, PORT_FILE, LOG = sys.argv[1], sys.argv[2], sys.argv[3]


def read(rel):
    with open(os.path.join(TD, rel), "rb") as f:
        return f.read()


def pem_cert(rel, idx):
    blocks = re.findall(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----",
                        read(rel), re.S)
    return base64.b64decode(b"".join(blocks[idx].split()))


def chip_id(rel, offset=0):
    return read(rel)[offset + 0x1A0:offset + 0x1E0].hex()


VCEKS = {
    ("Milan", chip_id("snp/gsg_milan_attestation.bin"), "blSPL=2&teeSPL=0&snpSPL=5&ucodeSPL=68"):
        lambda: read("snp/gsg_milan_vcek.der"),
    ("Milan", chip_id("snp/az-snp-vtpm/hcl-report.bin", 0x20), "blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=115"):
        lambda: pem_cert("snp/az-snp-vtpm/vcek.pem", 0),
    ("Genoa", chip_id("snp/derived/trustee_genoa_e2e_report.bin"), "blSPL=10&teeSPL=0&snpSPL=23&ucodeSPL=25"):
        lambda: read("snp/derived/trustee_genoa_e2e_vcek.der"),
}
CHAINS = {
    ("vcek", "Milan"): "certs/amd/ask_ark_milan.pem",
    ("vlek", "Milan"): "certs/amd/ask_ark_milan_vlek.pem",
    ("vcek", "Genoa"): "certs/amd/ask_ark_genoa.pem",
    ("vlek", "Genoa"): "certs/amd/ask_ark_genoa_vlek.pem",
}
CRLS = {
    "p2022": {"Milan": "crl/amd/milan_crl_2022-05-09.der", "Genoa": "crl/amd/genoa_crl_2022-10-31.der"},
    "p2025": {"Milan": "crl/amd/milan_crl_2025-05-06.der", "Genoa": "crl/amd/genoa_crl_2024-10-23.der"},
}

# 429 Too Many Requests and the Retry-After sent with it.
RATE_LIMITED = {
    "r429": {"Retry-After": "120"},
    "r429-bare": {},
    "r429-date": {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"},
}


class KDS(http.server.BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def answer(self, code, body=b"", ctype="application/octet-stream", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with open(LOG, "a") as f:
            f.write(self.path + "\n")
        m = re.fullmatch(r"/([a-z0-9-]+)/(vcek|vlek)/v1/(Milan|Genoa|Turin)/([^?]+)(?:\?(.*))?", self.path)
        if m is None:
            return self.answer(404)
        profile, kind, product, leaf, query = m.groups()
        if profile == "garbage":
            return self.answer(200, b"hello, not collateral\n")
        if profile == "big":
            return self.answer(200, b"\x30" * (100 * 1024))
        if profile == "e500":
            return self.answer(500)
        if profile in RATE_LIMITED or (profile == "r429-crl" and leaf == "crl"):
            return self.answer(429, extra=RATE_LIMITED.get(profile, {"Retry-After": "120"}))
        if profile == "r429-crl":
            profile = "p2022"
        if profile == "redirect":
            return self.answer(302, extra={"Location": self.path.replace("/redirect/", "/p2022/", 1)})
        if leaf == "cert_chain":
            if profile == "wrong-root":
                return self.answer(200, read("certs/amd/ask_ark_genoa.pem"), "application/x-pem-file")
            rel = CHAINS.get((kind, product))
            return self.answer(200, read(rel), "application/x-pem-file") if rel else self.answer(404)
        if leaf == "crl":
            rel = CRLS.get(profile, {}).get(product)
            return self.answer(200, read(rel), "application/pkix-crl") if rel else self.answer(404)
        if kind == "vcek" and query is not None:
            f = VCEKS.get((product, leaf, query))
            return self.answer(200, f()) if f else self.answer(404)
        return self.answer(404)


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), KDS)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
srv.serve_forever()
