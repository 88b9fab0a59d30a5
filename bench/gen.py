#!/usr/bin/env python3
"""Deterministic data generator for stream-utils benchmarks and samples.

  gen.py sensors-ndjson N [--sensors K] [--seed S]   sensor readings as NDJSON
  gen.py sensors-csv N ...                           the same readings as CSV
  gen.py access N                                    combined-format access log lines

Same arguments, same bytes: the generator uses its own LCG, not Python's
random module, so output does not depend on the Python version.
"""
import argparse
import sys

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class Lcg:
    def __init__(self, seed):
        self.x = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return self.x >> 33

    def below(self, n):
        return self.next() % n


BASE = 1795255200  # 2026-11-21T10:00:00Z


def iso(ms):
    import time
    s, frac = divmod(ms, 1000)
    t = time.gmtime(s)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, frac)


def sensors(n, k, seed, gap):
    r = Lcg(seed)
    ms = BASE * 1000
    for i in range(n):
        ms += 1 + r.below(gap)
        # a little disorder: some readings arrive up to 2 s late
        t = ms - (r.below(2000) if r.below(20) == 0 else 0)
        sensor = "s%d" % (1 + r.below(k))
        temp = "%.2f" % (15 + r.below(1500) / 100.0)
        hum = "%.1f" % (30 + r.below(400) / 10.0)
        status = "ok" if r.below(50) else "warn"
        yield iso(t), sensor, temp, hum, status


def cmd_sensors(args, csv):
    out = sys.stdout
    buf = []
    if csv:
        buf.append("time,sensor,temperature,humidity,status\n")
    for t, s, temp, hum, st in sensors(args.n, args.sensors, args.seed, args.gap_ms):
        if csv:
            buf.append("%s,%s,%s,%s,%s\n" % (t, s, temp, hum, st))
        else:
            buf.append('{"time":"%s","sensor":"%s","temperature":%s,"humidity":%s,"status":"%s"}\n' % (t, s, temp, hum, st))
        if len(buf) >= 10000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


def cmd_access(args):
    import time
    r = Lcg(args.seed)
    paths = ["/", "/index.html", "/api/items", "/api/items/42", "/login", "/static/app.js", "/img/logo.png"]
    agents = ["curl/8.5.0", "Mozilla/5.0 (X11; Linux x86_64)", "Go-http-client/1.1"]
    statuses = [200] * 30 + [304] * 4 + [404] * 3 + [500, 503]
    s = BASE
    buf = []
    for i in range(args.n):
        s += r.below(3)
        t = time.gmtime(s)
        ts = "%02d/%s/%04d:%02d:%02d:%02d +0000" % (t.tm_mday, MONTHS[t.tm_mon - 1], t.tm_year, t.tm_hour, t.tm_min, t.tm_sec)
        ip = "10.0.%d.%d" % (r.below(4), 1 + r.below(250))
        st = statuses[r.below(len(statuses))]
        size = "-" if st == 304 else str(200 + r.below(50000))
        buf.append('%s - - [%s] "GET %s HTTP/1.1" %d %s "-" "%s"\n' % (
            ip, ts, paths[r.below(len(paths))], st, size, agents[r.below(len(agents))]))
        if len(buf) >= 10000:
            sys.stdout.write("".join(buf))
            buf.clear()
    sys.stdout.write("".join(buf))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=["sensors-ndjson", "sensors-csv", "access"])
    p.add_argument("n", type=int)
    p.add_argument("--sensors", type=int, default=20)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--gap-ms", type=int, default=50, help="largest step between readings")
    a = p.parse_args()
    if a.kind == "access":
        cmd_access(a)
    else:
        cmd_sensors(a, a.kind == "sensors-csv")


if __name__ == "__main__":
    main()
