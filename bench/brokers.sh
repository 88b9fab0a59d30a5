#!/usr/bin/env bash
# Benchmark: the README's broker recipes, against the broker clients alone
# and against sqlite3's own CSV import behind the same client, in the same run.
# - Kafka (librdkafka's mock cluster on 127.0.0.1, topic of 3 partitions,
#   N messages keyed by sensor with a CSV value): stdbuf -oL kcat -C ... -f '%k,%p,%o,%T,%s\n'
#   to /dev/null (the client's ceiling; also block-buffered and with -u), | stream-parse | stream-sink-sqlite
#   --upsert sensor,seq (the recipe), the same without --upsert, and
#   | sqlite3 '.import --csv' (plain inserts).
# - MQTT (mosquitto on a free loopback port): M messages published at QoS 1
#   by 4 mosquitto_pub -l at once, received by mosquitto_sub -v to /dev/null,
#   and by the recipe (| stream-parse --format regex | stream-sink-sqlite).
# Prints seconds and messages/s, best of REPEAT (default 3), and the ratios.
# N=300000 and M=100000 by default. Needs kcat, mosquitto, mosquitto-clients.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${N:-300000}
M=${M:-100000}
BIN=${BIN:-$PWD/build/bin}
[ -x "$BIN/stream-sink-sqlite" ] || { bash scripts/build.sh >/dev/null; BIN=$PWD/build/bin; }
export PATH="$BIN:$PATH"
bench_deps kcat mosquitto mosquitto-clients sqlite3 time python3
mkdir -p bench/out
out=$(cd bench/out && pwd)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null' EXIT

# best LABEL COUNT CMD: CMD REPEAT times (bench/out/b.db removed first); BEST_S, a line.
best() {
  local label=$1 count=$2 cmd=$3 i t
  BEST_S=""
  for ((i = 0; i < REPEAT; i++)); do
    rm -f "$out"/b.db "$out"/b.db-wal "$out"/b.db-shm
    /usr/bin/time -f "%e" -o "$out/b.time" bash -c "$cmd" >/dev/null 2>"$out/b.err" || {
      echo "  $label: failed: $(tail -n 2 "$out/b.err")" >&2
      return 1
    }
    t=$(tail -n 1 "$out/b.time")
    if [ -z "$BEST_S" ] || awk "BEGIN{exit !($t < $BEST_S)}"; then BEST_S=$t; fi
  done
  awk "BEGIN{t=$BEST_S; if (t < 0.005) t = 0.005; printf \"  %-52s %7.2f s %10.0f messages/s\n\", \"$label\", $BEST_S, $count/t}"
}
rows() { sqlite3 "$out/b.db" "SELECT count(*) FROM $1"; }

echo "Broker recipes: $(nproc) cores, best of $REPEAT"
echo "Kafka: $N messages on librdkafka's mock cluster (3 brokers, 3 partitions)"
rm -f "$out/brokers.txt"
python3 tests/recipes/kafka-mock.py 900 3 readings:3 >"$out/brokers.txt" 2>"$out/mock.err" </dev/null &
pids+=($!)
for _ in $(seq 100); do [ -s "$out/brokers.txt" ] && break; sleep 0.1; done
brokers=$(head -1 "$out/brokers.txt")
per=$((N / 10))
stream-gen --keys sensor=s0,s1,s2,s3,s4,s5,s6,s7,s8,s9 --count "$per" --time-field '' --seed 3 --format csv \
    'seq=seq(1)' 'temperature=walk(20,0.5)' 'humidity=uniform(30,70)' \
  | tail -n +2 | kcat -b "$brokers" -P -t readings -K ,
N=$((per * 10))
consume="stdbuf -oL kcat -b $brokers -C -t readings -o beginning -e -q -f '%k,%p,%o,%T,%s\n'"
parse="stream-parse --format csv --columns sensor,partition,offset,kafka_time,seq,temperature,humidity"
best "stdbuf -oL kcat -C to /dev/null" "$N" "$consume"; kcat_s=$BEST_S
best "  (kcat -C block-buffered, as without stdbuf)" "$N" "${consume#stdbuf -oL }"
best "  (kcat -C -u, kcat's unbuffered output)" "$N" "${consume#stdbuf -oL } -u"
best "kcat -C | stream-parse | stream-sink-sqlite --upsert" "$N" "$consume | $parse \
  | stream-sink-sqlite $out/b.db --table readings --upsert sensor,seq"
ours=$BEST_S
[ "$(rows readings)" = "$N" ] || { echo "the recipe stored $(rows readings) rows of $N" >&2; exit 1; }
best "kcat -C | stream-parse | stream-sink-sqlite" "$N" "$consume | $parse | stream-sink-sqlite $out/b.db --table readings"
plain=$BEST_S
best "kcat -C | sqlite3 .import --csv" "$N" "$consume | sqlite3 $out/b.db \
  'CREATE TABLE readings(sensor, partition, offset, kafka_time, seq, temperature, humidity)' \
  '.import --csv /dev/stdin readings'"
[ "$(rows readings)" = "$N" ] || { echo "sqlite3 .import stored $(rows readings) rows of $N" >&2; exit 1; }
imp=$BEST_S
echo "  ratios: the recipe (--upsert) takes $(ratio "$ours" "$kcat_s") the time of kcat alone;" \
  "without --upsert, $(ratio "$plain" "$imp") the time of kcat | sqlite3 .import (which neither parses nor types)"

echo "MQTT: $M messages at QoS 1 through mosquitto, 4 publishers at once"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n' "$port" >"$out/mosquitto.conf"
mosquitto -c "$out/mosquitto.conf" 2>"$out/mosquitto.log" &
pids+=($!)
for _ in $(seq 50); do grep -q "listen socket on port $port" "$out/mosquitto.log" && break; sleep 0.1; done
awk -v m="$M" 'BEGIN { srand(5); for (i = 0; i < m / 4; i++) printf "%.2f\n", 20 + 10 * rand() }' >"$out/values.txt"
M=$(($(wc -l <"$out/values.txt") * 4))
# the subscriber runs until it has every message; the publishers start once it has subscribed
mqtt() {  # SINK: the command after mosquitto_sub
  printf '%s\n' "set -e; mosquitto_sub -h 127.0.0.1 -p $port -i bench -t 'sensors/#' -q 1 -v -C $M -W 120 | $1 &
  sub=\$!; sleep 0.3
  for s in s1 s2 s3 s4; do mosquitto_pub -h 127.0.0.1 -p $port -q 1 -t sensors/\$s/temperature -l <$out/values.txt & done
  wait"
}
best "mosquitto_sub -v to /dev/null" "$M" "$(mqtt cat)"; sub_s=$BEST_S
best "mosquitto_sub -v | stream-parse --format regex | sink" "$M" "$(mqtt "stream-parse --format regex \
  --regex '^sensors/(?P<sensor>[^/ ]+)/(?P<metric>[^/ ]+) (?P<value>\S+)$' | stream-sink-sqlite $out/b.db --table readings")"
ours=$BEST_S
[ "$(rows readings)" = "$M" ] || { echo "the recipe stored $(rows readings) rows of $M" >&2; exit 1; }
echo "  ratio: the recipe takes $(ratio "$ours" "$sub_s") the time of mosquitto_sub alone (both bound by the publishers)"
