# Shared helpers for the benchmark scripts (sourced, not run).
# measure LABEL CMD: runs CMD (stdout to /dev/null) $REPEAT times (default 3)
# and sets BEST_S (best wall seconds) and PEAK_KB (its peak RSS), printing a line.
REPEAT=${REPEAT:-3}
bench_deps() {
  # Peers and tools the benchmarks use, from Debian's packages; apt-get only when missing.
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -q "${missing[@]}" >/dev/null
}
measure() {
  local label=$1 cmd=$2 i t m
  BEST_S="" PEAK_KB=0
  for ((i = 0; i < REPEAT; i++)); do
    /usr/bin/time -f "%e %M" -o /tmp/bench.time bash -c "$cmd" >/dev/null 2>/tmp/bench.err || {
      echo "$label: failed: $(tail -n 2 /tmp/bench.err)" >&2
      return 1
    }
    read -r t m < <(tail -n 1 /tmp/bench.time)
    if [ -z "$BEST_S" ] || awk "BEGIN{exit !($t < $BEST_S)}"; then BEST_S=$t PEAK_KB=$m; fi
  done
  awk "BEGIN{t=$BEST_S; if (t < 0.005) t = 0.005; printf \"  %-44s %8.2f s %9.1f MB/s %8.1f MB peak RSS\n\", \"$label\", $BEST_S, ${BYTES:-0}/1e6/t, $PEAK_KB/1024}"
}
ratio() {  # ratio SLOW_S FAST_S
  awk "BEGIN{f=$2; if (f < 0.005) f = 0.005; printf \"%.1fx\", $1/f}"
}
