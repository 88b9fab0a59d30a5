#!/usr/bin/env bash
# Benchmark of stream-serve: N sensor readings passed through --tee (the
# time from the first byte written to the end of --tee's output) with no
# client, and with 100 SSE clients on loopback of which one never reads
# (tests/serve/clients.py, on this machine, so they share its cores; once
# more with the clients at nice 19, as if they ran elsewhere), against
# peers run in the same go: `tee` (the floor of a pass-through) and
# stream-plot --tee writing an SVG (a live view without a server). The runs
# alternate, best of REPEAT (default 5) each, and print ratios and the
# server's peak RSS. The runs with and without clients go through
# bench/serve.py (a Python driver feeds the input and reads --tee); the
# peers, and one more run without clients, through the shell.
# Usage: bench/serve.sh      (BIN=build/bin, N=1000000, REPEAT=5)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${BIN:-$root/build/bin}
N=${N:-1000000}
REPEAT=${REPEAT:-5}
[ -x "$bin/stream-serve" ] || { echo "serve.sh: build stream-serve first (or set BIN)" >&2; exit 1; }
mkdir -p bench/data
nd=bench/data/sensors-$N.ndjson
[ -s "$nd" ] || bash bench/data.sh sensors-ndjson "$N" >"$nd"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# wall CMD: seconds of bash -c CMD.
wall() {
  /usr/bin/time -f "%e" -o "$work/t" bash -c "$1" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  cat "$work/t"
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
best_none="" best_clients="" best_nice="" best_shell="" best_tee="" best_plot="" hwm_none=0 hwm_clients=0
for ((i = 0; i < REPEAT; i++)); do
  read -r s m < <(python3 bench/serve.py "$bin" "$nd" 0 0)
  best_none=$(min "$best_none" "$s") hwm_none=$((m > hwm_none ? m : hwm_none))
  read -r s m < <(python3 bench/serve.py "$bin" "$nd" 100 1)
  best_clients=$(min "$best_clients" "$s") hwm_clients=$((m > hwm_clients ? m : hwm_clients))
  read -r s m < <(CLIENTS_NICE=19 python3 bench/serve.py "$bin" "$nd" 100 1)
  best_nice=$(min "$best_nice" "$s") hwm_clients=$((m > hwm_clients ? m : hwm_clients))
  best_shell=$(min "$best_shell" "$(wall "$bin/stream-serve --listen 127.0.0.1:0 --tee --exit-at-end --by sensor --y temperature < $nd")")
  best_tee=$(min "$best_tee" "$(wall "tee < $nd /dev/null")")
  best_plot=$(min "$best_plot" "$(wall "$bin/stream-plot --tee --y temperature --by sensor --svg $work/c.svg < $nd")")
done
mb=$(($(stat -c %s "$nd") / 1000000))
echo "stream-serve benchmark: $N records ($mb MB) through --tee, $(nproc) cores (load average $(cut -d' ' -f1 /proc/loadavg)), best of $REPEAT"
line() { awk -v l="$1" -v s="$2" -v n="$N" -v extra="$3" 'BEGIN { printf "  %-50s %6.2f s %9.0f records/s  %s\n", l, s, n / s, extra }'; }
line "stream-serve --tee, no client" "$best_none" "peak RSS $hwm_none MB"
line "stream-serve --tee, 100 SSE clients (1 never reads)" "$best_clients" "peak RSS $hwm_clients MB"
line "the same, the clients at nice 19 (as if elsewhere)" "$best_nice" ""
echo "  the same way as the peers (a file on stdin, stdout to /dev/null, start-up included):"
line "stream-serve --tee --exit-at-end, no client" "$best_shell" ""
line "tee (coreutils)" "$best_tee" ""
line "stream-plot --tee --svg" "$best_plot" ""
awk -v a="$best_none" -v b="$best_clients" -v c="$best_nice" \
  'BEGIN { printf "  with 100 clients: %.0f%% of the speed without clients (%.0f%% with the clients at nice 19)\n", 100 * a / b, 100 * a / c }'
awk -v a="$best_shell" -v t="$best_tee" -v p="$best_plot" \
  'BEGIN { printf "  stream-serve (no client) takes %.1fx the time of tee and %.2fx that of stream-plot --tee\n", a / t, a / p }'
