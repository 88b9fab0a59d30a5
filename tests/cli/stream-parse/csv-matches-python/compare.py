#!/usr/bin/env python3
"""Reference comparison: stream-parse's CSV parser against Python's csv module.

Generates tricky CSV files deterministically (quotes, doubled quotes, embedded
delimiters, newlines and CRLF, empty fields, unicode, long fields across SIMD
blocks and read buffers), runs `stream-parse --format csv --no-infer` on each,
and compares every record with what csv.reader + json produce. Prints nothing
and exits 0 when all agree; prints a diff and exits 1 otherwise.
"""
import csv
import io
import json
import subprocess
import sys
import tempfile
import os

WORDS = ["a", "b", "plain", "x y", " lead", "trail ", "caf\u00e9", "\u65e5\u672c", "\U0001F600", "0", "007",
         "-1.5", "null", "true", "{}", "\\", "'", "a;b", "tab\there"]
SPECIAL = ['"', '""', ",", "\n", "\r\n", "\r", ";", " "]


class Lcg:
    def __init__(self, seed):
        self.x = seed

    def below(self, n):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.x >> 33) % n


def make_field(r):
    kind = r.below(10)
    if kind == 0:
        return ""
    if kind <= 4:
        return WORDS[r.below(len(WORDS))]
    parts = []
    length = r.below(8) if r.below(12) else 20 + r.below(300)  # sometimes long: crosses 64-byte blocks
    for _ in range(length):
        parts.append(SPECIAL[r.below(len(SPECIAL))] if r.below(3) == 0 else WORDS[r.below(len(WORDS))])
    return "".join(parts)


def encode(field, delim, r, force_empty_quotes):
    needs = any(c in field for c in ('"', delim, "\n", "\r"))
    if field == "":
        return '""' if force_empty_quotes else ""
    if needs or r.below(4) == 0:  # quote some plain fields too
        return '"' + field.replace('"', '""') + '"'
    return field


def make_file(seed, delim, rows):
    r = Lcg(seed)
    ncols = 2 + r.below(6)
    header = ["col%d" % i if r.below(3) else "h\u00e9,%d \"q\"" % i for i in range(ncols)]
    records = [header]
    for _ in range(rows):
        records.append([make_field(r) for _ in range(ncols)])
    out = []
    for rec in records:
        # An all-empty record would be a blank line: quote one of its fields.
        force = all(f == "" for f in rec)
        line = delim.join(encode(f, delim, r, force and i == 0) for i, f in enumerate(rec))
        out.append(line + ("\r\n" if r.below(3) == 0 else "\n"))
    text = "".join(out)
    if r.below(2):
        text = text[:-2] if text.endswith("\r\n") else text[:-1]  # last line without a newline
    return text


def python_records(text, delim):
    rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim) if row]
    header, body = rows[0], rows[1:]
    return [list(zip(header, row)) for row in body]


def main():
    cases = [(seed, ",", 40) for seed in range(1, 60)] + [(seed, ";", 40) for seed in range(100, 110)]
    cases.append((999, ",", 9000))  # several MiB: records straddle the 1 MiB reads
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed, delim, rows in cases:
            text = make_file(seed, delim, rows)
            path = os.path.join(tmp, "t%d.csv" % seed)
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            want = python_records(text, delim)
            cmd = ["stream-parse", "--format", "csv", "--no-infer", "--delimiter", delim, path]
            res = subprocess.run(cmd, capture_output=True)
            got = [list(json.loads(line, object_pairs_hook=lambda p: p)) for line in res.stdout.decode().splitlines()]
            if res.returncode != 0 or got != want:
                failures += 1
                print("seed %d (%s): exit %d, %s" % (seed, os.environ.get("STREAM_UTILS_SIMD", "auto"),
                                                      res.returncode, res.stderr.decode()[:300]))
                for i in range(max(len(got), len(want))):
                    g = got[i] if i < len(got) else None
                    w = want[i] if i < len(want) else None
                    if g != w:
                        print("  record %d:\n    python:       %r\n    stream-parse: %r" % (i + 1, w, g))
                        break
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
