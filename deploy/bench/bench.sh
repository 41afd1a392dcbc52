#!/usr/bin/env bash
# make bench: ratios against baselines measured in the same run, on this machine, with PostgreSQL and the
# API local (the stack make run starts; started here when not up).
#   1. bulk import of N incidents through the API vs plain JDBC batches of the same rows into the same tables
#   2. single POST /incidents with a real Keycloak token at 16 connections for 30 s vs GET /q/health/live
#   3. the API's peak resident memory during the import, and at idle before and after the benchmarks
#   4. single POST /incidents vs pgbench running the statements the API runs for one incident (taken from the
#      server log of a real post: deploy/bench/post-incident.pgbench), 16 connections, twice (issue 11)
#   5. a profile of the posts: the API's top methods (JDK Flight Recorder) and the database's top statements
#      (pg_stat_statements), in .local/bench/profile.md
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${BENCH_ROWS:-100000}
SECONDS_LOAD=${BENCH_SECONDS:-30}
OUT=.local/bench
mkdir -p "$OUT"
command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

curl -fsS -o /dev/null http://127.0.0.1:8080/q/health/ready 2>/dev/null || bash deploy/local/stack.sh run >/dev/null
API_PID=$(cat .local/run/api.pid)
PG=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
SOCK=$(bash deploy/local/postgres.sh socket .local/pg)
psql_su() { "$PG/psql" -X -q -h "$SOCK" -p 5433 -U postgres -d harbour -Atc "$1"; }
token() {
  curl -fsS -d grant_type=client_credentials -d client_id=riverside-system -d client_secret=riverside-system-secret \
    http://127.0.0.1:8180/realms/riverside/protocol/openid-connect/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
TOKEN=$(token)
SITE=$(curl -fsS -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/v1/orgs/riverside/sites |
  python3 -c 'import json,sys; print([s["id"] for s in json.load(sys.stdin)["items"] if s["externalRef"]=="RS-001"][0])')
RUN=$(date +%s)

python3 - "$N" "$SITE" "$RUN" >"$OUT/incidents.jsonl" <<'PY'
import json, sys
n, site, run = int(sys.argv[1]), sys.argv[2], sys.argv[3]
subs = ["FENTANYL", "OTHER_OPIOID", "METHAMPHETAMINE", "COCAINE", "BENZODIAZEPINE"]
for i in range(n):
    print(json.dumps({"type": "incident", "externalRef": f"B-{run}-{i}", "siteId": site,
        "occurredAt": f"2026-{1 + i % 9:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z", "location": "INSIDE",
        "kind": "OVERDOSE", "substances": [subs[i % 5]], "mode": "INHALATION" if i % 2 else "INJECTION",
        "response": {"naloxoneDoses": i % 4}, "outcome": "RESOLVED_ON_SITE"}, separators=(",", ":")))
PY
BYTES=$(stat -c %s "$OUT/incidents.jsonl")

# 1. Baseline: plain JDBC batches, then the API's import of the same rows.
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile="$OUT/classpath" -Dmdep.includeScope=runtime >/dev/null
BASE=$(java -cp "$(cat "$OUT/classpath")" deploy/bench/JdbcBaseline.java "jdbc:postgresql://127.0.0.1:5433/harbour" riverside "$SITE" "$OUT/incidents.jsonl")
BASE_ROWS=${BASE% *}; BASE_S=${BASE#* }
# The ceiling: COPY of the same rows and audit rows in one transaction (as the superuser: PostgreSQL refuses COPY FROM
# under row-level security), the CSV made beforehand.
java -cp "$(cat "$OUT/classpath")" deploy/bench/JdbcBaseline.java "jdbc:postgresql://127.0.0.1:5433/harbour" riverside "$SITE" \
  "$OUT/incidents.jsonl" csv "$OUT"
COPY_START=$(date +%s.%N)
"$PG/psql" -X -q -h "$SOCK" -p 5433 -U postgres -d harbour -v ON_ERROR_STOP=1 <<SQL
BEGIN;
\\copy incident (org_id, id, external_ref, site_id, occurred_at, location, kind, substances, mode, naloxone_doses, outcome, version) from '$OUT/incident.csv' (format csv)
\\copy audit_entry (org_id, subject, client_id, action, entity, entity_id, changes) from '$OUT/audit.csv' (format csv)
COMMIT;
SQL
COPY_ROWS=$N; COPY_S=$(python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.3f}')" "$COPY_START")

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$API_PID/status"; }
RSS_IDLE=$(rss_kb)
RSS_BEFORE=$(rss_kb)
rm -f "$OUT/import.done" "$OUT/rss.peak"
( peak=0; while kill -0 "$API_PID" 2>/dev/null && [ ! -f "$OUT/import.done" ]; do r=$(rss_kb); [ "$r" -gt "$peak" ] && peak=$r; echo "$peak" >"$OUT/rss.peak"; sleep 0.2; done ) &
START=$(date +%s.%N)
curl -sS -o "$OUT/import-report.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$OUT/incidents.jsonl" http://127.0.0.1:8080/v1/orgs/riverside/imports >"$OUT/import.status"
END=$(date +%s.%N)
touch "$OUT/import.done"; sleep 0.5
RSS_PEAK=$(cat "$OUT/rss.peak")
CREATED=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["created"])' "$OUT/import-report.json")

# 2. Single posts with a real token, then the trivial endpoint, same tool, same connections; both after a
#    warm-up: on 2 cores the C2 compiler keeps one busy for the first two minutes of this load, and a
#    measure taken then says more about the JIT than about the service (BENCH_WARMUP shortens it).
TOKEN=$(token)
BENCH_TOKEN=$TOKEN BENCH_SITE=$SITE BENCH_RUN=warm$RUN wrk -t2 -c16 -d"${BENCH_WARMUP:-120}s" -s deploy/bench/post-incident.lua \
  http://127.0.0.1:8080 >/dev/null
wrk -t2 -c16 -d10s http://127.0.0.1:8080/q/health/live >/dev/null
SITES=$(psql_su "select string_agg(id::text, ',') from site where org_id = 'riverside'")
for round in 1 2; do
  BENCH_TOKEN=$TOKEN BENCH_SITE=$SITE BENCH_RUN=$RUN-$round wrk -t2 -c16 -d"${SECONDS_LOAD}s" --latency -s deploy/bench/post-incident.lua \
    http://127.0.0.1:8080 >"$OUT/wrk-post-$round.txt"
  PGPASSWORD=${HARBOUR_APP_PASSWORD:-harbour_app} "$PG/pgbench" -n -M prepared -c 16 -j 2 -T "$SECONDS_LOAD" -h 127.0.0.1 -p 5433 \
    -U harbour_app -D sites="{$SITES}" -D org=riverside -D client=riverside-system -f deploy/bench/post-incident.pgbench harbour \
    >"$OUT/pgbench-post-$round.txt" 2>&1
done
wrk -t2 -c16 -d"${SECONDS_LOAD}s" --latency http://127.0.0.1:8080/q/health/live >"$OUT/wrk-live.txt"

# 5. The profile: a round of posts with the flight recorder on and the statement statistics reset.
# The statement statistics need the library loaded at the server's start (deploy/local/postgres.sh does since issue 11;
# a server started before that needs make stop, make run).
STATEMENTS=$(psql_su "SELECT current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%'")
if [ "$STATEMENTS" = t ]; then
  psql_su "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" && psql_su "SELECT pg_stat_statements_reset()" >/dev/null
fi
jcmd "$API_PID" JFR.start name=bench settings=profile >/dev/null
BENCH_TOKEN=$TOKEN BENCH_SITE=$SITE BENCH_RUN=$RUN-profile wrk -t2 -c16 -d20s -s deploy/bench/post-incident.lua http://127.0.0.1:8080 >/dev/null
jcmd "$API_PID" JFR.dump name=bench filename="$PWD/$OUT/posts.jfr" >/dev/null && jcmd "$API_PID" JFR.stop name=bench >/dev/null
{
  echo "## The API during 20 s of posts (JDK Flight Recorder, $OUT/posts.jfr)"
  python3 deploy/bench/jfr_top.py "$OUT/posts.jfr" 12
  echo
  echo "## The database during the same 20 s (pg_stat_statements, by total time)"
  echo "| calls | total ms | mean ms | statement |"
  echo "|---|---|---|---|"
  [ "$STATEMENTS" = t ] || echo "| | | | (pg_stat_statements is not loaded in this server: make stop, make run) |"
  [ "$STATEMENTS" != t ] || psql_su "SELECT '| ' || calls || ' | ' || round(total_exec_time) || ' | ' || round(mean_exec_time::numeric, 3) || ' | \`' ||
      left(regexp_replace(query, '\s+', ' ', 'g'), 110) || '\` |' FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10"
} >"$OUT/profile.md"
sleep 30
RSS_AFTER=$(rss_kb)

python3 - "$OUT" "$N" "$BYTES" "$BASE_ROWS" "$BASE_S" "$START" "$END" "$CREATED" "$(cat "$OUT/import.status")" \
  "$RSS_BEFORE" "$RSS_PEAK" "$SECONDS_LOAD" "$RSS_IDLE" "$RSS_AFTER" "$COPY_ROWS" "$COPY_S" <<'PY' | tee "$OUT/results.md"
import sys
sys.path.insert(0, 'deploy/bench')
from results import wrk, pgbench
out, n, size, base_rows, base_s, start, end, created, status, rss0, rss_peak, secs, rss_idle, rss_after, copy_rows, copy_s = sys.argv[1:]
api_s = float(end) - float(start)
api_rate, base_rate = int(created) / api_s, int(base_rows) / float(base_s)
l = wrk(f"{out}/wrk-live.txt")
print(f"| measure | Harbour | baseline (same run) | ratio |")
print(f"|---|---|---|---|")
print(f"| bulk import, {n} incidents ({int(size)/1e6:.1f} MB JSON Lines, HTTP {status}, {created} created) | {api_rate:,.0f} rows/s ({api_s:.1f} s) | plain JDBC batches of the same rows (+ audit rows) into the same tables: {base_rate:,.0f} rows/s ({float(base_s):.1f} s) | {api_rate / base_rate:.0%} |")
print(f"| (the ceiling) | | COPY of the same rows and audit rows, one transaction: {int(copy_rows) / float(copy_s):,.0f} rows/s ({float(copy_s):.1f} s) | {api_rate / (int(copy_rows) / float(copy_s)):.0%} |")
for r in (1, 2):
    p, g = wrk(f"{out}/wrk-post-{r}.txt"), pgbench(f"{out}/pgbench-post-{r}.txt")
    print(f"| POST /incidents, 16 connections, {secs} s, round {r} | {p[0]:,.0f} req/s, p50 {p[1]:.1f} ms, p99 {p[2]:.1f} ms, non-2xx {p[3]}, socket errors {p[4]} | pgbench, the same statements, 16 clients: {g[0]:,.0f} tps, mean {g[1]:.1f} ms, failed {g[2]} | {p[0] / g[0]:.0%} |")
print(f"| GET /q/health/live, 16 connections (for scale) | {l[0]:,.0f} req/s, p50 {l[1]:.1f} ms, p99 {l[2]:.1f} ms | | |")
print(f"| API resident memory during the import | peak {int(rss_peak)/1024:.0f} MiB | before: {int(rss0)/1024:.0f} MiB | +{(int(rss_peak)-int(rss0))/1024:.0f} MiB |")
print(f"| API resident memory at idle | before the benchmarks {int(rss_idle)/1024:.0f} MiB, 30 s after them {int(rss_after)/1024:.0f} MiB | goal: 300 MiB | |")
PY
