#!/usr/bin/env bash
# Runs every benchmark and writes benchmarks/results/report.md and the PNG plots.
# Build first: ./mvnw -B -ntp -DskipTests package
#   benchmarks/run.sh [--card CARD.card.textproto] [--out DIR] [--work DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jars=("$root"/benchmarks/target/promptedge-benchmarks-*.jar)
if [ ! -f "${jars[0]}" ] || [ ! -d "$root/benchmarks/target/lib" ]; then
  echo "run.sh: not built yet: run ./mvnw -B -ntp -DskipTests package in $root" >&2
  exit 1
fi
cd "$root"
exec java -Djava.awt.headless=true -Dpromptedge.root="$root" \
  -Dpromptedge.bench.command="benchmarks/run.sh $*" \
  -cp "${jars[0]}:$root/benchmarks/target/lib/*" dev.promptedge.benchmarks.Report "$@"
