#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# vouch certify --platform snp|tdx|sgx against vouchd (tests/integration/vouchd_hw_certify.py).
exec python3 "$(dirname "$0")/vouchd_hw_certify.py"
