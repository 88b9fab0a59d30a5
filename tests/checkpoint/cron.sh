#!/usr/bin/env bash
# Cron runs over a growing, rotating log equal one batch run (CONTRACT 9):
# a log grown in 10 increments (most of them ending inside a line), renamed
# away after the 4th and copied-and-truncated after the 7th, with a
# `--follow --once --resume` run after each increment, leaves the same table
# (count, mean, p99 and exact median per window and status) as one run over
# the whole log.
# Usage: cron.sh BIN_DIR [SEED]
set -euo pipefail
. "$(dirname "$0")/same-table.bash"
bin=$1
seed=${2:-7}
export PATH="$bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

stream-gen --format combined --seed "$seed" --start 2026-05-19T00:00:00Z --step 3s --disorder 20s --late 0.5% \
  --count 12000 >full.log
total=$(wc -c <full.log)

pipeline() {  # DB, then the stream-parse arguments
  local db=$1
  shift
  stream-parse --format combined "$@" \
    | stream-window --time time --tumbling 1h --grace 5m \
    | stream-agg --by status count mean:bytes p99:bytes median:bytes \
    | stream-sink-sqlite "$db" --table per_hour --upsert window_start,status
}
# Exit status 1 is fine here: late records are rejected (and counted) in both.
run() { pipeline "$@" 2>>stderr.txt || [ $? -eq 1 ]; }

run batch.db full.log

# The increments: byte offsets, most inside a line; the 4th and the 7th end
# at a line end (a writer rotates between whole lines).
cuts=()
for i in 1 2 3 4 5 6 7 8 9; do
  at=$((total * i / 10 + 17 * i))
  if [ "$i" = 4 ] || [ "$i" = 7 ]; then
    # the next line end
    nl=$(set +o pipefail; tail -c +$((at + 1)) full.log | grep -b -m1 -o '"$' | cut -d: -f1)
    at=$((at + nl + 2))
  fi
  cuts+=("$at")
done
cuts+=("$total")

from=0
n=0
for to in "${cuts[@]}"; do
  n=$((n + 1))
  (set +o pipefail; tail -c +$((from + 1)) full.log | head -c $((to - from)) >>app.log)
  from=$to
  run cron.db --follow --once --resume cron.db app.log
  if [ "$n" = 4 ]; then  # logrotate: rename
    mv app.log app.log.1
    : >app.log
  elif [ "$n" = 7 ]; then  # logrotate copytruncate (the older ones shifted first)
    mv app.log.1 app.log.2
    cp app.log app.log.1
    : >app.log
  fi
done

same_table per_hour "the cron runs"
rows=$ROWS
# One checkpoint, of the followed name, kept apart from the results.
sqlite3 cron.db "SELECT count(*) FROM _stream_checkpoints WHERE source LIKE '%/app.log'" | grep -qx 1
echo "ok: $rows rows equal after 10 cron runs (rename after the 4th, copytruncate after the 7th)"
