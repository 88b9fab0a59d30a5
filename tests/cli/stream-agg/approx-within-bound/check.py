#!/usr/bin/env python3
"""--approx on skewed data (lognormal, Pareto, Zipf; generated from a fixed
LCG): percentiles must be within the documented 1% relative error of the
exact (linearly interpolated) percentile, distinct within 3 standard errors
(3 x 0.81%) of the exact count, and exact below 1024 distinct values."""
import json, math, subprocess


class Lcg:
    def __init__(self, seed):
        self.x = seed

    def uniform(self):  # in (0, 1)
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) % 2**64
        return ((self.x >> 11) + 0.5) / 2**53


def gen():
    r = Lcg(2026)
    for i in range(60000):
        u1, u2 = r.uniform(), r.uniform()
        z = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
        yield {"g": "lognormal", "v": math.exp(3 + 1.5 * z), "id": i % 45000}
    for i in range(40000):
        yield {"g": "pareto", "v": round(1 / r.uniform() ** (1 / 1.2), 3), "id": int(30000 * r.uniform() ** 3)}
    for i in range(3000):  # Zipf-like: few ids very often, many rarely
        yield {"g": "small", "v": -int(1 / r.uniform()), "id": int(1 / r.uniform()) % 700}


def exact_percentile(xs, p):
    h = (len(xs) - 1) * p / 100
    lo = int(h)
    if lo + 1 >= len(xs):
        return xs[lo]
    return xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo])


recs = list(gen())
ps = [1, 25, 50, 90, 99, 99.9]
specs = ["p%g:v" % p for p in ps] + ["distinct:id", "count"]
out = subprocess.run(["stream-agg", "--approx", "--by", "g"] + specs,
                     input="".join(json.dumps(r) + "\n" for r in recs).encode(), capture_output=True, check=True)
got = {json.loads(l)["g"]: json.loads(l) for l in out.stdout.decode().splitlines()}
for g in ["lognormal", "pareto", "small"]:
    vals = sorted(r["v"] for r in recs if r["g"] == g)
    worst = 0.0
    for p in ps:
        want = exact_percentile(vals, p)
        err = abs(got[g]["v_p%g" % p] - want) / abs(want)
        worst = max(worst, err)
    print(g, "percentiles within 1%:", worst <= 0.01)
    ids = len(set(r["id"] for r in recs if r["g"] == g))
    d = got[g]["id_distinct"]
    if ids < 1024:
        print(g, "distinct exact below 1024:", d == ids)
    else:
        print(g, "distinct within 3 standard errors:", abs(d - ids) / ids <= 3 * 0.0081)
    import sys; print(g, worst, d, ids, file=sys.stderr)
