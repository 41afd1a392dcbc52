#!/usr/bin/env python3
"""The report of make chaos, from its folder: requests.jsonl (every attempt), events (faults, ms since epoch),
stored.txt (externalRef|rows|id of every chaos incident in the database). Exits 1 if a goal is missed."""
import json
import sys
from collections import Counter
from pathlib import Path

out = Path(sys.argv[1])
events = [line.split(' ', 1) for line in (out / 'events').read_text().splitlines()]
start = int(events[0][0])
attempts = [json.loads(line) for line in (out / 'requests.jsonl').read_text().splitlines() if line.strip()]
for a in attempts:  # on the script's clock: the load tool starts a second or two after it (it compiles first)
    a['start'] = a['at'] - start
kills = [int(at) - start for at, what in events if 'API instance' in what and 'kill' in what]
stored = {}
for line in (out / 'stored.txt').read_text().splitlines():
    ref, rows, record = line.split('|')
    stored[ref] = (int(rows), record)

ok = [a for a in attempts if 200 <= a['status'] < 300]
acknowledged = {}
for a in ok:
    acknowledged.setdefault(a['ref'], set()).add(a['id'])
failed = [a for a in attempts if not 200 <= a['status'] < 300]

# Unavailability: the longest stretches with no write acknowledged, from the ends of acknowledged attempts.
ends = sorted(a['start'] + a['ms'] for a in ok)
gaps = sorted(((b - a) / 1000, a / 1000) for a, b in zip(ends, ends[1:]))[::-1][:3]

print('make chaos: writes through the balancer while the primary database and an API instance are killed')
for at, what in events:
    print(f'  {(int(at) - start) / 1000:7.1f} s  {what}')
print(f'  attempts {len(attempts)}, writes acknowledged {len(acknowledged)}, attempts refused or unanswered {len(failed)}')
print('  longest stretches without an acknowledged write: '
      + ', '.join(f'{g:.1f} s (from {s:.1f} s)' for g, s in gaps))
statuses = Counter(a['status'] for a in failed)
print('  answers other than 2xx, by status (0: no answer): ' + (', '.join(f'{s}: {n}' for s, n in sorted(statuses.items())) or 'none'))
unexplained = [a for a in failed if a['status'] == 503 and not (a['problem'] and a['retryAfter'])]
server_errors = [a for a in failed if a['status'] >= 500 and a['status'] != 503]
# A request the killed instance had (under way at the kill -9, or sent to it in the instant before the balancer
# saw it gone) loses its connection: nothing can answer it, and its client sends it again. Any other request left
# without an answer is a finding.
cut = [a for a in failed if a['status'] == 0 and any(k - 100 <= a['start'] + a['ms'] <= k + 1000 for k in kills)]
no_answer = [a for a in failed if a['status'] == 0 and a not in cut]
in_progress = [a for a in failed if a['status'] == 409]
hangs = [a for a in attempts if a['ms'] > 5000]
lost = [r for r in acknowledged if r not in stored]
duplicated = [r for r, (rows, _) in stored.items() if rows > 1]
other_record = [r for r, ids in acknowledged.items() if len(ids) > 1 or (r in stored and stored[r][1] not in ids)]
unacknowledged = [r for r in stored if r not in acknowledged]
print(f'  requests the killed instance had, their connection cut: {len(cut)}; 409 idempotency key in progress '
      f'(the killed instance held the key, up to 45 s): {len(in_progress)} answers to {len({a["ref"] for a in in_progress})} writes')
print(f'  slowest answer {max(a["ms"] for a in attempts) / 1000:.1f} s; answers over 5 s: {len(hangs)}')
print(f'  in the database: {len(stored)} chaos incidents; acknowledged and missing {len(lost)}; stored twice {len(duplicated)};'
      f' acknowledged with another record {len(other_record)}; stored but never acknowledged {len(unacknowledged)}')
goals = [
    ('writes lost (acknowledged, not stored)', len(lost) == 0, f'{len(lost)} (goal 0)'),
    ('writes duplicated', not duplicated and not other_record, f'{len(duplicated) + len(other_record)} (goal 0)'),
    ('500s and other 5xx but 503', not server_errors, f'{len(server_errors)} (goal 0)'),
    ('503s without problem+json and Retry-After', not unexplained, f'{len(unexplained)} (goal 0)'),
    ('requests left without an answer (but those the killed instance had)', not no_answer, f'{len(no_answer)} (goal 0)'),
    ('answers slower than 5 s', not hangs, f'{len(hangs)} (goal 0)'),
]
status = 0
for name, met, figure in goals:
    print(f'  {"MET   " if met else "MISSED"}  {name}: {figure}')
    status |= 0 if met else 1
sys.exit(status)
