#!/usr/bin/env bash
# Benchmark: stream-parse --listen over loopback against reading a file, in
# the same run. N CSV sensor readings (default 2,000,000) are split in 8
# parts, each with the header; 8 clients send them at once (bash /dev/tcp and
# cat) to `stream-parse --format csv --listen :0`, which writes into a pipe
# (wc -l, which checks that every line came). The peer: `stream-parse
# --format csv` reading the whole file into the same kind of pipe. Wall time
# from the first send until every line has been written (the listener is
# stopped by SIGTERM once the clients are done; its drain ends as
# soon as the sockets are quiet, 0.1 s, which is counted). REPEAT=3 runs each,
# alternately; the best of each is kept. Prints lines/s and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000000}
REPEAT=${REPEAT:-3}
BIN=${BIN:-$PWD/build/bin}
[ -x "$BIN/stream-parse" ] || { bash scripts/build.sh >/dev/null; BIN=$PWD/build/bin; }
mkdir -p bench/data bench/out
csv=bench/data/sensors-$N.csv
[ -s $csv ] || bash bench/data.sh sensors-csv "$N" >$csv
parts=bench/out/listen-part
head -1 $csv >bench/out/listen-header
tail -n +2 $csv >bench/out/listen-body
split -n l/8 -d bench/out/listen-body $parts.
rm bench/out/listen-body
for f in $parts.0?; do cat bench/out/listen-header "$f" >"$f.csv" && rm "$f"; done

now() { date +%s.%N; }
over_tcp() {
  local log=bench/out/listen.err count=bench/out/listen.count port i start end
  rm -f $log
  "$BIN/stream-parse" --format csv --listen :0 2>$log | wc -l >$count &
  local pipeline=$!
  for ((i = 0; i < 100; i++)); do
    port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' $log 2>/dev/null | head -1)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "stream-parse did not listen" >&2; exit 1; }
  local pid
  pid=$(pgrep -f "stream-parse --format csv --listen :0" -n)
  start=$(now)
  local senders=()
  for f in $parts.0?.csv; do
    (exec 3<>/dev/tcp/127.0.0.1/$port; cat "$f" >&3) &
    senders+=($!)
  done
  wait "${senders[@]}"
  kill -TERM "$pid"
  wait $pipeline || true
  end=$(now)
  [ "$(cat $count)" = "$N" ] || { echo "lines: $(cat $count) of $N" >&2; exit 1; }
  awk "BEGIN{print $end - $start}"
}
from_file() {
  local start end
  start=$(now)
  "$BIN/stream-parse" --format csv $csv | wc -l >bench/out/listen.count
  end=$(now)
  awk "BEGIN{print $end - $start}"
}
best_tcp="" best_file=""
for ((r = 0; r < REPEAT; r++)); do
  t=$(over_tcp)
  { [ -z "$best_tcp" ] || awk "BEGIN{exit !($t < $best_tcp)}"; } && best_tcp=$t
  t=$(from_file)
  { [ -z "$best_file" ] || awk "BEGIN{exit !($t < $best_file)}"; } && best_file=$t
done
rm -f $parts.0?.csv
awk -v n="$N" -v a="$best_tcp" -v b="$best_file" 'BEGIN{
  printf "8 loopback clients (--listen): %.2f s, %.2fM lines/s\n", a, n / a / 1e6
  printf "one file, same bytes:          %.2f s, %.2fM lines/s\n", b, n / b / 1e6
  printf "ratio (file / listen time):    %.2f\n", b / a }'
