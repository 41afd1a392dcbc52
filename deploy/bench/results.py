"""Reads the reports of the load tools the benchmarks run (wrk with --latency, pgbench)."""
import re


def wrk(path):
    """Requests per second, p50 and p99 in ms, non-2xx responses, socket errors."""
    t = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))

    def lat(p):
        v, u = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % p, t).groups()
        return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[u]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    errors = re.search(r"Socket errors: (.*)", t)
    return rps, lat("50"), lat("99"), int(non2xx.group(1)) if non2xx else 0, errors.group(1) if errors else "none"


def pgbench(path):
    """Transactions per second, mean latency in ms, failed transactions."""
    t = open(path).read()
    tps = float(re.search(r"tps = ([\d.]+)", t).group(1))
    lat = float(re.search(r"latency average = ([\d.]+) ms", t).group(1))
    failed = re.search(r"number of failed transactions: (\d+)", t)
    return tps, lat, int(failed.group(1)) if failed else 0


def pgbench_percentiles(path):
    """p50 and p99 in ms from pgbench's per-transaction log (-l): its third column is the latency in microseconds."""
    lat = sorted(int(line.split()[2]) for line in open(path) if line.strip())
    return lat[len(lat) // 2] / 1000, lat[min(len(lat) - 1, int(len(lat) * 0.99))] / 1000
