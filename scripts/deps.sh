#!/usr/bin/env bash
# Installs the Debian packages stream-utils needs to build and test, only
# when one is missing (so a second run does not touch apt-get). --test adds
# what only the tests use: clang-format (ctest format), zsh and fish (the
# completion scripts must parse in their shells), tmux (stream-plot's terminal
# test), clang (the ASan+UBSan build
# the CLI fuzzer runs), for stream-serve's tests curl, openssl (a
# self-signed certificate) and chromium (the dashboard in a headless browser),
# jq, parallel and kcat (the recipes of aggregate states and of Kafka: GNU
# parallel and librdkafka's mock cluster), mosquitto and mosquitto-clients
# (the MQTT recipe: a broker on loopback, mosquitto_sub and mosquitto_pub),
# and pv (bench/listen.sh: a reader slowed with pv -L).
set -euo pipefail
pkgs=(build-essential cmake pkg-config libcli11-dev libfast-float-dev libsimdjson-dev doctest-dev
      libsqlite3-dev libre2-dev libxxhash-dev libcctz-dev tzdata sqlite3 python3 groff-base
      libcpp-httplib-dev libssl-dev libjs-chart.js)
[ "${1:-}" = --test ] && pkgs+=(clang-format zsh fish clang tmux curl openssl chromium jq parallel kcat mosquitto mosquitto-clients pv)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >&2
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
