#!/usr/bin/env bash
# Issue 18, moving a Redis store: Cutover's snapshot (pipelined DUMP/RESTORE) and live (REPLICAOF, promoted in the
# freeze, under a writer at a fixed rate) against redis-cli --rdb + a server loading the file, and a plain DUMP/RESTORE
# script key by key; same two Redis servers (the Redis 6.2 the local platform runs, from embedded-redis's jar), one
# after the other. Prints keys/s, MB/s, lag, the Redis part of the freeze, keys lost and TTLs kept.
#
# Usage: bench/redis.sh [KEYS] [WRITES_PER_SECOND] [JOBS]        default: 1000000 2000 4
# Needs redis-cli for the --rdb anchor (Debian: apt-get install redis-tools). PLAIN=0 skips the plain script (minutes).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
KEYS=${1:-1000000}
RATE=${2:-2000}
JOBS=${3:-4}
m2=${MAVEN_REPO:-$HOME/.m2/repository}
if [ ! -d "$REPO/data-sync-service/target/classes/dev" ]; then
    (cd "$REPO" && ./mvnw -B -q install -DskipTests -pl contracts,platform-port,data-sync-service -am)
fi
work=$(mktemp -d /tmp/cutover-redis-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
unzip -q -o "$m2/com/github/codemonstur/embedded-redis/1.4.3/embedded-redis-1.4.3.jar" redis-server-6.2.6-v5-linux-amd64 -d "$work"
binary="$work/redis-server-6.2.6-v5-linux-amd64"
chmod +x "$binary"
echo "$("$binary" --version | cut -d' ' -f1-3), $(nproc) cores; $KEYS keys, writer at $RATE writes/s"
CP="$REPO/data-sync-service/target/classes:$REPO/platform-port/target/classes:$REPO/contracts/target/classes"
java -Xmx1g -cp "$CP" "$REPO/bench/RedisBench.java" "$binary" "$work" "$KEYS" "$RATE" "$JOBS"
