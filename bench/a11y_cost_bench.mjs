// What the semantic layer (the DOM mirror of the canvas, docs/design.md §9) costs:
//   node bench/a11y_cost_bench.mjs [ACCOUNTS]      # default 75000: a review of ~100,000 rows
// (WEB_ROOT=build/web, INVITES_SERVER=build/native/backend/invites-server)
// Signs in on a private seeded stack (tests/browser/real_stack.mjs), Loads,
// opens the new-users review and scrolls it with the mouse wheel, frame after
// frame, once with the DOM layer and once with its script blocked (the app
// then runs without it). Printed, beside the targets: the median and p95 CPU
// time of a frame in each run; the layer's cost per frame, which is the
// difference of the means of the middle half of frames of building the UI
// (ImGui's layout and the widgets' description) with and without it, plus that
// mean of diffing the tree and applying it to the DOM, plus the browser's style and layout work
// per frame with it beyond that without it (Chromium's performance counters).
// The GL rendering, the same in both runs and the noisiest part of a frame
// under SwiftShader, is left out. Then the DOM
// mutations made by frames in which nothing on screen changed (the mouse
// moving over empty space), and the gzip size of the app's wasm and js.
import { statSync } from 'node:fs';
import path from 'node:path';

import { click, waitForStatus } from '../tests/browser/app_page.mjs';
import { launchChromium, VIEWPORT, WEB_ROOT } from '../tests/browser/browser_env.mjs';
import { startRealStack } from '../tests/browser/real_stack.mjs';

const accounts = Number(process.argv[2] ?? 75000);
const PASSWORD = 'correct horse 7';
const COST_TARGET_MS = 1;
const SIZE_TARGET_KB = 600;
const SCROLL_STEPS = 80;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p95 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)];
// The mean of the middle half: the page's timer counts in 0.1 ms steps, which a
// median keeps and this averages out, while slow frames (a GC) stay out of it.
const middleMean = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.slice(Math.floor(sorted.length / 4), Math.ceil(sorted.length * 3 / 4));
  return middle.reduce((sum, value) => sum + value, 0) / middle.length;
};

// Records each drawn frame's timings (window.invitesApp.frameMs, uiMs, reconcileMs) once.
function startSampling(page) {
  return page.evaluate(() => {
    window.frameSamples = [];
    let seen = window.invitesApp.frames;
    const sample = () => {
      const app = window.invitesApp;
      if (app.frames !== seen) {
        seen = app.frames;
        window.frameSamples.push([app.frameMs, app.uiMs, app.reconcileMs]);
      }
      requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
}

async function measure(browser, url, withLayer) {
  const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
  const page = await context.newPage();
  if (!withLayer) await page.route('**/a11y_layer.js*', (route) => route.abort());
  try {
    // Signed in through the API (the context shares its cookie): without the layer there is no text entry.
    const login = await context.request.post(`${url}/api/session`, { data: { username: 'alice', password: PASSWORD } });
    if (!login.ok()) throw new Error(`sign-in answered ${login.status()}: ${await login.text()}`);
    await page.goto(`${url}/`);
    await page.waitForFunction(() => window.invitesApp?.ready === true, null, { timeout: 60_000 });
    await waitForStatus(page, 'screen', 'main', 60_000);
    await waitForStatus(page, 'lookups', 'loaded', 60_000);
    await click(page, 'Load');
    await waitForStatus(page, 'preview', 'loaded', 120_000);
    await click(page, 'count:new_users');
    await page.waitForFunction(() => window.invitesApp.recipientsTotal >= 0 && window.invitesApp.recipientsLoadedRows > 0,
      null, { timeout: 120_000 });
    const rows = await page.evaluate(() => window.invitesApp.recipientsTotal);
    const hasLayer = await page.evaluate(() => document.getElementById('a11y-layer') !== null);

    // Scroll the review: the page first brings it up, then the grid moves row by row.
    await page.mouse.move(VIEWPORT.width * 0.6, VIEWPORT.height * 0.75);
    // The browser's own style and layout work (Chromium's counters, in seconds), which the DOM layer adds to.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const styleAndLayout = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const value = (name) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
      return { style: value('RecalcStyleDuration'), layout: value('LayoutDuration') };
    };
    const styleAndLayoutBefore = await styleAndLayout();
    await startSampling(page);
    for (let i = 0; i < SCROLL_STEPS; ++i) {
      await page.mouse.wheel(0, 120);
      await page.waitForTimeout(40);
    }
    await page.waitForTimeout(500);
    const samples = await page.evaluate(() => window.frameSamples);
    const styleAndLayoutAfter = await styleAndLayout();
    const styleMs = styleAndLayoutAfter.style - styleAndLayoutBefore.style;
    const layoutMs = styleAndLayoutAfter.layout - styleAndLayoutBefore.layout;

    // Frames in which nothing on screen changes: the mouse over the empty top bar.
    let unchanged = null;
    if (hasLayer) {
      await page.evaluate(() => {
        window.layerMutations = 0;
        new MutationObserver((records) => { window.layerMutations += records.length; })
          .observe(document.getElementById('a11y-layer'), { subtree: true, childList: true, attributes: true,
            characterData: true });
        window.framesAtStart = window.invitesApp.frames;
      });
      for (let i = 0; i < 30; ++i) {
        await page.mouse.move(VIEWPORT.width * 0.45 + (i % 2) * 8, 12);
        await page.waitForTimeout(30);
      }
      await page.waitForTimeout(300);
      unchanged = await page.evaluate(() => ({ frames: window.invitesApp.frames - window.framesAtStart,
        mutations: window.layerMutations }));
    }
    return { rows, hasLayer, frame: samples.map((s) => s[0]), ui: samples.map((s) => s[1]),
      reconcile: samples.map((s) => s[2]), styleAndLayoutPerFrame: (styleMs + layoutMs) / samples.length,
      stylePerFrame: styleMs / samples.length, layoutPerFrame: layoutMs / samples.length, unchanged };
  } finally {
    await context.close();
  }
}

const stack = await startRealStack({ accounts, users: [{ username: 'alice', password: PASSWORD, grant: [390, 120] }] });
const browser = await launchChromium();
let on;
let off;
try {
  on = await measure(browser, stack.url, true);
  off = await measure(browser, stack.url, false);
} finally {
  await browser.close();
  await stack.close();
}
if (!on.hasLayer || off.hasLayer) throw new Error('the runs with and without the DOM layer did not differ as planned');

const ms = (value) => `${value.toFixed(3)} ms`;
console.log(`review open: ${on.rows.toLocaleString('en-US')} rows (new users of ${accounts.toLocaleString('en-US')} accounts)`);
console.log(`frame CPU while scrolling, with the DOM layer: median ${ms(median(on.frame))}, p95 ${ms(p95(on.frame))} ` +
            `(${on.frame.length} frames)`);
console.log(`frame CPU while scrolling, without it:          median ${ms(median(off.frame))}, p95 ${ms(p95(off.frame))} ` +
            `(${off.frame.length} frames)`);
console.log(`building the UI, with the DOM layer: median ${ms(median(on.ui))}, p95 ${ms(p95(on.ui))}; ` +
            `without it: median ${ms(median(off.ui))}, p95 ${ms(p95(off.ui))}`);
const describing = middleMean(on.ui) - middleMean(off.ui);
const browserWork = on.styleAndLayoutPerFrame - off.styleAndLayoutPerFrame;
const cost = describing + middleMean(on.reconcile) + browserWork;
console.log(`the layer's cost per frame: ${ms(cost)} (target <= ${COST_TARGET_MS} ms): ` +
            `${cost <= COST_TARGET_MS ? 'met' : 'NOT met'}`);
console.log(`  describing the widgets (difference of the UI's middle means): ${ms(describing)}; diffing the tree ` +
            `and applying it to the DOM: middle mean ${ms(middleMean(on.reconcile))}, p95 ${ms(p95(on.reconcile))}; the ` +
            `browser's style and layout of it: ${ms(browserWork)} (mean per frame with the layer: style ` +
            `${ms(on.stylePerFrame)}, layout ${ms(on.layoutPerFrame)}; without: ${ms(off.styleAndLayoutPerFrame)})`);
console.log(`frames with nothing changed on screen: ${on.unchanged.frames} frames, ${on.unchanged.mutations} DOM mutations ` +
            `(target 0): ${on.unchanged.mutations === 0 ? 'met' : 'NOT met'}`);
const gz = (file) => statSync(path.join(WEB_ROOT, `${file}.gz`)).size;
const size = gz('invites_app.wasm') + gz('invites_app.js') + gz('a11y_layer.js');
console.log(`wasm + js (app, DOM layer) gzip: ${(size / 1024).toFixed(1)} KB (target <= ${SIZE_TARGET_KB} KB): ` +
            `${size <= SIZE_TARGET_KB * 1024 ? 'met' : 'NOT met'}`);
