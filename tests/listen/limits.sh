#!/usr/bin/env bash
# Memory bounds. A line over --max-line whose newline comes in the same read
# as the lines around it is rejected and its connection closed (the client
# sees the close; the line before it is kept). --max-buffered: three clients
# each send a 20 MB line without its newline; the bytes held across them are
# capped, so while one is read the others wait (some sent less than all);
# once each ends its line, every line arrives whole.
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"

stream-parse --format csv --columns v --max-line 100 --listen :0 --rejects rej >out 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
python3 - "$PORT" <<'PY' || fail "the connection was not closed after a long line"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
s.sendall(b"before\n" + b"x" * 300 + b"\nafter\n")  # one send: one read on the server
assert s.recv(10) == b"", "not closed"
PY
stop "$parse"
[ "$(cat out)" = '{"v":"before"}' ] || fail "records: $(cat out)"
grep -q '"line":2' rej || fail "rejects: $(cat rej)"
grep -q 'closed: line longer than --max-line' err || fail "$(cat err)"

stream-parse --format csv --columns v --max-buffered 1M --listen :0 >out 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
python3 - "$PORT" <<'PY' || fail "clients"
import socket, sys, threading
port, total = int(sys.argv[1]), 20_000_000
sent = [0, 0, 0]
socks = [socket.create_connection(("127.0.0.1", port), timeout=20) for _ in range(3)]
def send(i):
    s = socks[i]
    s.settimeout(2)  # a send that waits this long: the server does not read this one now
    chunk = (b"%d" % i) * 65536
    try:
        while sent[i] < total:
            sent[i] += s.send(chunk[: total - sent[i]])
    except socket.timeout:
        pass
ts = [threading.Thread(target=send, args=(i,)) for i in range(3)]
for t in ts: t.start()
for t in ts: t.join(30)
assert min(sent) < total, "every client sent all of its line: nothing was held back (%s)" % sent
def rest(i):  # at once: the one being read must end its line for the others to be read
    socks[i].settimeout(60)
    socks[i].sendall((b"%d" % i) * (total - sent[i]) + b"\n")
    socks[i].close()
ts = [threading.Thread(target=rest, args=(i,)) for i in range(3)]
for t in ts: t.start()
for t in ts: t.join(90)
assert not any(t.is_alive() for t in ts), "the rest was not taken"
PY
for ((i = 0; i < 100 && $(wc -l <out) < 3; i++)); do sleep 0.1; done
stop "$parse"
[ "$(wc -l <out)" = 3 ] || fail "lines: $(wc -l <out); $(cat err)"
[ "$(wc -c <out)" = $((3 * (20000000 + 8 + 1))) ] || fail "bytes: $(wc -c <out)"
grep -q 'over --max-buffered' err || fail "$(cat err)"
echo ok
