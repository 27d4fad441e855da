// The web app's download size and start-up (SPEC §8: wasm + js ≤ 600 KB
// gzip; first frame ≤ 1.5 s in headless Chromium on loopback).
//   node bench/app_startup_bench.mjs [RUNS]      (WEB_ROOT=build/web by default)
// Serves the bundle from a loopback server, opens it RUNS times in a fresh
// browser context (empty cache, no service worker yet) and prints the median
// and worst time to the first drawn frame and to the sign-in screen (the
// session check answered; here without an API, as after a sign-out).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium, VIEWPORT, WEB_ROOT } from '../tests/browser/browser_env.mjs';
import { startStaticServer } from '../tests/browser/static_server.mjs';

const runs = Number(process.argv[2] ?? 7);
const kb = (bytes) => (bytes / 1024).toFixed(1);
let total = 0;
for (const file of ['invites_app.wasm', 'invites_app.js']) {
  const bytes = readFileSync(path.join(WEB_ROOT, file));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  total += gzipped;
  console.log(`${file}: ${kb(bytes.length)} KB, ${kb(gzipped)} KB gzip`);
}
console.log(`wasm + js: ${kb(total)} KB gzip (target <= 600 KB)`);

const server = await startStaticServer(WEB_ROOT);
const browser = await launchChromium();
const firstFrame = [];
const signIn = [];
try {
  for (let i = 0; i < runs; ++i) {
    const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => window.invitesApp?.ready === true, null, { timeout: 30000 });
    const screenAt = await page.evaluate(() => new Promise((resolve) => {
      const check = () => (window.invitesApp.screen === 'login' ? resolve(performance.now()) : setTimeout(check, 5));
      check();
    }));
    firstFrame.push(await page.evaluate(() => window.invitesApp.firstFrameMs));
    signIn.push(screenAt);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const show = (label, values) =>
  console.log(`${label}: median ${median(values).toFixed(0)} ms, worst ${Math.max(...values).toFixed(0)} ms (${runs} runs)`);
show('first frame (performance.now at the first drawn frame)', firstFrame);
show('sign-in screen shown', signIn);
console.log('target: first frame <= 1500 ms');
