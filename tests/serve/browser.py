#!/usr/bin/env python3
"""Headless Chromium loads the stream-serve dashboard and waits until its
chart shows the points of the live input, for tests/serve/browser.sh.

browser.py URL FIFO BATCH1 BATCH2 SCREENSHOT

Talks to Chromium over --remote-debugging-pipe (the DevTools protocol as
NUL-ended JSON on fds 3 and 4: no websocket library). Loads URL, waits until
the chart has drawn every record of BATCH1 (already written to the server's
input), then writes BATCH2 to FIFO (the server's input, live) and waits until
the chart has drawn those too; saves a PNG of the page, and fails on any
Content-Security-Policy violation or script error in the page's console.
Every wait is bounded (60 s in all)."""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

url, fifo, batch1, batch2, shot = sys.argv[1:6]
deadline = time.monotonic() + 60
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    sys.exit("chromium is not installed (scripts/deps.sh --test)")
profile = tempfile.mkdtemp()
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()


def child_fds():
    os.dup2(to_chrome_r, 3)
    os.dup2(from_chrome_w, 4)


proc = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
     "--disable-dev-shm-usage", "--disable-extensions", "--hide-scrollbars", "--remote-debugging-pipe",
     f"--user-data-dir={profile}", "about:blank"],
    pass_fds=(3, 4), preexec_fn=child_fds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_chrome_r)
os.close(from_chrome_w)
os.set_blocking(from_chrome_r, False)
buf = b""
next_id = 0
problems = []


def fail(msg):
    print("FAIL:", msg, flush=True)
    shutdown()
    sys.exit(1)


def shutdown():
    try:
        proc.kill()
        proc.wait(timeout=10)
    except Exception:
        pass
    shutil.rmtree(profile, ignore_errors=True)


def note(msg):
    """Console and log entries of the page: errors and CSP violations are problems."""
    m, p = msg.get("method"), msg.get("params", {})
    if m == "Runtime.exceptionThrown":
        problems.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:300])
    elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
        problems.append("console error: " + json.dumps(p.get("args", []))[:300])
    elif m == "Log.entryAdded":
        e = p.get("entry", {})
        if e.get("level") == "error" or "Content Security Policy" in e.get("text", ""):
            problems.append(f"log {e.get('source')}: {e.get('text', '')[:300]}")


def recv(want_id):
    global buf
    import select
    while time.monotonic() < deadline:
        while b"\0" in buf:
            raw, buf = buf.split(b"\0", 1)
            msg = json.loads(raw)
            if msg.get("id") == want_id:
                if "error" in msg:
                    fail(f"DevTools error: {msg['error']}")
                return msg.get("result", {})
            note(msg)
        r, _, _ = select.select([from_chrome_r], [], [], 0.5)
        if r:
            data = os.read(from_chrome_r, 1 << 20)
            if not data:
                fail("chromium ended")
            buf += data
    fail("timed out waiting for chromium")


def call(method, session=None, **params):
    global next_id
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params}
    if session:
        msg["sessionId"] = session
    data = json.dumps(msg).encode() + b"\0"
    while data:
        n = os.write(to_chrome_w, data)
        data = data[n:]
    return recv(next_id)


def evaluate(session, expr):
    r = call("Runtime.evaluate", session, expression=expr, returnByValue=True)
    return r.get("result", {}).get("value")


def wait_for_points(session, last_id, what):
    while time.monotonic() < deadline:
        v = evaluate(session, "[document.getElementById('chart').dataset.points, "
                              "document.getElementById('chart').dataset.lastId, "
                              "document.getElementById('status').textContent]")
        if v and int(v[1] or 0) >= last_id and int(v[0] or 0) > 0:
            print(f"ok: the chart shows {what} (event {v[1]}, status '{v[2]}')", flush=True)
            return int(v[0])
        time.sleep(0.2)
    fail(f"the chart never showed {what}: {v}")


target = call("Target.createTarget", url="about:blank")["targetId"]
session = call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
call("Runtime.enable", session)
call("Log.enable", session)
call("Page.enable", session)
call("Emulation.setDeviceMetricsOverride", session, width=1100, height=760, deviceScaleFactor=1, mobile=False)
call("Page.navigate", session, url=url)
n1 = sum(1 for _ in open(batch1))
n2 = sum(1 for _ in open(batch2))
p1 = wait_for_points(session, n1, f"the {n1} records written before the page loaded")
with open(fifo, "w") as f:  # live input, after the page is showing
    f.write(open(batch2).read())
p2 = wait_for_points(session, n1 + n2, f"the {n2} records written live")
if p2 <= p1:
    fail(f"no new points: {p1} then {p2}")
rows = evaluate(session, "document.querySelectorAll('#latest tbody tr').length")
if not rows:
    fail("the latest table is empty")
print(f"ok: the table shows {rows} keys", flush=True)
time.sleep(0.3)  # (one more redraw of the table and chart for the picture)
png = call("Page.captureScreenshot", session, format="png")["data"]
with open(shot, "wb") as f:
    f.write(base64.b64decode(png))
print("ok: screenshot saved", flush=True)
call("Runtime.evaluate", session, expression="1")  # collect the last console entries
if problems:
    fail("the page reported problems: " + "; ".join(problems))
print("ok: no CSP violation or script error", flush=True)
shutdown()
