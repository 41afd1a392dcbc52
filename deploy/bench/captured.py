"""The statements the API really ran, from the PostgreSQL server log, with their parameters put in place.

Usage: captured.py LOG OFFSET PATTERN
Reads LOG from byte OFFSET (the benchmark logs every statement for one request, with log_min_duration_statement = 0,
then turns it off) and prints each logged statement whose text matches PATTERN, one per line, with its
parameters ($1, $2, ...) replaced by the values the server logged, so pgbench can run exactly what the API ran.
"""
import re
import sys

log, offset, pattern = sys.argv[1], int(sys.argv[2]), re.compile(sys.argv[3])
with open(log, "rb") as f:
    f.seek(offset)
    text = f.read().decode("utf-8", "replace")

statement = None
for line in text.splitlines():
    m = re.search(r"LOG:\s+duration: [\d.]+ ms\s+(?:execute [^:]+|statement): (.*)$", line)
    if m:
        if statement and pattern.search(statement):
            print(statement)
        statement = m.group(1)
        continue
    m = re.search(r"DETAIL:\s+[Pp]arameters: (.*)$", line)
    if m and statement:
        values = dict(re.findall(r"\$(\d+) = ((?:'(?:[^']|'')*')|NULL)", m.group(1)))
        for n in sorted(values, key=int, reverse=True):
            statement = statement.replace("$" + n, values[n])
        if pattern.search(statement):
            print(statement)
        statement = None
if statement and pattern.search(statement):
    print(statement)
