#!/usr/bin/env bash
# A stop signal while a request body is still arriving: the lines that came
# are written, the body's client is cut off with a warning on stderr (it is
# not taken silently), and stream-parse dies by the signal.
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
mkfifo go
stream-parse --format logfmt --listen http://127.0.0.1:0/in >out 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
python3 - "$PORT" <<'PY' &
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=60)
s.sendall(b"POST /in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\na=1\nb=2\n\r\n")
open("go").read()  # until the test has stopped the server
try:
    s.sendall(b"4\r\nc=3\n\r\n0\r\n\r\n")
    s.recv(1000)
except OSError:
    pass
PY
client=$!
pids+=("$client")
for ((i = 0; i < 300; i++)); do
  [ "$(wc -l <out)" = 2 ] && break
  sleep 0.1
done
[ "$(wc -l <out)" = 2 ] || fail "the first lines were not written: $(cat out err)"
kill -TERM "$parse"
wait "$parse"
status=$?
echo done >go
[ "$status" = 143 ] || fail "status $status after SIGTERM: $(cat err)"
grep -q 'http:127.0.0.1:[0-9]*#1: the server stopped reading this body' err || fail "no warning: $(cat err)"
[ "$(cat out)" = '{"a":1}
{"b":2}' ] || fail "records: $(cat out)"
wait "$client"
echo ok
