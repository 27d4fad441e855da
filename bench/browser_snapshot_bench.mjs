// Runs bench/browser_snapshot_bench.cpp (both builds) in headless Chromium on
// SNAPSHOT and prints decode time, per-filter evaluation time, the ratio to the
// native figures of NATIVE_JSON, and the WebAssembly heap (docs/design.md §8 targets).
//   node bench/browser_snapshot_bench.mjs SNAPSHOT NATIVE_JSON [OUT_JSON]
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { launchChromium } from '../tests/browser/browser_env.mjs';

const [snapshotFile, nativeJson, outJson] = process.argv.slice(2);
if (!snapshotFile || !nativeJson) {
  console.error('usage: node bench/browser_snapshot_bench.mjs SNAPSHOT NATIVE_JSON [OUT_JSON]');
  process.exit(2);
}
const BENCH_DIR = path.resolve('build/wasm/bench');
const VARIANTS = ['O3', 'Os'];

const page = (variant) => `<!doctype html><meta charset="utf-8"><title>snapshot bench</title><script>
window.Module = {
  locateFile: (p) => p,
  onRuntimeInitialized: async () => {
    try {
      const response = await fetch('snapshot.bin');
      Module.benchBytes = new Uint8Array(await response.arrayBuffer());
      const report = JSON.parse(UTF8ToString(Module._bench_run(3, 7)));
      Module.benchBytes = null;
      window.benchResult = report;
    } catch (err) { window.benchResult = { error: String(err) }; }
  },
};
</script><script src="browser_snapshot_bench_${variant}.js"></script>`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const variant = /^\/bench-(\w+)\.html$/.exec(url.pathname)?.[1];
  if (variant) {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(page(variant));
    return;
  }
  const file = url.pathname === '/snapshot.bin' ? snapshotFile : path.join(BENCH_DIR, path.basename(url.pathname));
  try {
    const size = statSync(file).size;
    const type = file.endsWith('.wasm') ? 'application/wasm' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': size });
    createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await launchChromium();
const results = {};
try {
  for (const variant of VARIANTS) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${base}/bench-${variant}.html`);
    await tab.waitForFunction(() => window.benchResult, null, { timeout: 300_000, polling: 500 });
    results[variant] = await tab.evaluate(() => window.benchResult);
    await context.close();
    if (results[variant].error) throw new Error(`${variant}: ${results[variant].error}`);
  }
} finally {
  await browser.close();
  server.close();
}

const native = JSON.parse(readFileSync(nativeJson, 'utf8'));
const o3 = results.O3, os = results.Os;
const f1 = (v) => v.toFixed(1).padStart(9);
console.log(`\nheadless Chromium: ${o3.contacts} contacts, snapshot ${(o3.snapshot_bytes / 1e6).toFixed(1)} MB ` +
            '(decoded section by section from a JS ArrayBuffer, as the app does)');
console.log('median of 7 (best) in ms; the load average of the machine is printed below: on a shared machine "best" is closer to the uncontended time');
console.log('filter                              native            chrome -O3         chrome -Os         -O3/native  same digest');
const cell = (m, b) => `${m.toFixed(1).padStart(7)} (${b.toFixed(1).padStart(6)})`;
let sameDigests = true;
native.filters.forEach((n, i) => {
  const a = o3.filters[i], b = os.filters[i];
  const same = n.digest === a.digest && n.digest === b.digest;
  sameDigests &&= same;
  console.log(`${n.filter.padEnd(34)} ${cell(n.median_ms, n.best_ms)}  ${cell(a.median_ms, a.best_ms)}  ${cell(b.median_ms, b.best_ms)}` +
              `  ${(a.median_ms / n.median_ms).toFixed(2).padStart(9)}   ${same ? 'yes' : 'NO'}`);
});
console.log(`${'decode (median of 3)'.padEnd(34)} ${cell(native.decode_ms, native.decode_best_ms)}  ` +
            `${cell(o3.decode_ms, o3.decode_best_ms)}  ${cell(os.decode_ms, os.decode_best_ms)}  ` +
            `${(o3.decode_ms / native.decode_ms).toFixed(2).padStart(9)}`);
const worst = Math.max(...o3.filters.map((f) => f.median_ms));
const worstBest = Math.max(...o3.filters.map((f) => f.best_ms));
console.log(`targets: eval <= 50 ms per filter (worst -O3: median ${worst.toFixed(1)}, best ${worstBest.toFixed(1)}), ` +
            '<= 2x native; decode <= 300 ms');
console.log(`memory: wasm heap ${(o3.memory_bytes / 1e6).toFixed(0)} MB (-O3), ${(os.memory_bytes / 1e6).toFixed(0)} MB (-Os), ` +
            `after decode ${(o3.heap_after_decode_bytes / 1e6).toFixed(0)} MB (target <= 300)`);
console.log(`load average: ${(await import('node:os')).loadavg().map((v) => v.toFixed(2)).join(' ')} ` +
            `on ${(await import('node:os')).cpus().length} CPUs`);
if (outJson) writeFileSync(outJson, JSON.stringify(results, null, 2));
if (!sameDigests) { console.error('native and browser digests differ'); process.exit(1); }
