#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A stand-in for Intel PCS v4 for tests/integration/cli_dcap_pcs.sh.

Serves real collateral from $VOUCH_TESTDATA in place (nothing is copied):
the dcap-qvl bundle tdx/phala_tdx_quote_collateral.json split back into the
PCS answers it was made of, and the real Intel CRLs:

  /{profile}/tdx/certification/v4/tcb?fmspc=b0c06f000000
        {"tcbInfo":<the signed text>,"signature":"<hex>"},
        header TCB-Info-Issuer-Chain (URL-encoded PEM)
  /{profile}/tdx/certification/v4/qe/identity
        {"enclaveIdentity":...}, header SGX-Enclave-Identity-Issuer-Chain
  /{profile}/sgx/certification/v4/pckcrl?ca=platform&encoding=der
        crl/intel/pck_platform_crl_2025-06-19.der, SGX-PCK-CRL-Issuer-Chain
  /{profile}/sgx/certification/v4/rootcacrl
        crl/intel/root_ca_crl_2025-03-20.der (p2025) as hex, as a PCCS does

Profiles: p2025 serves the above; nochain drops the issuer chain headers;
big answers 1 MiB; any other URL is a 404.  Every request line goes to the
log file so the test can count downloads.

usage: pcs_server.py TESTDATA PORT_FILE LOG_FILE
"""
import http.server
import json
import os
import sys
import urllib.parse

TD, PORT_FILE, LOG = sys.argv[1], sys.argv[2], sys.argv[3]


def read(rel):
    with open(os.path.join(TD, rel), "rb") as f:
        return f.read()


B = json.loads(read("tdx/phala_tdx_quote_collateral.json"))
BODIES = {
    "/tdx/certification/v4/tcb?fmspc=b0c06f000000":
        (('{"tcbInfo":%s,"signature":"%s"}' % (B["tcb_info"], B["tcb_info_signature"])).encode(),
         "TCB-Info-Issuer-Chain", B["tcb_info_issuer_chain"]),
    "/tdx/certification/v4/qe/identity":
        (('{"enclaveIdentity":%s,"signature":"%s"}' % (B["qe_identity"], B["qe_identity_signature"])).encode(),
         "SGX-Enclave-Identity-Issuer-Chain", B["qe_identity_issuer_chain"]),
    "/sgx/certification/v4/pckcrl?ca=platform&encoding=der":
        (read("crl/intel/pck_platform_crl_2025-06-19.der"), "SGX-PCK-CRL-Issuer-Chain",
         B["pck_crl_issuer_chain"]),
    "/sgx/certification/v4/rootcacrl":
        (read("crl/intel/root_ca_crl_2025-03-20.der").hex().encode(), None, None),
}


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        with open(LOG, "a") as f:
            f.write(self.path + "\n")
        parts = self.path.split("/", 2)
        if len(parts) < 3:
            return self.send_error(404)
        profile, rest = parts[1], "/" + parts[2]
        if profile == "big":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{" + b" " * (1 << 20) + b"}")
            return
        if profile not in ("p2025", "nochain") or rest not in BODIES:
            return self.send_error(404)
        body, hname, chain = BODIES[rest]
        self.send_response(200)
        if hname is not None and profile != "nochain":
            self.send_header(hname, urllib.parse.quote(chain, safe=""))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


s = http.server.HTTPServer(("127.0.0.1", 0), H)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
s.serve_forever()
