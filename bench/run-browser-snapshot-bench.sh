#!/usr/bin/env bash
# Offline evaluation in the browser (docs/design.md §8, issue 6): the generated ~2,000,000
# contact snapshot of run-snapshot-bench.sh, decoded and evaluated by
# WebAssembly in headless Chromium (the app's decode path), compared with native.
# Usage: bench/run-browser-snapshot-bench.sh [ACCOUNTS]   (default 1,000,000 accounts)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/snapshot_data.sh
cmake --build build/wasm --target browser_snapshot_bench_O3 browser_snapshot_bench_Os >/dev/null

build/native/bench/snapshot_bench run "$snapshot" --json "$work/native.json" >/dev/null
node bench/browser_snapshot_bench.mjs "$snapshot" "$work/native.json" "$work/browser.json"
