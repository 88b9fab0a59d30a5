# Sourced by the checkpoint tests (not a test itself: ctest runs *.sh).
# same_table TABLE WHAT: TABLE of batch.db and of cron.db hold the same rows
# (window, status, count, mean to 17 digits, p99, median), and more than 20;
# else prints WHAT and the differences and exits 1. Sets ROWS.
same_table() {
  local query="SELECT window_start, status, count, printf('%.17g', bytes_mean), bytes_p99, bytes_median FROM $1 ORDER BY window_start, status"
  sqlite3 batch.db "$query" >batch.txt
  sqlite3 cron.db "$query" >cron.txt
  ROWS=$(wc -l <batch.txt)
  if ! diff -u batch.txt cron.txt >diff.txt; then
    echo "$2 differ from the batch run ($ROWS rows):"
    head -40 diff.txt
    exit 1
  fi
  [ "$ROWS" -gt 20 ] || { echo "too few rows: $ROWS"; exit 1; }
}
