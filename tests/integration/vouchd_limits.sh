#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# vouchd limits and libevent traps (tests/integration/vouchd_limits.py).
exec python3 "$(dirname "$0")/vouchd_limits.py"
