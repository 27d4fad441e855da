#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the WebAssembly, sanitizer
# and native trees, then one CTest run in build/native that covers the native
# unit tests, the same common/ tests as WebAssembly under Node and under
# AddressSanitizer + UBSan, the MariaDB integration tests and the browser
# tests. Services (MariaDB, browsers) are started by the tests on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs   # em++'s optimizer needs Debian's acorn
# ccache hits across clones in different folders (CI clones anew each run).
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
jobs=$(nproc)

step() { printf '\n=== %s\n' "$*"; }

step "WebAssembly build (common/, frontend, common/ tests for Node)"
cmake --preset wasm >/dev/null
cmake --build --preset wasm -j "$jobs"

step "Sanitizer build (common/ tests under AddressSanitizer + UBSan)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"

step "Native build (common/, backend, tests, benchmarks)"
cmake --preset native >/dev/null
cmake --build --preset native -j "$jobs"

step "Tests"
mkdir -p test-artifacts
ctest --test-dir build/native --output-on-failure -j "$jobs" "$@"
