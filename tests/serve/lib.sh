# Shared by the stream-serve tests: start a server on 127.0.0.1 and a free
# port, wait (bounded) for it, and stop what was started, however the test ends.
# Needs BIN (the built tools) and a work folder as the current directory.
PATH="$BIN:$PATH"
export LC_ALL=C.UTF-8
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
# start_server LOG ARG...: stream-serve --listen 127.0.0.1:0 ARG... in the
# background, stdin as given to the function; sets PID and URL.
start_server() {
  local log=$1 i
  shift
  # (an explicit stdin, not /dev/null; the test's own fifo ends closed)
  stream-serve --listen 127.0.0.1:0 "$@" 2>"$log" <&0 3>&- 4>&- &
  PID=$!
  pids+=("$PID")
  for ((i = 0; i < 100; i++)); do
    URL=$(grep -oE 'https?://127\.0\.0\.1:[0-9]+/' "$log" | head -1)
    [ -n "$URL" ] && return 0
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log"
  fail "the server did not start"
}
# wait_exit PID: its exit status (bounded: 20 s, else the test fails).
wait_exit() {
  local i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$1" 2>/dev/null && fail "process $1 did not end"
  wait "$1"
}
# until_grep FILE PATTERN: waits (at most 10 s) until FILE holds PATTERN.
until_grep() {
  local i
  for ((i = 0; i < 100; i++)); do
    grep -qE -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "--- $1:"
  cat "$1"
  fail "no '$2' in $1"
}
sse() { timeout 30 python3 "$here/sse.py" "$@"; }
