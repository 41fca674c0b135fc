#!/usr/bin/env bash
# The edge router's own cost: the same requests (GET /customers/1 of the sample app) sent straight to the app and
# through the router, with wrk (Debian package), everything on this machine's cores. Two runs each: at saturation
# (throughput ratio) and paced at about 400 requests/s (each of 8 connections waits 20 ms between requests: latency
# added at a load both handle). Needs the stack: starts ./cutover up, measures, stops it.
# Usage: bench/router.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
connections="${2:-16}"
log=$(mktemp)
paced=$(mktemp --suffix=.lua)
echo 'function delay() return 20 end' > "$paced"
./cutover up > "$log" 2>&1 &
launcher=$!
trap 'kill $launcher 2>/dev/null; wait $launcher 2>/dev/null || true; rm -f "$log" "$paced"' EXIT
until grep -q "demo environment created" "$log"; do kill -0 $launcher 2>/dev/null || { cat "$log"; exit 1; }; sleep 1; done
backend=$(curl -s http://127.0.0.1:8090/environments/shop | sed 's/.*"backendUrl":"\([^"]*\)".*/\1/')
run() { wrk -t2 -d"${seconds}s" --latency "$@" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" | tr -s ' '; }
# Warm both paths up first (JIT), so neither run pays for it.
run -c"$connections" "$backend/customers/1" > /dev/null
run -c"$connections" -H "Host: shop.example.com" http://127.0.0.1:8000/customers/1 > /dev/null
for mode in saturated paced; do
  args=(-c"$connections"); [ "$mode" = paced ] && args=(-c8 -s "$paced")
  echo "== $mode"
  echo "direct to the app ($backend):"; run "${args[@]}" "$backend/customers/1" | tee /tmp/direct.txt
  echo "through the router (Host: shop.example.com):"; run "${args[@]}" -H "Host: shop.example.com" http://127.0.0.1:8000/customers/1 | tee /tmp/routed.txt
  direct=$(grep Requests/sec /tmp/direct.txt | awk '{print $2}')
  routed=$(grep Requests/sec /tmp/routed.txt | awk '{print $2}')
  echo "throughput through the router: $(echo "scale=3; $routed / $direct" | bc) of direct"
done
