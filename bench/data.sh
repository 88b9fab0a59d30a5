#!/usr/bin/env bash
# The benchmarks' data, made by stream-gen and seeded, so every run and every
# machine gets the same bytes:
#   bench/data.sh sensors-ndjson N    sensor readings as NDJSON
#   bench/data.sh sensors-csv N       the same readings as CSV
#   bench/data.sh access N            combined-format access log lines
# Readings: time (RFC 3339 with milliseconds, one every 25 ms, up to 500 ms out
# of order), sensor s1..s20, temperature, humidity, status (2% "warn").
# STREAM_GEN picks the binary (default build/bin/stream-gen, built when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gen=${STREAM_GEN:-$root/build/bin/stream-gen}
[ -x "$gen" ] || bash "$root/scripts/build.sh" stream-gen >/dev/null
[ $# = 2 ] || { echo "usage: bench/data.sh sensors-ndjson|sensors-csv|access N" >&2; exit 2; }
kind=$1 n=$2
sensors=$(seq -s, -f 's%g' 1 20)
common=(--seed 42 --start 2026-11-21T10:00:00Z --count "$n")
case $kind in
  sensors-ndjson | sensors-csv)
    format=ndjson
    [ "$kind" = sensors-csv ] && format=csv
    exec "$gen" "${common[@]}" --step 25ms --disorder 500ms --time-field time --format "$format" \
      "sensor=choice($sensors)" 'temperature=uniform(15,30)' 'humidity=uniform(30,70)' 'status=choice(ok:49,warn:1)' ;;
  access)
    exec "$gen" "${common[@]}" --step 1s --format combined ;;
  *)
    echo "bench/data.sh: unknown kind '$kind'" >&2
    exit 2 ;;
esac
