#!/usr/bin/env bash
# Smoke test of ./run.sh as a person would use it: it reaches ready and prints a working demo API key;
# Ctrl+C leaves no process behind; a second run keeps the data and the key. Uses its own ports and home.
set -euo pipefail
cd "$(dirname "$0")/.."
set -m   # background jobs get their own process group and do not ignore SIGINT, like a terminal's foreground job

free_port() {
  while true; do
    local p=$(( (RANDOM % 20000) + 20000 ))
    (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

export PLATFORM_HOME; PLATFORM_HOME="$(mktemp -d /tmp/platform-smoke.XXXXXX)"
chmod 755 "$PLATFORM_HOME"   # the postgres user must reach its cluster inside
export PLATFORM_DEMO_STONES=3000   # a small demo catalogue keeps the smoke test quick
export PLATFORM_API_PORT PLATFORM_WORKER_PORT PLATFORM_FEEDSIM_PORT PLATFORM_PG_PORT PLATFORM_REDIS_PORT
PLATFORM_API_PORT=$(free_port); PLATFORM_WORKER_PORT=$(free_port); PLATFORM_FEEDSIM_PORT=$(free_port)
PLATFORM_PG_PORT=$(free_port); PLATFORM_REDIS_PORT=$(free_port)
PORTS=("$PLATFORM_API_PORT" "$PLATFORM_WORKER_PORT" "$PLATFORM_FEEDSIM_PORT" "$PLATFORM_PG_PORT" "$PLATFORM_REDIS_PORT")
cleanup() { rm -rf "$PLATFORM_HOME"; }
trap cleanup EXIT

RUN_PID=
fail() {
  echo "SMOKE FAILED: $*" >&2
  [ -n "${OUT:-}" ] && tail -40 "$OUT" >&2
  if [ -n "$RUN_PID" ]; then kill -TERM "$RUN_PID" 2>/dev/null; wait "$RUN_PID" 2>/dev/null; fi
  exit 1
}
# Reads a whole response before matching (grep -q on a pipe would cut curl off and fail under pipefail).
body() { curl -sf "$@" || true; }

run_once() { # label signal -> sets KEY and SECONDS_TO_READY
  OUT="$PLATFORM_HOME/run-$1.out"
  local start; start=$(date +%s)
  ./run.sh >"$OUT" 2>&1 &
  local pid=$!
  RUN_PID=$pid
  for _ in $(seq 1 600); do
    grep -q '^API_KEY=' "$OUT" && break
    kill -0 "$pid" 2>/dev/null || fail "run.sh exited before it was ready"
    sleep 0.5
  done
  grep -q '^API_KEY=' "$OUT" || fail "run.sh printed no API_KEY within 300 s"
  SECONDS_TO_READY=$(( $(date +%s) - start ))
  KEY="$(grep '^API_KEY=' "$OUT" | cut -d= -f2)"
  local url; url="$(grep '^API_URL=' "$OUT" | cut -d= -f2)"

  grep -q '"slug":"demo"' <<<"$(body -H "X-API-Key: $KEY" "$url/api/v1/organization")" || fail "the printed key does not work"
  grep -q '"redis"' <<<"$(body "$url/health/ready")" || fail "/health/ready lists no redis"
  grep -q '^# TYPE' <<<"$(body "$url/metrics")" || fail "/metrics is not Prometheus text"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/api/v1/organization")" = 401 ] || fail "no key must be 401"
  if [ "$1" = first ]; then
    # The first start runs the demo feed on its own: wait for the catalog to fill.
    for _ in $(seq 1 240); do
      runs="$(body -H "X-API-Key: $KEY" "$url/api/v1/runs?limit=1")"
      grep -q '"status":"completed"' <<<"$runs" && break
      grep -qE '"status":"(failed|partial|cancelled)"' <<<"$runs" && fail "the demo run ended badly: $runs"
      sleep 0.5
    done
    grep -q "\"consolidationProcessed\":$PLATFORM_DEMO_STONES" <<<"$runs" || fail "the demo run did not fill the catalog: $runs"
    echo "run $1: the demo run completed with $PLATFORM_DEMO_STONES stones"
  fi

  kill "-$2" "$pid"
  wait "$pid" || true
  RUN_PID=
  for port in "${PORTS[@]}"; do
    for _ in $(seq 1 40); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; sleep 0.25; done
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && fail "port $port still answers after SIG$2"
  done
  if pgrep -f "$PLATFORM_HOME" >/dev/null; then fail "processes left behind: $(pgrep -af "$PLATFORM_HOME")"; fi
  echo "run $1: ready in ${SECONDS_TO_READY}s, key works, SIG$2 left nothing behind"
}

run_once first INT
FIRST_KEY="$KEY"; FIRST_SECONDS=$SECONDS_TO_READY
run_once second TERM
[ "$KEY" = "$FIRST_KEY" ] || fail "the second run printed a different key"
echo "second run reused the data and the key (first ${FIRST_SECONDS}s, second ${SECONDS_TO_READY}s)"
echo "SMOKE PASSED"
