#!/usr/bin/env bash
# make chaos (issue 10, point 2): writes through the balancer of make run-cluster while the primary database's
# node is killed (kill -9), then one API instance, then both are started again; then the report
# (deploy/cluster/chaos-report.py): seconds without an acknowledged write, what clients were answered meanwhile,
# and every acknowledged write looked up in the database (lost, duplicated). Starts the cluster if it is not up.
#   CHAOS_CLIENTS (4) clients; phases CHAOS_BEFORE (20 s) before the first kill, CHAOS_BETWEEN (25 s) between
#   faults, CHAOS_AFTER (25 s) after both are back. Files in .local/cluster/chaos/.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=.local/cluster/chaos
mkdir -p "$OUT"
rm -f "$OUT"/*
BEFORE=${CHAOS_BEFORE:-20}; BETWEEN=${CHAOS_BETWEEN:-25}; AFTER=${CHAOS_AFTER:-25}
if ! curl -fsS -o /dev/null http://127.0.0.1:8080/q/health/ready 2>/dev/null; then
  bash deploy/cluster/cluster.sh run >/dev/null
fi
event() { echo "$(date +%s%3N) $*" >>"$OUT/events"; echo "$(date +%H:%M:%S) $*" >&2; }
seconds=$((BEFORE + 2 * BETWEEN + AFTER))
start=$(date +%s%3N)
echo "$start start" >"$OUT/events"
run=$(date +%s)
java deploy/cluster/Chaos.java http://127.0.0.1:8080 http://127.0.0.1:8180 "$seconds" "$OUT/requests.jsonl" "${CHAOS_CLIENTS:-4}" "$run" &
load=$!
sleep "$BEFORE"
node=$(bash deploy/cluster/cluster.sh kill-primary)
event "kill -9 of the primary's node (node $node)"
sleep "$BETWEEN"
event "kill -9 of API instance 1"
bash deploy/cluster/cluster.sh kill-api 1
sleep "$BETWEEN"
event "restarting node $node and API instance 1"
bash deploy/cluster/cluster.sh start-node "$node"
bash deploy/cluster/cluster.sh start-api 1 >/dev/null
event "node $node and API instance 1 started"
wait "$load"
event "load ended"
# The database's view, through the primary of now, as its superuser (row-level security does not hide rows from it).
primary=$(bash deploy/cluster/cluster.sh primary)
"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/psql" -X -q -h 127.0.0.1 -p "$primary" -U postgres -d harbour -Atc \
  "select external_ref, count(*), min(id::text) from incident where org_id = 'riverside' and external_ref like 'CH-$run-%' group by 1" \
  >"$OUT/stored.txt"
bash deploy/cluster/cluster.sh state >"$OUT/state.txt" 2>&1 || true
python3 deploy/cluster/chaos-report.py "$OUT" | tee "$OUT/report.txt"
