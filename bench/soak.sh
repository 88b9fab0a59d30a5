#!/usr/bin/env bash
# Soak test: the 4-stage pipeline fed at a steady rate for MINUTES, with a
# live SQLite reader querying the table meanwhile. Samples each stage's RSS
# every 5 s and prints, at the end, the first and largest RSS of each stage,
# the reader's query count and errors, and whether every record sent was
# counted (sum of count over the table = records sent).
#
#   bench/soak.sh [MINUTES] [RATE]      defaults: 2 minutes, 20000 records/s
#
# Uses build/bin; the records carry the wall-clock time, so windows close as
# in a live deployment (--tumbling 10s, --idle 2s).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-2} rate=${2:-20000}
bin=$PWD/build/bin
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
db=$work/soak.db
seconds=$(python3 -c "print(int($minutes * 60))")

# The generator: RATE records a second in 10 batches, 50 sensors.
cat >"$work/gen.py" <<'PY'
import sys, time, datetime
rate, seconds = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
sent = 0
start = time.monotonic()
tick = 0
while time.monotonic() - start < seconds:
    tick += 1
    now = datetime.datetime.now(datetime.timezone.utc)
    ts = now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000)
    n = rate // 10
    lines = []
    for i in range(n):
        k = sent + i
        lines.append('{"time":"%s","sensor":"s%d","temperature":%.2f,"humidity":%.1f}\n'
                     % (ts, k % 50, 15 + (k * 7919 % 1500) / 100, 30 + (k * 104729 % 600) / 10))
    out.write("".join(lines))
    out.flush()
    sent += n
    delay = start + tick / 10 - time.monotonic()
    if delay > 0:
        time.sleep(delay)
print(sent, file=sys.stderr)
PY

echo "soak: ${minutes} min at ${rate} records/s through parse | window | agg | sink, a reader every 0.5 s" >&2
python3 "$work/gen.py" "$rate" "$seconds" 2>"$work/sent" |
  "$bin/stream-parse" --format ndjson |
  "$bin/stream-window" --time time --tumbling 10s --idle 2s |
  "$bin/stream-agg" --by sensor count mean:temperature p99:temperature |
  "$bin/stream-sink-sqlite" "$db" --table soak --upsert window_start,sensor &
sleep 1
pids=()
for t in stream-parse stream-window stream-agg stream-sink-sqlite; do
  pids+=("$(pgrep -n -f "$bin/$t")")
done

# The live reader: a second connection querying while the sink writes.
touch "$work/running"
(
  q=0 errors=0
  while [ -e "$work/running" ]; do
    if sqlite3 "$db" ".timeout 2000" "SELECT count(*), coalesce(sum(count),0) FROM soak" >/dev/null 2>>"$work/reader.err"; then
      q=$((q + 1))
    else
      errors=$((errors + 1))
    fi
    sleep 0.5
  done
  echo "$q $errors" >"$work/reader"
) &
reader=$!

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
declare -A first max
end=$((SECONDS + seconds + 30))
while kill -0 "${pids[3]}" 2>/dev/null && [ $SECONDS -lt $end ]; do
  for i in 0 1 2 3; do
    r=$(rss "${pids[$i]}")
    [ "$r" = 0 ] && continue
    [ -z "${first[$i]:-}" ] && first[$i]=$r
    [ "$r" -gt "${max[$i]:-0}" ] && max[$i]=$r
  done
  sleep 5
done
wait "${pids[@]}" 2>/dev/null || true
while kill -0 "${pids[3]}" 2>/dev/null; do sleep 0.2; done
rm -f "$work/running"
wait "$reader" 2>/dev/null || true
sent=$(cat "$work/sent")
read -r rows counted < <(sqlite3 -separator ' ' "$db" "SELECT count(*), sum(count) FROM soak")
read -r queries qerrors <"$work/reader" || true
names=(stream-parse stream-window stream-agg stream-sink-sqlite)
printf '%-20s %12s %12s\n' stage "first RSS KB" "max RSS KB"
for i in 0 1 2 3; do printf '%-20s %12s %12s\n' "${names[$i]}" "${first[$i]:-?}" "${max[$i]:-?}"; done
echo "records sent: $sent; counted in the table: $counted over $rows rows (window x sensor)"
echo "live reader: ${queries:-?} queries, ${qerrors:-?} failed (before the first window closed, the table does not exist yet)"
[ -s "$work/reader.err" ] && sort "$work/reader.err" | uniq -c | sed 's/^/  reader: /'
[ "$sent" = "$counted" ] && echo "soak: every record counted once" || { echo "soak: MISMATCH"; exit 1; }
