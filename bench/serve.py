#!/usr/bin/env python3
"""One timed run for bench/serve.sh: starts stream-serve --tee on FILE
(through a pipe the driver writes), with CLIENTS SSE clients connected first
(STALLED of them never read; tests/serve/clients.py), and prints the seconds
from the first byte written to the end of --tee's output, and the server's
peak RSS (VmHWM, MB). The server is then stopped.

serve.py BIN FILE CLIENTS STALLED [--tls CERT KEY]"""
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request

bin_, path, clients, stalled = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
tls = sys.argv[5:8] if len(sys.argv) > 5 else None
here = os.path.dirname(os.path.abspath(__file__))
args = [f"{bin_}/stream-serve", "--listen", "127.0.0.1:0", "--tee", "--by", "sensor", "--y", "temperature"]
if tls:
    args += ["--tls-cert", tls[1], "--tls-key", tls[2]]
srv = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
url = None
for _ in range(100):
    line = srv.stderr.readline().decode()
    m = re.search(r"(https?://127\.0\.0\.1:\d+/)", line)
    if m:
        url = m.group(1)
        break
if not url:
    sys.exit("the server did not start")
threading.Thread(target=lambda: [None for _ in srv.stderr], daemon=True).start()  # drain the drop lines
cl = None
if clients:
    if tls:
        sys.exit("clients over TLS are not measured")
    # CLIENTS_NICE=N: the clients at that niceness, as if they ran elsewhere
    # and took less of this machine's cores.
    nice = int(os.environ.get("CLIENTS_NICE", "0"))
    cl = subprocess.Popen(["nice", "-n", str(nice), sys.executable, os.path.join(here, "..", "tests", "serve", "clients.py"), url + "events",
                           str(clients), "--stalled", str(stalled), "--timeout", "300"], stdout=subprocess.DEVNULL)
    for _ in range(200):
        h = urllib.request.urlopen(url + "health").read().decode()
        if f'"clients":{clients},' in h:
            break
        time.sleep(0.05)
    else:
        sys.exit("the clients did not connect: " + h)
out_bytes = [0]


def drain():
    while True:
        b = srv.stdout.read(1 << 20)
        if not b:
            return
        out_bytes[0] += len(b)


t = threading.Thread(target=drain)
t0 = time.monotonic()
t.start()
with open(path, "rb") as f:
    while True:
        b = f.read(1 << 20)
        if not b:
            break
        srv.stdin.write(b)
srv.stdin.close()
t.join()
secs = time.monotonic() - t0
hwm = 0
with open(f"/proc/{srv.pid}/status") as st:
    for line in st:
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) // 1024
srv.terminate()
srv.wait()
if cl:
    cl.terminate()
    cl.wait()
if out_bytes[0] != os.path.getsize(path):
    sys.exit(f"--tee wrote {out_bytes[0]} bytes of {os.path.getsize(path)}")
print(f"{secs:.3f} {hwm}")
