#!/usr/bin/env bash
# stream-parse --follow as tail -F, without its losses: lines written to a
# log after it was renamed away, a copytruncate, a file that does not exist
# yet, a line written in two parts, a rotated CSV file's header, two files
# at once. Each case checks every line arrives once, with the right fields.
# Usage: follow.sh BIN_DIR
set -euo pipefail
bin=$1
export PATH="$bin:$PATH"
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
fail() {
  echo "FAIL: $*"
  exit 1
}

# follow OUT ARGS...: starts stream-parse --follow in the background.
follow() {
  local out=$1
  shift
  stream-parse --follow --control always "$@" >"$out" 2>"$out.err" &
  pid=$!
}
# until_lines OUT N: waits (at most 10 s) until OUT has N data records.
until_lines() {
  for _ in $(seq 200); do
    [ "$(grep -vc '^{"_control"' "$1" || true)" -ge "$2" ] && return 0
    sleep 0.05
  done
  fail "$1: $(grep -vc '^{"_control"' "$1" || true) records, want $2"
}
stop() {  # SIGTERM: ends with status 143 (dies by the signal)
  kill -TERM "$pid"
  local st=0
  wait "$pid" || st=$?
  pid=
  [ $st = 143 ] || fail "status $st after SIGTERM, want 143"
}
# check OUT N: N data records, n=1..N each once, in order.
check() {
  local got
  got=$(grep -v '^{"_control"' "$1" | sed 's/.*"n":\([0-9]*\).*/\1/' | tr '\n' ' ')
  [ "$got" = "$(seq -s ' ' 1 "$2") " ] || fail "$1: got n = $got"
}

# 1. Rename rotation: lines written to the old file after the rename (the
#    writer has not reopened yet) are read too, then the new file's.
follow rename.out --format logfmt app.log
sleep 0.2  # app.log does not exist yet: waited for
for i in $(seq 1 40); do echo "n=$i" >>app.log; done
until_lines rename.out 40
mv app.log app.log.1
for i in $(seq 41 60); do echo "n=$i" >>app.log.1; done  # still writing to the renamed file
for i in $(seq 61 100); do echo "n=$i" >>app.log; done   # then to the new one
until_lines rename.out 100
stop
check rename.out 100

# 2. copytruncate, and a line written in two parts.
rm -f app.log*
for i in $(seq 1 30); do echo "n=$i" >>app.log; done
follow trunc.out --format logfmt app.log
until_lines trunc.out 30
cp app.log app.log.1
: >app.log
sleep 0.3
for i in $(seq 31 50); do echo "n=$i" >>app.log; done
printf 'n=5' >>app.log
sleep 0.3
echo 1 >>app.log
until_lines trunc.out 51
stop
check trunc.out 51

# 3. A rotated CSV file: the new file's header is a header, not data.
printf 'n,name\n1,a\n2,b\n' >data.csv
follow csv.out --format csv data.csv
until_lines csv.out 2
mv data.csv data.csv.1
printf 'n,name\n3,c\n4,d\n' >data.csv
until_lines csv.out 4
stop
check csv.out 4
grep -q '"name":"name"' csv.out && fail "a header read as data"
grep -q '{"n":4,"name":"d"}' csv.out || fail "fields of the new file"

# 4. Two files at once: each its own source (line numbers of its own).
printf '{"n":1}\n{"n":2}\nnot json\n' >a.log
printf '{"n":3}\n{"n":4}\n' >b.log
st=0
stream-parse --follow --once --format ndjson --control always a.log b.log >two.out 2>two.err || st=$?
[ $st = 1 ] || fail "a bad line: status $st, want 1"
[ "$(grep -vc '^{"_control"' two.out)" = 4 ] || fail "two files: $(cat two.out)"
grep -q 'a.log:3:' two.err || fail "the reject names a.log:3: $(cat two.err)"
[ "$(grep -c '"_control":"checkpoint".*a.log' two.out)" -ge 1 ] || fail "no checkpoint of a.log"
[ "$(grep -c '"_control":"checkpoint".*b.log' two.out)" -ge 1 ] || fail "no checkpoint of b.log"

# 5. --once with a last line still being written: left for the next run,
#    the checkpoint before it.
printf 'n=1\nn=2\nn=' >c.log
stream-parse --follow --once --format logfmt --control always c.log >once.out
[ "$(grep -vc '^{"_control"' once.out)" = 2 ] || fail "--once: $(cat once.out)"
tail -n 1 once.out | grep -q '"offset":8,"line":2' || fail "--once checkpoint: $(tail -n 1 once.out)"

echo "ok: rename, copytruncate, a line in two parts, a rotated CSV header, two files, --once"
