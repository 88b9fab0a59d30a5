#!/usr/bin/env bash
# The dashboard in a real browser: headless Chromium (Debian's chromium)
# loads stream-serve's page with a token; the test waits until the chart
# shows the points of records written before the page loaded, then of records
# written live, checks the table of latest records, and that the page ran
# with no CSP violation or script error (tests/serve/browser.py). The
# screenshot is the test's artifact: ARTIFACT (default: not kept).
#   tests/serve/browser.sh BIN [ARTIFACT.png]
set -u
BIN=$1
artifact=${2:-}
source "$(dirname "$0")/lib.sh"
cd "$(mktemp -d)" || exit 1
work=$PWD
trap 'cleanup; rm -rf "$work"' EXIT
command -v chromium >/dev/null || fail "chromium is not installed (scripts/deps.sh --test)"
root=$(cd "$here/../.." && pwd)
head -n 150 "$root/samples/sensors.ndjson" >batch1
tail -n +151 "$root/samples/sensors.ndjson" | head -n 150 >batch2
echo browser-token >token
mkfifo in
exec 3<>in
start_server log --token token --x time --y temperature --by sensor --title "Sensors (samples/sensors.ndjson)" <in
cat batch1 >&3
timeout 90 python3 "$here/browser.py" "${URL}?token=browser-token" in batch1 batch2 shot.png 3>&- || fail "browser"
python3 -c 'import sys; sys.exit(open("shot.png", "rb").read(8) != b"\x89PNG\r\n\x1a\n")' || fail "no PNG"
if [ -n "$artifact" ]; then
  mkdir -p "$(dirname "$artifact")"
  cp shot.png "$artifact"
  echo "screenshot: $artifact"
fi
kill -TERM "$PID"
wait_exit "$PID"
[ $? = 143 ] || fail "status after SIGTERM"
echo "ok: the server stopped with the browser connected"
