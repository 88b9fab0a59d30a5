#!/usr/bin/env bash
# stream-serve over HTTPS on loopback, with a self-signed certificate made
# here (openssl): curl checks it against that certificate and gets the page,
# the events and /latest; plain HTTP on the same port and an unverified
# client get nothing.
#   tests/serve/https.sh BIN
set -u
BIN=$1
source "$(dirname "$0")/lib.sh"
cd "$(mktemp -d)" || exit 1
work=$PWD
trap 'cleanup; rm -rf "$work"' EXIT
command -v openssl >/dev/null || fail "openssl is not installed (scripts/deps.sh --test)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout key.pem -out cert.pem 2>/dev/null || fail "openssl req"
echo tls-token > token
mkfifo in
exec 3<>in
start_server log --tls-cert cert.pem --tls-key key.pem --token token --y v --exit-at-end <in
case $URL in https://*) echo "ok: serving HTTPS" ;; *) fail "not https: $URL" ;; esac
printf '%s\n' '{"v":1}' '{"v":2}' >&3
for ((i = 0; i < 100; i++)); do
  curl -s --cacert cert.pem -H "Authorization: Bearer tls-token" "${URL}health" | grep -q '"records":2' && break
  sleep 0.1
done
[ "$(curl -s --cacert cert.pem -o /dev/null -w '%{http_code}' "${URL}")" = 200 ] || fail "the page over HTTPS"
echo "ok: the page over HTTPS"
[ "$(curl -s --cacert cert.pem -o /dev/null -w '%{http_code}' "${URL}latest")" = 401 ] || fail "401 over HTTPS"
echo "ok: 401 without the token"
got=$(curl -s --cacert cert.pem "${URL}latest?token=tls-token")
[ "$got" = '{"v":2}' ] || fail "/latest over HTTPS: $got"
echo "ok: /latest over HTTPS"
curl -s "${URL}" -o /dev/null && fail "curl accepted the self-signed certificate without --cacert"
echo "ok: an unverified client is refused by curl"
curl -s -m 5 "http://${URL#https://}health" -o /dev/null && fail "plain HTTP answered on the HTTPS port"
echo "ok: no plain HTTP on the HTTPS port"
# The events through curl: the history, then a live one; the stream ends at
# the end of input (--exit-at-end).
curl -s -N --cacert cert.pem -H "Authorization: Bearer tls-token" "${URL}events?since=0" >events 3>&- &
pids+=($!)
curl_pid=$!
for ((i = 0; i < 100; i++)); do grep -q '^id: 2$' events && break; sleep 0.1; done
echo '{"v":3}' >&3
exec 3>&-
wait_exit "$curl_pid" || fail "curl's status $?"
wait_exit "$PID"
status=$?
[ "$status" = 0 ] || fail "status at the end: $status"
grep -E '^(id|data):' events | tr '\n' ' '
echo
[ "$(grep -c '^data: ' events)" = 3 ] || fail "events over HTTPS"
echo "ok: three events over HTTPS, the stream ended with the input, status 0"
