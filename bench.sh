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
#   PLATFORM_BENCH_HUGE_PAGES=0 ./bench.sh ingest   Postgres in 4 kB pages instead of huge pages (default 200 reserved)
#
# Each benchmark starts its own throwaway Postgres cluster (and Redis, feed simulator and worker for ingest) and
# stops them again, also on failure or Ctrl+C. The last line of each benchmark is machine-readable.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

case "${1:-all}" in
  -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
  ingest|queue|search|all|--*) ;;
  *) echo "bench.sh: unknown benchmark '$1' (ingest, queue, search or nothing for all)" >&2; exit 2 ;;
esac

huge_pages=${PLATFORM_BENCH_HUGE_PAGES:-200}
if ! [[ "$huge_pages" =~ ^[0-9]+$ ]]; then
  echo "bench.sh: PLATFORM_BENCH_HUGE_PAGES must be a number of 2 MB pages (0 for none), not '$huge_pages'" >&2
  exit 2
fi

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

# Postgres as production servers run it, with its shared memory in 2 MB huge pages: the default huge_pages = try
# uses them when the kernel has some reserved. Without them every backend faults in each 4 kB page of shared buffers
# it touches, which on this machine cost the pipeline, with its many backends, a fifth of its time (docs/performance.md,
# "Huge pages"). Reserved only for the benchmark's run (as root), and given back on exit.
if [ -w /proc/sys/vm/nr_hugepages ]; then
  reserved=$(cat /proc/sys/vm/nr_hugepages)
  if [ "$huge_pages" -eq 0 ] || [ "$reserved" -lt "$huge_pages" ]; then
    trap 'echo "$reserved" > /proc/sys/vm/nr_hugepages' EXIT
    echo "$huge_pages" 2>/dev/null > /proc/sys/vm/nr_hugepages || echo "bench.sh: could not reserve $huge_pages huge pages" >&2
  fi
else
  echo "bench.sh: not root, so no huge pages are reserved; Postgres uses them only if the machine has some" >&2
fi

dotnet bench/Platform.Benchmarks/bin/Release/net10.0/Platform.Benchmarks.dll "$@"
