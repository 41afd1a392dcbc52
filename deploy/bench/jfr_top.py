"""Where the API's CPU went, from a JDK Flight Recorder file: the methods most often on top of the stack (self), and
the share of samples with each library anywhere on the stack.

Usage: jfr_top.py RECORDING.jfr [N]
"""
import collections
import re
import subprocess
import sys

path, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 12
text = subprocess.run(["jfr", "print", "--stack-depth", "96", "--events", "jdk.ExecutionSample", path],
                      capture_output=True, text=True, check=True).stdout
self_counts = collections.Counter()
samples = 0
for event in text.split("jdk.ExecutionSample")[1:]:
    frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
    if not frames:
        continue
    samples += 1
    self_counts[frames[0]] += 1
print(f"{samples} execution samples")
print("| self | method |\n|---|---|")
for f, c in self_counts.most_common(n):
    print(f"| {c / samples:.1%} | `{f}` |")
# Where the samples fall by library: the share of samples with at least one frame of each on the stack.
LAYERS = [("token verification (Quarkus OIDC, jose4j)", r"io\.quarkus\.oidc|org\.jose4j"),
          ("JTA transactions (Narayana)", r"com\.arjuna|io\.quarkus\.narayana"),
          ("Hibernate ORM", r"org\.hibernate\.(?!validator)"), ("Bean Validation", r"org\.hibernate\.validator"),
          ("Jackson", r"com\.fasterxml"), ("PostgreSQL driver", r"org\.postgresql"), ("connection pool (Agroal)", r"io\.agroal"),
          ("logging", r"org\.jboss\.logmanager|accesslog"), ("audit (org.harbour.audit)", r"org\.harbour\.audit"),
          ("tenancy, rate limits, fair share (org.harbour.tenancy)", r"org\.harbour\.tenancy"),
          ("HTTP (Vert.x, Netty)", r"io\.netty|io\.vertx")]
layers = collections.Counter()
for event in text.split("jdk.ExecutionSample")[1:]:
    stack = "\n".join(re.findall(r"^\s+([\w$.<>]+)\(", event, re.M))
    for name, pattern in LAYERS:
        if stack and re.search(pattern, stack):
            layers[name] += 1
print("| on the stack | library |\n|---|---|")
for name, _ in LAYERS:
    print(f"| {layers[name] / samples:.1%} | {name} |")
