// Downloads a recipient CSV from a running invites-server with several
// Accept-Encoding values and prints the server's CPU per download beside
// gzip -6's on the same bytes; used by bench/compression_bench.sh.
//   node bench/compression_driver.mjs BASE_URL USERNAME PASSWORD RUNS SERVER_PID
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { load, signIn } from './api_session.mjs';

const [base, username, password, runsText, serverPid] = process.argv.slice(2);
const runs = Number(runsText);
const BROWSER = 'gzip, deflate, br, zstd';

// utime + stime of the server in seconds (/proc/PID/stat, clock ticks of 10 ms).
function serverCpuSeconds() {
  const stat = readFileSync(`/proc/${serverPid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
function serverMemory(key) {
  const line = readFileSync(`/proc/${serverPid}/status`, 'utf8').split('\n').find((l) => l.startsWith(key + ':'));
  return Number(line.split(/\s+/)[1]) / 1024;
}

// The raw response (no decoding): status, headers, body bytes.
function get(path, headers) {
  return new Promise((resolve, reject) => {
    http.get(base + path, { headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

function decode(coding, body) {
  if (coding === 'gzip') return gunzipSync(body);
  if (coding === 'br') return brotliDecompressSync(body);
  if (coding === 'zstd') {
    const result = spawnSync('zstd', ['-dc'], { input: body, maxBuffer: 1 << 30 });
    if (result.status !== 0) throw new Error(`zstd -d failed: ${result.stderr}`);
    return result.stdout;
  }
  return body;
}

const { cookie, headers } = await signIn(base, username, password);
const { body: preview } = await load(base, headers, {});
const groups = ['new_users', 'pending_invites', 'excluded_existing'];
const group = groups.reduce((a, b) => (preview.counts[b] > preview.counts[a] ? b : a));
const path = `/api/previews/${preview.preview_id}/recipients.csv?group=${group}`;
const plain = (await get(path, { Cookie: cookie, 'Accept-Encoding': 'identity' })).body;
const rows = plain.toString('utf8').split('\n').length - 2;
console.log(`recipient CSV of ${group}: ${rows} rows, ${(plain.length / 1048576).toFixed(2)} MB`);

// gzip -6 of the same bytes (zlib in this process), the yardstick of the target.
const gzipRuns = Math.max(3, Math.min(runs, Math.ceil(50e6 / plain.length)));
const before = process.cpuUsage();
for (let i = 0; i < gzipRuns; ++i) gzipSync(plain, { level: 6 });
const used = process.cpuUsage(before);
const gzipMs = (used.user + used.system) / 1000 / gzipRuns;
console.log(`gzip -6 of the same bytes: ${gzipMs.toFixed(1)} ms of CPU; target: <= ${(2 * gzipMs).toFixed(1)} ms per download`);

const pad = (text, width) => String(text).padEnd(width);
console.log(`${pad('Accept-Encoding', 26)} ${pad('coding', 8)} ${pad('wire KB', 9)} ${pad('server CPU ms', 14)} ${pad('ratio to gzip -6', 17)} verdict`);
const rssBefore = serverMemory('VmRSS');
for (const accept of [BROWSER, 'zstd', 'br', 'gzip', 'identity']) {
  const cpuBefore = serverCpuSeconds();
  let last;
  for (let i = 0; i < runs; ++i) last = await get(path, { Cookie: cookie, 'Accept-Encoding': accept });
  const cpuMs = ((serverCpuSeconds() - cpuBefore) * 1000) / runs;
  const coding = last.headers['content-encoding'] ?? 'identity';
  if (!decode(coding, last.body).equals(plain)) throw new Error(`${accept}: the decoded body differs from the plain one`);
  const chunked = last.headers['transfer-encoding'] === 'chunked' ? '' : ' (not chunked!)';
  const ratio = cpuMs / gzipMs;
  const verdict = accept === 'identity' ? '-' : ratio <= 2 ? 'met' : 'NOT met';
  console.log(`${pad(accept, 26)} ${pad(coding, 8)} ${pad((last.body.length / 1024).toFixed(0), 9)} ${pad(cpuMs.toFixed(1), 14)} ${pad(ratio.toFixed(2), 17)} ${verdict}${chunked}`);
}
console.log(`server memory: VmRSS ${rssBefore.toFixed(0)} MB before the downloads, ${serverMemory('VmRSS').toFixed(0)} MB after, ` +
            `peak ${serverMemory('VmHWM').toFixed(0)} MB (VmHWM, the whole run)`);
