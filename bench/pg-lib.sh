# Sourced by bench/copy.sh and bench/live.sh: two throwaway PostgreSQL 15 servers (source and target) in a temp dir,
# the classpath of bench/CopyBench.java, and helpers. Not a benchmark on its own.
#
# The servers run as the `postgres` system account that Debian's postgresql packages create (PostgreSQL refuses to
# run as root); when the script itself is not root, they run as the caller. Both servers get the same settings, whatever
# tool is measured against them. They trust connections from 127.0.0.1 (the password the tools send is ignored).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
SRC_PORT=${SRC_PORT:-55432}
TGT_PORT=${TGT_PORT:-55433}
export PATH="$PG_BIN:$PATH"   # pgcopydb runs pg_dump and pg_restore from PATH: the 15 ones, like everything else here
export PGUSER=postgres PGHOST=127.0.0.1 PGPASSWORD=bench
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# make_servers: initdb both servers under a fresh temp dir and start them; stop_servers (trap on EXIT) removes it all.
make_servers() {
    WORK=$(mktemp -d /tmp/cutover-bench.XXXXXX)
    trap stop_servers EXIT
    trap 'exit 130' INT TERM
    [ "$(id -u)" = 0 ] && chown postgres: "$WORK"
    for side in src tgt; do
        local port=$SRC_PORT; [ $side = tgt ] && port=$TGT_PORT
        as_pg "$PG_BIN/initdb" -D "$WORK/$side" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 > "$WORK/$side-initdb.log"
        cat >> "$WORK/$side/postgresql.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
shared_buffers = 512MB
maintenance_work_mem = 256MB
max_wal_size = 4GB
EOF
        as_pg "$PG_BIN/pg_ctl" -D "$WORK/$side" -l "$WORK/$side.log" -w start > /dev/null
    done
    echo "servers: PostgreSQL $(psql -p $SRC_PORT -d postgres -Atc 'show server_version'), source :$SRC_PORT, target :$TGT_PORT, data in $WORK"
    echo "  both: wal_level=logical, max_replication_slots=max_wal_senders=10, shared_buffers=512MB, maintenance_work_mem=256MB, max_wal_size=4GB, fsync on"
}

stop_servers() {
    [ -n "${WORK:-}" ] || return 0
    for side in src tgt; do
        [ -f "$WORK/$side/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$WORK/$side" -m fast -w stop > /dev/null 2>&1
    done
    rm -rf "$WORK"
}

# fresh_target DB: an empty target database, and both servers checkpointed so no run pays for the previous one's writes.
fresh_target() {
    psql -q -p $TGT_PORT -d postgres -c "set client_min_messages = warning" -c "drop database if exists \"$1\"" -c "create database \"$1\""
    psql -q -p $TGT_PORT -d postgres -c checkpoint
    psql -q -p $SRC_PORT -d postgres -c checkpoint
}

# The classpath of bench/CopyBench.java: the service's compiled classes and pgjdbc, built if missing.
classpath() {
    local m2=${MAVEN_REPO:-$HOME/.m2/repository}
    local jdbc=$m2/org/postgresql/postgresql/42.7.11/postgresql-42.7.11.jar
    if [ ! -d "$REPO/data-sync-service/target/classes/dev" ] || [ ! -d "$REPO/platform-port/target/classes/dev" ] \
            || [ ! -d "$REPO/contracts/target/classes/dev" ] || [ ! -f "$jdbc" ]; then
        (cd "$REPO" && flock /tmp/cutover-maven.lock ./mvnw -B -o -q install -DskipTests -pl contracts,platform-port,data-sync-service) >&2
    fi
    echo "$REPO/data-sync-service/target/classes:$REPO/platform-port/target/classes:$REPO/contracts/target/classes:$jdbc"
}

# The machine has 2 cores: wait while a Maven build runs, and note any that starts during a measurement.
wait_quiet() {
    while pgrep -f classworlds > /dev/null; do echo "  (a Maven build is running: waiting)"; sleep 20; done
}
watch_start() {
    BUSY="$WORK/busy"; rm -f "$BUSY"
    ( while sleep 1; do pgrep -f classworlds > /dev/null && touch "$BUSY"; done ) &
    WATCHER=$!
}
watch_stop() {  # fails when a Maven build ran since watch_start
    kill "$WATCHER" 2>/dev/null; wait "$WATCHER" 2>/dev/null || true
    [ ! -f "$BUSY" ]
}

now() { date +%s.%N; }
elapsed() { echo "scale=2; ($2 - $1) / 1" | bc; }
