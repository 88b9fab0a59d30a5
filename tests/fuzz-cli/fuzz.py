#!/usr/bin/env python3
"""CLI differential fuzzer for the four tools.

Feeds mutated real inputs (the files under samples/, plus known-bad lines) to
stream-parse, stream-window, stream-agg and stream-sink-sqlite, each run twice:
once as it runs (blocks of lines; stream-agg reads its pipe on a second thread), once with
STREAM_UTILS_JSON_BLOCK=0 and STREAM_UTILS_READ_AHEAD=0 (every line alone, on
one thread). For every run it checks that

  - the block path gives the same output, rejects and exit status as the
    per-line path;
  - the exit status is 0 or 1 (a bad line is never fatal, never a crash);
  - output plus rejects account for every input line (nothing lost);
  - stderr holds no AddressSanitizer / UndefinedBehaviorSanitizer report.

  fuzz.py --bin build-asan/bin --seconds 120 [--seed N] [--keep DIR]

Bounded in time (--seconds) and in count (--max-iterations). A failing input
is kept under --keep (default: a temporary folder that is printed) with the
command that failed; the status is then 1.
"""
import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(ROOT, "samples")

# Lines that broke or nearly broke a tool once, or that sit on a boundary.
BAD_LINES = [
    b'{"time":"2026-11-21T10:00:01Z","sensor":"s1","x":tru}',
    b'[1,,2]',
    b'{"time":"2026-11-21T10:00:01Z","a":1,}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":"s1","temperature":18446744073709551616}',
    b'{"time":"2026-11-21T10:00:01Z","x\\u0000y":3}',
    b'{"time":-9223372036854775808,"sensor":"s1"}',
    b'{"time":9223372036854775807,"sensor":"s1"}',
    b'{"time":"2026-13-45T99:99:99Z","sensor":"s1"}',
    b'{"time":"9999-12-31T23:59:59.999999999Z","sensor":"s1"}',
    b'{"time":"0001-01-01T00:00:00Z","sensor":"s1"}',
    b'{"time":1e300,"sensor":"s1"}',
    b'{"time":-1e300,"sensor":"s1"}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":"s1","sensor":"s2","temperature":1}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":"\xff\xfe","temperature":1}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":"\\ud800","temperature":1}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":1.0,"temperature":-0}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":1,"temperature":1e3}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":"s1","temperature":1e999}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":"s1","temperature":"NaN"}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":"s1","temperature":9223372036854775807}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":"s1","temperature":-9223372036854775808}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":{"a":[1,2]},"temperature":[1]}',
    b'{"_control":"close","window_start":"2026-11-21T10:00:00Z","window_end":"2026-11-21T10:00:10Z"}',
    b'{"_control":"bogus"}',
    b'{"_control":1}',
    b'{"_control":"checkpoint","source":"a.log","offset":12}',
    b'{"_control":"close","window_start":"2026-11-21T10:00:00Z"}',
    b'{"_control_":"close","time":"2026-11-21T10:00:01Z"}',
    b'{}',
    b'"just a string"',
    b'42',
    b'null',
    b'{"time":"2026-11-21T10:00:01Z"}{"time":"2026-11-21T10:00:02Z"}',
    b'{"time":"2026-11-21T10:00:01Z",',
    b'}',
    b'',
    b'   ',
    b'\r',
    b'\t{"time":"2026-11-21T10:00:05Z","sensor":"s9"}  ',
    b'{"time":"2026-11-21T10:00:01Z","x":' + b'[' * 2000 + b']' * 2000 + b'}',
    b'{"time":"2026-11-21T10:00:01Z","x":"' + b'y' * 5000 + b'"}',
    b'{"time":"2026-11-21T10:00:01Z","sensor":"s1","temperature":1.5e-400}',
    b'{"time":"2026-11-21T10:00:01.123456789123Z","sensor":"s1"}',
    b'{"time":"2026-11-21 10:00:01","sensor":"s1"}',
    b'{"time":1795255201,"sensor":"s1"}',
    b'{"time":1795255201123,"sensor":"s1"}',
    b'{"time":"1795255201.5","sensor":"s1"}',
    b'a,b,"c\nd",e',
    b'"unterminated,quote',
    b'level=info msg="unterminated',
    b'key==value =x',
    b'10.0.0.1 - - [31/Feb/2026:25:61:61 +9999] "GET / HTTP/1.1" 200 -',
    b'<999>Nov 31 99:99:99 host app[x]: msg',
]


def mutate(lines, rng):
    lines = list(lines)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(10)
        i = rng.randrange(len(lines)) if lines else 0
        if op == 0 and lines:
            lines[i] = rng.choice(BAD_LINES)
        elif op == 1:
            lines.insert(i, rng.choice(BAD_LINES))
        elif op == 2 and lines and lines[i]:
            b = bytearray(lines[i])
            b[rng.randrange(len(b))] = rng.randrange(256)
            lines[i] = bytes(b).replace(b"\n", b" ")
        elif op == 3 and lines and lines[i]:
            lines[i] = lines[i][: rng.randrange(len(lines[i]))]
        elif op == 4 and lines:
            lines.insert(i, lines[i])
        elif op == 5 and len(lines) > 1:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 6 and len(lines) > 1 and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
        elif op == 7 and lines:
            lines[i] = lines[i] + b"\r"
        elif op == 8 and lines:
            b = lines[i]
            k = rng.randrange(len(b) + 1)
            lines[i] = b[:k] + rng.choice([b'"', b"\\", b",", b"{", b"}", b"\x00", b"\xc3", b"=", b" "]) + b[k:]
        elif op == 9 and len(lines) > 2:
            del lines[i]
    return lines


def sanitizer_report(err):
    return "AddressSanitizer" in err or "runtime error:" in err or "LeakSanitizer" in err


CONTROL_RE = re.compile(rb'^\s*\{\s*"_control"\s*:')


def control_lines(data):
    """Line numbers (1-based) of lines a tool takes as control records."""
    out = set()
    for n, line in enumerate(data.split(b"\n"), 1):
        if CONTROL_RE.match(line):
            try:
                json.loads(line.decode("utf-8"))
                out.add(n)
            except Exception:
                pass
    return out


def nonblank(data):
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return sum(1 for l in lines if l.strip(b" \t\r"))


class Failure(Exception):
    pass


class Fuzzer:
    def __init__(self, bindir, work):
        self.bindir = bindir
        self.work = work
        self.runs = 0

    def run(self, tool, args, data, per_line, db=None):
        env = dict(os.environ)
        env["STREAM_UTILS_JSON_BLOCK"] = "0" if per_line else "1"
        env["STREAM_UTILS_READ_AHEAD"] = "0" if per_line else "1"
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
        rej = os.path.join(self.work, "rejects.ndjson")
        if os.path.exists(rej):
            os.unlink(rej)
        cmd = [os.path.join(self.bindir, tool)] + args + ["--rejects", rej]
        try:
            p = subprocess.run(cmd, input=data, capture_output=True, env=env, timeout=60)
        except subprocess.TimeoutExpired:
            raise Failure(f"{tool} {' '.join(args)}: timed out after 60 s")
        self.runs += 1
        err = p.stderr.decode("utf-8", "replace")
        if sanitizer_report(err):
            raise Failure(f"{tool} {' '.join(args)}: sanitizer report:\n{err[:4000]}")
        if p.returncode not in (0, 1):
            raise Failure(f"{tool} {' '.join(args)}: exit status {p.returncode}:\n{err[:2000]}")
        rejects = open(rej, "rb").read() if os.path.exists(rej) else b""
        return p.stdout, rejects, p.returncode

    def both(self, tool, args, data, table=None):
        """Runs the block path and the per-line path; returns the block path's result."""
        results = []
        for per_line in (False, True):
            db = None
            a = list(args)
            if table is not None:
                db = os.path.join(self.work, f"fuzz{int(per_line)}.db")
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(db + suffix):
                        os.unlink(db + suffix)
                a = [db] + a
            out, rej, status = self.run(tool, a, data, per_line)
            if table is not None:
                out = dump_table(db, table)
            results.append((out, rej, status))
        if results[0] != results[1]:
            what = [n for n, x, y in zip(("output", "rejects", "status"), results[0], results[1]) if x != y]
            raise Failure(f"{tool} {' '.join(args)}: block path and per-line path differ in {', '.join(what)}")
        return results[0]

    def one(self, rng):
        kind = rng.choice(["ndjson", "ndjson", "ndjson", "csv", "logfmt", "combined", "syslog"])
        sample = {"ndjson": "sensors.ndjson", "csv": "sensors.csv", "logfmt": "app.logfmt",
                  "combined": "access.log", "syslog": "syslog.log"}[kind]
        lines = open(os.path.join(SAMPLES, sample), "rb").read().split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        start = rng.randrange(len(lines))
        lines = lines[start : start + rng.randint(1, 200)]
        if kind == "csv":
            lines.insert(0, b"time,sensor,temperature,humidity,status")
        lines = mutate(lines, rng)
        data = b"\n".join(lines) + (b"\n" if rng.random() < 0.9 else b"")
        self.last = (kind, data)

        # stream-parse: every non-blank line is a record or a reject.
        out, rej, _ = self.both("stream-parse", ["--format", kind], data)
        if kind in ("ndjson", "logfmt", "combined", "syslog"):
            got = out.count(b"\n") + rej.count(b"\n")
            want = nonblank(data) - len(control_lines(data) if kind == "ndjson" else ())
            # stream-parse passes control records on (CONTRACT 3): they are output too.
            if kind == "ndjson":
                want += len(control_lines(data) - rejected_lines(rej))
            if got != want:
                raise Failure(f"stream-parse --format {kind}: {got} records + rejects for {want} lines")
        # --follow --once over the same bytes as a file: the same records and
        # rejects as plain reading (a last line without a newline is left for
        # a next run, so only input that ends with one).
        if data.endswith(b"\n"):
            path = os.path.join(self.work, "follow.input")
            with open(path, "wb") as f:
                f.write(data)
            plain = self.run("stream-parse", ["--control", "never", "--format", kind, path], b"", False)
            followed = self.run("stream-parse", ["--follow", "--once", "--control", "never", "--format", kind, path],
                                b"", False)
            # A CSV quote still open at the end is a record still being
            # written for --follow (left for a next run), a reject for plain reading.
            open_quote = b"unterminated quoted field" in plain[1]
            if plain != followed and not open_quote:
                what = [n for n, x, y in zip(("output", "rejects", "status"), plain, followed) if x != y]
                raise Failure(f"stream-parse --format {kind} --follow --once: differs from plain reading in {', '.join(what)}")
        if kind != "ndjson":
            data = out  # the other tools read what stream-parse wrote
        controls = control_lines(data)

        def accounted(tool, got_out, rej):
            accepted_controls = len(controls - rejected_lines(rej))
            n_rej = rej.count(b"\n")
            got = got_out + n_rej + accepted_controls
            want = nonblank(data)
            if got != want:
                raise Failure(f"{tool}: {got_out} out + {n_rej} rejects + {accepted_controls} "
                              f"control records for {want} lines")

        size = rng.choice(["10s", "1m", "1h"])
        wargs = rng.choice([["--tumbling", size], ["--hopping", size, "--every", "5s"], ["--session", size],
                            ["--session", "30s", "--by", "sensor"],
                            ["--count", "3"], ["--count", "3", "--by", "sensor"]])
        wargs = wargs + rng.choice([[], ["--max-buffer", "2K"]] + ([["--grace", "1m"]] if wargs[0] != "--count" else []))
        args = ["--control", "never"] + (["--time", "time"] if wargs[0] != "--count" else []) + wargs
        out, rej, _ = self.both("stream-window", args, data)
        if wargs[0] in ("--tumbling", "--session") or (wargs[0] == "--count" and "--max-buffer" not in wargs):
            # each accepted record is in exactly one window
            accounted("stream-window " + " ".join(args), out.count(b"\n"), rej)

        out, rej, _ = self.both("stream-agg", ["--control", "never", "--by", "sensor", "count", "mean:temperature",
                                              "p50:humidity", "distinct:status"], data)
        total = 0
        for line in out.split(b"\n"):
            if line:
                total += json.loads(line)["count"]
        accounted("stream-agg", total, rej)

        out, rej, _ = self.both("stream-sink-sqlite", ["--table", "t"], data, table="t")
        rows = 0 if not out else out.count(b"\n") - 1  # the first line names the columns
        accounted("stream-sink-sqlite", rows, rej)


def rejected_lines(rej):
    out = set()
    for line in rej.split(b"\n"):
        if line:
            out.add(json.loads(line)["line"])
    return out


def dump_table(db, table):
    if not os.path.exists(db):
        return b""
    con = sqlite3.connect(db)
    try:
        cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
        if not cols:
            return b""
        out = []
        for row in con.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
            out.append(json.dumps([repr(v) for v in row]))
        return ("\n".join([json.dumps(cols)] + out) + "\n").encode()
    finally:
        con.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--max-iterations", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", default=None, help="folder for a failing input (default: a new temporary one)")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else int(time.time())
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="fuzz-cli-")
    f = Fuzzer(os.path.abspath(a.bin), work)
    deadline = time.monotonic() + a.seconds
    n = 0
    try:
        while n < a.max_iterations and time.monotonic() < deadline:
            n += 1
            try:
                f.one(rng)
            except Failure as e:
                keep = a.keep or tempfile.mkdtemp(prefix="fuzz-cli-failure-")
                os.makedirs(keep, exist_ok=True)
                kind, data = f.last
                path = os.path.join(keep, f"input.{kind}")
                open(path, "wb").write(data)
                print(f"fuzz-cli: FAILED at iteration {n} (seed {seed}): {e}\n  input ({kind}): {path}", file=sys.stderr)
                return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"fuzz-cli: {n} inputs, {f.runs} tool runs, no difference, loss or crash (seed {seed}, {a.seconds:g} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
