#!/usr/bin/env bash
# Benchmark: stream-parse against Miller (CSV -> NDJSON) and jq (NDJSON in ->
# out) on the same generated data, in the same run. Prints MB/s, peak RSS and
# ratios. N=2000000 by default; REPEAT=3 runs each, best kept.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${N:-2000000}
bench_deps miller jq time
[ -x build/bin/stream-parse ] || bash scripts/build.sh >/dev/null
SP=$PWD/build/bin/stream-parse
mkdir -p bench/data
csv=bench/data/sensors-$N.csv ndjson=bench/data/sensors-$N.ndjson access=bench/data/access-$N.log
[ -s $csv ] || bash bench/data.sh sensors-csv "$N" > $csv
[ -s $ndjson ] || bash bench/data.sh sensors-ndjson "$N" > $ndjson
[ -s $access ] || bash bench/data.sh access "$N" > $access
echo "stream-parse benchmark: $N records, $(nproc) cores, best of $REPEAT"

BYTES=$(stat -c %s $csv)
echo "CSV -> NDJSON ($((BYTES / 1000000)) MB)"
measure "stream-parse --format csv" "$SP --format csv $csv"; ours=$BEST_S
measure "stream-parse (STREAM_UTILS_SIMD=scalar)" "STREAM_UTILS_SIMD=scalar $SP --format csv $csv"
measure "mlr --icsv --ojsonl cat" "mlr --icsv --ojsonl cat $csv"; peer=$BEST_S
echo "  ratio: stream-parse is $(ratio $peer $ours) Miller"

BYTES=$(stat -c %s $ndjson)
echo "NDJSON in -> out ($((BYTES / 1000000)) MB)"
measure "stream-parse --format ndjson" "$SP --format ndjson $ndjson"; ours=$BEST_S
measure "jq -c ." "jq -c . $ndjson"; peer=$BEST_S
echo "  ratio: stream-parse is $(ratio $peer $ours) jq"

BYTES=$(stat -c %s $access)
echo "access log (combined) -> NDJSON ($((BYTES / 1000000)) MB)"
measure "stream-parse --format combined" "$SP --format combined $access"; ours=$BEST_S
measure "mlr --inidx --ifs space --ojsonl cat" "mlr --inidx --ifs space --ojsonl cat $access"; peer=$BEST_S
echo "  ratio: stream-parse is $(ratio $peer $ours) Miller (which only splits on spaces)"
