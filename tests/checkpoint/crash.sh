#!/usr/bin/env bash
# Exactly once across crashes (CONTRACT 9): a writer appends to a log and
# rotates it (rename, older files shifted) while a --follow pipeline into
# SQLite (--upsert on the window key) is killed with kill -9 at random
# moments, one random stage each time, and restarted with --resume. At the
# end the table equals one batch run over the whole log: no row missing,
# none doubled, every count, mean, p99 and median the same.
# Usage: crash.sh BIN_DIR [KILLS] [SEED]   (CI runs 5 kills; by hand, 20)
set -euo pipefail
. "$(dirname "$0")/same-table.bash"
bin=$1
kills=${2:-5}
seed=${3:-11}
export PATH="$bin:$PATH"
work=$(mktemp -d)
pids=()
writer=
cleanup() {
  for p in "${pids[@]}" $writer; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
RANDOM=$seed

lines=$((kills * 1500 + 3000))
stream-gen --format combined --seed "$seed" --start 2026-05-19T00:00:00Z --step 2s --disorder 10s \
  --count "$lines" >full.log

window() { exec stream-window --time time --tumbling 10m --grace 1m; }
agg() { exec stream-agg --by status count mean:bytes p99:bytes median:bytes; }
sink() { exec stream-sink-sqlite "$1" --table per_window --upsert window_start,status; }

stream-parse --format combined full.log 2>/dev/null | window 2>/dev/null | agg | sink batch.db

# The writer: whole lines in pieces of 100, a piece every 40 ms; every 12
# pieces the log is rotated by rename (app.log.1 -> app.log.2, ..., up to 99 kept).
split -l 100 -d -a 4 full.log piece.
(
  n=0
  for p in piece.*; do
    cat "$p" >>app.log
    n=$((n + 1))
    if [ $((n % 12)) = 0 ]; then
      for k in $(seq 98 -1 1); do [ -e app.log.$k ] && mv app.log.$k app.log.$((k + 1)); done
      mv app.log app.log.1
      : >app.log
    fi
    sleep 0.04
  done
  touch writer.done
) &
writer=$!

start_pipeline() {  # each stage a process of its own, so that one can be killed
  rm -f p1 p2 p3
  mkfifo p1 p2 p3
  pids=()
  stream-parse --format combined --follow --resume cron.db app.log >p1 2>>stderr.txt &
  pids+=($!)
  window <p1 >p2 2>>stderr.txt &
  pids+=($!)
  agg <p2 >p3 2>>stderr.txt &
  pids+=($!)
  sink cron.db <p3 2>>stderr.txt &
  pids+=($!)
}
# Waits (at most 15 s) for the stages still running to end by themselves.
wait_stages() {
  for _ in $(seq 150); do
    alive=0
    for p in "${pids[@]}"; do  # a stage that ended is a zombie until waited for
      state=$(awk '/^State:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
      [ -n "$state" ] && [ "$state" != Z ] && alive=1
    done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

stages=(stream-parse stream-window stream-agg stream-sink-sqlite)
killed=""
for i in $(seq "$kills"); do
  start_pipeline
  sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
  victim=$((RANDOM % 4))
  kill -9 "${pids[$victim]}" 2>/dev/null || true
  killed+="${stages[$victim]} "
  wait_stages
done
# The writer ends; a last run reads what is left and ends (--once).
for _ in $(seq 600); do [ -e writer.done ] && break; sleep 0.1; done
[ -e writer.done ] || { echo "the writer did not finish"; exit 1; }
wait "$writer"
writer=
stream-parse --format combined --follow --once --resume cron.db app.log 2>>stderr.txt | window 2>>stderr.txt | agg | sink cron.db

if ! (same_table per_window "after kill -9 of: $killed, the resumed runs"); then
  grep -v "^stream-window: .* late" stderr.txt | head -20
  exit 1
fi
rows=$(wc -l <batch.txt)
echo "ok: $rows rows equal the batch run after $kills kill -9 (of: $killed) and restarts with --resume"
