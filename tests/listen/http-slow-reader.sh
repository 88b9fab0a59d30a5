#!/usr/bin/env bash
# HTTP back-pressure: while the next stage does not read, stream-parse stops
# reading the request body, so a client posting 2,000,000 lines (about 20 MB,
# chunked) blocks before it has sent them all and gets no answer; once the
# reader goes on, the body is taken whole and answered 200 with every line.
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
mkfifo parsed gate
stream-parse --format csv --columns client,seq --listen http://127.0.0.1:0/in >parsed 2>parse.err &
parse=$!
pids+=("$parse")
# The paused reader: opens the pipe, reads nothing until told.
(exec <parsed; read -r _ <gate; cat >out) &
reader=$!
pids+=("$reader")
port_of parse.err "$parse"
lines=2000000
coproc CLIENT { python3 "$here/http_client.py" flood "$PORT" /in none $lines; }
pids+=("$CLIENT_PID")
read -r -t 90 -u "${CLIENT[0]}" sent || fail "the client did not report"
[ "$sent" -lt $lines ] || fail "the client sent all its lines while the reader was paused"
echo go >gate
echo rest >&"${CLIENT[1]}"
read -r -t 90 -u "${CLIENT[0]}" status || fail "no answer"
read -r -t 10 -u "${CLIENT[0]}" body || fail "no answer body"
[ "$status" = "HTTP/1.1 200 OK" ] || fail "status: $status $body"
[ "$body" = "{\"accepted\":$lines,\"rejected\":0,\"rejects\":[]}" ] || fail "answer: $body"
kill -TERM "$parse"
wait_gone "$parse"
wait_gone "$reader"
[ "$(wc -l <out)" = $lines ] || fail "$(wc -l <out) lines of $lines"
[ "$(tail -1 out)" = "{\"client\":\"c\",\"seq\":$((lines - 1))}" ] || fail "last line: $(tail -1 out)"
echo ok
