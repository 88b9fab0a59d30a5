#!/usr/bin/env bash
# Configures and builds into ./build (Release). SANITIZE=1 builds with
# ASan+UBSan into ./build-asan instead.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build opts=(-DCMAKE_BUILD_TYPE=Release)
if [ "${SANITIZE:-0}" = 1 ]; then
  dir=build-asan opts=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTREAM_UTILS_SANITIZE=ON)
fi
cmake -S . -B "$dir" "${opts[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
