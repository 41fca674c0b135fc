#!/usr/bin/env bash
# Issue 21: the saga's own cost with 1, 100 and 1,000 migrations in flight, on the whole stack (Kafka, three PostgreSQL
# servers, every service as a process), light environments (the platform's in-process release `light`, one small
# database and a route each); see bench/SagaLoadBench.java for what is measured. Prints Markdown tables.
# Usage: bench/saga-load.sh [migrations in flight...]   (default: 1 100 1000;
#        REPLICAS=2 for two instances of every service, STRATEGY=snapshot to copy each small database, TIMEOUT=1800 s per round)
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@"); [ ${#counts[@]} -gt 0 ] || counts=(1 100 1000)
launcher=local-stack/target/local-stack-0.1.0-SNAPSHOT.jar
[ -f "$launcher" ] && [ -f orchestrator/target/quarkus-app/quarkus-run.jar ] || ./cutover build
rm -rf .cutover-bench-saga
exec java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djdk.httpclient.allowRestrictedHeaders=host -Dcutover.home="$PWD" \
  -Dreplicas="${REPLICAS:-1}" -Dstrategy="${STRATEGY:-manual}" -Dtimeout="${TIMEOUT:-1800}" \
  -cp "$launcher:local-stack/target/lib/*" bench/SagaLoadBench.java "${counts[@]}"
