#!/usr/bin/env bash
# Compares two builds of stream-utils on the benchmark workloads, in the same
# run, alternating the two so machine load hits both alike: best of REPEAT
# (default 5) wall and CPU (user + sys) seconds each, and the ratio new/old.
# Usage: bench/compare.sh OLD_BIN_DIR [NEW_BIN_DIR (default build/bin)]
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bench/compare.sh OLD_BIN_DIR [NEW_BIN_DIR]}
new=${2:-build/bin}
N=${N:-2000000}
REPEAT=${REPEAT:-5}
mkdir -p bench/data bench/out
nd=bench/data/sensors-$N.ndjson
csv=bench/data/sensors-$N.csv
[ -s "$nd" ] || bash bench/data.sh sensors-ndjson "$N" >"$nd"
[ -s "$csv" ] || bash bench/data.sh sensors-csv "$N" >"$csv"
rows=bench/data/sink-1000000.ndjson
[ -s "$rows" ] || head -n 1000000 "$nd" >"$rows"

# name|command with @ for the binary directory
cases=(
  "parse csv|@/stream-parse $csv"
  "parse ndjson|@/stream-parse $nd"
  "window tumbling 1m|@/stream-window --time time --tumbling 1m --grace 2s --control always $nd"
  "window session by sensor|@/stream-window --time time --session 1s --by sensor --grace 2s --control always $nd"
  "window count 5/1 by sensor|@/stream-window --count 5 --slide 1 --by sensor $nd"
  "agg by sensor count mean|@/stream-agg --by sensor count mean:temperature $nd"
  "window tumbling 1m, from cat|cat $nd | @/stream-window --time time --tumbling 1m --grace 2s --control always"
  "agg 1m windows, from cat|cat $nd | @/stream-agg --time time --tumbling 1m --grace 2s --by sensor count mean:temperature p99:temperature"
  "sink 1M rows|rm -f bench/out/cmp.db*; @/stream-sink-sqlite bench/out/cmp.db < $rows"
)
run() {  # run CMD -> "wall cpu"
  /usr/bin/time -f "%e %U %S" -o /tmp/cmp.time bash -c "$1" >/dev/null 2>/tmp/cmp.err || {
    echo "failed: $1: $(tail -n 2 /tmp/cmp.err)" >&2
    exit 1
  }
  awk '{printf "%s %.2f\n", $1, $2 + $3}' /tmp/cmp.time
}
printf "%-28s %17s %17s %13s\n" "workload ($N records)" "old wall / CPU s" "new wall / CPU s" "new/old CPU"
for c in "${cases[@]}"; do
  name=${c%%|*} cmd=${c#*|}
  bo_w=999 bo_c=999 bn_w=999 bn_c=999
  for ((i = 0; i < REPEAT; i++)); do
    read -r w u < <(run "${cmd//@/$old}")
    bo_w=$(awk -v a=$bo_w -v b=$w 'BEGIN{print (b<a)?b:a}') bo_c=$(awk -v a=$bo_c -v b=$u 'BEGIN{print (b<a)?b:a}')
    read -r w u < <(run "${cmd//@/$new}")
    bn_w=$(awk -v a=$bn_w -v b=$w 'BEGIN{print (b<a)?b:a}') bn_c=$(awk -v a=$bn_c -v b=$u 'BEGIN{print (b<a)?b:a}')
  done
  awk -v n="$name" -v ow=$bo_w -v oc=$bo_c -v nw=$bn_w -v nc=$bn_c \
    'BEGIN{printf "%-28s %8.2f / %6.2f %8.2f / %6.2f %12.3f\n", n, ow, oc, nw, nc, (oc>0)?nc/oc:0}'
done
