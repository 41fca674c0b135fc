#!/usr/bin/env bash
# Issue 5, copy throughput: Cutover's `snapshot` copy against pg_dump | pg_restore and pgcopydb clone, same data, same
# two PostgreSQL 15 servers (started here, removed at the end), a fresh empty target database for every run, one run
# each, one tool at a time.
#
# Usage: bench/copy.sh [app|pgbench] [jobs...]        default: app 4 2
#   app      bench/app-db.sql: 5 tables, secondary indexes, foreign keys, about 1.8 GB
#   pgbench  pgbench -i -s $SCALE --foreign-keys (SCALE=70 by default: about 1.05 GB, nearly all in one table)
#
# Cutover runs bench/CopyBench.java, which calls the data-sync-service's classes in DataSync.copy's order: copy (create
# the tables, binary COPY largest first, keys and indexes, foreign keys, sequences) then the chunked checksum
# verification (chunks of 100,000 rows), timed apart. Needs pgcopydb (apt-get install pgcopydb) and PostgreSQL 15's
# binaries in $PG_BIN.
set -euo pipefail
source "$(dirname "$0")/pg-lib.sh"
DATASET=${1:-app}
shift || true
JOBS=${*:-4 2}
SCALE=${SCALE:-70}
command -v pgcopydb > /dev/null || { echo "pgcopydb is missing: apt-get install -y pgcopydb" >&2; exit 1; }
CP=$(classpath)
SRC="-p $SRC_PORT -d bench"
TGT="-p $TGT_PORT -d bench"

make_servers
psql -q -p $SRC_PORT -d postgres -c "create database bench"
echo "generating the $DATASET database..."
started=$(now)
case $DATASET in
    app) psql -q $SRC -f "$REPO/bench/app-db.sql" ;;
    pgbench) pgbench -i -q -s "$SCALE" --foreign-keys -p $SRC_PORT bench 2>&1 | tail -1
             psql -q $SRC -c "vacuum (freeze, analyze)" ;;
    *) echo "unknown dataset $DATASET" >&2; exit 1 ;;
esac
size=$(psql $SRC -Atc "select pg_database_size('bench')")
echo "generated in $(elapsed "$started" "$(now)") s: pg_database_size = $size bytes ($(psql $SRC -Atc "select pg_size_pretty($size::bigint)"))"
psql $SRC -c "select c.relname as table, c.reltuples::bigint as rows, pg_size_pretty(pg_table_size(c.oid)) as data,
    pg_size_pretty(pg_indexes_size(c.oid)) as indexes from pg_class c
    where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace order by pg_table_size(c.oid) desc"
# Every run reads the source from the OS cache alike: read every table once now.
for t in $(psql $SRC -Atc "select format('%I.%I', schemaname, tablename) from pg_tables where schemaname = 'public'"); do
    psql -q $SRC -Atc "select count(*) from $t" > /dev/null
done

# What the target must hold after every tool: per table rows, and the numbers of indexes, constraints and sequences.
SHAPE="select (select string_agg(format('%s=%s', relname, (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I', relname), false, true, '')))[1]), ' ' order by relname)
               from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace)
        || ' indexes=' || (select count(*) from pg_indexes where schemaname = 'public')
        || ' constraints=' || (select count(*) from pg_constraint where connamespace = 'public'::regnamespace)
        || ' sequences=' || coalesce((select string_agg(sequencename || ':' || coalesce(last_value, 0), ',' order by sequencename) from pg_sequences where schemaname = 'public'), '')"
expected=$(psql $SRC -Atc "$SHAPE")
check_target() {
    local got; got=$(psql $TGT -Atc "$SHAPE")
    if [ "$got" = "$expected" ]; then echo "  target complete: same rows per table, indexes, constraints and sequences as the source"
    else echo "  TARGET DIFFERS: source [$expected] target [$got]"; fi
}

declare -A T
# measure KEY COMMAND: times COMMAND against a fresh empty target database. A run during which a Maven build ran (the
# machine has 2 cores) is thrown away and made again, up to 3 times (then kept, and said).
measure() {
    local key=$1 cmd=$2 try t0 t1
    echo "== $key"
    echo "   \$ $cmd"
    for try in 1 2 3; do
        wait_quiet
        fresh_target bench
        watch_start
        t0=$(now)
        bash -c "$cmd" > "$WORK/out.log" 2>&1 || { sed 's/^/   /' "$WORK/out.log"; echo "   FAILED"; }
        t1=$(now)
        T[$key]=$(elapsed "$t0" "$t1")
        [ -z "${SHOW_LOG:-}" ] || sed 's/^/   /' "$WORK/out.log"
        if watch_stop; then break; fi
        if [ $try = 3 ]; then echo "   NOTE: a Maven build ran during this measurement (third try, kept)"
        else echo "   a Maven build ran during this measurement ($(elapsed "$t0" "$t1") s): measuring again"; fi
    done
    echo "   ${T[$key]} s"
}

for j in $JOBS; do
    SHOW_LOG=1 measure "cutover snapshot, jobs=$j" "java -cp '$CP' '$REPO/bench/CopyBench.java' snapshot --source 127.0.0.1:$SRC_PORT/bench --target 127.0.0.1:$TGT_PORT/bench --jobs $j --chunk 100000"
    line=$(grep '^RESULT' "$WORK/out.log")
    T[cutover-copy-$j]=$(sed 's/.*copy_s=\([0-9.]*\).*/\1/' <<< "$line")
    T[cutover-verify-$j]=$(sed 's/.*verify_s=\([0-9.]*\).*/\1/' <<< "$line")
    echo "   (that includes the JVM's start and the compilation of CopyBench.java; copy and verification are timed inside the JVM)"
    check_target
done

measure "pg_dump -Fc | pg_restore" "pg_dump -Fc $SRC | pg_restore $TGT"
check_target
for j in $JOBS; do
    dump="$WORK/dump-$j"
    measure "pg_dump -Fd -j $j + pg_restore -j $j" "rm -rf $dump; pg_dump -Fd -Z0 -j $j -f $dump $SRC && pg_restore -j $j $TGT $dump; rc=\$?; rm -rf $dump; exit \$rc"
    check_target
done
for j in $JOBS; do
    measure "pgcopydb clone --table-jobs $j --index-jobs $j" "rm -rf $WORK/pgcopydb-$j; pgcopydb clone --source 'postgres://postgres@127.0.0.1:$SRC_PORT/bench' --target 'postgres://postgres@127.0.0.1:$TGT_PORT/bench' --table-jobs $j --index-jobs $j --dir $WORK/pgcopydb-$j; rc=\$?; rm -rf $WORK/pgcopydb-$j; exit \$rc"
    sed -n '/OID | Schema/,$p' "$WORK/out.log" | sed 's/^/   /'
    check_target
done

ratio() { printf "%.2f" "$(echo "scale=4; $1 / $2" | bc)"; }
echo
echo "== summary: $DATASET database, pg_database_size $size bytes, 2 cores, one run each"
printf "%-48s %10s\n" "tool" "seconds"
for j in $JOBS; do
    printf "%-48s %10s   (+ %s s checksum verification)\n" "cutover snapshot, jobs=$j (copy)" "${T[cutover-copy-$j]}" "${T[cutover-verify-$j]}"
done
printf "%-48s %10s\n" "pg_dump -Fc | pg_restore" "${T[pg_dump -Fc | pg_restore]}"
for j in $JOBS; do printf "%-48s %10s\n" "pg_dump -Fd -Z0 -j $j; pg_restore -j $j" "${T[pg_dump -Fd -j $j + pg_restore -j $j]}"; done
for j in $JOBS; do printf "%-48s %10s\n" "pgcopydb clone --table-jobs $j --index-jobs $j" "${T[pgcopydb clone --table-jobs $j --index-jobs $j]}"; done
echo "ratios (their time / Cutover's copy time; in brackets / Cutover's copy + verification):"
for j in $JOBS; do
    c=${T[cutover-copy-$j]}; cv=$(echo "$c + ${T[cutover-verify-$j]}" | bc)
    echo "  jobs=$j: vs pg_dump -Fc | pg_restore $(ratio "${T[pg_dump -Fc | pg_restore]}" "$c")x ($(ratio "${T[pg_dump -Fc | pg_restore]}" "$cv")x)," \
         "vs pg_dump -Fd/pg_restore -j $j $(ratio "${T[pg_dump -Fd -j $j + pg_restore -j $j]}" "$c")x ($(ratio "${T[pg_dump -Fd -j $j + pg_restore -j $j]}" "$cv")x)," \
         "vs pgcopydb clone $j/$j $(ratio "${T[pgcopydb clone --table-jobs $j --index-jobs $j]}" "$c")x ($(ratio "${T[pgcopydb clone --table-jobs $j --index-jobs $j]}" "$cv")x)"
done
