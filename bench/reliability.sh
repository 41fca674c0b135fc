#!/usr/bin/env bash
# Issue 16: the reliability matrix. A live migration under load (20 requests/s through the edge router, a writer straight
# into the database) while one service is killed with kill -9 at one moment (prepare, sync, awaiting confirmation,
# freeze, final sync, switch-over, complete, an abort's compensations) and started again, for every service; an
# undisturbed run first is the baseline for the time lost. Runs e2e-tests' ReliabilityMatrixIT with -Dcutover.matrix=full
# (CI runs five of its cells) and prints the table it writes to e2e-tests/target/reliability.md (docs/reliability.md).
# Usage: bench/reliability.sh [CELLS]   (about 20 minutes on two cores for the whole matrix)
#   CELLS: full (default), infra (the restarts only), or service@moment,... such as traffic-service@final-sync
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o install -DskipTests 2>/dev/null || ./mvnw -B -q install -DskipTests
./mvnw -B -o verify -pl e2e-tests -Dit.test=ReliabilityMatrixIT -Dtest=DockerComposeTest -Dcutover.matrix="${1:-full}" \
  | grep -E '^\[matrix\]|Tests run:|FAIL' || true
cat e2e-tests/target/reliability.md
