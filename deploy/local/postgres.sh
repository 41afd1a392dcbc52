#!/usr/bin/env bash
# A PostgreSQL cluster of the project's own, from the system's server binaries.
#   postgres.sh ensure                 install the server binaries if missing (apt-get, as root)
#   postgres.sh start DIR PORT [fast]  init (once) and start a cluster in DIR on 127.0.0.1:PORT, create
#                                      the owner and application roles and the harbour database;
#                                      fast: a throwaway cluster (made anew, no fsync) for tests
#   postgres.sh stop DIR               stop the cluster in DIR
#   postgres.sh socket DIR             the folder of the cluster's unix socket (for psql as the superuser)
#   postgres.sh provision HOST PORT    the roles and the harbour database in a server made elsewhere (cluster.sh)
# initdb refuses to run as root, so as root the server runs as the postgres system user. When that user
# cannot reach DIR (a clone under a private folder) or DIR is too long for a socket path, the cluster
# lives in /tmp/harbour-pg-<hash of DIR> instead.
set -euo pipefail

OWNER_PASSWORD=${HARBOUR_OWNER_PASSWORD:-harbour_owner}
APP_PASSWORD=${HARBOUR_APP_PASSWORD:-harbour_app}
NETWORK_PASSWORD=${HARBOUR_NETWORK_PASSWORD:-harbour_network}
RESEARCH_PASSWORD=${HARBOUR_RESEARCH_PASSWORD:-harbour_research}

pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }

ensure() {
  if [ -z "$(pgbin)" ] || [ ! -x "$(pgbin)/initdb" ]; then
    echo "Installing the PostgreSQL server (apt-get)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  fi
  # The network note search's ranked index (issue 11), built for the same server version.
  local lib
  lib="$(dirname "$(pgbin)")/lib"
  if [ ! -f "$lib/rum.so" ]; then
    echo "Installing the rum index for PostgreSQL (apt-get)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "postgresql-$(basename "$(dirname "$lib")")-rum" >/dev/null
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
}

# Where the cluster for DIR really lives (see above); the same answer every time for the same DIR.
location() {
  local dir=$1
  if [ "$(id -u)" = 0 ]; then
    local probe=$dir
    while [ ! -e "$probe" ]; do probe=$(dirname "$probe"); done
    if ! runuser -u postgres -- test -x "$probe" 2>/dev/null || [ ${#dir} -gt 70 ]; then
      echo "/tmp/harbour-pg-$(printf '%s' "$dir" | md5sum | cut -c1-12)"
      return
    fi
  elif [ ${#dir} -gt 70 ]; then
    echo "/tmp/harbour-pg-$(printf '%s' "$dir" | md5sum | cut -c1-12)"
    return
  fi
  echo "$dir"
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start() {
  local dir port fast bin
  dir=$(realpath -m "$1"); port=$2; fast=${3:-}
  ensure
  dir=$(location "$dir")
  bin=$(pgbin)
  if [ "$fast" = fast ]; then
    stop_in "$dir"
    rm -rf "$dir"
  fi
  mkdir -p "$dir/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log"
  fi
  # pg_stat_statements: where the database's time goes, for the benchmarks (issue 11); the extension itself is made
  # only where a benchmark reads it.
  local opts="-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_preload_libraries=pg_stat_statements"
  if [ "$fast" = fast ]; then
    # Throwaway test clusters: durability is not wanted, speed is.
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 60 start >/dev/null
  fi
  provision "$dir/sock" "$port"
}

# Extensions the migrations use that only a superuser may create (rum: the network note search's ranked index,
# Debian's postgresql-15-rum). The migrations then find them made.
EXTENSIONS="CREATE EXTENSION IF NOT EXISTS rum"

# The roles and the harbour database, in the server at HOST (or socket folder) and PORT, as its superuser.
provision() {
  local host=$1 port=$2 bin
  bin=$(pgbin)
  "$bin/psql" -q -h "$host" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -v owner_pw="$OWNER_PASSWORD" -v app_pw="$APP_PASSWORD" -v network_pw="$NETWORK_PASSWORD" -v research_pw="$RESEARCH_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE harbour_owner LOGIN PASSWORD %L', :'owner_pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'harbour_owner') \gexec
-- The application's role: no superuser, no BYPASSRLS, owns nothing (the owner creates every table).
SELECT format('CREATE ROLE harbour_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD %L', :'app_pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'harbour_app') \gexec
-- The coordinator's read path: reads aggregates and the site directory only (grants and policies in the
-- migrations), never a tenant's row-level data; read-only, and no statement of it runs long.
SELECT format('CREATE ROLE harbour_network LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD %L', :'network_pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'harbour_network') \gexec
ALTER ROLE harbour_network SET default_transaction_read_only = on;
ALTER ROLE harbour_network SET statement_timeout = '15s';
-- The research extracts' read path: the columns an extract may derive from, of every organization (grants
-- and policies in the migrations); read-only.
SELECT format('CREATE ROLE harbour_research LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD %L', :'research_pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'harbour_research') \gexec
ALTER ROLE harbour_research SET default_transaction_read_only = on;
SELECT 'CREATE DATABASE harbour OWNER harbour_owner'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'harbour') \gexec
SQL
  "$bin/psql" -q -h "$host" -p "$port" -U postgres -d harbour -v ON_ERROR_STOP=1 \
    -c "REVOKE ALL ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO harbour_owner; GRANT CONNECT ON DATABASE harbour TO harbour_app, harbour_network, harbour_research;" \
    -c "$EXTENSIONS"
}

# A database of its own for a benchmark or the soak, made afresh in the cluster of DIR: owned by the owner role,
# connectable by the application's roles like harbour, its tables made by the API's migrations at start.
fresh_database() {
  local sock port=$2 name=$3 bin
  sock="$(location "$(realpath -m "$1")")/sock"
  bin=$(pgbin)
  "$bin/psql" -X -q -h "$sock" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name OWNER harbour_owner" \
    -c "GRANT CONNECT ON DATABASE $name TO harbour_app, harbour_network, harbour_research"
  "$bin/psql" -X -q -h "$sock" -p "$port" -U postgres -d "$name" -v ON_ERROR_STOP=1 \
    -c "REVOKE ALL ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO harbour_owner" -c "$EXTENSIONS"
}

stop() {
  stop_in "$(location "$(realpath -m "$1")")"
}

stop_in() {
  local dir=$1 bin
  bin=$(pgbin)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
}

case "${1:-}" in
  ensure) ensure ;;
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  socket) echo "$(location "$(realpath -m "$2")")/sock" ;;
  provision) shift; provision "$@" ;;
  fresh-database) shift; fresh_database "$@" ;;
  *) echo "usage: $0 ensure | start DIR PORT [fast] | stop DIR | socket DIR | fresh-database DIR PORT NAME" >&2; exit 2 ;;
esac
