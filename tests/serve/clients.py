#!/usr/bin/env python3
"""Many Server-Sent Events clients at once, for the stream-serve load test
and benchmark.

clients.py URL COUNT [--stalled K] [--timeout S]

Opens COUNT connections to URL (an /events stream); K of them send the
request and then never read (with a small receive buffer); the others read
and discard everything. Runs until every reading connection has been closed
by the server, or SIGTERM, or --timeout seconds (default 120); then prints
how many streams opened (status 200), how many the server closed, and the
bytes read."""
import argparse
import selectors
import signal
import socket
import sys
import time
import urllib.parse

ap = argparse.ArgumentParser()
ap.add_argument("url")
ap.add_argument("count", type=int)
ap.add_argument("--stalled", type=int, default=0)
ap.add_argument("--timeout", type=float, default=120)
a = ap.parse_args()
u = urllib.parse.urlsplit(a.url)
target = u.path + ("?" + u.query if u.query else "")
request = f"GET {target} HTTP/1.1\r\nHost: {u.netloc}\r\nAccept: text/event-stream\r\n\r\n".encode()

stop = False


def on_term(*_):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
sel = selectors.DefaultSelector()
stalled = []
heads = {}
for i in range(a.count):
    s = socket.socket()
    if i < a.stalled:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((u.hostname, u.port))
    s.sendall(request)
    if i < a.stalled:
        stalled.append(s)
    else:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        heads[s] = b""
opened = closed = 0
nbytes = 0
deadline = time.monotonic() + a.timeout
while not stop and sel.get_map() and time.monotonic() < deadline:
    for key, _ in sel.select(timeout=0.5):
        s = key.fileobj
        try:
            data = s.recv(1 << 20)
        except (ConnectionResetError, BlockingIOError):
            data = b"" if not isinstance(sys.exc_info()[1], BlockingIOError) else None
        if data is None:
            continue
        if not data:
            closed += 1
            sel.unregister(s)
            s.close()
            continue
        nbytes += len(data)
        if s in heads:
            heads[s] += data
            if b"\r\n" in heads[s]:
                if heads[s].startswith(b"HTTP/1.1 200"):
                    opened += 1
                del heads[s]
print(f"readers: {a.count - a.stalled} streams opened: {opened} closed by the server: {closed} bytes read: {nbytes}",
      flush=True)
