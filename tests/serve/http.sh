#!/usr/bin/env bash
# stream-serve over HTTP on loopback: the token (401 without it, events with
# it, in the header or the query), the security headers, /latest, /health,
# /config.json, SSE from the history, Last-Event-ID resume and its gap, live
# events, control events, what a client cannot do (other methods, paths
# outside the assets, oversized requests, too many streams), the end of
# input, and a stop signal.
#   tests/serve/http.sh BIN
set -u
BIN=$1
source "$(dirname "$0")/lib.sh"
cd "$(mktemp -d)" || exit 1
work=$PWD
trap 'cleanup; rm -rf "$work"' EXIT
expect() {  # DESCRIPTION GOT WANT
  [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
  echo "ok: $1"
}
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
# until_health PATTERN: waits (at most 10 s) until /health (with the token) shows PATTERN.
until_health() {
  local i
  for ((i = 0; i < 100; i++)); do
    curl -s "${auth[@]}" "${URL}health" | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  fail "/health never showed $1: $(curl -s "${auth[@]}" "${URL}health")"
}

echo s3cret-token > token
mkfifo in
exec 3<>in
start_server log --token token --by k --y v --history 5 <in
auth=(-H "Authorization: Bearer s3cret-token")

# The token.
expect "/events without the token" "$(code "${URL}events")" 401
expect "/latest without the token" "$(code "${URL}latest")" 401
expect "/config.json without the token" "$(code "${URL}config.json")" 401
expect "a wrong token" "$(code -H 'Authorization: Bearer s3cret-tokem' "${URL}latest")" 401
expect "a wrong ?token=" "$(code "${URL}latest?token=s3cret")" 401
expect "a longer token" "$(code "${URL}latest?token=s3cret-token2")" 401
expect "401 names the scheme" "$(curl -s -D - -o /dev/null "${URL}latest" | grep -ci '^WWW-Authenticate: Bearer')" 1
expect "the token in the header" "$(code "${auth[@]}" "${URL}latest")" 200
expect "the token in the query" "$(code "${URL}latest?token=s3cret-token")" 200
expect "the page needs no token" "$(code "${URL}")" 200
expect "the chart library needs no token" "$(code "${URL}chart.js")" 200
expect "/health without the token: no counts" "$(curl -s "${URL}health")" '{"status":"ok","input":"open"}'

# Security headers, on every response.
h=$(curl -s -D - -o /dev/null "${URL}")
grep -q "^Content-Security-Policy: default-src 'none'; script-src 'self'" <<<"$h" || fail "no CSP: $h"
grep -qi "^X-Content-Type-Options: nosniff" <<<"$h" || fail "no nosniff"
grep -qi "^Referrer-Policy: no-referrer" <<<"$h" || fail "no Referrer-Policy"
grep -qi "^X-Frame-Options: DENY" <<<"$h" || fail "no X-Frame-Options"
grep -q "^Content-Security-Policy" <(curl -s -D - -o /dev/null "${URL}events") || fail "no CSP on a 401"
echo "ok: security headers"
# The page loads only what the server serves (no outside origin).
curl -s "${URL}" | grep -oE '(src|href)="[^"]*"' | grep -vE '"(chart\.js|app\.js|app\.css|data:,)"' && fail "the page loads something else"
echo "ok: the page loads its own scripts only"

# What a client cannot do.
expect "POST" "$(code -X POST -d x "${URL}events")" 405
expect "a path outside the assets, without the token" "$(code --path-as-is "${URL}../../../../etc/passwd")" 401
expect "a path outside the assets" "$(code "${auth[@]}" --path-as-is "${URL}../../../../etc/passwd")" 404
expect "an encoded one" "$(code "${auth[@]}" --path-as-is "${URL}%2e%2e/%2e%2e/etc/passwd")" 404
expect "a file name" "$(code "${auth[@]}" "${URL}index.html")" 404
long=$(head -c 20000 /dev/zero | tr '\0' a)
expect "an over-long URI" "$(code "${URL}?q=$long")" 414
c=$(code -H "X-Big: $long" "${URL}")
[ "$c" -ge 400 ] && [ "$c" -lt 500 ] || [ "$c" = 000 ] || fail "an over-long header: $c"
echo "ok: an over-long header is refused ($c)"
expect "a bad Last-Event-ID" "$(code "${auth[@]}" -H 'Last-Event-ID: x' "${URL}events")" 400
# Malformed and hostile requests neither crash the server nor stop it serving.
port=${URL##*:}
timeout 100 python3 "$here/garbage.py" 127.0.0.1 "${port%/}" || fail "garbage.py"
kill -0 "$PID" 2>/dev/null || fail "the server died"
expect "still serving after them" "$(code "${URL}health")" 200

# Records: the history, /latest, /health.
printf '%s\n' '{"k":"a","v":1}' '{"k":"b","v":2}' '{"k":"a","v":3}' >&3
until_health '"records":3'
expect "/latest per key" "$(curl -s "${auth[@]}" "${URL}latest")" '{"a":{"k":"a","v":3},"b":{"k":"b","v":2}}'
expect "/config.json" "$(curl -s "${auth[@]}" "${URL}config.json")" '{"x":"","y":["v"],"by":"k","title":"","points":2000}'
sse "${URL}events?since=0&token=s3cret-token" 3 >all
expect "the history from the start" "$(cat all)" 'status 200
id=1 event=message data={"k":"a","v":1}
id=2 event=message data={"k":"b","v":2}
id=3 event=message data={"k":"a","v":3}'
expect "an SSE stream's type" "$(curl -s -m 1 -D - -o /dev/null "${auth[@]}" "${URL}events" | grep -i '^content-type' | tr -d '\r')" \
  "Content-Type: text/event-stream"
sse "${URL}events" 2 "${auth[@]}" -H "Last-Event-ID: 1" >resumed
expect "Last-Event-ID resumes after it" "$(tail -n +2 resumed | cut -d' ' -f1 | tr '\n' ' ')" "id=2 id=3 "

# Live events: a client waiting at the newest gets the next records as they come.
# It is registered once its response has begun (the status line is out);
# /health's count is no sign, as streams whose clients left count until the
# server next writes to them, and may go at any moment.
sse "${URL}events" 3 "${auth[@]}" >live 3>&- &
pids+=($!)
reader=$!
for ((i = 0; i < 300; i++)); do
  grep -q '^status 200' live 2>/dev/null && break
  sleep 0.1
done
grep -q '^status 200' live || fail "the live stream never began: $(cat live)"
printf '%s\n' '{"k":"c","v":4}' '{"_control":"close","window":1}' '{"k":"a","v":5}' >&3
wait "$reader"
expect "live events, a control record among them" "$(cat live)" 'status 200
id=4 event=message data={"k":"c","v":4}
id=5 event=control data={"_control":"close","window":1}
id=6 event=message data={"k":"a","v":5}'

# A resume from an id the history (--history 5) no longer holds: a gap event, then what is held.
for i in $(seq 7 12); do echo "{\"k\":\"a\",\"v\":$i}" >&3; done
until_health '"last_event_id":12'
sse "${URL}events" 6 "${auth[@]}" -H "Last-Event-ID: 2" >gap
expect "the gap" "$(sed -n 2p gap)" 'id= event=gap data={"missed":5}'
expect "then the events held" "$(tail -n +3 gap | cut -d' ' -f1 | tr '\n' ' ')" "id=8 id=9 id=10 id=11 id=12 "

# A bad line is rejected and counted, never served; the stream goes on.
echo 'not json' >&3
echo '{"k":"z","v":13}' >&3
until_health '"last_event_id":13'
until_grep log 'stdin:13: invalid JSON'

# The end of input: the last state is still served; a signal ends the tool.
exec 3>&-
until_health '"input":"ended"'
expect "after the end of input" "$(curl -s "${URL}health")" '{"status":"ok","input":"ended"}'
expect "/latest after the end" "$(curl -s "${auth[@]}" "${URL}latest" | head -c 21)" '{"a":{"k":"a","v":12}'
sse "${URL}events" 100 "${auth[@]}" >held 3>&- &
pids+=($!)
reader=$!
until_health '"clients":1'
kill -TERM "$PID"
wait_exit "$PID"
expect "status after SIGTERM" "$?" 143
wait "$reader"
expect "the client's stream ends with the server" "$(tail -1 held)" "end"

# --max-clients: one stream more gets 503; SIGINT ends the tool with 130.
exec 3<>in
start_server log2 --max-clients 1 <in
sse "${URL}events" 1 >first 3>&- &
pids+=($!)
until_health '"clients":1'
expect "a stream beyond --max-clients" "$(code -m 5 "${URL}events")" 503
expect "other requests still served" "$(code "${URL}latest")" 200
kill -INT "$PID"
wait_exit "$PID"
expect "status after SIGINT" "$?" 130
exec 3>&-
echo "all passed"
