#!/usr/bin/env bash
# Benchmark: stream-parse --listen http:// against reading a file, in the
# same run. N CSV sensor readings (default 2,000,000) are cut in batches of
# BATCH lines (default 10,000), each with the header; 8 clients (Python
# http.client, one keep-alive connection each, bench/http_post.py) post them
# to `stream-parse --format csv --listen http://127.0.0.1:0/ingest
# --max-rate 0`, which writes into a pipe (wc -l, which checks that every
# line came). Each answer must say every line of its batch was accepted, and
# comes only once they were written. Wall time from the first post to the
# last answer. The peer: `stream-parse --format csv` reading the whole file
# into the same kind of pipe. REPEAT=3 runs each, alternately; the best of
# each is kept. Prints lines/s and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000000}
BATCH=${BATCH:-10000}
REPEAT=${REPEAT:-3}
BIN=${BIN:-$PWD/build/bin}
[ -x "$BIN/stream-parse" ] || { bash scripts/build.sh >/dev/null; BIN=$PWD/build/bin; }
mkdir -p bench/data bench/out
csv=bench/data/sensors-$N.csv
[ -s $csv ] || bash bench/data.sh sensors-csv "$N" >$csv
parts=bench/out/http-part
rm -f $parts.*
head -1 $csv >bench/out/http-header
tail -n +2 $csv | split -l "$BATCH" -a 4 -d - $parts.
for f in $parts.[0-9]*; do cat bench/out/http-header "$f" >"$f.csv" && rm "$f"; done

now() { date +%s.%N; }
over_http() {
  local log=bench/out/http.err count=bench/out/http.count port i t
  rm -f $log
  "$BIN/stream-parse" --format csv --listen http://127.0.0.1:0/ingest --max-rate 0 2>$log | wc -l >$count &
  local pipeline=$!
  for ((i = 0; i < 100; i++)); do
    port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' $log 2>/dev/null | head -1)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "stream-parse did not listen" >&2; exit 1; }
  local pid
  pid=$(pgrep -f "stream-parse --format csv --listen http://127.0.0.1:0/ingest" -n)
  t=$(python3 bench/http_post.py "$port" /ingest 8 $parts.*.csv)
  kill -TERM "$pid"
  wait $pipeline || true
  [ "$(cat $count)" = "$N" ] || { echo "lines: $(cat $count) of $N" >&2; exit 1; }
  echo "$t"
}
from_file() {
  local start end
  start=$(now)
  "$BIN/stream-parse" --format csv $csv | wc -l >bench/out/http.count
  end=$(now)
  awk "BEGIN{print $end - $start}"
}
best_http="" best_file=""
for ((r = 0; r < REPEAT; r++)); do
  t=$(over_http)
  { [ -z "$best_http" ] || awk "BEGIN{exit !($t < $best_http)}"; } && best_http=$t
  t=$(from_file)
  { [ -z "$best_file" ] || awk "BEGIN{exit !($t < $best_file)}"; } && best_file=$t
done
rm -f $parts.*.csv
awk -v n="$N" -v batch="$BATCH" -v a="$best_http" -v b="$best_file" 'BEGIN{
  printf "8 HTTP clients, %d-line POSTs: %.2f s, %.2fM lines/s\n", batch, a, n / a / 1e6
  printf "one file, same lines:          %.2f s, %.2fM lines/s\n", b, n / b / 1e6
  printf "ratio (file / HTTP time):      %.2f\n", b / a }'
