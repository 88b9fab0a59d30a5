#!/usr/bin/env bash
# Benchmark: stream-window against Miller putting the same records into
# 1-minute tumbling windows (mlr put computing window_start/window_end), on
# the same generated data, in the same run. Prints MB/s, peak RSS and the
# ratio. N=2000000 by default; REPEAT=3 runs each (Miller: PEER_REPEAT=1),
# best kept. STREAM_WINDOW=path picks the binary (default build/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${N:-2000000}
bench_deps miller time
SW=${STREAM_WINDOW:-$PWD/build/bin/stream-window}
[ -x "$SW" ] || { bash scripts/build.sh >/dev/null; SW=$PWD/build/bin/stream-window; }
mkdir -p bench/data
ndjson=bench/data/sensors-$N.ndjson
[ -s $ndjson ] || bash bench/data.sh sensors-ndjson "$N" > $ndjson
BYTES=$(stat -c %s $ndjson)
echo "stream-window benchmark: $N records ($((BYTES / 1000000)) MB), $(nproc) cores, best of $REPEAT"

echo "1-minute tumbling windows on event time (RFC 3339 with milliseconds)"
# The data has readings up to 2 s out of order: --grace 2s keeps them.
measure "stream-window --tumbling 1m --grace 2s" \
  "$SW --time time --tumbling 1m --grace 2s --control always $ndjson"; ours=$BEST_S
# On a loaded machine wall time varies; CPU time (user + sys) says what the tool costs.
/usr/bin/time -f "%U %S" -o /tmp/bench.cpu $SW --time time --tumbling 1m --grace 2s --control always $ndjson >/dev/null
awk -v b=$BYTES '{c=$1+$2; if (c < 0.005) c = 0.005; printf "  %-44s %8.2f s CPU %5.1f MB per CPU-second\n", "  (same, CPU time)", c, b/1e6/c}' /tmp/bench.cpu
measure "stream-window --hopping 5m --every 1m" \
  "$SW --time time --hopping 5m --every 1m --grace 2s --control always $ndjson"
measure "stream-window --session 1s --by sensor" \
  "$SW --time time --session 1s --by sensor --grace 2s --control always $ndjson"
measure "stream-window --count 5 --slide 1 --by sensor" "$SW --count 5 --slide 1 --by sensor $ndjson"
REPEAT=${PEER_REPEAT:-1} measure "mlr put (window_start, window_end)" \
  "mlr --ijsonl --ojsonl put 's = floor(strptime(\$time, \"%Y-%m-%dT%H:%M:%SZ\") / 60) * 60;
     \$window_start = sec2gmt(s); \$window_end = sec2gmt(s + 60)' $ndjson"; peer=$BEST_S
echo "  ratio: stream-window --tumbling 1m is $(ratio $peer $ours) Miller (which has no close records, grace or lateness)"
