#!/usr/bin/env bash
# The whole pipeline against DuckDB doing the same job in one SQL statement:
#   stream-parse data.csv | stream-window --time time --tumbling 1m --grace 2s |
#     stream-agg --by sensor count mean:temperature p99:temperature | stream-sink-sqlite out.db
# and DuckDB (npm @duckdb/node-api) reading the same CSV into a table of the
# same rows, with 1 and 2 threads, start-up included. With FUSED=1 (default
# when stream-agg has --tumbling) also the fused form, stream-agg doing the
# windows itself. The commands run interleaved, ROUNDS (default 5) rounds at
# each size in SIZES (default 500000 2000000 8000000); reported: the median
# wall time, MB/s of CSV, the ratio to DuckDB with 2 threads, and the peak RSS
# of each stage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BIN:-$root/build/bin}
ROUNDS=${ROUNDS:-5}
SIZES=${SIZES:-500000 2000000 8000000}
mkdir -p "$root/bench/data" "$root/bench/out"
[ -x "$bin/stream-sink-sqlite" ] || bash "$root/scripts/build.sh" >/dev/null
if [ ! -d "$root/bench/node_modules/@duckdb/node-api" ] &&
   ! npm install --prefix "$root/bench" --no-save --silent @duckdb/node-api >/dev/null 2>&1; then
  echo "pipeline.sh: npm install @duckdb/node-api failed" >&2
  exit 1
fi
fused=${FUSED:-auto}
if [ "$fused" = auto ]; then
  fused=0
  "$bin/stream-agg" --time time --tumbling 1m count </dev/null >/dev/null 2>&1 && fused=1
fi
out=$root/bench/out
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# run NAME CMD: one timed run; appends "wall" to $t/NAME.wall and each stage's
# peak RSS (KB, from /usr/bin/time in front of each stage) to $t/NAME.rss.
run() {
  local name=$1 cmd=$2 s e
  rm -f "$t"/rss.*
  s=$(date +%s.%N)
  bash -o pipefail -c "$cmd" >/dev/null 2>"$t/err" || { echo "$name failed: $(tail -n 3 "$t/err")" >&2; exit 1; }
  e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'BEGIN{printf "%.4f\n", e - s}' >>"$t/$name.wall"
  local f
  for f in "$t"/rss.*; do [ -e "$f" ] && echo "${f##*/rss.} $(cat "$f")" >>"$t/$name.rss"; done
  return 0
}
median() { sort -n "$1" | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
T() { echo "/usr/bin/time -f %M -o $t/rss.$1"; }

printf '%s cores; %s rounds, interleaved; median wall time\n' "$(nproc)" "$ROUNDS"
for n in $SIZES; do
  csv=$root/bench/data/sensors-$n.csv
  [ -s "$csv" ] || bash "$root/bench/data.sh" sensors-csv "$n" >"$csv"
  bytes=$(stat -c %s "$csv")
  rm -f "$t"/*.wall "$t"/*.rss
  piped="$(T parse) $bin/stream-parse $csv | $(T window) $bin/stream-window --time time --tumbling 1m --grace 2s |
    $(T agg) $bin/stream-agg --by sensor count mean:temperature p99:temperature |
    $(T sink) $bin/stream-sink-sqlite $out/pipe.db"
  fusedcmd="$(T parse) $bin/stream-parse $csv |
    $(T agg) $bin/stream-agg --time time --tumbling 1m --grace 2s --by sensor count mean:temperature p99:temperature |
    $(T sink) $bin/stream-sink-sqlite $out/fused.db"
  sql="CREATE TABLE out AS SELECT time_bucket(INTERVAL 1 minute, time) AS window_start, sensor,
         count(*) AS count, avg(temperature) AS temperature_mean, quantile_cont(temperature, 0.99) AS temperature_p99
       FROM read_csv('$csv') GROUP BY ALL"
  names=(piped duckdb-1 duckdb-2)
  [ "$fused" = 1 ] && names=(piped fused duckdb-1 duckdb-2)
  for ((r = 0; r < ROUNDS; r++)); do
    for name in "${names[@]}"; do
      rm -f "$out"/pipe.db* "$out"/fused.db* "$out"/duck.db*
      case $name in
        piped) run piped "$piped" ;;
        fused) run fused "$fusedcmd" ;;
        duckdb-1) run duckdb-1 "$(T duckdb) node $root/bench/pipeline-duckdb.js $out/duck.db 1 \"$sql\"" ;;
        duckdb-2) run duckdb-2 "$(T duckdb) node $root/bench/pipeline-duckdb.js $out/duck.db 2 \"$sql\"" ;;
      esac
    done
  done
  d2=$(median "$t/duckdb-2.wall")
  printf '\n%s records, %.0f MB of CSV\n' "$n" "$(awk -v b="$bytes" 'BEGIN{print b/1e6}')"
  printf '  %-10s %9s %10s %14s   %s\n' what "median s" "MB/s" "DuckDB-2 / it" "peak RSS MB per stage"
  for name in "${names[@]}"; do
    m=$(median "$t/$name.wall")
    rss=$(awk '{if ($2 > max[$1]) max[$1] = $2} END{for (k in max) printf "%s %.0f  ", k, max[k]/1024}' "$t/$name.rss")
    awk -v n="$name" -v m="$m" -v b="$bytes" -v d="$d2" -v r="$rss" \
      'BEGIN{printf "  %-10s %9.3f %10.1f %13.2fx   %s\n", n, m, b/1e6/m, d/m, r}'
  done
done
