#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The build profile bound into certify (tests/integration/vouchd_profile.py).
exec python3 "$(dirname "$0")/vouchd_profile.py"
