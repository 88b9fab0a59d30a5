#!/usr/bin/env bash
# Benchmark: what following and checkpointing cost, in the same run.
#  1. `stream-parse --follow --once` on a static file (checkpoint records on)
#     against plain `stream-parse` of the same file: an access log (line
#     format) and NDJSON (the record loop). Both write into a pipe.
#  2. stream-sink-sqlite loading the same records with and without the
#     checkpoint records between them (each stored in _stream_checkpoints
#     and committed with the rows before it).
# N=1000000 lines by default; REPEAT=3 runs each, best wall time kept.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${N:-1000000}
BIN=${BIN:-$PWD/build/bin}
[ -x "$BIN/stream-parse" ] || { bash scripts/build.sh >/dev/null; BIN=$PWD/build/bin; }
bench_deps time sqlite3
mkdir -p bench/data bench/out
log=bench/data/access-$N.log
ndjson=bench/data/sensors-$N.ndjson
[ -s $log ] || "$BIN/stream-gen" --format combined --seed 1 --start 2026-11-01T00:00:00Z --step 100ms --count "$N" >$log
[ -s $ndjson ] || bash bench/data.sh sensors-ndjson "$N" >$ndjson

echo "follow and checkpoint benchmark: $N lines, $(nproc) cores, best of $REPEAT"
BYTES=$(stat -c %s $log)
measure "stream-parse (combined log)" "$BIN/stream-parse --format combined $log | cat"
plain=$BEST_S
measure "stream-parse --follow --once (combined log)" "$BIN/stream-parse --format combined --follow --once $log | cat"
follow=$BEST_S
n=$("$BIN/stream-parse" --format combined --follow --once --control always $log | grep -c '^{"_control":"checkpoint"')
echo "  --follow --once: $(awk "BEGIN{printf \"%.1f%%\", 100*$plain/$follow}") of plain reading's throughput ($n checkpoint records)"
BYTES=$(stat -c %s $ndjson)
measure "stream-parse (NDJSON)" "$BIN/stream-parse $ndjson | cat"
plain=$BEST_S
measure "stream-parse --follow --once (NDJSON)" "$BIN/stream-parse --follow --once $ndjson | cat"
follow=$BEST_S
echo "  --follow --once: $(awk "BEGIN{printf \"%.1f%%\", 100*$plain/$follow}") of plain reading's throughput"

# The sink: the same records, with and without checkpoints between them.
"$BIN/stream-parse" $ndjson >bench/out/plain.ndjson
"$BIN/stream-parse" --follow --once --control always $ndjson >bench/out/checkpointed.ndjson
n=$(grep -c '^{"_control":"checkpoint"' bench/out/checkpointed.ndjson)
db=bench/out/follow.db
BYTES=$(stat -c %s bench/out/plain.ndjson)
measure "stream-sink-sqlite" "rm -f $db*; $BIN/stream-sink-sqlite $db --table t < bench/out/plain.ndjson"
plain=$BEST_S
measure "stream-sink-sqlite, $n checkpoints" "rm -f $db*; $BIN/stream-sink-sqlite $db --table t < bench/out/checkpointed.ndjson"
cp=$BEST_S
rows=$(sqlite3 $db "SELECT count(*) FROM t")
[ "$rows" = "$N" ] || { echo "wrote $rows rows, want $N" >&2; exit 1; }
sqlite3 $db "SELECT \"offset\" = size FROM _stream_checkpoints" | grep -qx 1
echo "  checkpoints cost the sink $(awk "BEGIN{printf \"%+.1f%%\", 100*($cp-$plain)/$plain}") of its time"
