#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# vouchd end to end on the sim platform (tests/integration/vouchd_api.py).
exec python3 "$(dirname "$0")/vouchd_api.py"
