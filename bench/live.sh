#!/usr/bin/env bash
# Issue 5, the `live` strategy under a steady write load: replication lag while pgbench writes to the source at a fixed
# rate, then the data part of the freeze. Two PostgreSQL 15 servers are started here and removed at the end.
#
# Usage: bench/live.sh            (SCALE=10 CLIENTS=4 DURATION=30 RATE=200 JOBS=4 to change the defaults)
#
# bench/CopyBench.java live calls the data-sync-service's classes in DataSync.copy's order with live=true (publication,
# slot exporting its snapshot, parallel copy from that snapshot, checksums, subscription), runs
# `pgbench -n -c CLIENTS -T DURATION -R RATE` against the source while sampling LiveReplication.lag every 500 ms, then,
# with the source still, runs DataSync.finishReplication's steps one by one and times each: schema check, catchUp,
# copySequences, Checksums.compare; then, after the freeze as ReplicationMonitor does, dropSubscription and
# dropSlotAndPublication.
#
# pgbench_history has no primary key, and the service's preflight refuses `live` for such a table; the source gets one
# (`id bigserial primary key`) so that it is a database the service would accept.
set -euo pipefail
source "$(dirname "$0")/pg-lib.sh"
SCALE=${SCALE:-10}
CLIENTS=${CLIENTS:-4}
DURATION=${DURATION:-30}
RATE=${RATE:-200}
JOBS=${JOBS:-4}
CP=$(classpath)

make_servers
psql -q -p $SRC_PORT -d postgres -c "create database bench"
pgbench -i -q -s "$SCALE" --foreign-keys -p $SRC_PORT bench 2>&1 | tail -1
psql -q -p $SRC_PORT -d bench -c "alter table pgbench_history add column id bigserial primary key" -c "vacuum (freeze, analyze)"
echo "source: pgbench scale $SCALE, pg_database_size $(psql -p $SRC_PORT -d bench -Atc "select pg_database_size('bench')") bytes"
# A run during which a Maven build ran (the machine has 2 cores) is made again, up to 3 times.
for try in 1 2 3; do
    wait_quiet
    fresh_target bench
    echo "\$ java -cp <classes> bench/CopyBench.java live --source 127.0.0.1:$SRC_PORT/bench --target 127.0.0.1:$TGT_PORT/bench --jobs $JOBS" \
         "--chunk 100000 --pgbench $PG_BIN/pgbench --clients $CLIENTS --seconds $DURATION --rate $RATE --sample-ms 500"
    watch_start
    java -cp "$CP" "$REPO/bench/CopyBench.java" live --source 127.0.0.1:$SRC_PORT/bench --target 127.0.0.1:$TGT_PORT/bench --jobs "$JOBS" \
        --chunk 100000 --pgbench "$PG_BIN/pgbench" --clients "$CLIENTS" --seconds "$DURATION" --rate "$RATE" --sample-ms 500
    if watch_stop; then break; fi
    if [ $try = 3 ]; then echo "NOTE: a Maven build ran during this measurement (third try, kept)"
    else echo "a Maven build ran during this measurement: measuring again"; fi
done
echo "left on the source: $(psql -p $SRC_PORT -d bench -Atc "select count(*) from pg_replication_slots") replication slots," \
     "$(psql -p $SRC_PORT -d bench -Atc "select count(*) from pg_publication") publications;" \
     "on the target: $(psql -p $TGT_PORT -d bench -Atc "select count(*) from pg_subscription") subscriptions"
