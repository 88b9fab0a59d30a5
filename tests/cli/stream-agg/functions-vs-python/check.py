#!/usr/bin/env python3
"""Checks every stream-agg function against an independent computation with
Python's fractions, decimal, statistics and collections modules: exact
rational arithmetic, rounded once to a double at the end, so results must
match to the last bit. Prints "ok FUNC" per function, or the mismatches."""
import json, re, subprocess, sys
from collections import Counter
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 60
NUM = re.compile(r'-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$')
I64 = 2**63


class Lcg:
    def __init__(self, seed):
        self.x = seed

    def next(self):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) % 2**64
        return self.x >> 11


def records():
    r = Lcg(7)
    # plain floats and ints with nulls, missing fields, strings and booleans
    for i in range(400):
        g = "abc"[r.next() % 3]
        k = r.next() % 20
        if k == 0:
            yield {"g": g, "x": None}
        elif k == 1:
            yield {"g": g}
        elif k == 2:
            yield {"g": g, "x": "n/a"}
        elif k == 3:
            yield {"g": g, "x": True}
        elif k == 4:
            yield {"g": g, "x": str(r.next() % 1000)}          # numeric string
        elif k < 10:
            yield {"g": g, "x": int(r.next() % 2001) - 1000}
        else:
            yield {"g": g, "x": (r.next() / 2**53 - 0.5) * 10 ** (r.next() % 7)}
    # huge and tiny floats: cancellation that naive summation gets wrong
    for x in [1e300, 3.5, -1e300, 1e-300, 5e-324, 2.5e-310, 1e16, 1.0, -1e16, 0.1, 0.2, 0.3]:
        yield {"g": "extreme", "x": x}
    # int64 overflow: the sum becomes a double
    for x in [I64 - 1, I64 - 1, 10, -3]:
        yield {"g": "big", "x": x}
    for x in [-I64, -5, 2]:
        yield {"g": "bigneg", "x": x}
    # strings for min/max/first/last/distinct/mode, mixed with numbers
    for x in ["pear", "apple", None, "zebra", 42, "apple", 7.5, "Apple", "pear", "pear", 42.0]:
        yield {"g": "words", "x": x}
    yield {"g": "empty"}
    yield {"g": "one", "x": 2.5}


def number(v):
    """The number stream-agg reads, or None (skip) / 'skip' (counted)."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "skip"
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str) and NUM.match(v):
        if re.match(r'-?\d+$', v) and -I64 <= int(v) < I64:
            return int(v)
        return float(v)
    return "skip"


def canon(v):
    if isinstance(v, float) and v == int(v) and abs(v) < 9.2e18:
        v = int(v)
    return json.dumps(v, separators=(",", ":"))


def rnd(q):
    return float(q) if q is not None else None


def percentile(xs, p):
    if not xs:
        return None
    s = sorted(Fraction(x) for x in xs)
    h = (len(s) - 1) * Fraction(p) / 100
    lo = int(h)
    if lo + 1 >= len(s):
        return float(s[lo])
    return float(s[lo] + (h - lo) * (s[lo + 1] - s[lo]))


def expected(vals):
    nums = [number(v) for v in vals]
    nums = [n for n in nums if n is not None and n != "skip"]
    present = [v for v in vals if v is not None]
    out = {"count": None}
    exact = [Fraction(n) for n in nums]
    if all(isinstance(n, int) for n in nums) and -I64 <= sum(nums) < I64:
        out["sum"] = sum(nums)
    else:
        out["sum"] = float(sum(exact))
    out["mean"] = float(sum(exact) / len(exact)) if exact else None
    if len(exact) >= 2:
        m = sum(exact) / len(exact)
        var = sum((x - m) ** 2 for x in exact) / (len(exact) - 1)
        try:
            out["var"] = float(var)
        except OverflowError:  # written as null
            out["var"] = None
        out["stddev"] = float((Decimal(var.numerator) / Decimal(var.denominator)).sqrt())
    else:
        out["var"] = out["stddev"] = None
    strs = [v for v in present if isinstance(v, str) and number(v) == "skip"]
    if nums:
        out["min"] = min(nums, key=Fraction)
    elif strs:
        out["min"] = min(strs)
    else:
        out["min"] = None
    out["max"] = max(strs) if strs else (max(nums, key=Fraction) if nums else None)
    out["first"] = present[0] if present else None
    out["last"] = present[-1] if present else None
    out["median"] = percentile(nums, 50)
    out["p90"] = percentile(nums, 90)
    out["p99.9"] = percentile(nums, "99.9")
    out["p0"] = percentile(nums, 0)
    out["p100"] = percentile(nums, 100)
    out["distinct"] = len(set(canon(v) for v in present))
    c = Counter(canon(v) for v in present)
    best = None
    for v in present:  # first seen among ties
        if best is None or c[canon(v)] > c[best]:
            best = canon(v)
    out["mode"] = json.loads(best) if best else None
    return out


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and float(a) == float(b) and type(a) is not bool
    return a == b and type(a) == type(b)


def main():
    recs = list(records())
    data = "".join(json.dumps(r) + "\n" for r in recs)
    funcs = ["count", "sum", "mean", "min", "max", "first", "last", "stddev", "var",
             "median", "p90", "p99.9", "p0", "p100", "distinct", "mode"]
    specs = ["count"] + [f + ":x" for f in funcs[1:]]
    run = subprocess.run(["stream-agg", "--by", "g"] + specs, input=data.encode(), capture_output=True)
    got = {}
    for line in run.stdout.decode().splitlines():
        r = json.loads(line)
        got[r["g"]] = r
    groups = {}
    for r in recs:
        groups.setdefault(r["g"], []).append(r.get("x"))
    bad = Counter()
    for g, vals in groups.items():
        want = expected(vals)
        want["count"] = len(vals)
        for f in funcs:
            name = "count" if f == "count" else "x_" + f
            if not same(got[g][name], want[f]):
                bad[f] += 1
                print(f"MISMATCH {g} {f}: got {got[g][name]!r} want {want[f]!r}")
    for f in funcs:
        if not bad[f]:
            print("ok", f)
    skipped = sum(1 for r in recs if number(r.get("x")) == "skip")
    print("stderr:", run.stderr.decode().strip().splitlines()[0] if run.stderr else "", "| python counts", skipped)
    print("status", run.returncode)


main()
