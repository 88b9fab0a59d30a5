#!/usr/bin/env bash
# The README's Kafka recipe as a consumer group, on librdkafka's mock cluster
# (3 brokers on 127.0.0.1, topic "readings" with 3 partitions): two pipelines
#   stdbuf -oL kcat -G sinks ... -f '%k,%p,%o,%T,%s\n' readings | stream-parse | stream-sink-sqlite --upsert sensor,seq
# share the partitions. One is killed (kill -9 of its kcat: no goodbye to the
# group, offsets since the last auto-commit not committed) while readings are
# being produced; the other takes its partitions over after the session
# timeout and reads again what was not committed (Kafka delivers at least
# once), then the first comes back and the group rebalances again. Every
# reading must be in the table once, with its key, partition, offset and
# Kafka timestamp, equal to what was produced (compared in Python).
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
start_ms=$(date +%s%3N)
step() {  # progress, shown when the test fails
  local ms=$(($(date +%s%3N) - start_ms))
  echo "$((ms / 1000)).$((ms % 1000 / 100)) s: $*"
}

python3 "$here/kafka-mock.py" 140 3 readings:3 >brokers.txt 2>mock.err </dev/null &
pids+=($!)
wait_for 20 "no mock cluster" test -s brokers.txt
brokers=$(head -1 brokers.txt)
kcat -b "$brokers" -L -t readings 2>&1 | grep -q '"readings" with 3 partitions' || fail "no topic of 3 partitions"

# 12 sensors x 250 readings: sensor,seq,temperature,humidity; the sensor is the message key.
stream-gen --keys sensor=s1,s2,s3,s4,s5,s6,s7,s8,s9,s10,s11,s12 --count 250 --time-field '' --seed 11 \
  'seq=seq(1)' 'temperature=walk(20,0.5)' 'humidity=uniform(30,70)' --format csv | tail -n +2 >produced.csv
[ "$(wc -l <produced.csv)" = 3000 ] || fail "stream-gen gave $(wc -l <produced.csv) lines"
split -l 1000 -d produced.csv part.
step "the mock cluster is up; 3000 readings to produce"
produce() {  # FILE: sent as the recipe does, 100 readings every 0.1 s
  awk '{ print; fflush() } NR % 100 == 0 { system("sleep 0.1") }' "$1" |
    kcat -b "$brokers" -P -t readings -K , 2>>produce.err || fail "kcat -P failed"
}

# member NAME: one pipeline of the group (the README's command; kcat not -q,
# so that its assignments are logged). NAME.kcat holds its kcat's pid.
member() {
  bash -c 'echo $$ >"$0.kcat"; exec stdbuf -oL kcat -b "$1" -G sinks -X auto.offset.reset=earliest \
      -X session.timeout.ms=3000 -X heartbeat.interval.ms=300 -f "%k,%p,%o,%T,%s\n" readings' \
    "$1" "$brokers" 2>"$1.kcat.err" | tee "$1.raw" |
    stream-parse --format csv --columns sensor,partition,offset,kafka_time,seq,temperature,humidity 2>"$1.parse.err" |
    stream-sink-sqlite kafka.db --table readings --upsert sensor,seq 2>"$1.sink.err" &
  pids+=($!)
  eval "${1}_sink=$!"
  wait_for 10 "$1: kcat did not start" test -s "$1.kcat"
  pids+=("$(cat "$1.kcat")")
}
assigned() {  # NAME [OP N]: NAME's kcat was given partitions (at its last assignment, OP N of them: -eq, -lt)
  local last
  last=$(grep 'assigned:' "$1.kcat.err" | tail -1)
  [ -n "$last" ] && { [ $# = 1 ] || [ "$(grep -o 'readings \[' <<<"$last" | wc -l)" "$2" "$3" ]; }
}
at_least() { [ "$(rows kafka.db readings)" -ge "$1" ]; }

member a
member b
wait_for 30 "the group did not give both members partitions" assigned b
wait_for 30 "a has no partitions" assigned a
step "both members have partitions"
produce part.00
wait_for 30 "the first 1000 readings did not reach the table" at_least 1000
[ -s a.raw ] && [ -s b.raw ] || fail "one member read nothing: $(wc -l a.raw b.raw)"

produce part.01 &
producer=$!
pids+=("$producer")
wait_for 30 "readings of the second part did not come" at_least 1300
kill -KILL "$(cat a.kcat)"          # a crashes mid-way; its pipeline ends with its input
step "a killed at $(rows kafka.db readings) readings"
wait_for 30 "a's sink did not end after its kcat was killed" gone "$a_sink"
wait_for 30 "the second producer did not end" gone "$producer"
wait_for 40 "b did not take over a's partitions" assigned b -eq 3

step "b has every partition"
member a2                              # a comes back: the group rebalances again
wait_for 40 "a2 got no partitions" assigned a2
wait_for 30 "b kept every partition" assigned b -lt 3
wait_for 30 "the second 1000 readings did not reach the table" at_least 2000
step "a2 and b share the partitions"
produce part.02
wait_for 60 "not every reading reached the table" at_least 3000
end_ms=$(date +%s%3N)
step "every reading in the table"
[ -s a2.raw ] || fail "a2 read nothing"

for m in b a2; do kill -TERM "$(cat $m.kcat)" 2>/dev/null; done   # leave the group, end the pipelines
wait_for 30 "b's sink did not end" gone "$b_sink"
wait_for 30 "a2's sink did not end" gone "$a2_sink"
step "the pipelines ended"
# stdbuf -oL: kcat writes each line whole, so the killed one left no half line
cat ./*.parse.err ./*.sink.err | grep . && fail "a tool complained"

sqlite3 -separator , kafka.db "SELECT sensor, partition, offset, kafka_time, seq,
  printf('%!.17g', temperature), printf('%!.17g', humidity) FROM readings" >table.csv
python3 - "$start_ms" "$end_ms" a.raw b.raw a2.raw <<'PY' || fail "the table is not what was produced"
import sys
start, end = int(sys.argv[1]), int(sys.argv[2])
def num(s):
    return float(s)
produced = {}
for line in open("produced.csv"):
    sensor, seq, t, h = line.rstrip("\n").split(",")
    produced[(sensor, int(seq))] = (num(t), num(h))
table, parts = {}, {}
for line in open("table.csv"):
    sensor, p, off, ts, seq, t, h = line.rstrip("\n").split(",")
    key = (sensor, int(seq))
    assert key not in table, "two rows for %s" % (key,)
    table[key] = (num(t), num(h))
    parts.setdefault(int(p), []).append((int(off), sensor))
    assert start <= int(ts) <= end, "Kafka timestamp %s outside the run [%d, %d]" % (ts, start, end)
missing = set(produced) - set(table)
extra = set(table) - set(produced)
assert not missing and not extra, "missing %d (%s), extra %d" % (len(missing), sorted(missing)[:3], len(extra))
bad = [k for k in produced if produced[k] != table[k]]
assert not bad, "values differ for %s" % bad[:3]
assert sorted(parts) == [0, 1, 2], "partitions used: %s" % sorted(parts)
owner = {}
for p, rows in parts.items():
    offs = sorted(o for o, _ in rows)
    assert offs == list(range(len(offs))), "partition %d: offsets not 0..%d" % (p, len(offs) - 1)
    for _, s in rows:
        assert owner.setdefault(s, p) == p, "sensor %s in two partitions" % s
read = sum(sum(1 for _ in open(f)) for f in sys.argv[3:])
print("%d readings in %d partitions (%s); the pipelines read %d messages (%d again after the rebalances)"
      % (len(table), len(parts), ", ".join("%d: %d" % (p, len(r)) for p, r in sorted(parts.items())),
         read, read - len(table)))
PY
echo ok
