#!/usr/bin/env bash
# make bench-extract: an incidents extract of about a million rows through the API (started with -Xmx256m),
# against COPY (SELECT ...) TO STDOUT of the same rows with the same generalizations, in the same run.
#   0. a database of its own (harbour_extract, in make run's cluster): BENCH_EXTRACT_SITES sites and
#      BENCH_EXTRACT_INCIDENTS incidents over the last year, written in SQL by deploy/bench/trends-generate.sql;
#      made once, reused while its parameters are the same; an API instance of its own on port 8091
#   1. per round: ask for the extract (CSV, by month) as the researcher of a project over the whole year,
#      wait until READY, download it; the API's heap is sampled with jstat every 250 ms meanwhile
#   2. the same rows through COPY as the research role, with the generalizations the API chose (period,
#      site kind or group, organization or not; md5 standing in for the HMAC pseudonym), in the same order
#   3. member writes while an extract runs: single POST /incidents at 16 connections (wrk) for
#      BENCH_SECONDS, alone, during an extract, alone again
set -euo pipefail
cd "$(dirname "$0")/../.."
SITES=${BENCH_EXTRACT_SITES:-1000}
ORGS=20
YEARS=1
INCIDENTS=${BENCH_EXTRACT_INCIDENTS:-1000000}
SAMPLES=1000
ROUNDS=${BENCH_EXTRACT_ROUNDS:-2}
DB=harbour_extract
PORT=5433
API=http://127.0.0.1:8091
KC=http://127.0.0.1:8180
OUT=.local/bench-extract
SECONDS_LOAD=${BENCH_SECONDS:-20}
mkdir -p "$OUT"
command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }

if ! curl -fsS -o /dev/null "$KC/realms/network/.well-known/openid-configuration" 2>/dev/null \
   || ! curl -fsS -o /dev/null http://127.0.0.1:8080/q/health/ready 2>/dev/null; then
  HARBOUR_DEMO=${HARBOUR_DEMO:-minimal} bash deploy/local/stack.sh run >/dev/null
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
SOCK=$(bash deploy/local/postgres.sh socket .local/pg)
su_psql() { "$BIN/psql" -X -q -h "$SOCK" -p $PORT -U postgres -v ON_ERROR_STOP=1 "$@"; }
owner_psql() { PGPASSWORD=harbour_owner "$BIN/psql" -X -q -h 127.0.0.1 -p $PORT -U harbour_owner -d $DB -v ON_ERROR_STOP=1 "$@"; }
research_psql() { PGPASSWORD=harbour_research "$BIN/psql" -X -q -h 127.0.0.1 -p $PORT -U harbour_research -d $DB -v ON_ERROR_STOP=1 "$@"; }
YESTERDAY=$(date -u -d yesterday +%F)
FIRST_DAY=$(date -u -d "$YESTERDAY - $YEARS years + 1 day" +%F)
PARAMS="sites=$SITES orgs=$ORGS years=$YEARS incidents=$INCIDENTS samples=$SAMPLES first=$FIRST_DAY"

made=$(su_psql -d postgres -At -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$DB'")
if [ "$made" != "$PARAMS" ]; then
  log "Making the benchmark network ($PARAMS): once"
  bash deploy/local/postgres.sh fresh-database .local/pg $PORT $DB
fi

# The API of this benchmark, on the benchmark's database (migrated at start), with a heap of 256 MB.
if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ -n "$(find src pom.xml -newer target/quarkus-app/quarkus-run.jar -print -quit)" ]; then
  ./mvnw -q -B package -DskipTests
fi
if [ -f "$OUT/api.pid" ] && kill -0 "$(cat "$OUT/api.pid")" 2>/dev/null; then kill "$(cat "$OUT/api.pid")"; sleep 3; fi
HARBOUR_DB_URL="jdbc:postgresql://127.0.0.1:$PORT/$DB" HARBOUR_NETWORK_ISSUER="$KC/realms/network" HARBOUR_REGISTRY_ALLOW_LOOPBACK_ISSUERS=true HARBOUR_RATE_LIMIT_ORGANIZATION_PER_MINUTE=10000000 HARBOUR_RATE_LIMIT_CLIENT_PER_MINUTE=10000000 HARBOUR_FAIR_SHARE_REQUESTS=64 QUARKUS_HTTP_PORT=8091 \
  HARBOUR_RESEARCH_KEY_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" HARBOUR_RESEARCH_POLL_EVERY=250ms \
  setsid java -Xmx256m -jar target/quarkus-app/quarkus-run.jar >"$OUT/api.log" 2>&1 </dev/null &
API_PID=$!
echo $API_PID >"$OUT/api.pid"
stop_api() { kill "$API_PID" 2>/dev/null || true; }
trap stop_api EXIT
for i in $(seq 120); do curl -fsS -o /dev/null "$API/q/health/ready" 2>/dev/null && break; sleep 1; done
curl -fsS -o /dev/null "$API/q/health/ready" || { tail -40 "$OUT/api.log" >&2; exit 1; }

if [ "$made" != "$PARAMS" ]; then
  start=$(date +%s)
  owner_psql -v sites="$SITES" -v orgs="$ORGS" -v years="$YEARS" -v incidents="$INCIDENTS" -v samples="$SAMPLES" \
    -v first_day="$FIRST_DAY" -v last_day="$YESTERDAY" -v riverside_issuer="$KC/realms/riverside" -f deploy/bench/trends-generate.sql
  su_psql -d $DB -c "VACUUM ANALYZE"
  su_psql -d postgres -c "COMMENT ON DATABASE $DB IS '$PARAMS'"
  log "Made in $(( $(date +%s) - start )) s"
fi

# The posts of earlier runs' part 3 out, so that every run extracts the same rows.
su_psql -d $DB -c "DELETE FROM incident WHERE external_ref LIKE 'W-%'" >/dev/null

kc_token() { # client secret [user]
  local data="client_id=$1&client_secret=$2&grant_type=client_credentials"
  [ $# -ge 3 ] && data="client_id=$1&client_secret=$2&grant_type=password&username=$3&password=$3"
  curl -fsS -d "$data" "$KC/realms/network/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
# Windows are whole quarters: from the quarter of the first day to the end of yesterday's.
quarter_start() { local y=${1:0:4} m=$((10#${1:5:2})); printf '%s-%02d' "$y" $(( (m - 1) / 3 * 3 + 1 )); }
quarter_end() { local y=${1:0:4} m=$((10#${1:5:2})); printf '%s-%02d' "$y" $(( (m - 1) / 3 * 3 + 3 )); }
FROM=$(quarter_start "$FIRST_DAY")
TO=$(quarter_end "$YESTERDAY")
ADMIN=$(kc_token harbour-admin harbour-admin-secret)
RESEARCHER=$(kc_token harbour-dashboard harbour-dashboard-secret researcher)
SUBJECT=$(python3 -c 'import base64,json,sys; p=sys.argv[1].split(".")[1]; print(json.loads(base64.urlsafe_b64decode(p+"="*(-len(p)%4)))["sub"])' "$RESEARCHER")
PROJECT=$(curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "{\"title\":\"Benchmark\",\"purpose\":\"make bench-extract\",
  \"researchers\":[\"$SUBJECT\"],\"datasets\":[\"incidents\"],\"from\":\"$FROM\",\"to\":\"$TO\",\"k\":10,\"expiresOn\":\"$(date -d '+1 day' +%F)\"}" \
  "$API/v1/admin/research-projects" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
ROWS_IN_DB=$(su_psql -d $DB -At -c "SELECT count(*) FROM incident")
log "Project $PROJECT over $FROM..$TO; $ROWS_IN_DB incidents in the database"

# The rows the API writes, with its generalizations, as one COPY of the research role.
copy_sql() { # period_level kind_level organization_level
  local fmt group org
  case $1 in week) fmt="'IYYY-\"W\"IW'";; month) fmt="'YYYY-MM'";; quarter) fmt="'YYYY-\"Q\"Q'";; esac
  group="b.site_kind"
  [ "$2" = group ] && group="CASE WHEN b.site_kind IN ('SCS','OPS') THEN 'SUPERVISED_SITE' WHEN b.site_kind IN ('MOBILE','PARAMEDIC') THEN 'MOBILE_OR_PARAMEDIC' WHEN b.site_kind IS NULL THEN NULL ELSE 'EMBEDDED_IN_ANOTHER_SERVICE' END"
  org="'O-' || left(md5('key' || b.org_id), 20)"
  [ "$3" = removed ] && org="NULL"
  cat <<SQL
COPY (
  SELECT $org AS organization, b.province, $group AS site_kind, to_char(b.d, $fmt) AS period, b.location, b.kind,
         array_to_string(ARRAY(SELECT x FROM unnest(b.substances) x ORDER BY 1), ';') AS substances, b.mode,
         CASE WHEN b.naloxone_doses >= 3 THEN '3+' ELSE b.naloxone_doses::text END AS naloxone_doses, b.naloxone_route,
         b.oxygen, b.rescue_breathing, b.bag_valve_mask, b.peer_naloxone_before_staff, b.ems_called, b.ems_attended,
         b.police_attended, b.outcome, b.flailing_in_small_space, b.debriefed
    FROM (
      SELECT i.org_id, i.site_id, i.id::text AS row_id, s.province, s.kind AS site_kind,
             (i.occurred_at AT TIME ZONE coalesce(s.time_zone, 'America/Toronto'))::date AS d,
             i.location, i.kind, i.substances, i.mode, i.naloxone_doses, i.naloxone_route, i.oxygen, i.rescue_breathing,
             i.bag_valve_mask, i.peer_naloxone_before_staff, i.ems_called, i.ems_attended, i.police_attended,
             i.outcome, i.flailing_in_small_space,
             CASE WHEN i.debrief_held IS NULL THEN NULL
                  ELSE i.debrief_held AND i.debrief_at IS NOT NULL AND i.debrief_at <= i.occurred_at + interval '72 hours' END AS debriefed
        FROM incident i LEFT JOIN site s ON s.org_id = i.org_id AND s.id = i.site_id
       WHERE i.occurred_at >= '$FROM-01'::date - 2 AND i.occurred_at < ('$TO-01'::date + interval '1 month')::date + 2) b
   WHERE b.d >= '$FROM-01' AND b.d < ('$TO-01'::date + interval '1 month')::date
   ORDER BY date_trunc('$1', b.d), md5('salt' || b.row_id)
) TO STDOUT WITH (FORMAT csv, HEADER)
SQL
}

: >"$OUT/results.txt"
for round in $(seq "$ROUNDS"); do
  RESEARCHER=$(kc_token harbour-dashboard harbour-dashboard-secret researcher)
  jstat -gc "$API_PID" 250 >"$OUT/jstat-$round.txt" &
  SAMPLER=$!
  t0=$(now)
  LOCATION=$(curl -fsS -D - -o /dev/null -H "Authorization: Bearer $RESEARCHER" -H 'Content-Type: application/json' \
    -d "{\"dataset\":\"incidents\",\"format\":\"csv\",\"from\":\"$FROM\",\"to\":\"$TO\",\"grain\":\"month\"}" \
    "$API/v1/research/projects/$PROJECT/extracts" | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  while :; do
    STATUS=$(curl -fsS -H "Authorization: Bearer $RESEARCHER" "$LOCATION")
    case $STATUS in *'"READY"'*) break;; *'"FAILED"'*) echo "$STATUS" >&2; exit 1;; esac
    sleep 0.25
  done
  t1=$(now)
  curl -fsS -H "Authorization: Bearer $RESEARCHER" -o "$OUT/extract.csv.gz" "$LOCATION/file"
  t2=$(now)
  kill "$SAMPLER" 2>/dev/null || true
  echo "$STATUS" >"$OUT/status-$round.json"
  read -r PERIOD KIND ORG < <(python3 -c 'import json,sys; g=json.load(sys.stdin)["generalizations"]; print(g["period"], g["siteKind"], g["organization"])' <"$OUT/status-$round.json")
  copy_sql "$PERIOD" "$KIND" "$ORG" >"$OUT/copy.sql"
  t3=$(now)
  research_psql -f "$OUT/copy.sql" >"$OUT/copy.csv"
  t4=$(now)
  python3 - "$round" "$t0" "$t1" "$t2" "$t3" "$t4" "$OUT" >>"$OUT/results.txt" <<'PY'
import json, sys, os
rnd, t0, t1, t2, t3, t4, out = sys.argv[1], *map(float, sys.argv[2:7]), sys.argv[7]
s = json.load(open(f"{out}/status-{rnd}.json"))
lines = sum(1 for _ in open(f"{out}/copy.csv")) - 1
heap, old = [], []
for line in open(f"{out}/jstat-{rnd}.txt"):
    f = line.split()
    if f and f[0][0].isdigit():
        heap.append((float(f[2]) + float(f[3]) + float(f[5]) + float(f[7])) / 1024)
        old.append(float(f[7]) / 1024)
api, copy = t1 - t0, t4 - t3
print(f"round {rnd}: extract of {s['rows']:,} rows ({s['suppressedRows']} suppressed; {s['generalizations']}) "
      f"READY in {api:.1f} s, downloaded in {t2 - t1:.1f} s ({s['bytes'] / 1e6:.1f} MB gzip); "
      f"COPY of the same {lines:,} rows {copy:.1f} s ({os.path.getsize(f'{out}/copy.csv') / 1e6:.0f} MB csv); "
      f"ratio {api / copy:.2f}x; heap used (MB) first {heap[0]:.0f}, peak {max(heap):.0f}, last {heap[-1]:.0f} of 256; "
      f"old generation first {old[0]:.0f}, peak {max(old):.0f}, last {old[-1]:.0f}")
PY
  tail -n1 "$OUT/results.txt"
done

# 3. Member writes while an extract runs, against the same writes alone before and after.
sites=$(su_psql -d $DB -At -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM site WHERE org_id = 'riverside' AND status = 'ACTIVE'")
post() { # run-name
  local token
  token=$(curl -fsS -d grant_type=client_credentials -d client_id=riverside-system -d client_secret=riverside-system-secret \
    "$KC/realms/riverside/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  BENCH_TOKEN=$token BENCH_ORG=riverside BENCH_SITES=$sites BENCH_RUN=$1$$ \
    wrk -t2 -c16 -d"${SECONDS_LOAD}s" --latency -s deploy/bench/post-incident-spread.lua "$API" >"$OUT/wrk-$1.txt"
}
rate() { awk '/Requests\/sec/ {r = $2} / 99%/ {p = $2} END {printf "%.0f req/s, p99 %s", r, p}' "$OUT/wrk-$1.txt"; }
log "Member writes: warm-up, then alone, during an extract, alone"
SECONDS_LOAD=60 post warm >/dev/null
post before
RESEARCHER=$(kc_token harbour-dashboard harbour-dashboard-secret researcher)
LOCATION=$(curl -fsS -D - -o /dev/null -H "Authorization: Bearer $RESEARCHER" -H 'Content-Type: application/json' \
  -d "{\"dataset\":\"incidents\",\"format\":\"csv\",\"from\":\"$FROM\",\"to\":\"$TO\",\"grain\":\"month\"}" \
  "$API/v1/research/projects/$PROJECT/extracts" | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
post during
until curl -fsS -H "Authorization: Bearer $RESEARCHER" "$LOCATION" | grep -q '"READY"'; do sleep 1; done
post after
echo "single POST /incidents, 16 connections, ${SECONDS_LOAD} s: alone $(rate before); during an extract $(rate during); alone again $(rate after)" |
  tee -a "$OUT/results.txt"
