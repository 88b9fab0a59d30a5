#!/usr/bin/env bash
# Benchmark: windows piped into stream-agg against the same windows in
# stream-agg itself (its window options), on the whole pipeline from CSV to
# SQLite, in the same run:
#   stream-parse data.csv | stream-window --time time --tumbling 1m --grace 2s
#     | stream-agg --by sensor count mean:temperature p99:temperature | stream-sink-sqlite out.db
#   stream-parse data.csv | stream-agg --time time --tumbling 1m --grace 2s --by sensor ...
#     | stream-sink-sqlite out.db
# The two run interleaved, ROUNDS times (default 5); prints the median wall
# and CPU (user + sys of every stage) of each and their ratios, and checks
# that both databases hold the same rows. N=2000000 records by default.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${N:-2000000} ROUNDS=${ROUNDS:-5}
bench_deps time sqlite3
B=${BINDIR:-$PWD/build/bin}
[ -x "$B/stream-agg" ] || { bash scripts/build.sh >/dev/null; B=$PWD/build/bin; }
mkdir -p bench/data
csv=bench/data/sensors-$N.csv
[ -s $csv ] || bash bench/data.sh sensors-csv "$N" >$csv
BYTES=$(stat -L -c %s $csv)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
W="--time time --tumbling 1m --grace 2s" A="--by sensor count mean:temperature p99:temperature"
piped="$B/stream-parse $csv | $B/stream-window $W | $B/stream-agg $A | $B/stream-sink-sqlite $tmp/piped.db"
fused="$B/stream-parse $csv | $B/stream-agg $W $A | $B/stream-sink-sqlite $tmp/fused.db"
echo "windows piped vs in stream-agg: $N records ($((BYTES / 1000000)) MB of CSV), $(nproc) cores, $ROUNDS rounds interleaved"
for ((r = 0; r < ROUNDS; r++)); do
  for form in piped fused; do
    rm -f "$tmp/$form.db"
    /usr/bin/time -f "%e %U %S" -o "$tmp/t" bash -c "${!form}"
    read -r wall user sys <"$tmp/t"
    echo "$wall $(awk "BEGIN{print $user + $sys}")" >>"$tmp/$form.times"
  done
done
median() { sort -n | awk '{v[NR]=$1} END{print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
for form in piped fused; do
  w=$(cut -d' ' -f1 "$tmp/$form.times" | median) c=$(cut -d' ' -f2 "$tmp/$form.times" | median)
  printf "  %-6s median %6.2f s wall %7.1f MB/s   %6.2f s CPU\n" $form "$w" "$(awk "BEGIN{print $BYTES/1e6/$w}")" "$c"
  eval "${form}_w=$w ${form}_c=$c"
done
echo "  fused: wall $(ratio $piped_w $fused_w) faster, CPU $(ratio $piped_c $fused_c) less (piped / fused)"
table=$(sqlite3 "$tmp/fused.db" .tables | awk '{print $1}')
if [ "$(sqlite3 "$tmp/piped.db" "SELECT * FROM $table ORDER BY 1,2,3")" = "$(sqlite3 "$tmp/fused.db" "SELECT * FROM $table ORDER BY 1,2,3")" ]; then
  echo "  same rows in both databases ($(sqlite3 "$tmp/fused.db" "SELECT count(*) FROM $table"))"
else
  echo "  the databases differ" >&2
  exit 1
fi
