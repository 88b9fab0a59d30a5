#!/usr/bin/env bash
# Runs one CLI golden test: DIR/cmd is a bash script run in a fresh temporary
# folder with the built tools first on PATH and DIR/stdin (or nothing) on
# stdin. Its stdout must equal DIR/stdout (empty when the file is absent), its
# stderr DIR/stderr (not checked when absent), its status DIR/status (default 0).
set -u
dir=$1 bindir=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$bindir:$PATH" SAMPLES="$root/samples" TESTDIR="$dir" ROOT="$root" LC_ALL=C.UTF-8
stdin=/dev/null
[ -f "$dir/stdin" ] && stdin="$dir/stdin"
cd "$work"
timeout 100 bash "$dir/cmd" <"$stdin" >"$work/.out" 2>"$work/.err"
status=$?
want_status=0
[ -f "$dir/status" ] && want_status=$(cat "$dir/status")
fail=0
if [ "$status" != "$want_status" ]; then
  echo "exit status: got $status, want $want_status"
  fail=1
fi
want_out=/dev/null
[ -f "$dir/stdout" ] && want_out="$dir/stdout"
if ! cmp -s "$want_out" "$work/.out"; then
  echo "stdout differs (want vs got):"
  diff "$want_out" "$work/.out" | head -40
  fail=1
fi
if [ -f "$dir/stderr" ] && ! cmp -s "$dir/stderr" "$work/.err"; then
  echo "stderr differs (want vs got):"
  diff "$dir/stderr" "$work/.err" | head -40
  fail=1
fi
if [ $fail = 1 ]; then
  echo "--- stderr was:"
  head -20 "$work/.err"
fi
exit $fail
