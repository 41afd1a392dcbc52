"""make soak's report: the hostile phase against the clean one, goal by goal (exit status 1 when one is missed)."""
import json
import sys

clean, hostile = (json.load(open(p)) for p in sys.argv[1:3])
api_5xx = [int(open(p).read().strip() or 0) for p in sys.argv[3:5]]


def row(name, c, h):
    return f"  {name:<34} {c:>12} {h:>12}"


g0, g1 = clean["good"], hostile["good"]
print(f"make soak: {clean['seconds']:.0f} s clean, then {hostile['seconds']:.0f} s with avalon misbehaving "
      f"(rate factor {clean['rate']})")
print(row("well-behaved organizations", "clean", "hostile"))
print(row("2xx per second", f"{g0['2xx per second']:.1f}", f"{g1['2xx per second']:.1f}"))
print(row("p50 ms (from when it was due)", f"{g0['p50 ms']:.1f}", f"{g1['p50 ms']:.1f}"))
print(row("p99 ms (from when it was due)", f"{g0['p99 ms']:.1f}", f"{g1['p99 ms']:.1f}"))
print(row("5xx seen by the clients", g0["5xx"], g1["5xx"]))
print(row("5xx in the API's access log", api_5xx[0], api_5xx[1]))
for op in sorted(set(g0["operations"]) | set(g1["operations"])):
    a, b = g0["operations"].get(op, {}), g1["operations"].get(op, {})
    print(row(f"  {op} p99 ms", f"{a.get('p99 ms', 0):.1f}", f"{b.get('p99 ms', 0):.1f}")
          + f"   {a.get('statuses', {})} / {b.get('statuses', {})}")
print(row("webhook deliveries, p99 ms after a concern",
          f"{clean['webhooks']['delay to the next delivery at each good organization, p99 ms']:.0f}",
          f"{hostile['webhooks']['delay to the next delivery at each good organization, p99 ms']:.0f}"))
print(row("alert stream events", sum(clean["streamEvents"].values()), sum(hostile["streamEvents"].values())))
print("the misbehaving organization's requests (hostile phase), by status:")
for op, v in sorted(hostile["misbehaving"]["operations"].items()):
    print(f"    {op:<32} {v['statuses']}")
if hostile["misbehaving"]["transport errors"]:
    print(f"    transport errors (the API closed on it): {hostile['misbehaving']['transport errors']}")

throughput = g1["2xx per second"] / g0["2xx per second"]
p99 = g1["p99 ms"] / g0["p99 ms"]
once = [p["exactlyOnce"] for p in (clean, hostile)]
goals = [
    (f"throughput {throughput:.0%} of the clean run's (goal at least 80 %)", throughput >= 0.80),
    (f"p99 {p99:.2f} times the clean run's (goal at most 2)", p99 <= 2.0),
    (f"5xx: clients {g0['5xx'] + g1['5xx'] + hostile['misbehaving']['5xx']}, API log {sum(api_5xx)} (goal 0)",
     g0["5xx"] + g1["5xx"] + hostile["misbehaving"]["5xx"] + sum(api_5xx) == 0),
    ("every acknowledged write stored exactly once: "
     f"{sum(o['acknowledged writes checked'] for o in once)} checked, {sum(o['missing'] for o in once)} missing, "
     f"{sum(o['stored more than once'] for o in once)} more than once, "
     f"{sum(len(o['resends answered differently']) for o in once)} resends answered with another record",
     all(o["missing"] == 0 and o["stored more than once"] == 0 and not o["resends answered differently"] for o in once)),
    (f"well-behaved requests answered otherwise than expected: {sum(o['well-behaved requests answered other than expected'] for o in once)}",
     all(o["well-behaved requests answered other than expected"] == 0 for o in once)),
]
for o in once:
    for e in o["examples"] + o["unexpected answers, first 10"]:
        print("    " + e)
for text, ok in goals:
    print(("  MET     " if ok else "  MISSED  ") + text)
sys.exit(0 if all(ok for _, ok in goals) else 1)
