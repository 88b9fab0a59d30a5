#!/usr/bin/env bash
# Back-pressure: while the next stage does not read, stream-parse stops
# reading the sockets, so 2 clients sending 20 MB each block (each sent less);
# once the reader goes on, every line arrives, none lost or mixed.
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
mkfifo parsed gate
stream-parse --format csv --listen :0 >parsed 2>parse.err &
parse=$!
pids+=("$parse")
# The paused reader: opens the pipe, reads nothing until told.
(exec <parsed; read -r _ <gate; cat >out) &
pids+=($!)
port_of parse.err "$parse"
coproc CLIENTS { python3 "$here/clients.py" flood "$PORT" 2 20000000; }
pids+=("$CLIENTS_PID")
read -r -t 60 -u "${CLIENTS[0]}" sent || fail "clients did not report"
for s in $sent; do
  [ "$s" -lt 20000000 ] || fail "a client sent all its bytes while the reader was paused: $sent"
done
echo go >gate
echo rest >&"${CLIENTS[1]}"
wait "$CLIENTS_PID" || fail "clients failed"
kill -TERM "$parse"
wait_gone "$parse"
wait_gone "${pids[1]}"
for c in 0 1; do
  n=$(grep -c "^{\"client\":\"c$c\"" out)
  [ "$n" = 2000000 ] || fail "client c$c: $n lines of 2000000"
done
[ "$(wc -l <out)" = 4000000 ] || fail "extra lines: $(wc -l <out)"
echo ok
