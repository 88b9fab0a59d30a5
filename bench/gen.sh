#!/usr/bin/env bash
# Benchmark of stream-gen and stream-plot, in the same run:
#   stream-gen unthrottled: N sensor readings (time, sensor, temperature,
#   humidity, status) to /dev/null, as NDJSON and CSV, against bench/gen.py
#   writing the same kind of records and against `seq N` (a floor: no fields);
#   stream-plot: N records drawn on a terminal (a pty from script(1)) and into
#   an SVG at 10 frames a second, and a 100k records/s stream-gen feed that it
#   must keep up with.
# Usage: bench/gen.sh            (BIN=build/bin, N=2000000, REPEAT=3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BIN:-$root/build/bin}
n=${N:-2000000}
repeat=${REPEAT:-3}
[ -x "$bin/stream-gen" ] && [ -x "$bin/stream-plot" ] || { echo "gen.sh: build stream-gen and stream-plot first (or set BIN)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# best_of CMD: the least wall-clock seconds of $repeat runs of bash -c CMD.
best_of() {
  local best="" s e t i
  for ((i = 0; i < repeat; i++)); do
    s=$(date +%s.%N)
    bash -c "$1" >/dev/null
    e=$(date +%s.%N)
    t=$(awk "BEGIN{print $e - $s}")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}
rate() { awk "BEGIN{printf \"%.2fM records/s\", $n / $1 / 1e6}"; }
row() { printf '  %-58s %7.2f s  %s\n' "$1" "$2" "$(rate "$2")"; }

models="'sensor=choice(s1,s2,s3,s4,s5)' 'temperature=uniform(15,30)' 'humidity=uniform(30,70)' 'status=choice(ok:49,warn:1)'"
gen="$bin/stream-gen --seed 1 --start 2026-11-21T10:00:00Z --step 1s --time-field time --count $n $models"
echo "stream-gen, $n records unthrottled (best of $repeat):"
t_gen=$(best_of "$gen > /dev/null")
row "stream-gen (NDJSON)" "$t_gen"
t_csv=$(best_of "$gen --format csv > /dev/null")
row "stream-gen --format csv" "$t_csv"
t_real=$(best_of "$bin/stream-gen --time-field time --count $n $models > /dev/null")
row "stream-gen, wall-clock time field" "$t_real"
t_py=$(best_of "python3 $root/bench/gen.py sensors-ndjson $n > /dev/null")
row "bench/gen.py sensors-ndjson" "$t_py"
t_seq=$(best_of "seq $n > /dev/null")
row "seq (numbers only, a floor)" "$t_seq"
awk "BEGIN{printf \"  stream-gen vs bench/gen.py: %.1fx faster\n\", $t_py / $t_gen}"

echo "stream-plot, $n records while drawing (best of $repeat):"
bash -c "$gen" > "$work/in.ndjson"
t_svg=$(best_of "$bin/stream-plot --y temperature,humidity --svg $work/c.svg $work/in.ndjson")
row "stream-plot --svg (10 redraws/s)" "$t_svg"
if command -v script >/dev/null; then
  # On a terminal: script(1) gives the plot a pty (its frames go to /dev/null).
  echo "$bin/stream-plot --y temperature,humidity $work/in.ndjson" > "$work/tty.sh"
  t_tty=$(best_of "script -qfec 'bash $work/tty.sh' /dev/null")
  row "stream-plot on a terminal (pty, 10 frames/s)" "$t_tty"
  # A live feed of 100k records/s for 5 s: the pipeline ends on time when the plot keeps up.
  echo "$bin/stream-gen --rate 100000/s --count 500000 --time-field time $models | $bin/stream-plot --y temperature,humidity" > "$work/live.sh"
  s=$(date +%s.%N)
  script -qfec "bash $work/live.sh" /dev/null > /dev/null
  e=$(date +%s.%N)
  awk "BEGIN{d = $e - $s; printf \"  100k records/s for 5 s into stream-plot on a terminal: done in %.2f s (kept up: %s)\\n\", d, d < 5.5 ? \"yes\" : \"no\"}"
fi
