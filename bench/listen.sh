#!/usr/bin/env bash
# Benchmark: stream-parse --listen over loopback against reading a file, in
# the same run. N CSV sensor readings (default 2,000,000) are split in 8
# parts, each with the header; 8 clients send them at once (bash /dev/tcp and
# cat; for TLS, openssl s_client) to `stream-parse --format csv --listen`,
# which writes into a pipe (wc -l, which checks that every line came). The
# peer: `stream-parse --format csv` reading the whole file into the same kind
# of pipe. Wall time from the first send until every line has been written
# (the listener is stopped by SIGTERM once the clients are done; its drain
# ends as soon as the sockets are quiet, 0.1 s, which is counted). REPEAT=3
# runs each, alternately; the best of each is kept. Prints lines/s and the
# ratios. TLS=0 skips the TLS row.
#
# Then back-pressure: the same 8 clients send BP_N lines (default 1,000,000)
# while the next stage reads at RATE (default 20 MiB/s, `pv -L`): the senders
# finish only about when the reader is done (they were slowed to its rate),
# and every line arrives. Skipped with a message when pv is missing
# (scripts/deps.sh --test installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000000}
REPEAT=${REPEAT:-3}
TLS=${TLS:-1}
BP_N=${BP_N:-1000000}
RATE=${RATE:-20m}
BIN=${BIN:-$PWD/build/bin}
[ -x "$BIN/stream-parse" ] || { bash scripts/build.sh >/dev/null; BIN=$PWD/build/bin; }
mkdir -p bench/data bench/out
out=bench/out
csv=bench/data/sensors-$N.csv
[ -s $csv ] || bash bench/data.sh sensors-csv "$N" >$csv
# split_csv FILE LINES PREFIX: 8 parts of the first LINES readings, each with the header.
split_csv() {
  head -1 "$1" >$out/listen-header
  sed -n "2,$(($2 + 1))p" "$1" >$out/listen-body
  split -n l/8 -d $out/listen-body "$3."
  rm $out/listen-body
  local f
  for f in "$3".0?; do cat $out/listen-header "$f" >"$f.csv" && rm "$f"; done
}
parts=$out/listen-part
split_csv $csv "$N" $parts
if [ "$TLS" = 1 ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=bench \
    -keyout $out/listen-key.pem -out $out/listen-cert.pem 2>/dev/null
fi

now() { date +%s.%N; }
# run_listen SCHEME PARTS LINES [FILTER...]: seconds for the 8 clients' lines
# to come through `stream-parse --listen SCHEME://127.0.0.1:0 | FILTER | wc -l`;
# also sets SEND (seconds until the last client was done sending).
run_listen() {
  local scheme=$1 prefix=$2 lines=$3 log=$out/listen.err count=$out/listen.count port="" i start end
  shift 3
  local filter=("${@:-cat}") tls=()
  [ "$scheme" = tls ] && tls=(--tls-cert $out/listen-cert.pem --tls-key $out/listen-key.pem)
  rm -f $log
  "$BIN/stream-parse" --format csv --listen "$scheme://127.0.0.1:0" "${tls[@]}" 2>$log | "${filter[@]}" | wc -l >$count &
  local pipeline=$!
  for ((i = 0; i < 100; i++)); do
    port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\)$/\1/p' $log 2>/dev/null | head -1)
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "stream-parse did not listen" >&2; exit 1; }
  local pid
  pid=$(pgrep -f "stream-parse --format csv --listen $scheme://127.0.0.1:0" -n)
  start=$(now)
  local senders=()
  for f in "$prefix".0?.csv; do
    if [ "$scheme" = tls ]; then
      openssl s_client -quiet -no_ign_eof -nocommands -connect "127.0.0.1:$port" <"$f" >/dev/null 2>&1 &
    else
      (exec 3<>/dev/tcp/127.0.0.1/$port; cat "$f" >&3) &
    fi
    senders+=($!)
  done
  wait "${senders[@]}"
  SEND=$(awk "BEGIN{print $(now) - $start}")
  kill -TERM "$pid"
  wait $pipeline || true
  end=$(now)
  [ "$(cat $count)" = "$lines" ] || { echo "lines: $(cat $count) of $lines" >&2; exit 1; }
  ELAPSED=$(awk "BEGIN{print $end - $start}")
}
from_file() {
  local start end
  start=$(now)
  "$BIN/stream-parse" --format csv $csv | wc -l >$out/listen.count
  end=$(now)
  ELAPSED=$(awk "BEGIN{print $end - $start}")
}
best() { { [ -z "$1" ] || awk "BEGIN{exit !($2 < $1)}"; } && echo "$2" || echo "$1"; }
best_tcp="" best_file="" best_tls=""
for ((r = 0; r < REPEAT; r++)); do
  run_listen tcp $parts "$N"
  best_tcp=$(best "$best_tcp" "$ELAPSED")
  from_file
  best_file=$(best "$best_file" "$ELAPSED")
  if [ "$TLS" = 1 ]; then
    run_listen tls $parts "$N"
    best_tls=$(best "$best_tls" "$ELAPSED")
  fi
done
rm -f $parts.0?.csv
awk -v n="$N" -v a="$best_tcp" -v b="$best_file" -v t="$best_tls" 'BEGIN{
  printf "8 loopback clients (--listen tcp): %.2f s, %.2fM lines/s\n", a, n / a / 1e6
  if (t != "") printf "8 TLS clients (--listen tls):      %.2f s, %.2fM lines/s\n", t, n / t / 1e6
  printf "one file, same bytes:              %.2f s, %.2fM lines/s\n", b, n / b / 1e6
  printf "ratio (file / tcp time):           %.2f\n", b / a
  if (t != "") printf "ratio (tcp / tls time):            %.2f\n", a / t }'

if ! command -v pv >/dev/null; then
  echo "back-pressure: skipped (no pv; bash scripts/deps.sh --test installs it)"
  exit 0
fi
bp=$out/listen-bp
split_csv $csv "$BP_N" $bp
run_listen tcp $bp "$BP_N" cat
fast=$SEND
run_listen tcp $bp "$BP_N" pv -q -L "$RATE"
rm -f $bp.0?.csv
"$BIN/stream-parse" --format csv <(head -n $((BP_N + 1)) $csv) >$out/listen-bp.ndjson
bytes=$(wc -c <$out/listen-bp.ndjson)
rm -f $out/listen-bp.ndjson
awk -v n="$BP_N" -v f="$fast" -v s="$SEND" -v e="$ELAPSED" -v b="$bytes" -v r="$RATE" 'BEGIN{
  printf "back-pressure, reader at pv -L %s (%.1f MB of NDJSON): senders done in %.2f s (%.2f s unthrottled), ", r, b / 1e6, s, f
  printf "all %d lines written in %.2f s, none lost\n", n, e }'
