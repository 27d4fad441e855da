// Browser smoke test of the web bundle (build/web): the app shell loads in
// Debian's headless Chromium, draws crisp and sized to the device pixel
// ratio, reports the server state from /healthz, shows the login screen
// (with "Server unreachable": this static server has no /api), goes idle
// without input, and loads offline from its service worker.
//
//   WEB_ROOT=build/web node --test tests/browser/
//
// Env: WEB_ROOT (default build/web), TEST_ARTIFACTS_DIR (default ./test-artifacts),
//      CHROMIUM (default /usr/bin/chromium).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ARTIFACTS, VIEWPORT, WEB_ROOT, launchChromium, waitForIdle } from './browser_env.mjs';
import { decodePng, pixelStats } from './png.mjs';
import { startStaticServer } from './static_server.mjs';


let browser;
let server;

before(async () => {
  assert.ok(existsSync(path.join(WEB_ROOT, 'index.html')),
    `no web bundle in ${WEB_ROOT}: build it first (cmake --preset wasm && cmake --build build/wasm)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startStaticServer(WEB_ROOT);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// Opens the app in a fresh context and waits for its first frame.
async function openApp(baseUrl, { deviceScaleFactor = 1, context } = {}) {
  context ??= await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // The 404 of /healthz on this static server is expected; nothing else may fail.
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  await page.goto(baseUrl + '/');
  await page.waitForFunction(() => window.invitesApp?.ready === true || window.invitesApp?.fatal, null,
    { timeout: 30_000 });
  const fatal = await page.evaluate(() => window.invitesApp.fatal);
  assert.equal(fatal, undefined, `the app failed to start: ${fatal}`);
  return { context, page, problems };
}

const app = (page) => page.evaluate(() => {
  const { items, ...fields } = window.invitesApp;
  return fields;
});

// Waits until no frame has been drawn for `quietMs`; returns the frame count.
async function waitForServerState(page, state) {
  await page.waitForFunction((s) => window.invitesApp.server === s, state, { timeout: 15_000 });
  return app(page);
}

async function screenshotStats(page, name) {
  const png = await page.screenshot({ path: path.join(ARTIFACTS, name) });
  const image = decodePng(png);
  return { image, stats: pixelStats(image) };
}

async function canvasSize(page) {
  return page.evaluate(() => {
    const canvas = document.getElementById('canvas');
    const rect = canvas.getBoundingClientRect();
    return { width: canvas.width, height: canvas.height, cssWidth: rect.width, cssHeight: rect.height,
      dpr: window.devicePixelRatio };
  });
}

function assertNotBlank(stats, label) {
  // A blank or single-color canvas has ~0 spread and no ink; the shell has text.
  assert.ok(stats.stddev > 4, `${label}: screenshot looks blank (luminance stddev ${stats.stddev.toFixed(2)})`);
  assert.ok(stats.darkShare > 0.001, `${label}: no text-like dark pixels (${(stats.darkShare * 100).toFixed(3)} %)`);
  assert.ok(stats.colors > 8, `${label}: only ${stats.colors} colors`);
}

describe('app shell', () => {
  test('renders at DPR 1 and reports the missing /healthz as unreachable', async () => {
    const { context, page, problems } = await openApp(server.url, { deviceScaleFactor: 1 });
    try {
      assert.equal(await page.$('#loading'), null, '"Loading…" must be gone after the first frame');
      const state = await waitForServerState(page, 'unreachable');
      assert.match(state.serverProblem, /HTTP 404/);
      assert.match(state.version, /^\d+\.\d+\.\d+/);
      // No API on this server: the login screen, saying the server cannot be reached.
      await page.waitForFunction(() => window.invitesApp.screen === 'login', null, { timeout: 10_000 });
      assert.match((await app(page)).loginError, /^Server unreachable: HTTP 404/);
      // The frame in which the screen becomes the login lays out its card; the
      // fields inside it are drawn from the next one.
      const formDrawn = await page.waitForFunction((wanted) => {
        const labels = window.invitesApp.items().map((item) => item.label);
        return wanted.every((label) => labels.includes(label));
      }, ['Sign in', '##username', '##password'], { timeout: 5000 }).then(() => true, () => false);
      const labels = (await page.evaluate(() => window.invitesApp.items())).map((item) => item.label);
      assert.ok(formDrawn, `login form on screen: ${labels}`);
      await waitForIdle(page);

      const size = await canvasSize(page);
      assert.equal(size.width, Math.round(size.cssWidth));
      assert.equal(size.height, Math.round(size.cssHeight));
      const { image, stats } = await screenshotStats(page, 'shell-dpr1.png');
      assert.equal(image.width, VIEWPORT.width);
      assertNotBlank(stats, 'DPR 1');
      console.log(`DPR 1: first frame at ${state.firstFrameMs} ms, ${JSON.stringify(stats)}`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('renders at DPR 2 with a backing store of CSS size × DPR', async () => {
    const { context, page, problems } = await openApp(server.url, { deviceScaleFactor: 2 });
    try {
      await waitForServerState(page, 'unreachable');
      await waitForIdle(page);
      const size = await canvasSize(page);
      assert.equal(size.dpr, 2);
      assert.equal(size.width, Math.round(size.cssWidth * 2), 'canvas.width = CSS width × DPR');
      assert.equal(size.height, Math.round(size.cssHeight * 2), 'canvas.height = CSS height × DPR');
      const state = await app(page);
      assert.equal(state.dpr, 2);
      assert.equal(state.fbWidth, size.width);
      assert.equal(state.cssWidth, size.cssWidth, 'ImGui display size is in CSS pixels');

      const { image, stats } = await screenshotStats(page, 'shell-dpr2.png');
      assert.equal(image.width, VIEWPORT.width * 2);
      assertNotBlank(stats, 'DPR 2');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('a DPR change at run time (browser zoom, another screen) resizes and rebuilds the font', async () => {
    const { context, page } = await openApp(server.url, { deviceScaleFactor: 1 });
    try {
      await waitForServerState(page, 'unreachable');
      await waitForIdle(page);
      assert.equal((await app(page)).fontDpr, 1);
      const cdp = await context.newCDPSession(page);
      for (const dpr of [1.5, 2]) {
        await cdp.send('Emulation.setDeviceMetricsOverride',
          { width: VIEWPORT.width, height: VIEWPORT.height, deviceScaleFactor: dpr, mobile: false });
        await page.waitForFunction((d) => window.invitesApp.dpr === d && window.invitesApp.fontDpr === d, dpr,
          { timeout: 5000 });
        await waitForIdle(page);
        const size = await canvasSize(page);
        assert.equal(size.width, Math.round(size.cssWidth * dpr));
        assert.equal(size.height, Math.round(size.cssHeight * dpr));
      }
      // Captured through CDP: Playwright's own screenshot would use the context's scale (1).
      const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' });
      const png = Buffer.from(data, 'base64');
      writeFileSync(path.join(ARTIFACTS, 'shell-dpr1-to-2.png'), png);
      const image = decodePng(png);
      assert.equal(image.width, VIEWPORT.width * 2);
      assertNotBlank(pixelStats(image), 'DPR 1 → 2');
    } finally {
      await context.close();
    }
  });

  // boot.js reads the font during the downloads so the first frame needs no
  // fetch of the app's own; when that read is late the app fetches the font,
  // and without one it draws with ImGui's built-in font.
  test('the UI font: read by boot.js before the app starts, else fetched by the app, else the built-in one', async () => {
    const fontRequests = (context) => {
      const seen = [];
      context.on('request', (request) => { if (new URL(request.url()).pathname === '/ui-font.ttf') seen.push(request); });
      return seen;
    };
    const cases = [
      { name: 'early read', route: null, requests: 1, problem: /^$/ },
      { name: 'late read', route: (route) => setTimeout(() => route.continue(), 1500), requests: 2, problem: /^$/ },
      { name: 'missing', route: (route) => route.fulfill({ status: 404, body: 'gone' }), requests: 2, problem: /HTTP 404/ },
    ];
    for (const { name, route, requests, problem } of cases) {
      const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
      try {
        if (route) await context.route('**/ui-font.ttf', route);
        const seen = fontRequests(context);
        const { page } = await openApp(server.url, { context });
        const status = await app(page);
        assert.match(status.fontProblem, problem, `${name}: fontProblem`);
        assert.equal(status.fontDpr, 1, `${name}: the first frame was drawn with an atlas`);
        assert.equal(seen.length, requests, `${name}: requests for the font`);
        const { stats } = await screenshotStats(page, `shell-font-${name.replace(' ', '-')}.png`);
        assertNotBlank(stats, name);
      } finally {
        await context.close();
      }
    }
  });

  test('idle gate: no frames without input, input wakes it, then it settles again', async () => {
    const { context, page } = await openApp(server.url);
    try {
      await waitForServerState(page, 'unreachable');
      const settled = await waitForIdle(page);
      await page.waitForTimeout(3000);
      assert.equal((await app(page)).frames, settled, 'frames were drawn during 3 s without input');

      await page.mouse.move(400, 300);
      await page.mouse.move(420, 310);
      await page.mouse.wheel(0, 120);
      await page.waitForFunction((n) => window.invitesApp.frames > n, settled, { timeout: 2000 });
      const after = await waitForIdle(page, { quietMs: 1000, timeoutMs: 4000 });
      assert.ok(after > settled);
    } finally {
      await context.close();
    }
  });

  test('Retry checks the server again', async () => {
    const { context, page } = await openApp(server.url);
    try {
      const before = await waitForServerState(page, 'unreachable');
      await waitForIdle(page);
      const retry = (await page.evaluate(() => window.invitesApp.items())).find((item) => item.label === 'Retry');
      assert.ok(retry, 'a "Retry" button is on screen');
      const healthzBefore = server.requests.filter((r) => r === 'GET /healthz').length;
      await page.mouse.click(retry.x + retry.w / 2, retry.y + retry.h / 2);
      await page.waitForFunction((n) => window.invitesApp.serverChecks > n, before.serverChecks, { timeout: 5000 });
      const state = await waitForServerState(page, 'unreachable');
      assert.match(state.serverProblem, /HTTP 404/);
      assert.ok(server.requests.filter((r) => r === 'GET /healthz').length > healthzBefore);
    } finally {
      await context.close();
    }
  });

  test('offline: the service worker serves the app shell', async () => {
    const own = await startStaticServer(WEB_ROOT);
    const context = await browser.newContext({ viewport: VIEWPORT });
    try {
      const { page } = await openApp(own.url, { context });
      await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 15_000 });
      const caches = await page.evaluate(() => caches.keys());
      const build = await page.evaluate(() => window.invitesApp.build);
      assert.ok(caches.some((name) => name.startsWith('invites-shell-') && name.endsWith(build)),
        `a cache named after the build: ${caches}`);

      await own.close();  // the server is gone: everything must come from the cache
      await page.reload();
      await page.waitForFunction(() => window.invitesApp?.ready === true, null, { timeout: 30_000 });
      const state = await waitForServerState(page, 'unreachable');
      assert.doesNotMatch(state.serverProblem, /HTTP 404/, 'with no server the reason is a network error');
      await screenshotStats(page, 'shell-offline.png');
    } finally {
      await context.close();
      await own.close().catch(() => {});
    }
  });
});
