#!/usr/bin/env bash
# Benchmark of stream-agg against its peers, in the same run on the same data:
#   group-by count + mean of temperature over 2M sensor readings (NDJSON), vs
#   Miller stats1, DuckDB on one thread (npm @duckdb/node-api) and datamash
#   (on the CSV form of the same readings); then the peak RSS of stream-agg
#   with 1M groups.
# Usage: bench/agg.sh            (BIN=build/bin, N=2000000, REPEAT=3)
# Prints seconds (best of REPEAT; Miller runs once, MLR_REPEAT) and ratios.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BIN:-$root/build/bin}
n=${N:-2000000}
repeat=${REPEAT:-3}
mlr_repeat=${MLR_REPEAT:-1}
data=$root/bench/data
mkdir -p "$data"
ndjson=$data/agg-sensors-$n.ndjson csv=$data/agg-sensors-$n.csv groups=$data/agg-groups-1m.ndjson
[ -x "$bin/stream-agg" ] || { echo "agg.sh: no $bin/stream-agg (build first, or set BIN)" >&2; exit 1; }
# Written to a temporary name first, so an interrupted run leaves no half file.
[ -s "$ndjson" ] || { echo "generating $ndjson"; bash "$root/bench/data.sh" sensors-ndjson "$n" > "$ndjson.tmp" && mv "$ndjson.tmp" "$ndjson"; }
[ -s "$csv" ] || { echo "generating $csv"; bash "$root/bench/data.sh" sensors-csv "$n" > "$csv.tmp" && mv "$csv.tmp" "$csv"; }
[ -s "$groups" ] || { awk 'BEGIN { for (i = 0; i < 1000000; i++)
  printf "{\"sensor\":\"s%d\",\"temperature\":%d.%d}\n", i, 15 + i % 20, i % 10 }' > "$groups.tmp" && mv "$groups.tmp" "$groups"; }

# best_of N CMD...: the least wall-clock seconds of N runs (stdout to /dev/null).
best_of() {
  local runs=$1 best="" t s e
  shift
  for ((i = 0; i < runs; i++)); do
    s=$(date +%s.%N)
    "$@" > /dev/null 2>&1
    e=$(date +%s.%N)
    t=$(awk "BEGIN{print $e - $s}")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  printf '%.3f' "$best"
}

declare -A secs
order=()
run() {  # run NAME RUNS CMD...
  local name=$1 runs=$2
  shift 2
  secs[$name]=$(best_of "$runs" "$@")
  order+=("$name")
  printf '  %-34s %8.3f s\n' "$name" "${secs[$name]}"
}

sql="SELECT sensor, count(*) AS count, avg(temperature) AS temperature_mean
     FROM read_json('$ndjson', format='newline_delimited') GROUP BY sensor"
have_duckdb=0
if [ -d "$root/bench/node_modules/@duckdb/node-api" ] ||
   npm install --prefix "$root/bench" --no-save --silent @duckdb/node-api > /dev/null 2>&1; then
  have_duckdb=1
else
  echo "agg.sh: npm install @duckdb/node-api failed: skipping DuckDB" >&2
fi

echo "group-by count + mean over $n records ($(du -h "$ndjson" | cut -f1) NDJSON), $(nproc) cores, best of $repeat"
run stream-agg "$repeat" "$bin/stream-agg" --by sensor count mean:temperature "$ndjson"
run "stream-agg --approx p99 distinct" "$repeat" "$bin/stream-agg" --approx --by sensor count mean:temperature \
  p99:temperature distinct:humidity "$ndjson"
run "stream-agg exact p99 distinct" "$repeat" "$bin/stream-agg" --by sensor count mean:temperature \
  p99:temperature distinct:humidity "$ndjson"
if [ $have_duckdb = 1 ]; then
  run "duckdb (1 thread, node)" "$repeat" node "$root/bench/agg-duckdb.js" "$sql"
  # DuckDB's own time for the query, without starting node.
  q=$(node "$root/bench/agg-duckdb.js" "$sql" 2>&1 > /dev/null | sed -n 's/^query seconds: //p')
  secs["duckdb query only"]=$q
  order+=("duckdb query only")
  printf '  %-34s %8.3f s\n' "duckdb query only" "$q"
fi
if command -v datamash > /dev/null; then
  run "datamash -s (CSV)" "$repeat" sh -c "datamash -t, --header-in -s -g 2 count 2 mean 3 < '$csv'"
fi
if command -v mlr > /dev/null; then
  run "mlr stats1" "$mlr_repeat" mlr --ijsonl --ojsonl stats1 -a count,mean -f temperature -g sensor "$ndjson"
fi

echo "ratios (peer time / stream-agg time):"
base=${secs[stream-agg]}
for name in "${order[@]}"; do
  [ "$name" = stream-agg ] && continue
  printf '  %-34s %8.1fx\n' "$name" "$(awk "BEGIN{print ${secs[$name]} / $base}")"
done

# Same answers: the group counts of stream-agg and Miller agree.
if command -v mlr > /dev/null && command -v jq > /dev/null; then
  a=$("$bin/stream-agg" --by sensor count "$ndjson" | jq -c '[.sensor,.count]' | sort | md5sum)
  b=$(mlr --ijsonl --ojsonl stats1 -a count -f temperature -g sensor "$ndjson" |
      jq -c '[.sensor,.temperature_count]' | sort | md5sum)
  [ "$a" = "$b" ] && echo "check: group counts equal Miller's" || echo "check: group counts DIFFER from Miller's"
fi

echo "memory: 1,000,000 groups ($(du -h "$groups" | cut -f1) NDJSON), peak RSS"
rss() { /usr/bin/time -f '%M' "$@" 2>&1 > /dev/null | tail -1; }
r20=$(rss "$bin/stream-agg" --by sensor count mean:temperature "$ndjson")
r1m=$(rss "$bin/stream-agg" --by sensor count mean:temperature "$groups")
rap=$(rss "$bin/stream-agg" --approx --by sensor count mean:temperature p99:temperature "$groups")
printf '  %-44s %8d KiB\n' "20 groups, count mean" "$r20" "1M groups, count mean" "$r1m" \
  "1M groups, count mean p99 (--approx)" "$rap"
printf '  %-44s %8.0f bytes\n' "per group (count mean)" "$(awk "BEGIN{print ($r1m - $r20) * 1024 / 1000000}")"
if command -v mlr > /dev/null; then
  printf '  %-44s %8d KiB\n' "mlr stats1, 1M groups, count mean" \
    "$(rss mlr --ijsonl --ojsonl stats1 -a count,mean -f temperature -g sensor "$groups")"
fi
