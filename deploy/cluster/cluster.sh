#!/usr/bin/env bash
# Harbour as several instances on a PostgreSQL that fails over, all on this machine (issue 10):
#   cluster.sh run      a pg_auto_failover group (monitor 5440, nodes 5441 and 5442: a primary and a synchronous
#                       secondary), Keycloak (8180), CLUSTER_APIS API instances (default 2, on 8081, 8082, ...)
#                       and HAProxy on 8080 in front of them; the minimal demo data
#   cluster.sh stop     stop all of it, by pid
#   cluster.sh state    the group's state, as the monitor sees it
#   cluster.sh primary  the port of the node that is primary now
#   cluster.sh rolling-restart                 each API instance in turn, SIGTERM and start again
#   cluster.sh kill-primary | kill-api N | start-node N | start-api N   faults, for make chaos
# The nodes run as the postgres system user (initdb refuses root), their data under /tmp/harbour-cluster-<hash>.
# Their pg_hba trusts loopback connections, as pg_autoctl sets it up here: this group is for this machine only.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
STATE=$ROOT/.local/cluster
DATA=/tmp/harbour-cluster-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)
APIS=${CLUSTER_APIS:-2}
MONITOR_PORT=5440
NODE_PORTS=(5441 5442)
BALANCER=http://127.0.0.1:8080
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
mkdir -p "$STATE/run" "$STATE/logs"

# shellcheck source=../local/lib.sh
source deploy/local/lib.sh

ensure() {
  bash deploy/local/postgres.sh ensure
  if ! command -v pg_autoctl >/dev/null || ! command -v haproxy >/dev/null; then
    log "Installing pg_auto_failover and HAProxy (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "postgresql-$(basename "$(dirname "$PGBIN")")-auto-failover" pg-auto-failover-cli haproxy >/dev/null ||
      { apt-get update -qq && apt-get install -y -qq "postgresql-$(basename "$(dirname "$PGBIN")")-auto-failover" pg-auto-failover-cli haproxy >/dev/null; }
  fi
  mkdir -p "$DATA"
  chown postgres "$DATA"
}

# pg_autoctl as the postgres user, its state (XDG folders, keyed by data directory) inside $DATA.
autoctl() {
  runuser -u postgres -- env XDG_CONFIG_HOME="$DATA/xdg/config" XDG_DATA_HOME="$DATA/xdg/data" XDG_RUNTIME_DIR="$DATA/xdg/run" \
    pg_autoctl "$@"
}

psql_at() { local port=$1; shift; "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 "$@"; }

wait_sql() { # port seconds
  local i
  for ((i = 0; i < $2 * 4; i++)); do psql_at "$1" -d postgres -Atc 'select 1' >/dev/null 2>&1 && return 0; sleep 0.25; done
  log "PostgreSQL on $1 not up after $2 s"; return 1
}

start_monitor() {
  if [ ! -f "$DATA/monitor/PG_VERSION" ]; then
    log "Creating the pg_auto_failover monitor on 127.0.0.1:$MONITOR_PORT"
    autoctl create monitor --pgdata "$DATA/monitor" --pgport $MONITOR_PORT --hostname 127.0.0.1 --auth trust --no-ssl \
      --pgctl "$PGBIN/pg_ctl" >"$STATE/logs/monitor-create.log" 2>&1
    # It would listen on every address, and size its buffers for a dedicated machine.
    autoctl config set --pgdata "$DATA/monitor" postgresql.listen_addresses 127.0.0.1 >/dev/null
    printf "shared_buffers = '64MB'\n" >>"$DATA/monitor/postgresql.auto.conf"
  fi
  alive monitor || launch monitor runuser -u postgres -- env XDG_CONFIG_HOME="$DATA/xdg/config" XDG_DATA_HOME="$DATA/xdg/data" \
    XDG_RUNTIME_DIR="$DATA/xdg/run" pg_autoctl run --pgdata "$DATA/monitor"
  wait_sql $MONITOR_PORT 30
  # Failover in seconds, not the default minute: a node is unhealthy after 3 s without an answer, and the
  # old primary is not waited for long (it cannot accept writes anyway: the standby is synchronous).
  psql_at $MONITOR_PORT -d pg_auto_failover <<'SQL'
ALTER SYSTEM SET pgautofailover.health_check_period = 1000;
ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000;
ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1;
ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500;
ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 3000;
ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 3000;
SELECT pg_reload_conf();
SQL
}

start_node() { # 1-based index
  local n=$1 port=${NODE_PORTS[$(($1 - 1))]}
  alive "node$n" && return 0
  if [ -f "$DATA/node$n/PG_VERSION" ]; then
    launch "node$n" runuser -u postgres -- env XDG_CONFIG_HOME="$DATA/xdg/config" XDG_DATA_HOME="$DATA/xdg/data" \
      XDG_RUNTIME_DIR="$DATA/xdg/run" pg_autoctl run --pgdata "$DATA/node$n"
  else
    log "Creating PostgreSQL node $n on 127.0.0.1:$port"
    launch "node$n" runuser -u postgres -- env XDG_CONFIG_HOME="$DATA/xdg/config" XDG_DATA_HOME="$DATA/xdg/data" \
      XDG_RUNTIME_DIR="$DATA/xdg/run" pg_autoctl create postgres --pgdata "$DATA/node$n" --pgport "$port" --hostname 127.0.0.1 \
      --listen 127.0.0.1 --name "node$n" --auth trust --no-ssl --pgctl "$PGBIN/pg_ctl" \
      --monitor "postgres://autoctl_node@127.0.0.1:$MONITOR_PORT/pg_auto_failover?sslmode=disable" --run
  fi
}

# The port of the node the monitor says is primary (read-write), or nothing.
primary() {
  psql_at $MONITOR_PORT -d pg_auto_failover -Atc \
    "select nodeport from pgautofailover.node where reportedstate = 'primary' and goalstate = 'primary' limit 1" 2>/dev/null || true
}

wait_for_group() { # seconds: a primary and a secondary, both reported as assigned
  local i
  for ((i = 0; i < $1; i++)); do
    if [ "$(psql_at $MONITOR_PORT -d pg_auto_failover -Atc \
      "select count(*) from pgautofailover.node where reportedstate = goalstate and reportedstate in ('primary', 'secondary')" 2>/dev/null)" = 2 ]; then
      return 0
    fi
    sleep 1
  done
  log "The group has no primary and secondary after $1 s:"; autoctl show state --pgdata "$DATA/monitor" >&2 || true; return 1
}

jdbc_url() {
  local hosts="" port
  for port in "${NODE_PORTS[@]}"; do hosts="$hosts${hosts:+,}127.0.0.1:$port"; done
  # The driver tries each host and keeps the one that takes writes; after a failover the pool's next
  # connection finds the new primary. A write path's statement never runs 60 s (statement_timeout is 30 s): a
  # server that stopped answering without closing the connection is given up then. The read-only paths
  # (any server) keep no such bound: a research extract reads for minutes.
  if [ "${1:-primary}" = primary ]; then
    echo "jdbc:postgresql://$hosts/harbour?targetServerType=primary&connectTimeout=3&socketTimeout=60"
  else
    echo "jdbc:postgresql://$hosts/harbour?targetServerType=any&connectTimeout=3"
  fi
}

start_api() { # 1-based index
  local n=$1 port=$((8080 + $1)) jar=target/quarkus-app/quarkus-run.jar
  alive "api$n" && return 0
  log "Starting API instance $n on 127.0.0.1:$port"
  HARBOUR_DB_URL="$(jdbc_url)" HARBOUR_DB_READ_URL="$(jdbc_url any)" HARBOUR_NETWORK_ISSUER="http://127.0.0.1:8180/realms/network" \
    HARBOUR_REGISTRY_ALLOW_LOOPBACK_ISSUERS=true HARBOUR_FAIR_SHARE_REQUESTS=64 \
    HARBOUR_RESEARCH_KEY_ENCRYPTION_KEY="$(research_key)" QUARKUS_HTTP_PORT=$port QUARKUS_DATASOURCE_JDBC_MAX_SIZE=16 \
    QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED=true \
    QUARKUS_HTTP_PROXY_ENABLE_TRUSTED_PROXIES=true QUARKUS_HTTP_PROXY_TRUSTED_PROXIES=127.0.0.1 \
    HARBOUR_WEBHOOKS_ALLOW_LOOPBACK=true \
    launch "api$n" java -Xmx384m -jar "$jar"
}

wait_http() { # url seconds
  local i
  for ((i = 0; i < $2; i++)); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 1; done
  log "$1 not ready after $2 s"; return 1
}

start_balancer() {
  local servers="" n
  for ((n = 1; n <= APIS; n++)); do servers="$servers    server api$n 127.0.0.1:$((8080 + n)) check\n"; done
  sed "s|@SERVERS@|$servers|; s|@ERRORS@|$ROOT/deploy/cluster|" deploy/cluster/haproxy.cfg >"$STATE/haproxy.cfg"
  alive balancer && stop_one balancer
  launch balancer haproxy -db -f "$STATE/haproxy.cfg"
}

run() {
  ensure
  api_jar
  start_monitor
  start_node 1
  wait_sql "${NODE_PORTS[0]}" 60
  sleep 2
  start_node 2
  wait_for_group 120
  local port; port=$(primary)
  log "PostgreSQL group: primary on $port"
  bash deploy/local/postgres.sh provision 127.0.0.1 "$port"
  HARBOUR_DEMO=minimal bash deploy/local/stack.sh keycloak
  local n
  for ((n = 1; n <= APIS; n++)); do start_api "$n"; done
  for ((n = 1; n <= APIS; n++)); do wait_http "http://127.0.0.1:$((8080 + n))/q/health/ready" 120; done
  start_balancer
  wait_http "$BALANCER/q/health/ready" 30
  HARBOUR_DEMO=minimal bash deploy/local/stack.sh seed
  cat <<TRY

Harbour runs as $APIS instances behind HAProxy on $BALANCER (instances on 8081..$((8080 + APIS))), on a
pg_auto_failover group (monitor 127.0.0.1:$MONITOR_PORT, nodes ${NODE_PORTS[*]}: primary now $port), with Keycloak on
http://127.0.0.1:8180 (realms network, riverside, lakeshore). bash deploy/cluster/cluster.sh state shows the group.
Stop with: make stop
TRY
}

# PostgreSQL leaves pg_autoctl's process group: stopped by the pid in its postmaster.pid.
stop_postgres() {
  local dir=$1
  if [ -f "$dir/postmaster.pid" ]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

stop() {
  local f name
  for f in "$STATE"/run/api*.pid; do [ -e "$f" ] && stop_one "$(basename "$f" .pid)"; done
  stop_one balancer
  for name in node2 node1 monitor; do stop_one "$name"; stop_postgres "$DATA/$name"; done
}

# The primary's whole node dies at once (its pg_autoctl too, or it would restart PostgreSQL at once): kill -9.
kill_primary() {
  local port dir name
  port=$(primary)
  [ -n "$port" ] || { log "no primary"; return 1; }
  for dir in "$DATA"/node*; do
    if [ -f "$dir/postmaster.pid" ] && [ "$(sed -n 4p "$dir/postmaster.pid")" = "$port" ]; then
      name=$(basename "$dir")
      [ -f "$STATE/run/$name.pid" ] && kill -9 -- "-$(cat "$STATE/run/$name.pid")" 2>/dev/null || true
      rm -f "$STATE/run/$name.pid"
      kill -9 "$(head -n1 "$dir/postmaster.pid")"
      echo "${name#node}"
      return 0
    fi
  done
  return 1
}

# Each instance in turn: SIGTERM (it answers not ready at once, the balancer stops sending within a second,
# then it finishes what it has), started again, and back in the balancer before the next one goes.
rolling_restart() {
  local n
  for ((n = 1; n <= APIS; n++)); do
    [ -f "$STATE/run/api$n.pid" ] || continue
    log "Rolling restart: instance $n"
    stop_one "api$n"
    start_api "$n"
    wait_http "http://127.0.0.1:$((8080 + n))/q/health/ready" 120
    sleep 2
  done
}

case "${1:-}" in
  run) run ;;
  stop) stop ;;
  state) autoctl show state --pgdata "$DATA/monitor" ;;
  primary) primary ;;
  kill-primary) kill_primary ;;
  kill-api) kill -9 "$(cat "$STATE/run/api$2.pid")"; rm -f "$STATE/run/api$2.pid" ;;
  start-node) start_node "$2" ;;
  start-api) start_api "$2"; wait_http "http://127.0.0.1:$((8080 + $2))/q/health/ready" 120 ;;
  rolling-restart) rolling_restart ;;
  *) echo "usage: $0 run | stop | state | primary | rolling-restart | kill-primary | kill-api N | start-node N | start-api N" >&2; exit 2 ;;
esac
