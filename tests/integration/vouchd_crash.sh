#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# kill -9 vouchd during a burst of certify requests (tests/integration/vouchd_crash.py).
exec python3 "$(dirname "$0")/vouchd_crash.py"
