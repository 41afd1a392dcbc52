#!/usr/bin/env bash
# Search latency on many notes: fills the make-run database with N notes (two thirds English, one third
# French, each two of twenty sentences per language, one in ten organization-only; written straight into
# the table as the superuser), then measures GET /v1/network/notes?q=... with a
# real token, 4 connections, varied queries, after a warm-up, against pgbench running the statements the API ran
# (issue 11), two rounds. Prints requests per second, p50 and p99 of both.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${BENCH_NOTES:-100000}
OUT=.local/bench
mkdir -p "$OUT"
command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
curl -fsS -o /dev/null http://127.0.0.1:8080/q/health/ready 2>/dev/null || bash deploy/local/stack.sh run >/dev/null
PG=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
SOCK=$(bash deploy/local/postgres.sh socket .local/pg)
EXISTING=$("$PG/psql" -h "$SOCK" -p 5433 -U postgres -d harbour -Atc "select count(*) from note where tags @> '{bench2}'")
if [ "$EXISTING" = 0 ]; then "$PG/psql" -q -h "$SOCK" -p 5433 -U postgres -d harbour -c "delete from note where tags @> '{bench}'"; fi
if [ "$EXISTING" -lt "$N" ]; then
  "$PG/psql" -q -h "$SOCK" -p 5433 -U postgres -d harbour -v n="$((N - EXISTING))" <<'SQL'
WITH en(t) AS (SELECT ARRAY[
  'After every overdose the team holds a hot debrief within the hour.',
  'Staff resilience depends on peer support, training and real breaks.',
  'Supervised inhalation needs negative pressure ventilation and a smoke extractor.',
  'Peers often give naloxone before staff arrive; we train them every month.',
  'Renewing the federal exemption took eleven months and three site visits.',
  'Neighbours came to the open house and asked about needle pickup.',
  'Women-only hours on Wednesday evenings doubled visits by women.',
  'Drug checking with FTIR found xylazine in most of the down samples.',
  'Assisted injection by staff is not allowed under our exemption yet.',
  'Wound care clinics on Fridays reduced emergency visits for abscesses.',
  'Police presence near the entrance kept people away for a week.',
  'Our housing support worker helped twelve clients sign leases.',
  'Youth access requires a separate consent process and a quiet room.',
  'Compassion fatigue showed up as cynicism at the front desk.',
  'Grief circles after a client death helped the night team.',
  'The dispensing machine for hydromorphone needs biometric enrolment.',
  'Splitting and sharing rules changed after the provincial guidance.',
  'Mobile outreach reached encampments the fixed site never sees.',
  'Intranasal use rose when the supply shifted to powder fentanyl.',
  'Paramedics now call ahead before bringing someone in.'] AS a),
fr(t) AS (SELECT ARRAY[
  'Après chaque surdose, l''équipe tient un compte rendu à chaud.',
  'La résilience du personnel dépend du soutien des pairs et des pauses.',
  'L''inhalation supervisée exige une ventilation à pression négative.',
  'Les pairs donnent souvent la naloxone avant l''arrivée du personnel.',
  'Le renouvellement de l''exemption fédérale a pris onze mois.',
  'Les voisins sont venus à la journée portes ouvertes.',
  'Les heures réservées aux femmes le mercredi ont doublé leurs visites.',
  'L''analyse par FTIR a trouvé de la xylazine dans la plupart des échantillons.',
  'L''injection assistée par le personnel n''est pas encore permise.',
  'Les soins des plaies le vendredi ont réduit les abcès.',
  'La présence policière près de l''entrée a éloigné les gens.',
  'Notre intervenante en logement a aidé douze personnes à signer un bail.',
  'L''accès des jeunes exige un consentement distinct.',
  'La fatigue de compassion se voyait à l''accueil.',
  'Les cercles de deuil après un décès ont aidé l''équipe de nuit.',
  'La distributrice d''hydromorphone exige une inscription biométrique.',
  'Les règles de partage ont changé après les directives provinciales.',
  'L''équipe mobile rejoint les campements.',
  'La consommation intranasale a augmenté avec le fentanyl en poudre.',
  'Les paramédics appellent maintenant avant d''arriver.'] AS a)
INSERT INTO note (org_id, id, author_subject, title, body, language, theme, kind, tags, visibility)
SELECT CASE WHEN i % 2 = 0 THEN 'riverside' ELSE 'lakeshore' END, gen_random_uuid(), 'bench',
       CASE WHEN i % 3 = 0 THEN fr.t[1 + i % 20] ELSE en.t[1 + i % 20] END,
       CASE WHEN i % 3 = 0 THEN fr.t[1 + i % 20] || ' ' || fr.t[1 + (i / 20) % 20] || ' Note ' || i
            ELSE en.t[1 + i % 20] || ' ' || en.t[1 + (i / 20) % 20] || ' Note ' || i END,
       CASE WHEN i % 3 = 0 THEN 'fr' ELSE 'en' END,
       (ARRAY['EXPANDING_MODELS', 'REGULATORY', 'OPERATIONS', 'COMMUNITY_ENGAGEMENT', 'STAFF_RESILIENCY'])[1 + i % 5],
       CASE WHEN i % 2 = 0 THEN 'TIP' ELSE 'ISSUE' END, '{bench2}', CASE WHEN i % 10 = 0 THEN 'ORGANIZATION' ELSE 'NETWORK' END
FROM generate_series(1, :n) AS i, en, fr;
ANALYZE note;
SQL
fi
TOKEN=$(curl -fsS -d grant_type=client_credentials -d client_id=lakeshore-system -d client_secret=lakeshore-system-secret \
  http://127.0.0.1:8180/realms/lakeshore/protocol/openid-connect/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
QUERIES=("resilience" "résilience" "debrief overdose" "compte rendu surdose" "ventilation inhalation" "naloxone peers"
  "exemption renewal" "compassion" "soutien des pairs" "xylazine" "women" "grief" "police")
{
  echo 'local queries = {'
  for q in "${QUERIES[@]}"; do printf '"%s",' "$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")"; done
  cat <<'LUA'
}
local token = os.getenv("BENCH_TOKEN")
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/v1/network/notes?limit=20&q=" .. queries[(i % #queries) + 1], {["Authorization"] = "Bearer " .. token})
end
LUA
} >"$OUT/search.lua"
BENCH_TOKEN=$TOKEN wrk -t2 -c4 -d15s -s "$OUT/search.lua" http://127.0.0.1:8080 >/dev/null

# The baseline: pgbench running exactly the statements the API ran for each query (taken from the server log of
# one request per query, parameters in place), prepared, at the same concurrency, in the same run.
LOG="$(dirname "$SOCK")/server.log"
psql_su() { "$PG/psql" -X -q -h "$SOCK" -p 5433 -U postgres -d harbour -Atc "$1"; }
OFFSET=$(stat -c %s "$LOG")
psql_su "ALTER SYSTEM SET log_min_duration_statement = 0" && psql_su "SELECT pg_reload_conf()" >/dev/null
sleep 1
for q in "${QUERIES[@]}"; do
  curl -fsS -o /dev/null -G -H "Authorization: Bearer $TOKEN" --data-urlencode "q=$q" -d limit=20 http://127.0.0.1:8080/v1/network/notes
done
psql_su "ALTER SYSTEM RESET log_min_duration_statement" && psql_su "SELECT pg_reload_conf()" >/dev/null
rm -rf "$OUT/search-sql" && mkdir -p "$OUT/search-sql"
python3 deploy/bench/captured.py "$LOG" "$OFFSET" 'FROM network_note_search' | awk -v dir="$OUT/search-sql" '{ print $0 ";" > (dir "/q" NR ".sql") }'
CAPTURED=$(ls "$OUT/search-sql" | wc -l)
[ "$CAPTURED" = "${#QUERIES[@]}" ] || { echo "captured $CAPTURED statements for ${#QUERIES[@]} queries" >&2; exit 1; }
SCRIPTS=()
for f in "$OUT"/search-sql/*.sql; do SCRIPTS+=(-f "$PWD/$f"); done

for round in 1 2; do
  BENCH_TOKEN=$TOKEN wrk -t2 -c4 -d"${BENCH_SECONDS:-30}s" --latency -s "$OUT/search.lua" http://127.0.0.1:8080 >"$OUT/search-$round.txt"
  rm -f "$OUT"/pgbench_log.*
  (cd "$OUT" && PGPASSWORD=${HARBOUR_APP_PASSWORD:-harbour_app} "$PG/pgbench" -n -M prepared -c4 -j2 -T "${BENCH_SECONDS:-30}" -l \
    -h 127.0.0.1 -p 5433 -U harbour_app "${SCRIPTS[@]}" harbour >"search-pgbench-$round.txt" 2>&1)
  cat "$OUT"/pgbench_log.* >"$OUT/search-pgbench-$round.log"
done
NOTES=$("$PG/psql" -h "$SOCK" -p 5433 -U postgres -d harbour -Atc "select count(*) from note")
python3 - "$OUT" "$NOTES" <<'PY' | tee "$OUT/search-results.md"
import sys
sys.path.insert(0, 'deploy/bench')
from results import wrk, pgbench, pgbench_percentiles
out, notes = sys.argv[1], int(sys.argv[2])
print(f"| round | GET /v1/network/notes?q=, 4 connections, {notes:,} notes | pgbench, the same statements, 4 clients | API / pgbench |")
print("|---|---|---|---|")
for r in (1, 2):
    a, p = wrk(f"{out}/search-{r}.txt"), pgbench(f"{out}/search-pgbench-{r}.txt")
    p50, p99 = pgbench_percentiles(f"{out}/search-pgbench-{r}.log")
    print(f"| {r} | {a[0]:,.0f} req/s, p50 {a[1]:.1f} ms, p99 {a[2]:.1f} ms, non-2xx {a[3]} | {p[0]:,.0f} tps, p50 {p50:.1f} ms, "
          f"p99 {p99:.1f} ms | {a[0] / p[0]:.0%} |")
PY
