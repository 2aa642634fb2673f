#!/usr/bin/env bash
# Starts the whole platform locally without Docker: Postgres (a cluster under .platform/, kept between runs),
# Redis when installed, the feed simulator, the api and the worker; migrates, seeds the demo organization,
# waits for readiness and prints the URLs and the demo API key. Ctrl+C stops everything it started.
#
#   ./run.sh            start (a second run reuses the data)
#   ./run.sh --reset    wipe .platform/ first
#
# Ports: PLATFORM_API_PORT (5080), PLATFORM_WORKER_PORT (5081), PLATFORM_FEEDSIM_PORT (5090),
# PLATFORM_PG_PORT (54329), PLATFORM_REDIS_PORT (63799). Data and logs: PLATFORM_HOME (.platform).
# The demo simulator serves PLATFORM_DEMO_STONES stones (20000).
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(pwd)"
source scripts/prerequisites.sh

HOME_DIR="$(realpath -m "${PLATFORM_HOME:-.platform}")"
API_PORT="${PLATFORM_API_PORT:-5080}"
WORKER_PORT="${PLATFORM_WORKER_PORT:-5081}"
FEEDSIM_PORT="${PLATFORM_FEEDSIM_PORT:-5090}"
PG_PORT="${PLATFORM_PG_PORT:-54329}"
REDIS_PORT="${PLATFORM_REDIS_PORT:-63799}"
CONFIGURATION="${PLATFORM_CONFIGURATION:-Release}"

for arg in "$@"; do
  case "$arg" in
    --reset) RESET=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

PG_DIR="$HOME_DIR/postgres"
LOGS="$HOME_DIR/logs"
PIDS=()

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping the platform..."
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
  fi
  echo "Stopped."
}

if [ -n "${RESET:-}" ] && [ -d "$HOME_DIR" ]; then
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true; fi
  echo "Removing $HOME_DIR"
  rm -rf "$HOME_DIR"
fi

ensure_postgres
ensure_curl
mkdir -p "$LOGS"
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

echo "Building ($CONFIGURATION)..."
dotnet build Platform.NoAppHost.slnf -c "$CONFIGURATION" -v quiet -nologo -clp:ErrorsOnly >"$LOGS/build.log" 2>&1 \
  || { cat "$LOGS/build.log"; exit 1; }

# --- Postgres: one cluster under $PG_DIR, owned by the postgres user when we are root (initdb refuses root).
if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
  echo "Creating the Postgres cluster in $PG_DIR"
  mkdir -p "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DIR"
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C >"$LOGS/initdb.log"
  cat >>"$PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
max_connections = 200
CONF
fi
touch "$LOGS/postgres.log"; [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$LOGS/postgres.log"
if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -o "-p $PG_PORT" -l "$LOGS/postgres.log" -w -t 60 start >/dev/null
fi
HAS_DB="$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'platformdb'")"
[ "$HAS_DB" = "1" ] || "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres platformdb

# --- Redis: a throwaway cache when installed; without it the platform runs degraded (PLATFORM §8).
if command -v redis-server >/dev/null 2>&1; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$LOGS/redis.log" 2>&1 &
  PIDS+=($!)
else
  echo "Redis is not installed (apt-get install redis-server): the cache and rate limits run degraded, per process."
fi

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export ConnectionStrings__platformdb="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=platformdb"
export ConnectionStrings__cache="127.0.0.1:$REDIS_PORT"
export services__feedsim__http__0="http://127.0.0.1:$FEEDSIM_PORT"
# The simulator listens on 127.0.0.1 over http: the SSRF guard must let feeds reach it here, whatever the environment (ADR 0034).
export Security__Egress__AllowPrivateNetworks="${Security__Egress__AllowPrivateNetworks:-true}"
export Security__Egress__AllowHttp="${Security__Egress__AllowHttp:-true}"
bin() { echo "$ROOT/src/$1/bin/$CONFIGURATION/net10.0/$1.dll"; }

# --- Migrate and seed once, before the services start. The key is shown only at creation, so keep it.
KEY_FILE="$HOME_DIR/demo-api-key"
SEED_ARGS=(seed-demo)
[ -s "$KEY_FILE" ] || SEED_ARGS+=(--new-key)
SEED_OUTPUT="$(dotnet "$(bin Platform.Api)" "${SEED_ARGS[@]}" 2>>"$LOGS/seed.log")" || { cat "$LOGS/seed.log"; exit 1; }
if NEW_KEY="$(grep '^API_KEY=' <<<"$SEED_OUTPUT" | cut -d= -f2)" && [ -n "$NEW_KEY" ]; then
  (umask 077; echo "$NEW_KEY" >"$KEY_FILE")
fi
API_KEY="$(cat "$KEY_FILE")"
DEMO_FEED_ID="$(grep '^DEMO_FEED_ID=' <<<"$SEED_OUTPUT" | cut -d= -f2)"

start() { # name dll port — run from its output folder, so its appsettings.json is the content root's
  (cd "$(dirname "$(bin "$2")")" && exec dotnet "$(bin "$2")" --urls "http://127.0.0.1:$3") >"$LOGS/$1.log" 2>&1 &
  PIDS+=($!)
}
# Local runs show /health/ready's component detail to callers on this machine (ADR 0030); deployments list their own networks.
export Health__DetailNetworks__0=127.0.0.0/8
OTEL_SERVICE_NAME=feedsim Simulator__Size="${PLATFORM_DEMO_STONES:-20000}" start feedsim Platform.FeedSimulator "$FEEDSIM_PORT"
OTEL_SERVICE_NAME=api Database__MigrateOnStartup=false start api Platform.Api "$API_PORT"
OTEL_SERVICE_NAME=worker Database__MigrateOnStartup=false start worker Platform.Worker "$WORKER_PORT"

wait_ready() { # name url
  for _ in $(seq 1 240); do
    code="$(curl -s -o /dev/null -w '%{http_code}' "$2" || true)"
    [ "$code" = "200" ] && return 0
    sleep 0.5
  done
  echo "$1 did not become ready at $2; see $LOGS/$1.log" >&2
  return 1
}
wait_ready feedsim "http://127.0.0.1:$FEEDSIM_PORT/health/ready"
wait_ready api "http://127.0.0.1:$API_PORT/health/ready"
wait_ready worker "http://127.0.0.1:$WORKER_PORT/health/ready"
# The catalog fills on its own: the first start of a fresh platform runs the demo feed once.
RUNS="$(curl -s -H "X-API-Key: $API_KEY" "http://127.0.0.1:$API_PORT/api/v1/runs?limit=1" || true)"
if grep -q '"items":\[\]' <<<"$RUNS"; then
  if curl -sf -o /dev/null -X POST -H "X-API-Key: $API_KEY" "http://127.0.0.1:$API_PORT/api/v1/feeds/$DEMO_FEED_ID/runs"; then
    echo "Started a first full run of the demo feed ($DEMO_FEED_ID)."
  else
    echo "Could not start the first run of the demo feed; see $LOGS/api.log" >&2
  fi
fi

READY_JSON="$(curl -s "http://127.0.0.1:$API_PORT/health/ready" || true)"
READY="$(grep -m1 -o '"status": *"[A-Za-z]*"' <<<"$READY_JSON" | head -1 | cut -d'"' -f4 || true)"

cat <<INFO

Platform is running (api readiness: ${READY:-unknown}).
  API             http://127.0.0.1:$API_PORT        (health: /health/ready, metrics: /metrics)
  API reference   http://127.0.0.1:$API_PORT/docs   (OpenAPI: /openapi/v1.json)
  Worker          http://127.0.0.1:$WORKER_PORT
  Feed simulator  http://127.0.0.1:$FEEDSIM_PORT
  Postgres        127.0.0.1:$PG_PORT  database platformdb
  Logs            $LOGS/
  Try:  curl -H "X-API-Key: \$API_KEY" http://127.0.0.1:$API_PORT/api/v1/organization
        curl -H "X-API-Key: \$API_KEY" http://127.0.0.1:$API_PORT/api/v1/runs

API_URL=http://127.0.0.1:$API_PORT
API_KEY=$API_KEY
FEEDSIM_URL=http://127.0.0.1:$FEEDSIM_PORT

Press Ctrl+C to stop.
INFO

# Stay up until a service dies or we are told to stop.
wait -n "${PIDS[@]}" || true
echo "A service exited; see $LOGS/. Shutting down." >&2
exit 1
