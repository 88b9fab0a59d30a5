#!/usr/bin/env bash
# stream-parse --follow --resume DB: where each run starts.
# Usage: resume.sh BIN_DIR
set -euo pipefail
bin=$1
export PATH="$bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() {
  echo "FAIL: $*"
  exit 1
}
run() {  # the records of `stream-parse --follow --once --resume db.db ARGS` go into db.db
  stream-parse --follow --once --format logfmt --resume db.db "$@" 2>err.txt | stream-sink-sqlite db.db --table t
}
count() { sqlite3 db.db "SELECT count(*) FROM t"; }

# No database yet, then no row for the file: from the start.
for i in $(seq 1 5); do echo "n=$i" >>app.log; done
run app.log
[ "$(count)" = 5 ] || fail "first run: $(count) rows"
for i in $(seq 1 3); do echo "n=$i" >>other.log; done
run other.log
[ "$(count)" = 8 ] || fail "a file without a row: $(count) rows"
# The checkpoints are kept apart, the latest per source, never in t.
[ "$(sqlite3 db.db 'SELECT count(*) FROM _stream_checkpoints')" = 2 ] || fail "two sources"
sqlite3 db.db "SELECT count(*) FROM t WHERE n IS NULL" | grep -qx 0 || fail "a checkpoint in the records table"

# Nothing new: nothing read again; new lines: only they.
run app.log
[ "$(count)" = 8 ] || fail "nothing new: $(count) rows"
for i in 6 7; do echo "n=$i" >>app.log; done
run app.log
[ "$(count)" = 10 ] || fail "two new lines: $(count) rows"

# The stored checkpoint comes first, as it was stored.
stream-parse --follow --once --format logfmt --resume db.db --control always app.log | head -n 1 >first.txt
cmp -s first.txt <(sqlite3 db.db "SELECT record FROM _stream_checkpoints WHERE source LIKE '%/app.log'") ||
  fail "the first record is not the stored checkpoint: $(cat first.txt)"

# Rotated under another name (--rotated): found by its fingerprint.
for i in 8 9; do echo "n=$i" >>app.log; done
mkdir old
mv app.log old/app-1.log
echo "n=10" >app.log
run --rotated 'old/*.log' app.log
[ "$(count)" = 13 ] || fail "--rotated: $(count) rows"

# The checkpointed file gone (rotated, then compressed): reported with the
# bytes known lost, the newer files read, exit status 1.
echo "n=11" >>app.log
run app.log  # checkpoint in app.log at its end
echo "n=12" >>app.log
mv app.log app.log.1
gzip app.log.1
echo "n=13" >app.log
st=0
run app.log || st=$?
[ $st = 1 ] || fail "a gone file: status $st, want 1"
grep -q "is gone (deleted, or compressed as app.log.1.gz)" err.txt || fail "no report: $(cat err.txt)"
sqlite3 db.db "SELECT n FROM t WHERE n >= 11 ORDER BY n" | tr '\n' ' ' | grep -qx '11 13 ' || fail "after the gap: $(sqlite3 db.db 'SELECT n FROM t')"
stream-parse --follow --once --format logfmt --resume db.db app.log >/dev/null 2>&1 || fail "the next run: status $?, want 0"

# Usage errors.
for args in "--once app.log" "--resume db.db app.log" "--follow" "--follow -" "--follow --rotated x app.log"; do
  st=0
  # shellcheck disable=SC2086
  stream-parse $args </dev/null >/dev/null 2>err.txt || st=$?
  [ $st = 2 ] || fail "stream-parse $args: status $st, want 2"
done
echo "ok: first run, no row, nothing new, new lines, --rotated, a gone file, usage errors"
