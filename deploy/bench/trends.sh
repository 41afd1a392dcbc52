#!/usr/bin/env bash
# make bench-trends: the coordinator's trends at network scale, as ratios against baselines of the same run.
#   0. a database of its own (harbour_trends, in make run's cluster) with a network of BENCH_TRENDS_SITES
#      sites, three years of daily visits, BENCH_TRENDS_INCIDENTS incidents and drug checks, written in SQL
#      as the owner role through the write path's own rollup triggers (deploy/bench/trends-generate.sql);
#      made once, reused while its parameters are the same; an API instance of its own on port 8090
#   1. 20 dashboard queries through the API with a real coordinator token, against the same answers from a
#      plain GROUP BY over the write tables, with a check that the numbers are equal (TrendsBench.java)
#   2. single POST /incidents at 16 connections with rollup maintenance on and off (rollup_switch, which
#      only this script turns off; the rollups of the organization posted to are rebuilt afterwards), in two
#      rounds, on then off and off then on
#   3. pgbench running the statements the API runs for one incident, at the same concurrency, in the same run
set -euo pipefail
cd "$(dirname "$0")/../.."
SITES=${BENCH_TRENDS_SITES:-1000}
ORGS=${BENCH_TRENDS_ORGS:-20}
YEARS=3
INCIDENTS=${BENCH_TRENDS_INCIDENTS:-10000000}
SAMPLES=${BENCH_TRENDS_SAMPLES:-300000}
REPS=${BENCH_TRENDS_REPS:-30}
BASE_REPS=${BENCH_TRENDS_BASE_REPS:-2}
SECONDS_LOAD=${BENCH_SECONDS:-30}
DB=harbour_trends
PORT=5433
API=http://127.0.0.1:8090
KC=http://127.0.0.1:8180
OUT=.local/bench-trends
mkdir -p "$OUT"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# Keycloak and PostgreSQL of make run (with the minimal demo when nothing runs yet: its data is not used).
if ! curl -fsS -o /dev/null "$KC/realms/riverside/.well-known/openid-configuration" 2>/dev/null \
   || ! curl -fsS -o /dev/null http://127.0.0.1:8080/q/health/ready 2>/dev/null; then
  HARBOUR_DEMO=${HARBOUR_DEMO:-minimal} bash deploy/local/stack.sh run >/dev/null
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
SOCK=$(bash deploy/local/postgres.sh socket .local/pg)
su_psql() { "$BIN/psql" -X -q -h "$SOCK" -p $PORT -U postgres -v ON_ERROR_STOP=1 "$@"; }
owner_psql() { PGPASSWORD=harbour_owner "$BIN/psql" -X -q -h 127.0.0.1 -p $PORT -U harbour_owner -d $DB -v ON_ERROR_STOP=1 "$@"; }
YESTERDAY=$(date -u -d yesterday +%F)
FIRST_DAY=$(date -u -d "$YESTERDAY - $YEARS years + 1 day" +%F)
PARAMS="sites=$SITES orgs=$ORGS years=$YEARS incidents=$INCIDENTS samples=$SAMPLES"

# The baseline's reader: bypasses row-level security to group over every organization's rows; reads only.
su_psql -d postgres <<'SQL'
SELECT 'CREATE ROLE harbour_bench LOGIN BYPASSRLS PASSWORD ''harbour_bench'''
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'harbour_bench') \gexec
GRANT pg_read_all_data TO harbour_bench;
SQL

made=$(su_psql -d postgres -At -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$DB'")
if [ "$made" != "$PARAMS" ]; then
  log "Making the benchmark network ($PARAMS; first day $FIRST_DAY): takes a while, once"
  su_psql -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB OWNER harbour_owner"
fi

# The API of this benchmark, on the benchmark's database (migrated at start).
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
if [ -f "$OUT/api.pid" ] && kill -0 "$(cat "$OUT/api.pid")" 2>/dev/null; then kill "$(cat "$OUT/api.pid")"; sleep 3; fi
HARBOUR_DB_URL="jdbc:postgresql://127.0.0.1:$PORT/$DB" HARBOUR_NETWORK_ISSUER="$KC/realms/network" HARBOUR_REGISTRY_ALLOW_LOOPBACK_ISSUERS=true HARBOUR_RATE_LIMIT_ORGANIZATION_PER_MINUTE=10000000 HARBOUR_RATE_LIMIT_CLIENT_PER_MINUTE=10000000 HARBOUR_FAIR_SHARE_REQUESTS=64 QUARKUS_HTTP_PORT=8090 \
  HARBOUR_RESEARCH_KEY_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" setsid java -Xmx512m -jar target/quarkus-app/quarkus-run.jar >"$OUT/api.log" 2>&1 </dev/null &
echo $! >"$OUT/api.pid"
stop_api() { kill "$(cat "$OUT/api.pid")" 2>/dev/null || true; }
trap stop_api EXIT
for i in $(seq 120); do curl -fsS -o /dev/null "$API/q/health/ready" 2>/dev/null && break; sleep 1; done
curl -fsS -o /dev/null "$API/q/health/ready" || { tail -40 "$OUT/api.log" >&2; exit 1; }

if [ "$made" != "$PARAMS" ]; then
  start=$(date +%s)
  owner_psql -v sites="$SITES" -v orgs="$ORGS" -v years="$YEARS" -v incidents="$INCIDENTS" -v samples="$SAMPLES" \
    -v first_day="$FIRST_DAY" -v last_day="$YESTERDAY" -v riverside_issuer="$KC/realms/riverside" -f deploy/bench/trends-generate.sql
  su_psql -d postgres -c "COMMENT ON DATABASE $DB IS '$PARAMS'"
  log "Made in $(( $(date +%s) - start )) s"
fi
su_psql -d $DB -At -c "SELECT format('%s sites, %s visit days, %s incidents, %s samples, %s site rollup rows, %s network rollup rows; database %s',
  (SELECT count(*) FROM site), (SELECT count(*) FROM visit_day), (SELECT count(*) FROM incident),
  (SELECT count(*) FROM drug_check_sample), (SELECT count(*) FROM site_rollup), (SELECT count(*) FROM network_rollup), pg_size_pretty(pg_database_size('$DB')))" | tee "$OUT/size.txt"

coordinator=$(curl -fsS -d grant_type=password -d client_id=harbour-dashboard -d client_secret=harbour-dashboard-secret \
  -d username=coordinator -d password=coordinator "$KC/realms/network/protocol/openid-connect/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# 1. Queries.
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile="$OUT/classpath" -Dmdep.includeScope=runtime >/dev/null
log "20 dashboard queries: API ($REPS times each) and plain GROUP BY ($BASE_REPS times each)"
queries=0
java -cp "$(cat "$OUT/classpath")" deploy/bench/TrendsBench.java "$API" "jdbc:postgresql://127.0.0.1:$PORT/$DB" harbour_bench harbour_bench \
  "$coordinator" "$REPS" "$BASE_REPS" "$YESTERDAY" >"$OUT/queries.md" || queries=$?

# 2 and 3. Single posts to riverside's sites, rollups on and off, and pgbench of the same statements.
sites=$(su_psql -d $DB -At -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM site WHERE org_id = 'riverside' AND status = 'ACTIVE'")
# A fresh token for every load run: Keycloak's access tokens live five minutes.
system_token() {
  curl -fsS -d grant_type=client_credentials -d client_id=riverside-system -d client_secret=riverside-system-secret \
    "$KC/realms/riverside/protocol/openid-connect/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
post() { # run-name seconds [--latency]
  BENCH_TOKEN=$(system_token) BENCH_ORG=riverside BENCH_SITES=$sites BENCH_RUN=$1 \
    wrk -t2 -c16 -d"$2s" ${3:-} -s deploy/bench/post-incident-spread.lua "$API"
}
switch() { su_psql -d $DB -c "UPDATE rollup_switch SET maintained = $1"; }
trap 'switch true; stop_api' EXIT
log "Warm-up: ${BENCH_WARMUP:-90} s of posts"
post warm$$ "${BENCH_WARMUP:-90}" >/dev/null
for round in 1 2; do
  log "Round $round: posts with rollups, posts without, pgbench"
  # On then off in round 1, off then on in round 2: whatever drifts during a round (autovacuum, checkpoints,
  # the incident table growing) weighs on both sides alike.
  for mode in $([ $round = 1 ] && echo "on off" || echo "off on"); do
    switch $([ $mode = on ] && echo true || echo false)
    post $mode$round$$ "$SECONDS_LOAD" --latency >"$OUT/wrk-$mode-$round.txt"
  done
  switch true
  PGPASSWORD=harbour_app "$BIN/pgbench" -n -M prepared -c 16 -j 2 -T "$SECONDS_LOAD" -h 127.0.0.1 -p $PORT -U harbour_app \
    -D sites="{$sites}" -D org=riverside -D client=riverside-system -f deploy/bench/post-incident.pgbench $DB >"$OUT/pgbench-$round.txt" 2>&1
done
log "Rebuilding riverside's rollups (posted to while maintenance was off)"
owner_psql -c "SELECT rollup_rebuild('riverside')" >/dev/null

posts=0
python3 - "$OUT" "$SECONDS_LOAD" <<'PY' | tee "$OUT/posts.md" || posts=1
import sys
sys.path.insert(0, 'deploy/bench')
from results import wrk, pgbench
out, secs = sys.argv[1], sys.argv[2]
print("| round | POST /incidents with rollups | without (maintenance off) | cost of rollups | pgbench, same statements with rollups | API / pgbench |")
print("|---|---|---|---|---|---|")
failures = 0
total_on = total_off = 0
for r in (1, 2):
    on, off, pg = wrk(f"{out}/wrk-on-{r}.txt"), wrk(f"{out}/wrk-off-{r}.txt"), pgbench(f"{out}/pgbench-{r}.txt")
    print(f"| {r} | {on[0]:,.0f} req/s, p50 {on[1]:.1f} ms, p99 {on[2]:.1f} ms, non-2xx {on[3]} | {off[0]:,.0f} req/s, p50 {off[1]:.1f} ms, "
          f"p99 {off[2]:.1f} ms, non-2xx {off[3]} | {1 - on[0] / off[0]:.0%} | {pg[0]:,.0f} tps, mean {pg[1]:.1f} ms, failed {pg[2]} | {on[0] / pg[0]:.0%} |")
    failures += on[3] + off[3] + pg[2]
    total_on, total_off = total_on + on[0], total_off + off[0]
print(f"\nRollup maintenance over both rounds (on then off, then off then on): {1 - total_on / total_off:.0%} of single-post throughput "
      f"({total_on / 2:,.0f} against {total_off / 2:,.0f} req/s on average)")
if failures:
    print(f"{failures} requests or transactions failed: the figures above measure failures, not posts", file=sys.stderr)
    sys.exit(1)
PY
cat "$OUT/queries.md"
[ "$queries" = 0 ] && [ "$posts" = 0 ]
