#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Secrets survive kill -9 during writes and KEK rotation
# (tests/integration/vouchd_secrets_crash.py).
exec python3 "$(dirname "$0")/vouchd_secrets_crash.py"
