#!/usr/bin/env bash
# --listen udp://: datagrams of several lines (every other one without its
# last newline: a datagram ends its line) from one sender are one source,
# named udp:127.0.0.1:PORT, whose CSV header came in its first datagram.
# Then the next stage is paused while a sender floods: the datagrams the
# kernel drops are counted (SO_RXQ_OVFL) and said on stderr, and the lines
# written plus the lines of the dropped datagrams are all that was sent.
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
client() { python3 "$here/netclient.py" "$@"; }

stream-parse --format csv --source-field src --listen udp://127.0.0.1:0 >out 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
[ "$(client udp 127.0.0.1 "$PORT" 200 5)" = "sent 200" ] || fail "sender"
for ((i = 0; i < 100 && $(wc -l <out) < 1000; i++)); do sleep 0.1; done
stop "$parse"
[ "$(wc -l <out)" = 1000 ] || fail "records: $(wc -l <out) of 1000; $(cat err)"
[ "$(grep -o '"src":"[^"]*"' out | sort -u)" = "\"src\":\"udp:127.0.0.1:$(grep -o '"src":"udp:127.0.0.1:[0-9]*"' out | head -1 | sed 's/.*://; s/"//')\"" ] \
  || fail "one source per sender: $(grep -o '"src":"[^"]*"' out | sort | uniq -c)"
python3 - out <<'PY' || fail "lines differ"
import json, sys
got = sorted((r["d"], r["l"]) for r in map(json.loads, open(sys.argv[1])))
assert got == [(d, l) for d in range(200) for l in range(5)], got[:10]
PY
grep -v 'listening on' err && fail "unexpected stderr"

# Drops, counted.
mkfifo parsed gate
stream-parse --format csv --listen udp://127.0.0.1:0 >parsed 2>err &
parse=$!
pids+=("$parse")
(exec <parsed; read -r _ <gate; cat >out) &
reader=$!
pids+=("$reader")
port_of err "$parse"
[ "$(client udp 127.0.0.1 "$PORT" 50000 5)" = "sent 50000" ] || fail "sender"
echo go >gate
for ((i = 0; i < 50; i++)); do  # until nothing more comes (bounded)
  n=$(wc -l <out)
  sleep 0.2
  [ "$n" = "$(wc -l <out)" ] && break
done
stop "$parse"
wait_gone "$reader"
dropped=$(sed -n 's/.* \([0-9]*\) datagrams dropped by the kernel.*/\1/p' err | tail -1)
[ -n "$dropped" ] || fail "no drops reported (the flood should overflow a paused reader): $(cat err)"
[ "$((dropped * 5 + $(wc -l <out)))" = 250000 ] || fail "written $(wc -l <out) + dropped $dropped x 5 != 250000"

# A UDP flood does not starve a TCP client of the same listener.
: >err
stream-parse --format csv --columns a,b --listen udp://127.0.0.1:0 --listen :0 >out 2>err &
parse=$!
pids+=("$parse")
for ((i = 0; i < 100 && $(grep -c 'listening on' err) < 2; i++)); do sleep 0.1; done
uport=$(sed -n 's/.*listening on udp:.*:\([0-9]*\)$/\1/p' err)
tport=$(sed -n 's/.*listening on tcp:.*:\([0-9]*\)$/\1/p' err)
[ -n "$uport" ] && [ -n "$tport" ] || fail "ports: $(cat err)"
python3 - "$uport" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + 20  # bounded: the test stops it sooner
while time.time() < end:
    s.sendto(b"u,1\nu,2\n", ("127.0.0.1", int(sys.argv[1])))
PY
flood=$!
pids+=("$flood")
wait_for out '"a":"u"'
printf 'tcp,1\n' | python3 "$here/netclient.py" plain 127.0.0.1 "$tport" >/dev/null
wait_for out '"a":"tcp"'
kill -0 "$flood" 2>/dev/null || fail "the flood ended before the TCP line came: not shown"
kill "$flood"
stop "$parse"
echo "ok ($dropped datagrams dropped and reported)"
