#!/usr/bin/env bash
# --listen tls:// with a self-signed certificate made here: three TLS clients
# each a source of their own (own CSV header, own name), while a fourth
# client stalls its handshake (it must not hold the others back); a plain
# TCP client is refused. Then mutual TLS (--tls-client-ca): a client without
# a certificate, and one with a certificate of another CA, are refused; one
# with a certificate signed by the CA is read.
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
command -v openssl >/dev/null || { echo "skip: no openssl"; exit 0; }
key() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$1" "${@:2}" 2>/dev/null; }
key server -x509 -days 2 -keyout server.key -out server.pem -addext subjectAltName=IP:127.0.0.1 || fail "openssl"
key test-ca -x509 -days 2 -keyout ca.key -out ca.pem || fail "openssl ca"
key client -keyout client.key -out client.csr || fail "openssl csr"
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out client.pem 2>/dev/null \
  || fail "openssl sign"
key rogue -x509 -days 2 -keyout rogue.key -out rogue.pem || fail "openssl rogue"
client() { python3 "$here/netclient.py" "$@"; }

stream-parse --format csv --source-field src --listen tls://127.0.0.1:0 --tls-cert server.pem --tls-key server.key \
  >out 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
# A client that connects and never says hello: its handshake waits, the others go on.
coproc HOLD { client hold 127.0.0.1 "$PORT"; }
pids+=("$HOLD_PID")
read -r -t 20 -u "${HOLD[0]}" said && [ "$said" = connected ] || fail "hold client"
printf 'sensor,t\ns1,1\ns1,2\n' | client tls 127.0.0.1 "$PORT" server.pem >r1 &
c1=$!
printf 't,sensor\n3,s2\n4,s2' | client tls 127.0.0.1 "$PORT" server.pem >r2 &
c2=$!
printf 'sensor,t\ns3,5\ns3,6\n' | client tls 127.0.0.1 "$PORT" server.pem >r3 &
c3=$!
pids+=("$c1" "$c2" "$c3")
wait "$c1" "$c2" "$c3"
for r in r1 r2 r3; do [ "$(cat $r)" = sent ] || fail "$r: $(cat $r)"; done
for ((i = 0; i < 100 && $(wc -l <out) < 6; i++)); do sleep 0.1; done
[ "$(wc -l <out)" = 6 ] || fail "the TLS clients' records did not come while a handshake stalled: $(cat out)"
printf 'sensor,t\ns9,9\n' | client plain 127.0.0.1 "$PORT" >r4
wait_for err "refused: TLS handshake failed"
stop "$parse"
grep -q '"s9"' out && fail "a plain client was read: $(cat out)"
[ "$(grep -c '"src":"tls:127\.0\.0\.1:[0-9]*"' out)" = 6 ] || fail "sources: $(cat out)"
[ "$(grep -o '"src":"[^"]*"' out | sort -u | wc -l)" = 3 ] || fail "not a source per connection: $(cat out)"
for s in s1 s2 s3; do
  [ "$(grep -c "\"sensor\":\"$s\"" out)" = 2 ] || fail "sensor $s: $(cat out)"
done
grep -q '"t":4,"sensor":"s2"\|"sensor":"s2","t":4' out || fail "own header, last line without newline: $(cat out)"

# Mutual TLS.
: >err
stream-parse --format csv --listen tls://127.0.0.1:0 --tls-cert server.pem --tls-key server.key \
  --tls-client-ca ca.pem >out 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
printf 'who,n\nnocert,1\n' | client tls 127.0.0.1 "$PORT" server.pem >r5
printf 'who,n\nrogue,1\n' | client tls 127.0.0.1 "$PORT" server.pem rogue.pem rogue.key >r6
printf 'who,n\ngood,1\ngood,2\n' | client tls 127.0.0.1 "$PORT" server.pem client.pem client.key >r7
[ "$(cat r7)" = sent ] || fail "a client with a CA-signed certificate: $(cat r7)"
wait_for out '"good",'
[ "$(grep -c 'refused: TLS handshake failed' err)" = 2 ] || fail "refusals: $(cat err)"
stop "$parse"
grep -q 'nocert\|rogue' out && fail "a client without a good certificate was read: $(cat out)"
[ "$(grep -c '"who":"good"' out)" = 2 ] || fail "mutual TLS: $(cat out)"
# Refusals end in no source: nothing rejected, status of a signal.
grep -v 'listening on\|refused' err && fail "unexpected stderr"
echo ok
