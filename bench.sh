#!/usr/bin/env bash
# Benchmarks that print ratios against a baseline measured in the same run, on this machine (docs/performance.md).
#
#   ./bench.sh                          every benchmark
#   ./bench.sh ingest [--stones N]      simulator → catalog by the pipeline vs COPY + one INSERT … SELECT (default 200000)
#   ./bench.sh queue [--messages N]     Postgres transport vs pgbench SKIP LOCKED dequeues (default 50000)
#   ./bench.sh search [--diamonds N] [--seconds N] [--phases LIST]   api (REST, GraphQL, cached) vs raw Npgsql, 64 connections (500000, 20 s)
#   ./bench.sh ingest --worker KEY=VALUE ...   pass a setting to the ingest worker, e.g. Pipeline__ConsolidationBatchSize=5000
#   ./bench.sh ingest --rounds 3        three rounds, pipeline then baseline each; the last line gives the medians
#   ./bench.sh queue --npgsql "No Reset On Close=true"   extra connection-string settings for the measured side
#
# Each benchmark starts its own throwaway Postgres cluster (and Redis, feed simulator and worker for ingest) and
# stops them again, also on failure or Ctrl+C. The last line of each benchmark is machine-readable.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

case "${1:-all}" in
  -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  ingest|queue|search|all|--*) ;;
  *) echo "bench.sh: unknown benchmark '$1' (ingest, queue, search or nothing for all)" >&2; exit 2 ;;
esac

ensure_postgres
ensure_redis

# The search benchmark compares with PostGraphile 4 from npm; without node or the registry it is skipped, not failed.
if [ "${1:-all}" = search ] || [ "${1:-all}" = all ]; then
  if [ ! -d bench/postgraphile/node_modules ] && command -v npm >/dev/null; then
    echo "Installing PostGraphile for the search comparison (bench/postgraphile)..."
    (cd bench/postgraphile && npm ci --no-audit --no-fund >/dev/null 2>&1) || echo "bench.sh: npm ci in bench/postgraphile failed; the PostGraphile comparison is skipped" >&2
  fi
fi

echo "Building Platform.NoAppHost.slnf (Release)..."
mkdir -p artifacts
if ! dotnet build Platform.NoAppHost.slnf -c Release -nologo -v quiet -clp:ErrorsOnly >artifacts/bench-build.log 2>&1; then
  cat artifacts/bench-build.log
  echo "bench.sh: build failed" >&2
  exit 1
fi

exec dotnet bench/Platform.Benchmarks/bin/Release/net10.0/Platform.Benchmarks.dll "$@"
