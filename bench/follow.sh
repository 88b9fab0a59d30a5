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

# twice LABEL_A CMD_A LABEL_B CMD_B: runs the two alternately REPEAT times;
# prints the best wall and CPU (user+sys) seconds of each, and sets A_S, A_CPU,
# B_S, B_CPU. CPU time is the steadier figure on a shared machine.
twice() {
  local i t u s
  A_S="" A_CPU="" B_S="" B_CPU=""
  for ((i = 0; i < REPEAT; i++)); do
    for which in A B; do
      local cmd=$2
      [ $which = B ] && cmd=$4
      /usr/bin/time -f "%e %U %S" -o bench/out/follow.time bash -c "$cmd" >/dev/null 2>bench/out/follow.err ||
        { echo "failed: $cmd: $(tail -n 2 bench/out/follow.err)" >&2; exit 1; }
      read -r t u s < <(tail -n 1 bench/out/follow.time)
      local c
      c=$(awk "BEGIN{print $u + $s}")
      if [ $which = A ]; then
        { [ -z "$A_S" ] || awk "BEGIN{exit !($t < $A_S)}"; } && A_S=$t
        { [ -z "$A_CPU" ] || awk "BEGIN{exit !($c < $A_CPU)}"; } && A_CPU=$c
      else
        { [ -z "$B_S" ] || awk "BEGIN{exit !($t < $B_S)}"; } && B_S=$t
        { [ -z "$B_CPU" ] || awk "BEGIN{exit !($c < $B_CPU)}"; } && B_CPU=$c
      fi
    done
  done
  printf "  %-46s %6.2f s wall %6.2f s CPU\n" "$1" "$A_S" "$A_CPU" "$3" "$B_S" "$B_CPU"
}
pct() { awk "BEGIN{printf \"%.1f%%\", 100*$1/$2}"; }

echo "follow and checkpoint benchmark: $N lines, $(nproc) cores, best of $REPEAT (run alternately)"
twice "stream-parse (combined log)" "$BIN/stream-parse --format combined $log | cat" \
  "stream-parse --follow --once (combined log)" "$BIN/stream-parse --format combined --follow --once $log | cat"
n=$("$BIN/stream-parse" --format combined --follow --once --control always $log | grep -c '^{"_control":"checkpoint"')
echo "  --follow --once: $(pct $A_S $B_S) of plain reading's throughput by wall time, $(pct $A_CPU $B_CPU) by CPU time ($n checkpoints)"
twice "stream-parse (NDJSON)" "$BIN/stream-parse $ndjson | cat" \
  "stream-parse --follow --once (NDJSON)" "$BIN/stream-parse --follow --once $ndjson | cat"
echo "  --follow --once: $(pct $A_S $B_S) of plain reading's throughput by wall time, $(pct $A_CPU $B_CPU) by CPU time"

# The sink: the same records, with and without checkpoints between them.
"$BIN/stream-parse" $ndjson >bench/out/plain.ndjson
"$BIN/stream-parse" --follow --once --control always $ndjson >bench/out/checkpointed.ndjson
n=$(grep -c '^{"_control":"checkpoint"' bench/out/checkpointed.ndjson)
db=bench/out/follow.db
twice "stream-sink-sqlite" "rm -f $db*; $BIN/stream-sink-sqlite $db --table t < bench/out/plain.ndjson" \
  "stream-sink-sqlite, $n checkpoints" "rm -f $db*; $BIN/stream-sink-sqlite $db --table t < bench/out/checkpointed.ndjson"
rows=$(sqlite3 $db "SELECT count(*) FROM t")
[ "$rows" = "$N" ] || { echo "wrote $rows rows, want $N" >&2; exit 1; }
sqlite3 $db 'SELECT "offset" = size FROM _stream_checkpoints' | grep -qx 1
echo "  checkpoints cost the sink $(awk "BEGIN{printf \"%+.1f%%\", 100*($B_S-$A_S)/$A_S}") wall time, $(awk "BEGIN{printf \"%+.1f%%\", 100*($B_CPU-$A_CPU)/$A_CPU}") CPU time"
