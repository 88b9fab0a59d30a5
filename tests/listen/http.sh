#!/usr/bin/env bash
# HTTP ingest (stream-parse --listen http://): curl POSTs with and without
# the token, CSV bodies each with its own header, bad lines (counted and
# listed in the response, the good ones on stdout before the answer), a
# chunked upload, a body cut short and a broken chunked encoding (the
# partial line rejected, status 400), 404/405/413, and a stop signal.
set -u
BIN=$1
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "curl missing (scripts/deps.sh --test)"; exit 1; }
printf 's3cret\n' >token
stream-parse --format csv --listen http://127.0.0.1:0/ingest --token token --max-request 1M --client-timeout 2s \
  --source-field src --rejects rej.ndjson >out.ndjson 2>err &
parse=$!
pids+=("$parse")
port_of err "$parse"
URL=http://127.0.0.1:$PORT/ingest
# post NAME CURL-ARGS...: the status in NAME.code, the body in NAME.json.
post() {
  local name=$1
  shift
  curl -sS --max-time 30 -o "$name.json" -w '%{http_code}' "$@" >"$name.code" || fail "curl $name"
}
auth=(-H 'Authorization: Bearer s3cret')
expect() { # NAME CODE [JSON]
  [ "$(cat "$1.code")" = "$2" ] || fail "$1: status $(cat "$1.code"), expected $2: $(cat "$1.json")"
  [ $# -lt 3 ] || [ "$(cat "$1.json")" = "$3" ] || fail "$1: $(cat "$1.json"), expected $3"
}

printf 'sensor,temp\ns1,20.5\ns2,21\n' >good.csv
post noauth --data-binary @good.csv "$URL"
expect noauth 401
post badauth -H 'Authorization: Bearer s3cre' --data-binary @good.csv "$URL"
expect badauth 401
post badpath "${auth[@]}" --data-binary @good.csv "http://127.0.0.1:$PORT/other"
expect badpath 404
post badmethod "${auth[@]}" "$URL"
expect badmethod 405
post empty "${auth[@]}" -X POST "$URL"
expect empty 200 '{"accepted":0,"rejected":0,"rejects":[]}'
[ ! -s out.ndjson ] || fail "records from a refused request: $(cat out.ndjson)"

post good "${auth[@]}" --data-binary @good.csv "$URL"
expect good 200 '{"accepted":2,"rejected":0,"rejects":[]}'
# Answered only once written: the records are there now.
[ "$(grep -c '"sensor":"s[12]","temp":2' out.ndjson)" = 2 ] || fail "records not written before the answer"
grep -q '"src":"http:127\.0\.0\.1:[0-9]*#[0-9]*"}$' out.ndjson || fail "no source field: $(head -1 out.ndjson)"

# Its own header, and bad lines: counted, listed with line and reason.
printf 'id,x,y\na,1,2\nb,1\nc,3,4\nd\n' >bad.csv
post bad "${auth[@]}" --data-binary @bad.csv "$URL"
expect bad 200 \
  '{"accepted":2,"rejected":2,"rejects":[{"line":3,"reason":"expected 3 fields, got 2"},{"line":5,"reason":"expected 3 fields, got 1"}]}'
grep -q '^{"id":"c","x":3,"y":4,' out.ndjson || fail "good line of a body with bad ones missing"
grep -q 'http:127.0.0.1:[0-9]*#[0-9]*:3: expected 3 fields, got 2' err || fail "reject not on stderr: $(cat err)"

# Chunked upload, 50,000 lines, the last one without a newline.
{
  echo n,sq
  seq 1 50000 | awk '{ printf "%d,%d", $1, 2 * $1; if ($1 < 50000) printf "\n" }'
} >big.csv
post chunked "${auth[@]}" -H 'Transfer-Encoding: chunked' --data-binary @big.csv "$URL"
expect chunked 200 '{"accepted":50000,"rejected":0,"rejects":[]}'
grep -q '^{"n":50000,"sq":100000,' out.ndjson || fail "last line without a newline not taken"

# 413: announced too large (nothing taken), or a chunked body that grows too large.
head -c 2000000 /dev/zero | tr '\0' 'x' >huge
post toolarge "${auth[@]}" --data-binary @huge "$URL"
expect toolarge 413
{
  echo n,sq
  seq 1 200000 | awk '{ print $1 "," $1 }'
} >huge.csv
post toolarge2 "${auth[@]}" -H 'Transfer-Encoding: chunked' --data-binary @huge.csv "$URL"
expect toolarge2 413
grep -q '"error":"request body over --max-request' toolarge2.json || fail "toolarge2: $(cat toolarge2.json)"

# A body cut short: the complete lines are taken, the partial one rejected.
python3 "$here/http_client.py" cut "$PORT" /ingest s3cret >cut.txt || fail "cut client"
[ "$(head -1 cut.txt)" = "HTTP/1.1 400 Bad Request" ] || fail "cut: $(cat cut.txt)"
tail -1 cut.txt | grep -q '^{"accepted":2,"rejected":1,"rejects":\[{"line":4,"reason":"request body cut short: 25 bytes arrived of the 1000 announced"}\],"error":"request body cut short' ||
  fail "cut: $(cat cut.txt)"
grep -q '"line":4,"reason":"request body cut short.*"raw":"s3,"' rej.ndjson || fail "cut line not in --rejects"
# A client gone mid-body: no one to answer, but the rejects say it.
python3 "$here/http_client.py" hangup "$PORT" /ingest s3cret >hangup.txt || fail "hangup client"
for ((i = 0; i < 100; i++)); do
  [ "$(grep -c '"reason":"request body cut short' rej.ndjson)" = 2 ] && break
  sleep 0.1
done
[ "$(grep -c '"reason":"request body cut short' rej.ndjson)" = 2 ] || fail "hangup not rejected: $(cat rej.ndjson)"
python3 "$here/http_client.py" badchunk "$PORT" /ingest s3cret >badchunk.txt || fail "badchunk client"
[ "$(head -1 badchunk.txt)" = "HTTP/1.1 400 Bad Request" ] || fail "badchunk: $(cat badchunk.txt)"
tail -1 badchunk.txt | grep -q '^{"accepted":2,"rejected":1,"rejects":\[{"line":4,"reason":"request body cut short: .* before the chunked body ended"}' ||
  fail "badchunk: $(cat badchunk.txt)"

# A stop: ends by the signal, everything answered 200 is on stdout.
kill -TERM "$parse"
wait "$parse"
status=$?
[ "$status" = 143 ] || fail "status $status after SIGTERM, expected 143: $(cat err)"
accepted=0
for r in good bad chunked toolarge2; do
  accepted=$((accepted + $(sed 's/^{"accepted":\([0-9]*\),.*/\1/' $r.json)))
done
n=$(wc -l <out.ndjson)
[ "$n" = $((accepted + 6)) ] || fail "$n records on stdout, $accepted + 6 accepted"
echo ok
