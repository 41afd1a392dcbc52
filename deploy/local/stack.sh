#!/usr/bin/env bash
# The whole service on this machine: PostgreSQL (5433), Keycloak (8180) and the API (8080), with demo data.
#   stack.sh run    start what is not running yet (reusing data and running processes), seed, print "try it"
#   stack.sh stop   stop what this script started, by pid
#   stack.sh keycloak | seed   only Keycloak, or only the demo data through the API on 8080 (for cluster.sh)
# State lives in .local/ (git-ignored): the database cluster, Keycloak, pids and logs.
# Demo data: the demo network (deploy/demo/network.py: eight organizations, two years of data), loaded once
# and reused; HARBOUR_DEMO=minimal registers only riverside and lakeshore with their four sites.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
STATE=$ROOT/.local
KC_VERSION=${KC_VERSION:-26.7.3}
KC_HOME=$STATE/keycloak-$KC_VERSION
PG_PORT=${PG_PORT:-5433}
KC_URL=http://127.0.0.1:8180
API_URL=http://127.0.0.1:8080
DEMO=${HARBOUR_DEMO:-network}
case $DEMO in network|minimal) ;; *) echo "HARBOUR_DEMO is network (the default) or minimal, not '$DEMO'" >&2; exit 2;; esac
mkdir -p "$STATE/run" "$STATE/logs"

# shellcheck source=lib.sh
source deploy/local/lib.sh

wait_for() {
  local name=$1 url=$2 seconds=$3 i
  for ((i = 0; i < seconds; i++)); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    if ! alive "$name"; then
      log "$name stopped while starting; the end of $STATE/logs/$name.log:"; tail -n 40 "$STATE/logs/$name.log" >&2; return 1
    fi
    sleep 1
  done
  log "$name not ready after ${seconds}s; see $STATE/logs/$name.log"; return 1
}

kc_java_home() {
  # Keycloak runs on the newest JDK here (less memory on Temurin 25), else the default one.
  local jdk
  jdk=$(ls -d /usr/lib/jvm/temurin-*-jdk-* 2>/dev/null | sort -V | tail -n1 || true)
  if [ -n "$jdk" ]; then echo "$jdk"; else dirname "$(dirname "$(readlink -f "$(command -v java)")")"; fi
}

# Whether the running Keycloak has every realm of the demo network (beyond the committed ones, they are
# made from riverside's by network.py realms).
demo_realms_present() {
  local realm
  for realm in $(python3 deploy/demo/network.py realm-names); do
    curl -fsS -o /dev/null "$KC_URL/realms/$realm" 2>/dev/null || return 1
  done
}

start_keycloak() {
  if alive keycloak; then
    if [ "$DEMO" = minimal ] || demo_realms_present; then log "Keycloak already running"; return; fi
    # Realms are imported at start only: one started for the minimal demo lacks the network's.
    log "Keycloak lacks the demo network's realms: restarting it to import them"
    stop_one keycloak
  fi
  if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
    log "Fetching Keycloak $KC_VERSION from the Maven registry"
    ./mvnw -q -B dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -DoutputDirectory="$STATE/dist"
    (cd "$STATE" && unzip -q -o "dist/keycloak-quarkus-dist-$KC_VERSION.zip")
  fi
  mkdir -p "$KC_HOME/data/import"
  cp deploy/keycloak/*-realm.json "$KC_HOME/data/import/"
  if [ "$DEMO" = network ]; then
    python3 deploy/demo/network.py realms "$KC_HOME/data/import"
  else
    for realm in $(python3 deploy/demo/network.py realm-names); do
      [ -f "deploy/keycloak/$realm-realm.json" ] || rm -f "$KC_HOME/data/import/$realm-realm.json"
    done
  fi
  log "Starting Keycloak on $KC_URL (20-45 s; the API starts meanwhile)"
  JAVA_HOME=$(kc_java_home) JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" \
    launch keycloak "$KC_HOME/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port=8180 --import-realm
}

# The API needs Keycloak only to verify tokens, so the two start side by side.
keycloak_ready() {
  wait_for keycloak "$KC_URL/realms/network/.well-known/openid-configuration" 240
}

# Keycloak runs on this machine over http: the registry accepts loopback issuers here only (never by default).
# The benchmarks (make bench, bench-search) load this API far past the default rate limits and requests under
# way per organization (16 connections of one organization): both are raised here.
# The heap may grow to 512 MiB under load and is given back when idle (a periodic collection every 30 s when
# nothing else collects, keeping at most 30 % free), and glibc keeps two malloc arenas instead of eight per core:
# about 290 MiB resident at idle after make run (issue 11; make bench prints it, before and after its load).
API_JAVA_OPTS=${API_JAVA_OPTS:--Xms64m -Xmx512m -XX:G1PeriodicGCInterval=30000 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30}

start_api() {
  local jar=target/quarkus-app/quarkus-run.jar
  api_jar
  if alive api && [ "$STATE/run/api.pid" -nt "$jar" ]; then log "API already running"; return; fi
  alive api && stop_one api
  log "Starting the API on $API_URL"
  HARBOUR_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/harbour" HARBOUR_NETWORK_ISSUER="$KC_URL/realms/network" \
    HARBOUR_REGISTRY_ALLOW_LOOPBACK_ISSUERS=true HARBOUR_RATE_LIMIT_ORGANIZATION_PER_MINUTE=10000000 \
    HARBOUR_RATE_LIMIT_CLIENT_PER_MINUTE=10000000 HARBOUR_FAIR_SHARE_REQUESTS=64 \
    HARBOUR_RESEARCH_KEY_ENCRYPTION_KEY="$(research_key)" MALLOC_ARENA_MAX=2 launch api java $API_JAVA_OPTS -jar "$jar"
  wait_for api "$API_URL/q/health/ready" 120
}

token() { # realm client secret [username password]
  local data="client_id=$2&client_secret=$3&grant_type=client_credentials"
  [ $# -ge 5 ] && data="client_id=$2&client_secret=$3&grant_type=password&username=$4&password=$5"
  curl -fsS -d "$data" "$KC_URL/realms/$1/protocol/openid-connect/token" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

post() { # token path json -> status
  curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$API_URL$2"
}

# A research project for the demo researcher (its subject read from its own token), over the demo's two years.
research_demo() {
  local admin researcher subject from to body
  admin=$(token network harbour-admin harbour-admin-secret)
  if curl -fsS -H "Authorization: Bearer $admin" "$API_URL/v1/admin/research-projects?limit=200" | grep -q '"title":"Demo project: tables"'; then
    log "Demo research project already there"; return
  fi
  researcher=$(token network harbour-dashboard harbour-dashboard-secret researcher researcher)
  subject=$(python3 -c 'import base64,json,sys; p=sys.argv[1].split(".")[1]; print(json.loads(base64.urlsafe_b64decode(p+"="*(-len(p)%4)))["sub"])' "$researcher")
  # Whole quarters (extract windows are): from the quarter two years back to the end of this one.
  local m y
  y=$(date +%Y); m=$((10#$(date +%m)))
  from=$(printf '%s-%02d' $((y - 2)) $(( (m - 1) / 3 * 3 + 1 )))
  to=$(printf '%s-%02d' "$y" $(( (m - 1) / 3 * 3 + 3 )))
  # Two projects: summary tables may not sit beside the incidents they count (docs/research.md).
  local title datasets
  for title in "Demo project" "Demo project: tables"; do
    datasets='"incidents","visits","drug-checks","resiliency"'
    [ "$title" = "Demo project: tables" ] && datasets='"summary"'
    body=$(printf '{"title":"%s","purpose":"Overdose response and drug supply across the demo network.","researchers":["%s"],"datasets":[%s],"from":"%s","to":"%s","k":10,"expiresOn":"%s","keepSiteIdentity":false}' \
      "$title" "$subject" "$datasets" "$from" "$to" "$(date -d '+1 year' +%Y-%m-%d)")
    case $(post "$admin" /v1/admin/research-projects "$body") in
      201) log "Research project '$title' created for the user researcher" ;;
      *) log "Research project '$title' could not be created"; return 1 ;;
    esac
  done
}

seed() {
  if [ "$DEMO" = network ]; then
    # network.py makes the data while Keycloak finishes starting (it waits for Keycloak too).
    local loader status=0
    python3 deploy/demo/network.py load --api "$API_URL" --keycloak "$KC_URL" &
    loader=$!
    keycloak_ready || { kill "$loader" 2>/dev/null; wait "$loader" 2>/dev/null; return 1; }
    wait "$loader" || status=$?
    return $status
  fi
  keycloak_ready
  local admin org status
  admin=$(token network harbour-admin harbour-admin-secret)
  for org in riverside lakeshore; do
    status=$(post "$admin" /v1/admin/organizations "$(sed "s/@ORG@/$org/g; s#@ISSUER@#$KC_URL/realms/$org#" deploy/demo/organization.json)")
    case $status in 201) log "Organization $org created";; 409) log "Organization $org already there";; *) log "Organization $org: HTTP $status"; return 1;; esac
    local orgadmin
    orgadmin=$(token "$org" "$org-system" "$org-system-secret" "$org-admin" "$org-admin")
    python3 -c 'import json,sys; [print(json.dumps(s)) for s in json.load(open("deploy/demo/sites.json"))[sys.argv[1]]]' "$org" | while IFS= read -r site; do
      status=$(post "$orgadmin" "/v1/orgs/$org/sites" "$site")
      case $status in 201|200) ;; *) log "Site for $org: HTTP $status"; exit 1;; esac
    done
  done
  log "Demo data in place"
}

run() {
  bash deploy/local/postgres.sh start "$STATE/pg" "$PG_PORT"
  log "PostgreSQL on 127.0.0.1:$PG_PORT"
  start_keycloak
  start_api
  seed
  research_demo
  local realms="network, riverside, lakeshore"
  [ "$DEMO" = network ] && realms="network, $(python3 deploy/demo/network.py realm-names | paste -sd, - | sed 's/,/, /g')"
  cat <<TRY

Harbour is up: API $API_URL, Keycloak $KC_URL (realms $realms; secrets in README).
Try it:
  TOKEN=\$(curl -s -d grant_type=client_credentials -d client_id=riverside-system -d client_secret=riverside-system-secret \\
      $KC_URL/realms/riverside/protocol/openid-connect/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -s -H "Authorization: Bearer \$TOKEN" $API_URL/v1/orgs/riverside/sites
  curl -s -H "Authorization: Bearer \$TOKEN" $API_URL/v1/orgs/lakeshore/sites     # 401: riverside's token, lakeshore's path
  ADMIN=\$(curl -s -d grant_type=client_credentials -d client_id=harbour-admin -d client_secret=harbour-admin-secret \\
      $KC_URL/realms/network/protocol/openid-connect/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -s -H "Authorization: Bearer \$ADMIN" $API_URL/v1/admin/organizations
  curl -s $API_URL/q/openapi          # the contract, also committed as openapi/openapi.yaml
The coordinator's dashboard: $API_URL/dashboard/ (user coordinator, password coordinator).
TRY
  if [ "$DEMO" = network ]; then
    cat <<TRY
The demo network: riverside (ON), lakeshore (QC), coastal (BC), chinook (AB), prairie (SK), redriver (MB),
atlantic (NS) and avalon (NL), each with its own realm, <org>-system / <org>-system-secret, users <org>-admin
and <org>-viewer (password = user name); two years of visits, incidents and drug checks up to yesterday.
  COASTAL=\$(curl -s -d grant_type=client_credentials -d client_id=coastal-system -d client_secret=coastal-system-secret \\
      $KC_URL/realms/coastal/protocol/openid-connect/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -s -H "Authorization: Bearer \$COASTAL" "$API_URL/v1/orgs/coastal/open-sites?audience=WOMEN"   # &dedicated=true: women-only hours
  curl -s -H "Authorization: Bearer \$COASTAL" "$API_URL/v1/orgs/coastal/incidents?kind=OVERDOSE&limit=5"
  curl -s -H "Authorization: Bearer \$COASTAL" "$API_URL/v1/network/alerts"          # substances of concern, by province and week
  curl -s -H "Authorization: Bearer \$COASTAL" "$API_URL/v1/network/notes?q=resilience"
TRY
  fi
  echo "Stop with: make stop"
}

stop() {
  stop_one api
  stop_one keycloak
  bash deploy/local/postgres.sh stop "$STATE/pg"
  log "Stopped PostgreSQL"
}

case "${1:-}" in
  run) run ;;
  stop) stop ;;
  keycloak) start_keycloak; keycloak_ready ;;
  seed) seed ;;
  *) echo "usage: $0 run | stop | keycloak | seed" >&2; exit 2 ;;
esac
