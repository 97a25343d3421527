#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# vouchd with SEV-SNP collateral options (tests/integration/vouchd_snp_collateral.py).
exec python3 "$(dirname "$0")/vouchd_snp_collateral.py"
