#!/usr/bin/env bash
# make soak: SOAK_SECONDS (default 600) of mixed traffic from four well-behaved organizations, first alone
# (clean), then while a fifth misbehaves (hostile), against an API instance of its own with the default rate
# limits, on a database of its own (harbour_soak, made afresh in make run's cluster, with make run's Keycloak).
# Each phase (deploy/soak/Soak.java) ends with every write acknowledged with a 2xx looked up in the database.
# The report compares the two: the well-behaved organizations' throughput (goal: at least 80 % of the clean
# run's) and p99 (at most twice), 5xx (none), writes missing or stored twice (none). Exit status 1 when a goal
# is missed.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_PHASE=${SOAK_SECONDS:-600}
export SOAK_RATE=${SOAK_RATE:-0.5}
DB=harbour_soak
PORT=5433
API=http://127.0.0.1:8092
KC=http://127.0.0.1:8180
OUT=.local/soak
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.api-5xx "$OUT/cpu.txt"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# make run's Keycloak with the demo network's realms (the soak's organizations are four of them and a fifth).
bash deploy/local/stack.sh run >/dev/null

log "A fresh database $DB"
bash deploy/local/postgres.sh fresh-database .local/pg $PORT $DB

if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ -n "$(find src pom.xml -newer target/quarkus-app/quarkus-run.jar -print -quit)" ]; then
  ./mvnw -q -B package -DskipTests
fi
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile="$OUT/classpath" -Dmdep.includeScope=runtime >/dev/null

# Rate limits sized to this machine (2 cores shared with PostgreSQL, Keycloak and the load generator; the API
# serves 150-280 simple reads a second here): 1,200 a minute per organization and 900 per client, a fifth of
# what five organizations could use together; the defaults (6,000 and 3,000) are for a production instance. Fair
# shares as by default. Loopback issuers and webhook destinations allowed: Keycloak and the receivers run here.
if [ -f "$OUT/api.pid" ] && kill -0 "$(cat "$OUT/api.pid")" 2>/dev/null; then kill "$(cat "$OUT/api.pid")"; sleep 3; fi
if curl -s -o /dev/null "$API/q/health/live"; then log "Something already answers on $API: stop it first"; exit 1; fi
HARBOUR_DB_URL="jdbc:postgresql://127.0.0.1:$PORT/$DB" HARBOUR_NETWORK_ISSUER="$KC/realms/network" \
  HARBOUR_REGISTRY_ALLOW_LOOPBACK_ISSUERS=true HARBOUR_WEBHOOKS_ALLOW_LOOPBACK=true QUARKUS_HTTP_PORT=8092 \
  HARBOUR_RATE_LIMIT_ORGANIZATION_PER_MINUTE=${SOAK_ORG_PER_MINUTE:-1200} HARBOUR_RATE_LIMIT_CLIENT_PER_MINUTE=${SOAK_CLIENT_PER_MINUTE:-900} \
  HARBOUR_RESEARCH_KEY_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" \
  setsid java -Xmx512m -Xlog:gc:file="$OUT/gc.log":uptime -jar target/quarkus-app/quarkus-run.jar >"$OUT/api.log" 2>&1 </dev/null &
API_PID=$!
echo $API_PID >"$OUT/api.pid"
stop_api() { kill "$API_PID" 2>/dev/null || true; }
trap stop_api EXIT
for i in $(seq 120); do curl -fsS -o /dev/null "$API/q/health/ready" 2>/dev/null && break; sleep 1; done
curl -fsS -o /dev/null "$API/q/health/ready" || { tail -40 "$OUT/api.log" >&2; exit 1; }

# A minute of the clean traffic first, not counted: the API's JIT and pools warm up before the clean run.
for phase in ${SOAK_PHASES:-warmup clean hostile}; do
  seconds=$SECONDS_PER_PHASE
  [ "$phase" = warmup ] && seconds=${SOAK_WARMUP:-60}
  before=$(wc -l <"$OUT/api.log")
  cpu_before=$(awk '{print $14 + $15}' "/proc/$API_PID/stat")
  gc_before=$(wc -l <"$OUT/gc.log")
  java -Xmx1g -cp "$(cat "$OUT/classpath")" deploy/soak/Soak.java "$API" "$KC" "jdbc:postgresql://127.0.0.1:$PORT/$DB" \
    "$phase" "$seconds" "$OUT/$phase.json"
  # The API's 5xx of the phase, from its own access log, beside what the clients counted.
  tail -n +$((before + 1)) "$OUT/api.log" | grep -cE '" 5[0-9][0-9] ' >"$OUT/$phase.api-5xx" || true
  # What the API spent (CPU seconds) and its longest GC pauses in the phase: the machine is shared with the generator.
  echo "$phase: API CPU $(( ($(awk '{print $14 + $15}' "/proc/$API_PID/stat") - cpu_before) / $(getconf CLK_TCK) )) s;" \
    "GC pauses (ms), longest: $(tail -n +$((gc_before + 1)) "$OUT/gc.log" | grep 'Pause' | grep -oE '[0-9.]+ms$' | sort -rn | head -3 | tr '\n' ' ')" >>"$OUT/cpu.txt"
done
cp "$OUT/api.log" "$OUT/api-last.log"
[ -f "$OUT/clean.json" ] && [ -f "$OUT/hostile.json" ] || exit 0
status=0
python3 deploy/soak/report.py "$OUT/clean.json" "$OUT/hostile.json" "$OUT/clean.api-5xx" "$OUT/hostile.api-5xx" >"$OUT/report.txt" || status=$?
cat "$OUT/cpu.txt" >>"$OUT/report.txt"
cat "$OUT/report.txt"
exit $status
