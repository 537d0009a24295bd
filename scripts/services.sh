#!/usr/bin/env bash
# Starts (or stops) the servers the persistence tests run against, on loopback only:
#   redis-server          127.0.0.1:${HEAN_TEST_REDIS_PORT:-6390}   no RDB/AOF files, data dir in a temp folder
#   redis-server cluster  127.0.0.1:${HEAN_TEST_REDIS_CLUSTER_PORT:-6391}  one node owning every slot
#   PostgreSQL 15         127.0.0.1:${HEAN_TEST_POSTGRES_PORT:-5440}  throwaway cluster, trust auth
# Idempotent: `start` leaves running servers alone; `stop` stops only what `start` started (by the
# pid files in the state folder). Installs redis-server with apt-get when it is missing, and prometheus,
# promtool and prometheus-alertmanager (Debian's packages) for the alerting tests, tmux for the terminal test and
# chromium for the HTML report test.
# `start` prints the settings the tests read (HEAN_TEST_REDIS, HEAN_TEST_REDIS_CLUSTER,
# HEAN_TEST_POSTGRES) as `export` lines: `eval "$(scripts/services.sh start)"`.
set -euo pipefail

STATE="${HEAN_SERVICES_DIR:-${TMPDIR:-/tmp}/hean-services}"
REDIS_PORT="${HEAN_TEST_REDIS_PORT:-6390}"
CLUSTER_PORT="${HEAN_TEST_REDIS_CLUSTER_PORT:-6391}"
PG_PORT="${HEAN_TEST_POSTGRES_PORT:-5440}"
PG_BIN="${HEAN_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"

log() { echo "services: $*" >&2; }

wait_for() { # description, command...
  local what="$1"; shift
  for _ in $(seq 1 100); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  log "$what did not accept connections within 10 s"
  return 1
}

ensure_redis_installed() {
  command -v redis-server >/dev/null && return 0
  log "redis-server is missing: installing it with apt-get"
  if [ "$(id -u)" -ne 0 ]; then log "not root: install redis-server yourself (apt-get install redis-server)"; return 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
  # The Debian package starts its own server on 6379 through systemd where systemd runs; ours is separate.
}

# Prometheus and Alertmanager are started by the tests that use them (AlertingTests), each on its own ports; here they
# are only installed, from Debian's packages, when missing. Chromium is the headless browser that opens the backtest's
# HTML report (BacktestReportTests, through Playwright at /usr/bin/chromium: Playwright's own download is not used).
ensure_monitoring_installed() {
  command -v prometheus >/dev/null && command -v prometheus-alertmanager >/dev/null && command -v promtool >/dev/null \
    && command -v tmux >/dev/null && [ -x /usr/bin/chromium ] && return 0
  log "prometheus, prometheus-alertmanager, tmux or chromium is missing: installing them with apt-get"
  if [ "$(id -u)" -ne 0 ]; then log "not root: install them yourself (apt-get install prometheus prometheus-alertmanager tmux chromium)"; return 0; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus prometheus-alertmanager tmux chromium >&2 \
    || log "could not install them: the alerting, terminal and HTML report tests will say so"
}

start_redis() { # name port extra-args...
  local name="$1" port="$2"; shift 2
  local dir="$STATE/$name"
  if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then return 0; fi
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --dir "$dir" \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "" --appendonly no "$@" >&2
  wait_for "redis ($name) on $port" redis-cli -h 127.0.0.1 -p "$port" ping
}

start_redis_cluster() {
  start_redis redis-cluster "$CLUSTER_PORT" --cluster-enabled yes --cluster-announce-ip 127.0.0.1 --cluster-config-file "$STATE/redis-cluster/nodes.conf"
  # A one-node cluster owns every slot; it still refuses commands whose keys span several slots.
  if ! redis-cli -h 127.0.0.1 -p "$CLUSTER_PORT" cluster info | grep -q "cluster_state:ok"; then
    redis-cli -h 127.0.0.1 -p "$CLUSTER_PORT" cluster addslotsrange 0 16383 >/dev/null
    wait_for "redis cluster state ok" sh -c "redis-cli -h 127.0.0.1 -p $CLUSTER_PORT cluster info | grep -q cluster_state:ok"
  fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then log "PostgreSQL server binaries not found (set HEAN_PG_BIN)"; return 1; fi
  if "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q; then return 0; fi
  local data="$STATE/postgres"
  mkdir -p "$STATE"
  # Postgres refuses to run as root: the cluster belongs to the postgres user when we are root.
  if [ "$(id -u)" -eq 0 ]; then chmod 755 "$STATE"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$data"; mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
    as_postgres "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.log" 2>&1 \
      || { cat "$STATE/initdb.log" >&2; return 1; }
  fi
  as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 \
    -o "-h 127.0.0.1 -p $PG_PORT -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2 || { tail -20 "$data/server.log" >&2; return 1; }
  wait_for "postgres on $PG_PORT" "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q
}

stop_all() {
  for name in redis redis-cluster; do
    local pidfile="$STATE/$name/redis.pid"
    if [ -f "$pidfile" ]; then
      local pid; pid="$(cat "$pidfile")"
      if kill -0 "$pid" 2>/dev/null; then kill "$pid"; fi
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$pidfile"
    fi
  done
  if [ -f "$STATE/postgres/postmaster.pid" ] && [ -n "$PG_BIN" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$STATE/postgres" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$STATE"
}

case "${1:-}" in
  start)
    ensure_redis_installed
    ensure_monitoring_installed
    mkdir -p "$STATE"
    start_redis redis "$REDIS_PORT"
    start_redis_cluster
    start_postgres
    echo "export HEAN_TEST_REDIS=127.0.0.1:$REDIS_PORT"
    echo "export HEAN_TEST_REDIS_CLUSTER=127.0.0.1:$CLUSTER_PORT"
    echo "export HEAN_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres'"
    ;;
  stop)
    stop_all
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
