# The common start of the script tests that run servers (tests/listen,
# tests/recipes; sourced, not run): the built tools first on PATH, a fresh
# work folder as the current directory, every process in `pids` killed and
# the folder removed however the test ends, and `fail MESSAGE` (which calls
# the test's `on_fail`, when it has one, before it exits). Needs BIN.
BIN=$(cd "$BIN" && pwd)
PATH="$BIN:$PATH"
export LC_ALL=C.UTF-8
work=$(mktemp -d)
cd "$work" || exit 1
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  cd / && rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  declare -F on_fail >/dev/null && on_fail
  exit 1
}
