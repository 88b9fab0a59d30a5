# Shared by the broker recipe tests (Kafka's mock cluster, mosquitto): a fresh
# work folder, the built tools first on PATH, bounded waits, and everything
# started stopped however the test ends. Needs BIN (the built tools).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../script-start.sh"
# On a failure, the end of each process's stderr (*.err) tells why.
on_fail() {
  local f
  for f in *.err; do [ -s "$f" ] && { echo "--- $f"; tail -15 "$f"; }; done
}
# wait_for SECONDS WHAT CMD...: runs CMD every 0.1 s until it succeeds, at most SECONDS.
wait_for() {
  local limit=$(($1 * 10)) what=$2 i
  shift 2
  for ((i = 0; i < limit; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  fail "$what (waited $((limit / 10)) s)"
}
# rows DB TABLE: the table's row count (0 while it does not exist).
rows() {
  sqlite3 "$1" "SELECT count(*) FROM $2" 2>/dev/null || echo 0
}
# gone PID: true once the process has ended.
gone() {
  ! kill -0 "$1" 2>/dev/null
}
