#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# vouchd secrets end to end on the sim platform (tests/integration/vouchd_secrets.py).
exec python3 "$(dirname "$0")/vouchd_secrets.py"
