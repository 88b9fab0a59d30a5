#!/usr/bin/env python3
"""Clients for the stream-parse --listen tests, with the independent answer.

origin PORT N LINES SEED: N clients at once, each sends its own CSV header
(its own column order) and LINES readings in random-size chunks with short
pauses; prints the expected mean temperature and humidity per sensor as
`sensor mean_t mean_h` lines (computed here, not by the tools).

flood PORT N BYTES: N clients each try to send BYTES of lines `c,i` with a
bounded time (a few seconds) for the sends; prints how many bytes each sent.
A downstream that is paused must make them block (fewer than BYTES sent).

finish PORT N BYTES SENT...: the rest of each flood client's bytes (after SENT).
"""
import random
import socket
import sys
import threading
import time


def origin(port, n, lines, seed):
    rng = random.Random(seed)
    sums = {}
    payloads = []
    for c in range(n):
        cols = ["sensor", "temperature", "humidity"]
        if c % 2:
            cols = ["humidity", "sensor", "temperature"]  # a header of its own
        out = [",".join(cols)]
        for i in range(lines):
            rec = {"sensor": "s%d" % rng.randrange(5), "temperature": "%.2f" % rng.uniform(-10, 40),
                   "humidity": "%.1f" % rng.uniform(0, 100)}
            s = sums.setdefault(rec["sensor"], [0, 0.0, 0.0])
            s[0] += 1
            s[1] += float(rec["temperature"])
            s[2] += float(rec["humidity"])
            out.append(",".join(rec[k] for k in cols))
        body = "\n".join(out)
        if c % 3 == 0:
            body += "\n"  # the others end without a newline: a record at disconnect
        payloads.append(body.encode())

    errors = []

    def send(data, r):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            at = 0
            while at < len(data):
                k = r.randrange(1, 4000)
                s.sendall(data[at:at + k])
                at += k
                if r.random() < 0.01:
                    time.sleep(r.uniform(0, 0.02))
            s.close()
        except Exception as e:  # reported, and the test fails
            errors.append(str(e))

    threads = [threading.Thread(target=send, args=(p, random.Random(seed + i))) for i, p in enumerate(payloads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    if errors or any(t.is_alive() for t in threads):
        sys.exit("client errors: %s" % errors)
    for k in sorted(sums):
        c, t, h = sums[k]
        print(k, repr(t / c), repr(h / c))


def flood(port, n, total):
    sent = [0] * n
    line = b"".join(b"c%d,%06d\n" % (0, i) for i in range(1000))

    def send(c):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"client,i\n")
        s.settimeout(3)  # a send that waits this long: the server stopped reading
        data = line.replace(b"c0,", b"c%d," % c)
        try:
            while sent[c] < total:
                k = s.send(data[: min(len(data), total - sent[c])])
                sent[c] += k
                data = data[k:] or line.replace(b"c0,", b"c%d," % c)
        except socket.timeout:
            pass
        socks[c] = s

    socks = [None] * n
    threads = [threading.Thread(target=send, args=(c,)) for c in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    print(" ".join(str(x) for x in sent))
    sys.stdout.flush()
    # Then send the rest, blocking, and close (the reader is resumed by now).
    sys.stdin.readline()

    def rest(c):
        s = socks[c]
        s.settimeout(60)
        whole = line.replace(b"c0,", b"c%d," % c) * (total // len(line) + 2)
        s.sendall(whole[sent[c] % len(line):][: total - sent[c]])
        s.close()

    threads = [threading.Thread(target=rest, args=(c,)) for c in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)


if __name__ == "__main__":
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "origin":
        origin(port, int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        flood(port, int(sys.argv[3]), int(sys.argv[4]))
