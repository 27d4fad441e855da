// What the browser tests against the real stack share: the suite's stack,
// tester session and browser; opening the app; and driving it by the labels
// of the items it drew (window.invitesApp.items(), see frontend/README.md).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ARTIFACTS, VIEWPORT, WEB_ROOT, launchChromium } from './browser_env.mjs';
import { startRealStack, waitForLoadReady } from './real_stack.mjs';

// For before(): the real stack (startRealStack options), the API session of
// `apiUser` once the Load index is ready, and Chromium.
// The filter with nothing chosen (every account), as the API takes it.
export const EMPTY_FILTER = {
  division_ids: [], account_class_ids: [], bill_group_ids: [], account_source_ids: [], site_source_ids: [],
  active_service_only: false, balance_due_only: false, billing_contacts_only: false, without_autopay_only: false,
};
// The four yes/no filters: their key in the filter and the label of their check box.
export const FLAGS = [
  ['balance_due_only', 'Accounts With Balance Due'],
  ['billing_contacts_only', 'Restrict To Billing Contacts'],
  ['active_service_only', 'Accounts With Active Service'],
  ['without_autopay_only', 'Accounts Without Automatic Payment'],
];

export async function openSuite({ apiUser, password, ...stackOptions }) {
  assert.ok(existsSync(path.join(WEB_ROOT, 'index.html')), `no web bundle in ${WEB_ROOT}: build it first`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const stack = await startRealStack(stackOptions);
  const api = await stack.login(apiUser, password);
  await waitForLoadReady(api);
  const browser = await launchChromium();
  return { stack, api, browser };
}

// For after(): closes what openSuite opened and keeps the server's log (the
// last 64 KB) as ARTIFACTS/logName, for when a test failed.
export async function closeSuite({ stack, browser }, logName) {
  await browser?.close();
  if (stack) writeFileSync(path.join(ARTIFACTS, logName), stack.serverOutput.text());
  await stack?.close();
}

// The app at `url` in a fresh context (no service worker), ready; `problems`
// collects page errors and console errors, `requests` the /api calls.
// `contextOptions` adds Playwright context options (e.g. bypassCSP for a
// suite that injects its checking tools as inline scripts).
export async function openApp(browser, url, contextOptions = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block', ...contextOptions });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // 401/403/429 answers of the API are logged by the browser as failed resources; nothing else may fail.
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on('request', (req) => {
    const { pathname } = new URL(req.url());
    if (pathname.startsWith('/api/')) {
      requests.push({ method: req.method(), path: pathname, csrf: req.headers()['x-csrf-token'] ?? null,
        body: req.postData() });
    }
  });
  await page.goto(url + '/');
  await page.waitForFunction(() => window.invitesApp?.ready === true, null, { timeout: 30_000 });
  return {
    context, page, problems, requests,
    calls: (method, pathname) => requests.filter((r) => r.method === method && r.path === pathname),
    close: () => context.close(),
  };
}

// window.invitesApp without items().
export const status = (page) => page.evaluate(() => {
  const { items, ...fields } = window.invitesApp;
  return fields;
});

export const waitFor = (page, predicate, arg, timeout = 15_000) => page.waitForFunction(predicate, arg, { timeout });

export const waitForStatus = (page, key, value, timeout = 15_000) =>
  waitFor(page, ([k, v]) => window.invitesApp?.[k] === v, [key, value], timeout);

// The labelled item of the last frame (exact label, or one ending in
// `###label`) in the page, or null when it is not drawn. Asked with
// { label } instead of the label, it answers { it, frames }: the item and
// the number of that frame, read together.
const findItem = (asked) => {
  const l = typeof asked === 'string' ? asked : asked.label;
  const items = window.invitesApp.items?.() ?? [];
  const it = items.find((i) => i.label === l) ?? items.find((i) => i.label.endsWith('###' + l)) ?? null;
  return typeof asked === 'string' ? it : { it, frames: window.invitesApp.frames };
};

// The labelled item of the last frame, waiting until it is drawn.
export async function item(page, label, timeout = 10_000) {
  const handle = await page.waitForFunction(findItem, label, { timeout });
  return handle.jsonValue();
}

const sameBox = (a, b) => a === b || (a && b && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h);

// The labelled item where it stays, or null when it stays undrawn. A new
// popup's first frame is laid out off-screen, and a state that changes while
// a frame is drawn (a line appearing above) moves what lies below only in the
// next frame, which a loaded machine may draw a few hundred ms later: so the
// place counts once two later frames drew the item there too, or once no
// frame came for 600 ms (the app is idle and nothing will move it). Read
// every 150 ms.
export async function settledItem(page, label) {
  const read = () => page.evaluate(findItem, { label });
  let place = await read();  // where it is, and the frame that first drew it there
  let lastFrames = place.frames;
  let framesSeenAt = Date.now();
  for (let reads = 0; reads < 40; ++reads) {
    await page.waitForTimeout(150);
    const again = await read();
    if (again.frames !== lastFrames) {
      lastFrames = again.frames;
      framesSeenAt = Date.now();
    }
    if (!sameBox(place.it, again.it)) {
      place = again;
      continue;
    }
    if (again.frames - place.frames >= 2 || Date.now() - framesSeenAt >= 600) return again.it;
  }
  return place.it;
}

// Hover first, then press: tabs and selectable rows (ImGui "allow overlap"
// items) only take a click that follows a frame of hovering, as with a real mouse.
export async function click(page, label) {
  await item(page, label);
  const it = await settledItem(page, label);
  if (!it) throw new Error(`"${label}" was drawn, then no longer`);
  await page.mouse.move(it.x + it.w / 2, it.y + it.h / 2);
  await page.waitForTimeout(80);
  await page.mouse.down();
  await page.waitForTimeout(50);
  await page.mouse.up();
}

export async function typeInto(page, label, text) {
  await click(page, label);
  await page.keyboard.type(text, { delay: 15 });
}

// Signs in on the login screen (Enter submits, as a user would).
export async function signIn(page, username, password, timeout = 15_000) {
  await waitForStatus(page, 'screen', 'login', timeout);
  await typeInto(page, '##username', username);
  await typeInto(page, '##password', password);
  await page.keyboard.press('Enter');
}

// Signs in and presses Load with the form as it opens (every recipient).
export async function signInAndLoad(page, username, password) {
  await signIn(page, username, password);
  await waitForStatus(page, 'lookups', 'loaded');
  await click(page, 'Load');
  await waitForStatus(page, 'preview', 'loaded');
}

// The five counts the results card shows (-1 before a Load).
export async function shownCounts(page) {
  const s = await status(page);
  return { new_users: s.countNewUsers, pending_invites: s.countPendingInvites,
    skipped_invalid_email: s.countSkippedInvalidEmail, excluded_existing: s.countExcludedExisting,
    skipped_suppressed: s.countSkippedSuppressed };
}

export const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, name) });

// Runs `body(page)` on the page of an opened app; when it throws, the page is
// saved first as <prefix>-failed-<error>-<time>.png. The app is closed either way.
export async function runInApp(app, prefix, body) {
  try {
    await body(app.page);
  } catch (err) {
    await shot(app.page, `${prefix}-failed-${(err.name ?? 'error').toLowerCase()}-${Date.now()}.png`).catch(() => {});
    throw err;
  } finally {
    await app.close();
  }
}
