#!/usr/bin/env python3
"""Sends malformed and hostile requests to a server, for tests/serve/http.sh:
random bytes, broken request lines, bad versions, huge and endless headers,
bad percent-escapes, NUL bytes, a body on GET, slow half requests, and
connections closed mid-request. Each connection has a 5 s timeout; prints
how many were sent. The test then checks the server still answers.

garbage.py HOST PORT [SEED]"""
import random
import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
cases = [
    b"\x00\x01\x02\xff" * 100 + b"\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET / HTTP/9.9\r\n\r\n",
    b"GET /%zz%00%ff HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /events?since=99999999999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /events?since=-1 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /events HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 1\x00 2\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\nabc",
    b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n",
    b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 5000 + b"\r\n",
    b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\r\n\r\n",
    b"GET /latest?token=%00 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nRange: bytes=99999999-1\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\n",  # never ends
]
for _ in range(60):
    cases.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))))
    req = bytearray(b"GET /events?since=0 HTTP/1.1\r\nHost: x\r\nLast-Event-ID: 3\r\n\r\n")
    for _ in range(rng.randrange(1, 8)):
        req[rng.randrange(len(req))] = rng.randrange(256)
    cases.append(bytes(req))
sent = 0
for c in cases:
    s = socket.socket()
    s.settimeout(5)
    try:
        s.connect((host, port))
        if rng.random() < 0.3:
            s.sendall(c[: len(c) // 2])  # closed mid-request
        else:
            s.sendall(c)
            s.shutdown(socket.SHUT_WR)
            try:
                while s.recv(65536):
                    pass
            except OSError:
                pass
        sent += 1
    except OSError:
        sent += 1
    finally:
        s.close()
print(f"sent {sent} hostile requests")
