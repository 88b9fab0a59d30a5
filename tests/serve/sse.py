#!/usr/bin/env python3
"""Reads Server-Sent Events for the stream-serve tests.

sse.py URL COUNT [-H 'Name: value']... [--cafile PEM] [--timeout S]

Prints `status N`, then one line per event (`id=ID event=NAME data=DATA`,
comments left out) until COUNT events have come or the stream ends, then
`end` when the server ended the stream. Gives up after --timeout seconds
(default 20) with status 1: every wait is bounded."""
import argparse
import http.client
import ssl
import sys
import urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("url")
ap.add_argument("count", type=int)
ap.add_argument("-H", dest="headers", action="append", default=[])
ap.add_argument("--cafile")
ap.add_argument("--timeout", type=float, default=20)
a = ap.parse_args()
u = urllib.parse.urlsplit(a.url)
if u.scheme == "https":
    ctx = ssl.create_default_context(cafile=a.cafile)
    conn = http.client.HTTPSConnection(u.hostname, u.port, timeout=a.timeout, context=ctx)
else:
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=a.timeout)
headers = dict(h.split(": ", 1) for h in a.headers)
try:
    conn.request("GET", u.path + ("?" + u.query if u.query else ""), headers=headers)
    r = conn.getresponse()
    print("status", r.status, flush=True)
    if r.status != 200:
        print(r.read().decode(), flush=True)
        sys.exit(0)
    n, ev = 0, {}
    while n < a.count:
        line = r.readline()
        if not line:
            print("end", flush=True)
            break
        line = line.decode().rstrip("\n")
        if line == "":
            if "data" in ev:
                print(f"id={ev.get('id', '')} event={ev.get('event', 'message')} data={ev['data']}", flush=True)
                n += 1
            ev = {}
        elif line.startswith(":"):
            continue
        else:
            k, _, v = line.partition(":")
            v = v[1:] if v.startswith(" ") else v
            ev[k] = ev[k] + "\n" + v if k == "data" and k in ev else v
except (TimeoutError, OSError) as e:
    print("error:", e, flush=True)
    sys.exit(1)
