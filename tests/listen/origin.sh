#!/usr/bin/env bash
# The origin system: 20 clients at once each send 5,000 CSV readings with
# their own header (two column orders), in random-size chunks with pauses,
# some without a last newline. stream-parse --listen | stream-agg |
# stream-sink-sqlite --upsert: the averages table equals the clients' own
# computation, and nothing was rejected.
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
mkfifo parsed
stream-parse --format csv --listen :0 --rejects rejects.ndjson >parsed 2>parse.err &
parse=$!
pids+=("$parse")
stream-agg --by sensor mean:temperature mean:humidity count <parsed \
  | stream-sink-sqlite avg.db --table averages --upsert sensor 2>sink.err &
sink=$!
pids+=("$sink")
port_of parse.err "$parse"
python3 "$here/clients.py" origin "$PORT" 20 5000 7 >expected || fail "clients failed"
kill -TERM "$parse"
wait_gone "$parse"
wait "$parse"
[ $? = 143 ] || fail "stream-parse should die by SIGTERM"
wait_gone "$sink"
[ -s rejects.ndjson ] && fail "rejects: $(head -3 rejects.ndjson)"
sqlite3 -separator ' ' avg.db 'SELECT sensor, temperature_mean, humidity_mean, count FROM averages ORDER BY sensor' >got
[ "$(awk '{ n += $4 } END { print n }' got)" = 100000 ] || fail "count: $(cat got)"
python3 - expected got <<'PY' || fail "averages differ"
import sys
want = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1])}
got = {l.split()[0]: l.split()[1:3] for l in open(sys.argv[2])}
assert want.keys() == got.keys(), (want, got)
for k in want:
    for w, g in zip(want[k], got[k]):
        assert abs(float(w) - float(g)) <= 1e-9 * max(1, abs(float(w))), (k, w, g)
PY
echo ok
