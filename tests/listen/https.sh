#!/usr/bin/env bash
# HTTPS ingest with a self-signed certificate made here: curl trusting it
# posts records; a plain HTTP client and an untrusting client are refused;
# with --tls-client-ca a client without a certificate signed by that CA is
# refused, one with such a certificate is served.
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
for t in curl openssl; do command -v $t >/dev/null || { echo "$t missing (scripts/deps.sh --test)"; exit 1; }; done
ssl() { openssl "$@" 2>>openssl.log || { cat openssl.log; fail "openssl $1"; }; }
ssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1
# A client CA and a client certificate it signed.
ssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=test-ca
ssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=client
ssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2
printf 'ts,level,msg\n1,info,hello\n2,warn,"a, quoted one"\n' >body.csv

stream-parse --format csv --listen https://127.0.0.1:0/in --tls-cert cert.pem --tls-key key.pem >out.ndjson 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
got=$(curl -sS --max-time 30 --cacert cert.pem --data-binary @body.csv "https://127.0.0.1:$PORT/in") ||
  fail "https post"
[ "$got" = '{"accepted":2,"rejected":0,"rejects":[]}' ] || fail "https: $got"
grep -q '^{"ts":2,"level":"warn","msg":"a, quoted one"}$' out.ndjson || fail "https records: $(cat out.ndjson)"
curl -sS --max-time 10 --data-binary @body.csv "http://127.0.0.1:$PORT/in" >plain.txt 2>&1 &&
  fail "plain HTTP on an https:// address was answered: $(cat plain.txt)"
curl -sS --max-time 10 --data-binary @body.csv "https://127.0.0.1:$PORT/in" >untrusted.txt 2>&1 &&
  fail "a client that does not trust the certificate went on"
[ "$(wc -l <out.ndjson)" = 2 ] || fail "records from refused clients: $(cat out.ndjson)"
kill -TERM "$parse"
wait "$parse"
[ $? = 143 ] || fail "https: not ended by SIGTERM: $(cat err)"

# Mutual TLS.
: >err
stream-parse --format csv --listen https://127.0.0.1:0/in --tls-cert cert.pem --tls-key key.pem \
  --tls-client-ca ca.pem >out2.ndjson 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
curl -sS --max-time 10 --cacert cert.pem --data-binary @body.csv "https://127.0.0.1:$PORT/in" >nocert.txt 2>&1 &&
  fail "a client without a certificate was served: $(cat nocert.txt)"
curl -sS --max-time 10 --cacert cert.pem --cert cert.pem --key key.pem --data-binary @body.csv \
  "https://127.0.0.1:$PORT/in" >othercert.txt 2>&1 &&
  fail "a client whose certificate the CA did not sign was served: $(cat othercert.txt)"
got=$(curl -sS --max-time 30 --cacert cert.pem --cert client.pem --key client.key --data-binary @body.csv \
  "https://127.0.0.1:$PORT/in") || fail "mutual TLS post"
[ "$got" = '{"accepted":2,"rejected":0,"rejects":[]}' ] || fail "mutual TLS: $got"
[ "$(wc -l <out2.ndjson)" = 2 ] || fail "mutual TLS records: $(cat out2.ndjson)"
kill -TERM "$parse"
wait "$parse"
[ $? = 143 ] || fail "mutual TLS: not ended by SIGTERM: $(cat err)"
echo ok
