#!/usr/bin/env bash
# Offline evaluation benchmark (docs/design.md §8): a generated snapshot of ~2,000,000
# contacts, decoded and evaluated natively and as WebAssembly under Node; then
# the delta of a day of ordinary changes beside the full copy (gzip).
# Usage: bench/run-snapshot-bench.sh [ACCOUNTS]   (default 1,000,000 accounts)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/snapshot_data.sh
cmake --build build/wasm --target snapshot_bench >/dev/null

build/native/bench/snapshot_bench run "$snapshot" --json "$work/native.json"
node build/wasm/bench/snapshot_bench.js run "$snapshot" --json "$work/wasm.json"

node - "$work/native.json" "$work/wasm.json" <<'JS'
const [native, wasm] = process.argv.slice(2).map(f => JSON.parse(require('fs').readFileSync(f, 'utf8')));
console.log('\nfilter                              native ms   wasm ms   wasm/native   same digest');
native.filters.forEach((n, i) => {
  const w = wasm.filters[i];
  console.log(`${n.filter.padEnd(34)} ${n.median_ms.toFixed(1).padStart(9)} ${w.median_ms.toFixed(1).padStart(9)}` +
              ` ${(w.median_ms / n.median_ms).toFixed(2).padStart(12)}   ${n.digest === w.digest ? 'yes' : 'NO'}`);
});
console.log(`decode                             ${native.decode_ms.toFixed(1).padStart(9)} ${wasm.decode_ms.toFixed(1).padStart(9)}` +
            ` ${(wasm.decode_ms / native.decode_ms).toFixed(2).padStart(12)}`);
console.log(`snapshot: ${native.bytes_per_contact.toFixed(1)} bytes/contact encoded (its size on the wire: below)`);
// The 300 MB heap target is the browser's (bench/run-browser-snapshot-bench.sh decodes as the app
// does, section by section from a JS ArrayBuffer); here the whole file sits in the heap beside the copy.
console.log(`memory: native RSS ${(native.memory_bytes / 1e6).toFixed(0)} MB, wasm heap ${(wasm.memory_bytes / 1e6).toFixed(0)} MB ` +
            `with the whole ${(wasm.snapshot_bytes / 1e6).toFixed(0)} MB file in it (the browser's heap, target <= 300: run-browser-snapshot-bench.sh)`);
const bad = native.filters.some((n, i) => n.digest !== wasm.filters[i].digest);
if (bad) { console.error('native and wasm digests differ'); process.exit(1); }
JS

# Where the bytes of the full copy are: each section before and after zstd.
echo
build/native/bench/snapshot_bench sections "$snapshot"

# The refresh of the offline copy after a day of ordinary changes (docs/design.md §7).
echo
build/native/bench/snapshot_bench delta --accounts "$accounts"
