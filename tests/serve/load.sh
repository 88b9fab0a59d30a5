#!/usr/bin/env bash
# stream-serve under load, on loopback: 100 SSE clients, one of which never
# reads, while 1M records pass through --tee. Every record comes out of --tee
# in order, the stalled client is dropped (a line on stderr) and the others
# are never waited for, and the server's peak memory (VmHWM) stays bounded
# (the ring of --history events and a buffer per client, whatever the input's
# size). The throughput against a run without clients is in bench/serve.sh,
# not here (no timed assertion).
#   tests/serve/load.sh BIN
set -u
BIN=$1
source "$(dirname "$0")/lib.sh"
cd "$(mktemp -d)" || exit 1
work=$PWD
trap 'cleanup; [ -n "${KEEP:-}" ] && cp log "$KEEP"; rm -rf "$work"' EXIT
N=1000000
CLIENTS=100
BOUND_MB=200
stream-gen --seed 7 --start 2026-11-21T10:00:00Z --count $((N / 4)) --keys sensor=s1,s2,s3,s4 \
  'v=walk(20,0.5)' >records.ndjson || fail "stream-gen"
[ "$(wc -l <records.ndjson)" = $N ] || fail "the input is not $N records"
mkfifo in
exec 3<>in
start_server log --tee --by sensor --y v <in >out.ndjson
python3 "$here/clients.py" "${URL}events" $CLIENTS --stalled 1 --timeout 100 >clients.out 3>&- &
clients=$!
pids+=("$clients")
for ((i = 0; i < 100; i++)); do
  curl -s "${URL}health" | grep -q "\"clients\":$CLIENTS," && break
  sleep 0.1
done
curl -s "${URL}health" | grep -q "\"clients\":$CLIENTS," || fail "not $CLIENTS clients: $(curl -s "${URL}health")"
echo "ok: $CLIENTS streams open"
cat records.ndjson >&3
exec 3>&-
for ((i = 0; i < 600; i++)); do
  curl -s "${URL}health" | grep -q '"input":"ended"' && break
  sleep 0.1
done
health=$(curl -s "${URL}health")
grep -q '"input":"ended"' <<<"$health" || fail "the input did not end: $health"
grep -q "\"records\":$N," <<<"$health" || fail "not every record was served: $health"
cmp records.ndjson out.ndjson || fail "--tee's output differs from the input"
echo "ok: all $N records passed through --tee, in order, and into the ring"
# The client that never reads: dropped within the write timeout.
until_grep log 'dropped: it (read nothing|fell behind)'
echo "ok: the stalled client was dropped"
hwm=$(awk '/^VmHWM:/ {print int($2 / 1024)}' "/proc/$PID/status")
echo "peak memory of the server: ${hwm} MB" >&2
[ "$hwm" -lt $BOUND_MB ] || fail "peak memory ${hwm} MB, over $BOUND_MB MB"
echo "ok: peak memory under $BOUND_MB MB"
# Still serving after all that; a stop ends the clients' streams and the tool.
[ "$(curl -s -o /dev/null -w '%{http_code}' "${URL}latest")" = 200 ] || fail "/latest after the load"
grep -q '"s4":{' <(curl -s "${URL}latest") || fail "no key s4 in /latest"
echo "ok: still serving"
kill -TERM "$PID"
wait_exit "$PID"
[ $? = 143 ] || fail "status after SIGTERM"
wait_exit "$clients"
sed 's/bytes read: [0-9]*/bytes read: N/' clients.out >&2
grep -q "streams opened: $((CLIENTS - 1)) closed by the server: $((CLIENTS - 1))" clients.out || fail "clients: $(cat clients.out)"
echo "ok: every stream was closed by the server at the stop, status 143"
