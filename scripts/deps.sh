#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Install the Debian packages vouch needs to build and test.
# As root: installs what is missing with apt-get.  Otherwise: prints the
# exact apt-get line and fails.
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config clang-14 libclang-rt-14-dev valgrind
  libssl-dev openssl libjansson-dev libcmocka-dev
  libevent-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev libjose-dev jose
  python3 python3-cryptography curl
  # secrets: the PKCS#11 header (the KEK on a token), SoftHSM2 for the tests,
  # pkcs11-tool (opensc) to check the token key is not extractable
  libp11-kit-dev softhsm2 opensc
  # nettle (hogweed, on GMP): P-384 report signatures (lib/crypto/p384.c)
  nettle-dev libgmp-dev
)
# Node.js and npm run interop tests only; keep an existing install (some
# machines carry a packaged Node.js that Debian's npm would conflict with).
if ! command -v npm >/dev/null 2>&1; then
  PKGS+=(nodejs npm)
fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  line="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "vouch: missing Debian packages; run as root:" >&2
    echo "  apt-get update && $line" >&2
    exit 1
  fi
  echo "vouch: installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  $line >&2
fi

# npm packages for the interop tests (never committed: tests/interop/node_modules).
top=$(cd "$(dirname "$0")/.." && pwd)
if { [ ! -d "$top/tests/interop/node_modules/jose" ] || [ ! -d "$top/tests/interop/node_modules/@hpke/core" ] || [ ! -d "$top/tests/interop/node_modules/@hpke/chacha20poly1305" ]; } && command -v npm >/dev/null 2>&1; then
  echo "vouch: installing npm packages for interop tests (tests/interop)" >&2
  (cd "$top/tests/interop" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
