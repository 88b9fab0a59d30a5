#!/usr/bin/env bash
# The README's MQTT recipe on Debian's mosquitto, started here on a free
# loopback port (no persistence, anonymous):
#   mosquitto_sub -t 'sensors/#' -q 1 -v | stream-parse --format regex ... | stream-agg --by sensor,metric --every 1s ...
#     | stream-sink-sqlite --upsert sensor,metric
# The readings of samples/sensors.csv (temperature and humidity of 4 sensors:
# 1200 messages) are published at QoS 1 on sensors/SENSOR/METRIC by 8
# publishers at once. Every reading is in the raw table once, and the per
# sensor and metric table equals a computation in Python over the CSV.
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
csv=$here/../../samples/sensors.csv
total=$((2 * ($(wc -l <"$csv") - 1)))

# A free port: asked of the kernel, then taken by mosquitto (again if another took it meanwhile).
for attempt in 1 2 3 4 5; do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\nlog_type all\n' \
    "$port" >mosquitto.conf
  mosquitto -c mosquitto.conf 2>broker.log &
  broker=$!
  listening() { grep -q "Opening ipv4 listen socket on port $port" broker.log && ! gone "$broker"; }
  for ((i = 0; i < 50; i++)); do
    listening && break
    gone "$broker" && break
    sleep 0.1
  done
  listening && break
  kill "$broker" 2>/dev/null
  wait "$broker" 2>/dev/null
done
listening || fail "mosquitto did not start: $(tail -3 broker.log)"
pids+=("$broker")

# The recipe; -C and -W end the subscriber after every message, or after 60 s without one.
mosquitto_sub -h 127.0.0.1 -p "$port" -i recipe-sub -t 'sensors/#' -q 1 -v -C "$total" -W 60 2>sub.err |
  stream-parse --format regex --regex '^sensors/(?P<sensor>[^/ ]+)/(?P<metric>[^/ ]+) (?P<value>\S+)$' 2>parse.err |
  stream-sink-sqlite mqtt.db --table readings --tee 2>raw.err |
  stream-agg --by sensor,metric --every 1s count sum:value mean:value min:value max:value 2>agg.err |
  stream-sink-sqlite mqtt.db --table sensors --upsert sensor,metric 2>sink.err &
sink=$!
pids+=("$sink")
wait_for 10 "the subscriber did not subscribe" grep -q "Sending SUBACK to recipe-sub" broker.log

publishers=()
for s in s1 s2 s3 s4; do
  for m in temperature:3 humidity:4; do
    awk -F, -v s=$s -v f="${m#*:}" '$2 == s { print $f }' "$csv" |
      timeout 60 mosquitto_pub -h 127.0.0.1 -p "$port" -q 1 -t "sensors/$s/${m%%:*}" -l 2>>pub.err &
    publishers+=($!)
    pids+=($!)
  done
done
for p in "${publishers[@]}"; do
  wait "$p" || fail "a publisher failed"
done
wait_for 70 "the pipeline did not end (the subscriber had not every message)" gone "$sink"
cat sub.err parse.err raw.err agg.err sink.err pub.err | grep . && fail "a tool complained"

sqlite3 -separator , mqtt.db "SELECT sensor, metric, printf('%!.17g', value) FROM readings" >raw.csv
sqlite3 -separator , mqtt.db "SELECT sensor, metric, count, printf('%!.17g|%!.17g|%!.17g|%!.17g',
  value_sum, value_mean, value_min, value_max) FROM sensors" >sensors.csv
# the running snapshots (--every) were replaced by the final results at the end
if [ -n "$(sqlite3 mqtt.db "SELECT 1 FROM pragma_table_info('sensors') WHERE name = '_snapshot'")" ]; then
  [ "$(sqlite3 mqtt.db 'SELECT count(*) FROM sensors WHERE _snapshot')" = 0 ] || fail "a snapshot was left, not the final result"
fi
python3 - "$csv" <<'PY' || fail "the tables are not what was published"
import csv, math, sys
sent = []
for row in csv.DictReader(open(sys.argv[1])):
    for m in ("temperature", "humidity"):
        sent.append((row["sensor"], m, float(row[m])))
got = []
for line in open("raw.csv"):
    s, m, v = line.rstrip("\n").split(",")
    got.append((s, m, float(v)))
assert sorted(got) == sorted(sent), "raw: %d rows, %d published; first difference %s" % (
    len(got), len(sent), sorted(set(sent) ^ set(got))[:3])
want = {}
for s, m, v in sent:
    want.setdefault((s, m), []).append(v)
table = {}
for line in open("sensors.csv"):
    s, m, n, rest = line.rstrip("\n").split(",")
    table[(s, m)] = (int(n), [float(x) for x in rest.split("|")])
assert sorted(table) == sorted(want), "groups %s, want %s" % (sorted(table), sorted(want))
for k, vs in want.items():
    n, (total, mean, lo, hi) = table[k]
    exact = math.fsum(vs)
    assert n == len(vs), "%s: count %d, want %d" % (k, n, len(vs))
    assert lo == min(vs) and hi == max(vs), "%s: min/max %s %s, want %s %s" % (k, lo, hi, min(vs), max(vs))
    assert math.isclose(total, exact, rel_tol=1e-12), "%s: sum %r, want %r" % (k, total, exact)
    assert math.isclose(mean, exact / len(vs), rel_tol=1e-12), "%s: mean %r" % (k, mean)
print("%d readings, %d groups" % (len(got), len(table)))
PY
echo ok
