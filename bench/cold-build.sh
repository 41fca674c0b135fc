#!/usr/bin/env bash
# Cold build: a clean clone's `./mvnw -B -DskipTests install` with an empty local Maven repository
# (everything downloaded from Maven Central), then the same build warm. Usage: bench/cold-build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(mktemp -d)
clone=$(mktemp -d)
trap 'rm -rf "$repo" "$clone"' EXIT
git clone -q . "$clone"
cd "$clone"
start=$(date +%s)
./mvnw -B -q -Dmaven.repo.local="$repo" -DskipTests install
echo "cold build (empty ~/.m2, downloads included): $(( $(date +%s) - start )) s, $(du -sh "$repo" | cut -f1) downloaded"
start=$(date +%s)
./mvnw -B -q -Dmaven.repo.local="$repo" -DskipTests clean install
echo "warm build: $(( $(date +%s) - start )) s"
