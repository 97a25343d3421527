#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sealed log throughput (issue 8) beside the raw AEAD, in one run: sealed
# records per second for 256-byte messages, to memory (slog_writer into a
# ring buffer) and to a file on tmpfs (vouch_log: formatting, lock, one
# write(2) per record), against `openssl speed -evp aes-256-gcm -bytes 256`.
# The three alternate for ROUNDS rounds so a busy machine slows them
# alike; each round gives its own ratio and the summary takes medians.
# Build with optimisation (cmake -DCMAKE_BUILD_TYPE=Release or `make`).
# Usage: bench/slog.sh [BUILD_DIR] [SECONDS] [ROUNDS]
set -euo pipefail
build=${1:-build}
secs=${2:-3}
rounds=${3:-5}
B="$build/bench_slog"
[ -x "$B" ] || { echo "bench/slog.sh: $B not built" >&2; exit 2; }
T=$(mktemp -d /dev/shm/slog-bench.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$T"' EXIT
fs=$(stat -f -c %T "$T")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(openssl version)"
echo "${secs}s per measurement, $rounds rounds; file mode writes to $T ($fs)"
R="$T/rounds"
: > "$R"
for r in $(seq "$rounds"); do
  o=$(openssl speed -evp aes-256-gcm -bytes 256 -seconds "$secs" 2>/dev/null |
      awk '/^AES-256-GCM/ { v = $2; sub("k", "", v); printf "%.0f", v * 1000 / 256 }')
  m=$("$B" memory "$secs" | awk '/^RESULT/ { print $5 }')
  f=$("$B" file "$secs" "$T/bench.vlog" | awk '/^RESULT/ { print $5 }')
  echo "$o $m $f" >> "$R"
  awk -v r="$r" -v o="$o" -v m="$m" -v f="$f" 'BEGIN {
    printf "round %d: openssl aes-256-gcm %d ops/s | sealed to memory %d rec/s (%.2f) | to file %d rec/s (%.2f)\n",
      r, o, m, m / o, f, f / o }'
done
med() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mo=$(awk '{ print $1 }' "$R" | med)
mm=$(awk '{ print $2 }' "$R" | med)
mf=$(awk '{ print $3 }' "$R" | med)
rm_=$(awk '{ print $2 / $1 }' "$R" | med)
rf=$(awk '{ print $3 / $1 }' "$R" | med)
echo "median: openssl speed -evp aes-256-gcm -bytes 256: $mo ops/s"
echo "median: sealed records/s, 256-byte messages, to memory: $mm -> ratio $(printf '%.2f' "$rm_") (median of round ratios; target >= 0.5)"
echo "median: sealed records/s, 256-byte messages, vouch_log to $fs file: $mf -> ratio $(printf '%.2f' "$rf")"
