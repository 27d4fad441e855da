// The first visit (docs/design.md §8): wasm + js + font <= 450 KB on the wire, first
// frame <= 700 ms median in headless Chromium on loopback.
//   node bench/app_startup_bench.mjs [RUNS]
// (WEB_ROOT=build/web, INVITES_SERVER=build/native/backend/invites-server)
// invites-server serves the bundle as in production (the build's brotli and
// gzip forms of each file; a private seeded MariaDB behind it, see
// tests/browser/real_stack.mjs). The page is opened RUNS times in a fresh
// browser context (empty cache, no service worker); printed: the bytes each
// file took on the wire (the browser's encodedBodySize) and their total, the
// median and worst time to the first drawn frame and to the sign-in screen,
// and the median CPU time Chromium's processes spent per visit up to the first
// frame (the page's renderer, the GPU process, the browser...): on a machine
// of few cores the first frame waits for that CPU, not only for the page.
import { chromiumCpu, cpuBetween } from './chromium_cpu.mjs';
import { launchChromium, VIEWPORT } from '../tests/browser/browser_env.mjs';
import { startRealStack } from '../tests/browser/real_stack.mjs';

const runs = Number(process.argv[2] ?? 9);
const FILES = ['invites_app.wasm', 'invites_app.js', 'ui-font.ttf'];
const WIRE_TARGET_KB = 450;
const FIRST_FRAME_TARGET_MS = 700;
const kb = (bytes) => (bytes / 1024).toFixed(1);

const stack = await startRealStack({ accounts: 200 });
const browser = await launchChromium();
const firstFrame = [];
const signIn = [];
const cpuPerVisit = [];  // { type: ms } up to the first frame
let wire = null;
try {
  for (let i = 0; i < runs; ++i) {
    const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
    const page = await context.newPage();
    const cpuBefore = chromiumCpu();
    const wallBefore = performance.now();
    await page.goto(`${stack.url}/`);
    await page.waitForFunction(() => window.invitesApp?.ready === true, null, { timeout: 30000, polling: 10 });
    cpuPerVisit.push({ ...cpuBetween(cpuBefore, chromiumCpu()), wall: performance.now() - wallBefore });
    const screenAt = await page.evaluate(() => new Promise((resolve) => {
      const check = () => (window.invitesApp.screen === 'login' ? resolve(performance.now()) : setTimeout(check, 5));
      check();
    }));
    firstFrame.push(await page.evaluate(() => window.invitesApp.firstFrameMs));
    signIn.push(screenAt);
    wire ??= await page.evaluate((files) => files.map((file) => {
      const entries = performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === `/${file}`);
      return { file, downloads: entries.length, encoded: entries[0]?.encodedBodySize ?? 0,
               decoded: entries[0]?.decodedBodySize ?? 0 };
    }), FILES);
    await context.close();
  }
} finally {
  await browser.close();
  await stack.close();
}

let total = 0;
for (const { file, downloads, encoded, decoded } of wire) {
  total += encoded;
  const twice = downloads > 1 ? ` (downloaded ${downloads} times!)` : '';
  console.log(`${file}: ${kb(decoded)} KB, ${kb(encoded)} KB on the wire${twice}`);
}
console.log(`wasm + js + font on the wire: ${kb(total)} KB (target <= ${WIRE_TARGET_KB} KB): ` +
            `${total <= WIRE_TARGET_KB * 1024 ? 'met' : 'NOT met'}`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const show = (label, values) =>
  `${label}: median ${median(values).toFixed(0)} ms, worst ${Math.max(...values).toFixed(0)} ms (${runs} runs)`;
console.log(`${show('first frame (performance.now at the first drawn frame)', firstFrame)} ` +
            `(target: median <= ${FIRST_FRAME_TARGET_MS} ms): ${median(firstFrame) <= FIRST_FRAME_TARGET_MS ? 'met' : 'NOT met'}`);
console.log(show('sign-in screen shown', signIn));
const types = [...new Set(cpuPerVisit.flatMap((visit) => Object.keys(visit)))].filter((type) => type !== 'wall');
const cpuMedian = (type) => median(cpuPerVisit.map((visit) => visit[type] ?? 0));
const totalCpu = (visit) => types.reduce((sum, type) => sum + (visit[type] ?? 0), 0);
console.log(`Chromium's CPU per first visit, from page.goto to the first frame (medians, ms): ` +
            `${types.map((type) => `${type} ${cpuMedian(type).toFixed(0)}`).join(', ')}; all processes ` +
            `${median(cpuPerVisit.map(totalCpu)).toFixed(0)} in ${median(cpuPerVisit.map((v) => v.wall)).toFixed(0)} ms ` +
            `of wall time = ${median(cpuPerVisit.map((v) => totalCpu(v) / v.wall)).toFixed(2)} cores busy`);
