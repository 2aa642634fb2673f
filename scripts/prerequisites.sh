#!/usr/bin/env bash
# Installs what the platform and its tests need on a fresh Debian machine of this kind, when missing.
# Sourced by ./test.sh and ./run.sh; every step says what it does and is a no-op when already satisfied.

PG_BIN="${PLATFORM_PG_BIN:-/usr/lib/postgresql/15/bin}"

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "prerequisites: '$*' is missing and this is not root; install it with: sudo apt-get install -y $*" >&2
    return 1
  fi
  echo "prerequisites: installing $* (apt-get)"
  if [ -z "${PLATFORM_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null
    export PLATFORM_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_postgres() {
  [ -x "$PG_BIN/initdb" ] || apt_install postgresql-15 || return 1
  [ -x "$PG_BIN/initdb" ] || { echo "prerequisites: no initdb at $PG_BIN (set PLATFORM_PG_BIN)" >&2; return 1; }
}

ensure_redis() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
}

ensure_curl() {
  command -v curl >/dev/null 2>&1 || apt_install curl
}

# Node and npm run the generated TypeScript client test (tests/clients/typescript; its packages come from the npm
# registry through `npm ci`). Debian's nodejs is recent enough for its tools (Node 18 or later).
ensure_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then return 0; fi
  apt_install nodejs npm || return 1
  command -v npm >/dev/null 2>&1 || { echo "prerequisites: npm is still missing after installing nodejs and npm" >&2; return 1; }
}
