# Shared by the stream-parse --listen tests: start a listening pipeline on a
# free loopback port (bounded wait), and stop what was started however the
# test ends. Needs BIN (the built tools); runs in a fresh work folder.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../script-start.sh"
# port_of LOG PID: waits (at most 10 s) for `listening on SCHEME://HOST:PORT`
# (or `…:PORT/PATH`, HTTP ingest); sets PORT.
port_of() {
  local i
  for ((i = 0; i < 100; i++)); do
    PORT=$(sed -n 's/.*listening on [a-z]*:\/\/.*:\([0-9]*\)\(\/.*\)\{0,1\}$/\1/p' "$1" | head -1)
    [ -n "$PORT" ] && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  cat "$1"
  fail "stream-parse did not start listening"
}
# wait_gone PID: at most 30 s.
wait_gone() {
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  fail "process $1 did not end"
}
# wait_for FILE PATTERN: at most 10 s until FILE has a line matching PATTERN.
wait_for() {
  local i
  for ((i = 0; i < 100; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "no '$2' in $1: $(cat "$1")"
}
# stop PID: SIGTERM, then waits for it to end (bounded).
stop() {
  kill -TERM "$1"
  wait_gone "$1"
}
