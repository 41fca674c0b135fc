#!/usr/bin/env bash
# Issue 13: the switch-over's freeze at several sizes, on the whole stack (Kafka, three PostgreSQL servers, every service
# as a process), with pgbench writing straight into the source database and load through the edge router; see
# bench/FreezeBench.java for what is measured. Prints a Markdown table.
# Usage: bench/freeze.sh [pgbench scales...]   (default: 0 6 68 340, about 10 MB, 100 MB, 1 GB and 5 GB;
#        PGBENCH_RATE=300 REQUESTS=50 to change the load)
set -euo pipefail
cd "$(dirname "$0")/.."
scales=("$@"); [ ${#scales[@]} -gt 0 ] || scales=(0 6 68 340)
pgbench=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
[ -x "$pgbench" ] || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq postgresql-client >/dev/null; pgbench=$(command -v pgbench); }
launcher=local-stack/target/local-stack-0.1.0-SNAPSHOT.jar
[ -f "$launcher" ] && [ -f data-sync-service/target/quarkus-app/quarkus-run.jar ] || ./cutover build
rm -rf .cutover-bench
exec java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djdk.httpclient.allowRestrictedHeaders=host -Dcutover.home="$PWD" \
  -Dpgbench="$pgbench" -Dpgbench.rate="${PGBENCH_RATE:-300}" -Drequests="${REQUESTS:-50}" \
  -cp "$launcher:local-stack/target/lib/*" bench/FreezeBench.java "${scales[@]}"
