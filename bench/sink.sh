#!/usr/bin/env bash
# Benchmark: stream-sink-sqlite loading N sensor records (5 fields) into a new
# SQLite database, against sqlite3's own `.import --csv` of the same rows as
# CSV and `sqlite-utils insert --nl` of the same NDJSON, in the same run.
# Prints rows/s, CPU seconds, peak RSS and the ratios. N=1000000 by default;
# REPEAT=3 runs each (peers: PEER_REPEAT=1), best wall time kept.
# STREAM_SINK_SQLITE=path picks the binary (default build/bin).
# sqlite-utils comes from Debian's package; installed with apt-get when missing,
# skipped with a message when that fails (SKIP_SQLITE_UTILS=1 skips it: it
# takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${N:-1000000}
PEER_REPEAT=${PEER_REPEAT:-1}
SINK=${STREAM_SINK_SQLITE:-$PWD/build/bin/stream-sink-sqlite}
[ -x "$SINK" ] || { bash scripts/build.sh >/dev/null; SINK=$PWD/build/bin/stream-sink-sqlite; }
bench_deps sqlite3 time
have_su=1
[ "${SKIP_SQLITE_UTILS:-0}" = 1 ] && have_su=0
[ $have_su = 0 ] || command -v sqlite-utils >/dev/null || bench_deps sqlite-utils 2>/dev/null || true
[ $have_su = 0 ] || command -v sqlite-utils >/dev/null || { have_su=0; echo "note: sqlite-utils is not installed and apt-get could not install it: skipped"; }

mkdir -p bench/data bench/out
ndjson=bench/data/sensors-$N.ndjson
csv=bench/data/sensors-$N.csv
[ -s $ndjson ] || bash bench/data.sh sensors-ndjson "$N" > $ndjson
[ -s $csv ] || bash bench/data.sh sensors-csv "$N" > $csv
db=bench/out/sink.db

# run LABEL REPEAT CMD [any]: CMD (after removing the database) REPEAT times,
# then checks table t has N rows (any: does not); sets
# BEST_S (best wall seconds), CPU_S (its user+sys seconds), PEAK_KB.
run() {
  local label=$1 repeat=$2 cmd=$3 i t u s m
  BEST_S="" CPU_S=0 PEAK_KB=0
  for ((i = 0; i < repeat; i++)); do
    rm -f $db $db-wal $db-shm
    /usr/bin/time -f "%e %U %S %M" -o bench/out/sink.time bash -c "$cmd" >/dev/null 2>bench/out/sink.err || {
      echo "  $label: failed: $(tail -n 2 bench/out/sink.err)" >&2
      return 1
    }
    read -r t u s m < <(tail -n 1 bench/out/sink.time)
    if [ -z "$BEST_S" ] || awk "BEGIN{exit !($t < $BEST_S)}"; then
      BEST_S=$t PEAK_KB=$m CPU_S=$(awk "BEGIN{print $u + $s}")
    fi
  done
  rows=$(sqlite3 $db "SELECT count(*) FROM t")
  [ "$rows" = "$N" ] || [ "${4:-}" = any ] || { echo "  $label: wrote $rows rows, want $N" >&2; return 1; }
  awk "BEGIN{t=$BEST_S; if (t < 0.005) t = 0.005; printf \"  %-40s %7.2f s %10.0f rows/s %6.2f s CPU %7.1f MB peak RSS\n\", \"$label\", $BEST_S, $N/t, $CPU_S, $PEAK_KB/1024}"
}

echo "stream-sink-sqlite benchmark: $N records of 5 fields into a new database, $(nproc) cores, best of $REPEAT"
run "stream-sink-sqlite" $REPEAT "$SINK $db --table t < $ndjson"; ours=$BEST_S ours_cpu=$CPU_S ours_kb=$PEAK_KB
run "stream-sink-sqlite --batch 100000" $REPEAT "$SINK $db --table t --batch 100000 < $ndjson"
run "stream-sink-sqlite --durable" $REPEAT "$SINK $db --table t --durable < $ndjson"
run "stream-sink-sqlite --upsert time,sensor" $REPEAT "$SINK $db --table t --upsert time,sensor < $ndjson" any
run "sqlite3 .import --csv" $PEER_REPEAT "sqlite3 $db '.import --csv $csv t'"; imp=$BEST_S imp_cpu=$CPU_S
echo "  ratio: stream-sink-sqlite is $(ratio $imp $ours) sqlite3 .import (wall), $(ratio $imp_cpu $ours_cpu) (CPU)"
if [ $have_su = 1 ]; then
  run "sqlite-utils insert --nl" $PEER_REPEAT "sqlite-utils insert $db t $ndjson --nl"; su=$BEST_S su_cpu=$CPU_S
  echo "  ratio: stream-sink-sqlite is $(ratio $su $ours) sqlite-utils insert --nl (wall), $(ratio $su_cpu $ours_cpu) (CPU)"
fi
echo "  peak RSS of stream-sink-sqlite: $((ours_kb / 1024)) MB (target < 32 MB)"
rm -f $db $db-wal $db-shm
