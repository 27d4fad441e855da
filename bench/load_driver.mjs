// Times Load (POST /api/previews) for fixed filters against a running
// invites-server; used by bench/load_bench.sh.
//   node bench/load_driver.mjs BASE_URL USERNAME PASSWORD RUNS FILTERS_JSON
// FILTERS_JSON: [{"name": "...", "filter": {...}}, ...]. Prints one line per filter.
import http from 'node:http';

import { load as loadOnce, signIn } from './api_session.mjs';

const [base, username, password, runsText, filtersText] = process.argv.slice(2);
const runs = Number(runsText);
const filters = JSON.parse(filtersText);

const { cookie, headers } = await signIn(base, username, password);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const load = (filter) => loadOnce(base, headers, filter);
const first = await load({});  // waits for the index
console.log(`index ready; snapshot generated_at ${first.body.generated_at}`);
const pad = (text, width) => String(text).padEnd(width);
console.log(`${pad('filter', 34)} ${pad('p50 ms', 8)} ${pad('p95 ms', 8)} ${pad('max ms', 8)} counts (new/pending/skipped/excluded)`);
for (const { name, filter } of filters) {
  const times = [];
  let counts;
  for (let i = 0; i < runs; ++i) {
    const { ms, body } = await load(filter);
    times.push(ms);
    counts = body.counts;
  }
  times.sort((a, b) => a - b);
  const c = `${counts.new_users}/${counts.pending_invites}/${counts.skipped_invalid_email}/${counts.excluded_existing}`;
  console.log(`${pad(name, 34)} ${pad(percentile(times, 50).toFixed(1), 8)} ${pad(percentile(times, 95).toFixed(1), 8)} ${pad(times[times.length - 1].toFixed(1), 8)} ${c}`);
}

// The offline snapshot as a browser downloads it (Accept-Encoding: gzip,
// deflate, br, zstd; streamed, so no Content-Length): the bytes on the wire
// are counted as they come, undecoded. A matching If-None-Match is a 304.
function download(headers) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    http.get(`${base}/api/snapshot`, { headers }, (response) => {
      let wire = 0;
      response.on('data', (chunk) => { wire += chunk.length; });
      response.on('end', () => resolve({ response, wire, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      response.on('error', reject);
    }).on('error', reject);
  });
}
const browserHeaders = { Cookie: cookie, 'Accept-Encoding': 'gzip, deflate, br, zstd' };
for (const label of ['first download', 'second download']) {
  const { response, wire, ms } = await download(browserHeaders);
  const decoded = Number(response.headers['x-snapshot-bytes'] ?? 0);
  const coding = response.headers['content-encoding'] ?? 'identity';
  console.log(`GET /api/snapshot (${label}): ${response.statusCode}, ${(decoded / 1048576).toFixed(1)} MB, ` +
              `${(wire / 1048576).toFixed(1)} MB on the wire (${coding}; target <= 16 MB at 2M contacts), ` +
              `${ms.toFixed(0)} ms`);
  if (label === 'second download') {
    const again = await download({ ...browserHeaders, 'If-None-Match': response.headers.etag });
    console.log(`GET /api/snapshot with If-None-Match: ${again.response.statusCode} in ${again.ms.toFixed(1)} ms`);
  }
}

// REFRESH=1: ask for a rebuild at the end (load_bench.sh then watches the
// server's log for it and reports the memory it took).
if (process.env.REFRESH === '1') {
  const response = await fetch(`${base}/api/snapshot/refresh`, { method: 'POST', headers });
  console.log(`POST /api/snapshot/refresh: ${response.status}`);
}
