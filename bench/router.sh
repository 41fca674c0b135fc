#!/usr/bin/env bash
# The edge router's own cost: the same requests (GET /customers/1 of the sample app) sent straight to the app and
# through the router, with wrk (Debian package). Needs the stack: starts ./cutover up, measures, stops it.
# Usage: bench/router.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
connections="${2:-16}"
log=$(mktemp)
./cutover up > "$log" 2>&1 &
launcher=$!
trap 'kill $launcher 2>/dev/null; wait $launcher 2>/dev/null || true; rm -f "$log"' EXIT
until grep -q "stack ready in" "$log"; do kill -0 $launcher 2>/dev/null || { cat "$log"; exit 1; }; sleep 1; done
backend=$(curl -s http://127.0.0.1:8090/environments/shop | sed 's/.*"backendUrl":"\([^"]*\)".*/\1/')
run() { wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" | tr -s ' '; }
echo "direct to the app ($backend):"; run "$backend/customers/1" > /tmp/direct.txt; cat /tmp/direct.txt
echo "through the router (Host: shop.example.com):"; run -H "Host: shop.example.com" http://127.0.0.1:8000/customers/1 > /tmp/routed.txt; cat /tmp/routed.txt
direct=$(grep Requests/sec /tmp/direct.txt | awk '{print $2}')
routed=$(grep Requests/sec /tmp/routed.txt | awk '{print $2}')
echo "throughput through the router: $(echo "scale=3; $routed / $direct" | bc) of direct"
