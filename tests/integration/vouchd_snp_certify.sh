#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# vouch certify --platform snp against vouchd (tests/integration/vouchd_snp_certify.py).
exec python3 "$(dirname "$0")/vouchd_snp_certify.py"
