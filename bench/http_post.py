#!/usr/bin/env python3
"""Posts CSV batches to stream-parse --listen http://: http_post.py PORT PATH
CLIENTS FILE... — CLIENTS threads, each with one keep-alive connection, share
the FILEs (each a batch with its CSV header) and post them; every answer must
be 200 with all of its batch's lines accepted. Prints the wall seconds from
the first post to the last answer."""
import http.client
import json
import queue
import sys
import threading
import time

port, path, clients, files = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4:]
bodies = []
for f in files:
    with open(f, "rb") as h:
        b = h.read()
    bodies.append((b, b.count(b"\n") - 1 + (0 if b.endswith(b"\n") else 1)))
work = queue.Queue()
for b in bodies:
    work.put(b)
errors = []


def client():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while True:
        try:
            body, lines = work.get_nowait()
        except queue.Empty:
            break
        c.request("POST", path, body=body, headers={"Content-Type": "text/csv"})
        r = c.getresponse()
        answer = r.read()
        if r.status != 200 or json.loads(answer)["accepted"] != lines:
            errors.append("%d %s" % (r.status, answer[:200]))
    c.close()


start = time.monotonic()
threads = [threading.Thread(target=client) for _ in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
end = time.monotonic()
if errors:
    sys.exit("errors: %s" % errors[:3])
print("%.3f" % (end - start))
