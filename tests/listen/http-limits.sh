#!/usr/bin/env bash
# HTTP ingest limits: --max-clients (a connection over the cap is answered
# 503 with Retry-After) and --max-rate (a request over the rate, 429).
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
printf 'a,b\n1,2\n' >body.csv
code() { curl -sS --max-time 30 -o "$1.json" -D "$1.head" -w '%{http_code}' --data-binary @body.csv "$2"; }

# One connection held open (half a request): the next is over --max-clients 1.
stream-parse --format csv --listen http://127.0.0.1:0/in --max-clients 1 >out1 2>err1 &
parse=$!
pids+=("$parse")
port_of err1 "$parse"
exec 3<>/dev/tcp/127.0.0.1/"$PORT"
printf 'POST /in HTTP/1.1\r\n' >&3
c=$(code busy "http://127.0.0.1:$PORT/in")
[ "$c" = 503 ] || fail "over --max-clients: status $c: $(cat busy.json)"
grep -qi '^Retry-After: 1' busy.head || fail "503 without Retry-After"
exec 3<&-
# Once it is gone, requests are served (its thread may take a moment to notice).
for ((i = 0; i < 50; i++)); do
  c=$(code ok "http://127.0.0.1:$PORT/in")
  [ "$c" = 200 ] && break
  sleep 0.1
done
[ "$c" = 200 ] || fail "after the held connection closed: status $c"
kill -TERM "$parse"
wait_gone "$parse"

# A rate of one request per 1000 s: the first passes, the second is refused.
stream-parse --format csv --listen http://127.0.0.1:0/in --max-rate 0.001 >out2 2>err2 &
parse=$!
pids+=("$parse")
port_of err2 "$parse"
c=$(code first "http://127.0.0.1:$PORT/in")
[ "$c" = 200 ] || fail "first request: status $c"
c=$(code second "http://127.0.0.1:$PORT/in")
[ "$c" = 429 ] || fail "over --max-rate: status $c: $(cat second.json)"
grep -qi '^Retry-After: 1' second.head || fail "429 without Retry-After"
[ "$(wc -l <out2)" = 1 ] || fail "records of a refused request: $(cat out2)"
kill -TERM "$parse"
wait_gone "$parse"
echo ok
