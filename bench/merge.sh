#!/usr/bin/env bash
# Benchmark of mergeable aggregate states, in one run on the same data:
#   1. the pipeline window + agg over N sensor readings in 1 process, against
#      4 parts under GNU parallel that emit states, merged by stream-agg
#      --merge --parts 4 (the results are checked equal): --pipe --round-robin
#      (parallel reads and deals out the lines) and --pipe-part (each job
#      reads its quarter of the file itself);
#   2. the cost of --emit-state in 1 process;
#   3. merge cost per state: stream-agg --merge over the states of G groups,
#      and stream-sink-sqlite --merge upserting them onto stored rows;
#   4. with BASE_BIN=DIR (a stream-agg built before exact sums), the cost of
#      exact sums and power sums in 1 process.
# Usage: bench/merge.sh        (BIN=build/bin, N=2000000, G=200000, REPEAT=3)
# Prints seconds (best of REPEAT) and ratios.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BIN:-$root/build/bin}
n=${N:-2000000}
g=${G:-200000}
source "$root/bench/lib.sh"
bench_deps parallel sqlite3
data=$root/bench/data
mkdir -p "$data"
ndjson=$data/agg-sensors-$n.ndjson groups=$data/merge-groups-$g.ndjson
[ -x "$bin/stream-agg" ] || { echo "merge.sh: no $bin/stream-agg (build first, or set BIN)" >&2; exit 1; }
[ -s "$ndjson" ] || { echo "generating $ndjson"; bash "$root/bench/data.sh" sensors-ndjson "$n" > "$ndjson.tmp" && mv "$ndjson.tmp" "$ndjson"; }
[ -s "$groups" ] || { awk -v g="$g" 'BEGIN { for (i = 0; i < g; i++)
  printf "{\"sensor\":\"s%d\",\"temperature\":%d.%d,\"humidity\":%d}\n", i, 15 + i % 20, i % 10, 30 + i % 40 }' \
  > "$groups.tmp" && mv "$groups.tmp" "$groups"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PATH="$bin:$PATH"

W="stream-window --time time --tumbling 1m --grace 1s"
A="--by sensor count mean:temperature min:temperature max:temperature stddev:humidity sum:humidity"
BYTES=$(stat -c %s "$ndjson")
echo "window + agg over $n readings ($(du -h "$ndjson" | cut -f1)), $(nproc) cores, best of $REPEAT"
measure "1 process" "$W < '$ndjson' | stream-agg $A"
one=$BEST_S
measure "1 process, --emit-state" "$W < '$ndjson' | stream-agg --emit-state $A"
emit=$BEST_S
measure "4 parts (parallel -j4) + --merge --parts 4" \
  "parallel --will-cite --pipe --round-robin -j4 --block 16M '$W | stream-agg --control always --emit-state $A' \
     < '$ndjson' | stream-agg --merge --parts 4 $A"
four=$BEST_S
measure "4 parts (parallel --pipe-part -j4) + --merge" \
  "parallel --will-cite --pipe-part -a '$ndjson' --block -1 -j4 '$W | stream-agg --control always --emit-state $A' \
     | stream-agg --merge --parts 4 $A"
part=$BEST_S
if [ -n "${BASE_BIN:-}" ]; then
  measure "1 process, stream-agg before exact sums" "$W < '$ndjson' | '$BASE_BIN/stream-agg' $A"
  base=$BEST_S
  S="--by sensor count sum:temperature mean:temperature stddev:humidity"
  measure "stream-agg alone: sum mean stddev" "stream-agg $S '$ndjson'"
  alone=$BEST_S
  measure "the same, before exact sums" "'$BASE_BIN/stream-agg' $S '$ndjson'"
  alone_base=$BEST_S
fi
echo "ratios:"
echo "  4 parts round-robin / 1 process:      $(ratio "$four" "$one")"
echo "  4 parts --pipe-part / 1 process:      $(ratio "$part" "$one")"
echo "  1 process --emit-state / 1 process:   $(ratio "$emit" "$one")"
if [ -n "${BASE_BIN:-}" ]; then
  echo "  1 process / before exact sums:        $(ratio "$one" "$base")"
  echo "  stream-agg alone / before exact sums: $(ratio "$alone" "$alone_base")"
fi

# The same results (the check the tests make, here on the benchmark's data).
$W < "$ndjson" 2>/dev/null | stream-agg $A | sort > "$tmp/one"
parallel --will-cite --pipe --round-robin -j4 --block 16M "$W 2>/dev/null | stream-agg --control always --emit-state $A" \
  < "$ndjson" | stream-agg --merge --parts 4 $A | sort > "$tmp/four"
cmp -s "$tmp/one" "$tmp/four" && echo "check: 4 parts merged = 1 process ($(wc -l < "$tmp/one") results)" ||
  echo "check: 4 parts merged DIFFER from 1 process"

echo "merge cost per state: $g groups, $A"
stream-agg --emit-state $A "$groups" > "$tmp/states"
printf '  %-44s %8d bytes\n' "mean size of a record with _state" "$(( $(stat -c %s "$tmp/states") / g ))"
BYTES=$(stat -c %s "$tmp/states")
measure "stream-agg (plain, over the records)" "stream-agg $A '$groups'"
plain=$BEST_S
measure "stream-agg --merge (one state per group)" "stream-agg --merge $A '$tmp/states'"
merge1=$BEST_S
measure "stream-agg --merge (two states per group)" "cat '$tmp/states' '$tmp/states' | stream-agg --merge $A"
merge2=$BEST_S
awk "BEGIN{printf \"  %-44s %8.2f us\n\", \"stream-agg --merge, per state\", ($merge2 - $merge1) / $g * 1e6}"
rm -f "$tmp/m.db"*
stream-sink-sqlite "$tmp/m.db" --upsert sensor --merge < "$tmp/states"
measure "sink --upsert, no conflict (fresh table)" \
  "rm -f '$tmp/u.db'*; stream-sink-sqlite '$tmp/u.db' --upsert sensor < '$tmp/states'"
upsert=$BEST_S
measure "sink --upsert --merge onto stored rows" \
  "cp '$tmp/m.db' '$tmp/m2.db'; stream-sink-sqlite '$tmp/m2.db' --upsert sensor --merge < '$tmp/states'"
msink=$BEST_S
awk "BEGIN{printf \"  %-44s %8.2f us\n\", \"sink merge-on-upsert, per state\", $msink / $g * 1e6}"
echo "ratios:"
echo "  --merge of states / plain over records: $(ratio "$merge1" "$plain")"
echo "  sink --merge onto rows / plain upsert:  $(ratio "$msink" "$upsert")"
