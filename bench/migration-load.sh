#!/usr/bin/env bash
# Steady load through the edge router (open loop at a fixed rate, half writes and half reads of the sample app) during
# a `live` migration and then a `snapshot` one: failed requests, the longest stall, p50/p99/max before, during and
# after the freeze, and writes acknowledged versus found on the target. Each run is `./cutover demo` on a fresh stack
# (built first if jars are missing), which prints its summary and stops; this prints the two summaries.
# Usage: bench/migration-load.sh [requests-per-second]
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-40}"
log=$(mktemp)
err=$(mktemp)
trap 'rm -f "$log" "$err"' EXIT
for strategy in live snapshot; do
  echo "--- ./cutover demo --strategy $strategy --rate $rate"
  # The logs (stderr) are shown only when the run fails: Kafka clients warn while the stack stops.
  ./cutover demo --strategy "$strategy" --rate "$rate" > "$log" 2> "$err" || { cat "$log" "$err"; exit 1; }
  # The summary only: from its header on, without the progress stream's lines and the stop messages.
  sed -n '/^=== migration/,$p' "$log" | grep -vE '^(  \[(state|step)\] |stopping\.\.\.$|stopped: )'
  echo
done
