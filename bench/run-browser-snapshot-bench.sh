#!/usr/bin/env bash
# Offline evaluation in the browser (SPEC §8, issue 6): the generated ~2,000,000
# contact snapshot of run-snapshot-bench.sh, decoded and evaluated by
# WebAssembly in headless Chromium (the app's decode path), compared with native.
# Usage: bench/run-browser-snapshot-bench.sh [ACCOUNTS]   (default 1,000,000 accounts)
set -euo pipefail
cd "$(dirname "$0")/.."
accounts=${1:-1000000}
work=build/bench
mkdir -p "$work"
export NODE_PATH=/usr/share/nodejs

[[ -d build/native ]] || cmake --preset native >/dev/null
[[ -d build/wasm ]] || cmake --preset wasm >/dev/null
cmake --build build/native --target snapshot_bench >/dev/null
cmake --build build/wasm --target browser_snapshot_bench_O3 browser_snapshot_bench_Os >/dev/null

snapshot=$work/snapshot-v2-$accounts.bin  # the format version: older files are not decodable
[[ -f $snapshot ]] || build/native/bench/snapshot_bench generate --accounts "$accounts" --out "$snapshot"

build/native/bench/snapshot_bench run "$snapshot" --json "$work/native.json" >/dev/null
node bench/browser_snapshot_bench.mjs "$snapshot" "$work/native.json" "$work/browser.json"
