#!/usr/bin/env bash
# --allow: a peer outside the ranges is closed at accept, logged once per
# address however often it comes, and never read (--allow 10.0.0.0/8 refuses
# 127.0.0.1); one inside is read. IPv6: tcp://[::1]:0 takes clients, and
# --allow ::1 admits them (skipped when the machine has no IPv6 loopback).
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
client() { python3 "$here/netclient.py" "$@"; }

stream-parse --format csv --listen :0 --allow 10.0.0.0/8,fd00::/8 >out 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
for i in 1 2 3; do
  printf 'who,n\nme,%s\n' "$i" | client plain 127.0.0.1 "$PORT" >r
  grep -q refused r || fail "a refused client was not closed: $(cat r)"
done
stop "$parse"
[ -s out ] && fail "a disallowed client was read: $(cat out)"
[ "$(grep -c 'tcp:127\.0\.0\.1: refused: not in --allow' err)" = 1 ] || fail "logged once per address: $(cat err)"
grep -q '^stream-parse: 3 connections or datagrams refused in all' err || fail "counted: $(cat err)"

: >err
stream-parse --format csv --listen :0 --allow 10.0.0.0/8 --allow 127.0.0.0/8 >out 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
printf 'who,n\nme,1\n' | client plain 127.0.0.1 "$PORT" >r
[ "$(cat r)" = sent ] || fail "an allowed client: $(cat r)"
wait_for out '"who":"me"'
stop "$parse"
grep -q refused err && fail "refused: $(cat err)"

# HTTP ingest: a disallowed peer gets 403, nothing is read, logged once.
: >err
stream-parse --format csv --listen http://127.0.0.1:0/in --allow 10.0.0.0/8 >out 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
for i in 1 2; do
  code=$(printf 'who,n\nme,%s\n' "$i" | curl -s -o r -w '%{http_code}' --data-binary @- "http://127.0.0.1:$PORT/in")
  [ "$code" = 403 ] || fail "a disallowed HTTP client: $code $(cat r)"
done
grep -q 'not allowed' r || fail "the 403 says why: $(cat r)"
stop "$parse"
[ -s out ] && fail "a disallowed HTTP client was read: $(cat out)"
[ "$(grep -c 'http:127\.0\.0\.1: refused: not in --allow' err)" = 1 ] || fail "HTTP: logged once: $(cat err)"
grep -q '2 HTTP requests refused in all' err || fail "HTTP: counted: $(cat err)"

if ! python3 -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
  echo "ok (IPv6 skipped: no ::1 on this machine)"
  exit 0
fi
: >err
stream-parse --format csv --source-field src --listen 'tcp://[::1]:0' --allow ::1 >out 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
grep -q 'listening on tcp://\[::1\]:' err || fail "bound: $(cat err)"
printf 'who,n\nv6,1\n' | client plain ::1 "$PORT" >r
[ "$(cat r)" = sent ] || fail "an IPv6 client: $(cat r)"
wait_for out '"src":"tcp:\[::1\]:'
stop "$parse"
# ::1 is not in 127.0.0.0/8: an IPv6 peer is matched against IPv6 ranges.
: >err
stream-parse --format csv --listen 'tcp://[::1]:0' --allow 127.0.0.0/8 >out 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
printf 'who,n\nv6,1\n' | client plain ::1 "$PORT" >r
grep -q refused r || fail "::1 under --allow 127.0.0.0/8: $(cat r)"
stop "$parse"
[ -s out ] && fail "read: $(cat out)"
grep -q 'tcp:\[::1\]: refused: not in --allow' err || fail "$(cat err)"
echo ok
