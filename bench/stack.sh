#!/usr/bin/env bash
# Measures the run command: time from `./cutover up` to every service ready (the build already done), and each
# process's resident memory once idle. Prints a Markdown table. Usage: bench/stack.sh [idle-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
idle="${1:-20}"
log=$(mktemp)
./cutover up > "$log" 2>&1 &
launcher=$!
trap 'kill $launcher 2>/dev/null; wait $launcher 2>/dev/null || true; rm -f "$log"' EXIT
until grep -q "stack ready in" "$log"; do
  kill -0 $launcher 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
grep "stack ready in" "$log"
sleep "$idle"
echo
echo "| process | resident memory (MB) after ${idle} s idle |"
echo "| --- | --- |"
for pid in $(pgrep -f 'quarkus-run.jar|sample-app-1.0.jar'); do
  name=$(ps -o args= -p "$pid" | grep -oE '[a-z-]+/target/quarkus-app|releases/[a-z0-9.-]+\.jar' | sed 's#/target/quarkus-app##; s#releases/##')
  echo "| $name | $(( $(ps -o rss= -p "$pid") / 1024 )) |"
done
echo "| launcher (Kafka broker in-process) | $(( $(ps -o rss= -p "$launcher") / 1024 )) |"
