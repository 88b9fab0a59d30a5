#!/usr/bin/env bash
# Configures and builds into ./build (Release), showing progress.
#   scripts/build.sh [TARGET...]   only these targets (default: everything)
# SANITIZE=1 builds with ASan+UBSan into ./build-asan instead, with clang
# when it is installed (the test command's fuzzer runs that build).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build opts=(-DCMAKE_BUILD_TYPE=Release)
if [ "${SANITIZE:-0}" = 1 ]; then
  dir=build-asan opts=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTREAM_UTILS_SANITIZE=ON)
  if command -v clang++ >/dev/null; then
    opts+=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang)
  fi
fi
if command -v ccache >/dev/null; then opts+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
echo "build: configuring $dir" >&2
cmake -S . -B "$dir" "${opts[@]}" >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
echo "build: compiling $dir ${*:-(all)} on $(nproc) cores" >&2
# cmake prints "[ 42%] Building ..." lines: progress on stderr, not stdout.
cmake --build "$dir" -j"$(nproc)" "${targets[@]}" >&2
