// Browser tests of the app's screens (login, Send Bulk Portal Invites, Load,
// stale results, session expiry, missing permission) against the mock API of
// mock_api.mjs, which follows the API contract of SPEC §5. Screenshots go to
// TEST_ARTIFACTS_DIR (screen-*.png).
//
//   WEB_ROOT=build/web node --test tests/browser/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { createMockApi } from './mock_api.mjs';
import { startStaticServer } from './static_server.mjs';

const WEB_ROOT = path.resolve(process.env.WEB_ROOT ?? 'build/web');
const ARTIFACTS = path.resolve(process.env.TEST_ARTIFACTS_DIR ?? 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
];
const VIEWPORT = { width: 1200, height: 760 };

let browser;

before(async () => {
  assert.ok(existsSync(path.join(WEB_ROOT, 'index.html')), `no web bundle in ${WEB_ROOT}: build it first`);
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
});

// A server with the bundle and the mock API, and the app open in a fresh context.
async function openApp(options = {}) {
  const api = createMockApi(options);
  const server = await startStaticServer(WEB_ROOT, { api: api.handler });
  const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // 401/403/404 answers of the API are logged by the browser as failed resources; nothing else may fail.
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  await page.goto(server.url + '/');
  await page.waitForFunction(() => window.invitesApp?.ready === true, null, { timeout: 30_000 });
  return {
    api, server, context, page, problems,
    async close() {
      await context.close();
      await server.close();
    },
  };
}

const status = (page) => page.evaluate(() => {
  const { items, ...fields } = window.invitesApp;
  return fields;
});

const waitForStatus = (page, key, value, timeout = 10_000) =>
  page.waitForFunction(([k, v]) => window.invitesApp[k] === v, [key, value], { timeout });

// The labelled item of the last frame, waiting until it is drawn.
async function item(page, label, timeout = 10_000) {
  const handle = await page.waitForFunction(
    (l) => window.invitesApp.items().find((it) => it.label === l) ?? null, label, { timeout });
  return handle.jsonValue();
}

async function click(page, label) {
  await item(page, label);
  await page.waitForTimeout(150);  // a new popup's first frame is laid out off-screen: use a settled frame
  const it = await item(page, label);
  await page.mouse.click(it.x + it.w / 2, it.y + it.h / 2);
}

async function typeInto(page, label, text) {
  await click(page, label);
  await page.keyboard.type(text, { delay: 15 });
}

async function signIn(page, username, password) {
  await waitForStatus(page, 'screen', 'login');
  await typeInto(page, '##username', username);
  await typeInto(page, '##password', password);
  await page.keyboard.press('Enter');
}

const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, name) });

describe('screens against the mock API', () => {
  test('login: wrong password shows the server message, then sign in; reload restores the session', async () => {
    const app = await openApp();
    try {
      await waitForStatus(app.page, 'screen', 'login');
      assert.equal((await status(app.page)).loginError, '', 'no error before the first attempt');
      await signIn(app.page, 'alice', 'wrong');
      await waitForStatus(app.page, 'loginError', 'Invalid username or password.');
      await shot(app.page, 'screen-login-error.png');

      await typeInto(app.page, '##password', 'secret');  // the failed password was cleared
      await click(app.page, 'Sign in');
      await waitForStatus(app.page, 'screen', 'main');
      assert.equal((await status(app.page)).user, 'alice');
      await waitForStatus(app.page, 'lookups', 'loaded');
      await item(app.page, 'Sign out');

      await app.page.reload();
      await app.page.waitForFunction(() => window.invitesApp?.ready === true, null, { timeout: 30_000 });
      await waitForStatus(app.page, 'screen', 'main');
      assert.equal((await status(app.page)).user, 'alice');
      assert.ok(app.api.calls.some((c) => c.method === 'GET' && c.path === '/api/me'));
      assert.deepEqual(app.problems, []);
    } finally {
      await app.close();
    }
  });

  test('login throttled (429) shows the server message', async () => {
    const app = await openApp();
    try {
      await signIn(app.page, 'throttled', 'x');
      await waitForStatus(app.page, 'loginError', 'Too many sign-in attempts. Try again in 10 minutes.');
    } finally {
      await app.close();
    }
  });

  test('Load, stale after a filter change, Enter loads again, count links, expiry, sign out', async () => {
    const app = await openApp();
    const { page, api } = app;
    try {
      await signIn(page, 'alice', 'secret');
      await waitForStatus(page, 'lookups', 'loaded');
      await shot(page, 'screen-invite-empty.png');

      // Division: pick one; Email From follows its default address.
      await click(page, '##Division');
      await click(page, 'North Valley');
      await waitForStatus(page, 'emailFrom', 'north@hauler.example');
      await page.waitForTimeout(150);
      await shot(page, 'screen-invite-division-open.png');
      await page.keyboard.press('Escape');
      await waitForStatus(page, 'emailFrom', 'north@hauler.example');

      await click(page, 'Load');
      await waitForStatus(page, 'preview', 'loaded');
      const load = api.calls.filter((c) => c.path === '/api/previews').at(-1);
      assert.deepEqual(JSON.parse(load.body), { filter: {
        division_ids: [1], account_class_ids: [], bill_group_ids: [], account_source_ids: [], site_source_ids: [],
        active_service_only: false, balance_due_only: false, billing_contacts_only: false, without_autopay_only: false,
      } });
      assert.ok(load.csrf, 'POST /api/previews carries X-CSRF-Token');
      assert.equal((await status(page)).previewStale, 0);
      await page.mouse.move(5, 5);
      await shot(page, 'screen-invite-loaded.png');

      await click(page, 'count:new_users');
      await waitForStatus(page, 'selectedGroup', 'new_users');

      await click(page, 'Accounts With Balance Due');
      await waitForStatus(page, 'previewStale', 1);
      await page.mouse.move(5, 5);
      await shot(page, 'screen-invite-stale.png');

      const loadsBefore = api.calls.filter((c) => c.path === '/api/previews').length;
      await page.keyboard.press('Enter');
      await waitForStatus(page, 'previewStale', 0);
      const loads = api.calls.filter((c) => c.path === '/api/previews');
      assert.equal(loads.length, loadsBefore + 1, 'Enter pressed Load once');
      assert.equal(JSON.parse(loads.at(-1).body).filter.balance_due_only, true);

      // Invalid Email From is flagged as typed.
      await click(page, '##Email From');
      await page.keyboard.press('End');
      await page.keyboard.type(' oops', { delay: 15 });
      await waitForStatus(page, 'emailFrom', 'north@hauler.example oops');
      await page.keyboard.press('Tab');  // leave the field: Tab moves on
      await shot(page, 'screen-invite-bad-email.png');

      // The session ends on the server: the next call gets 401 → login with the expiry message.
      api.expireAll();
      await click(page, 'Load');
      await waitForStatus(page, 'screen', 'login');
      assert.equal((await status(page)).loginNotice, 'Your session has expired. Please sign in again.');
      await shot(page, 'screen-login-expired.png');

      await typeInto(page, '##password', 'secret');
      await page.keyboard.press('Enter');
      await waitForStatus(page, 'screen', 'main');
      await click(page, 'Sign out');
      await waitForStatus(page, 'screen', 'login');
      const logout = api.calls.filter((c) => c.method === 'DELETE' && c.path === '/api/session');
      assert.equal(logout.length, 1);
      assert.ok(logout[0].csrf, 'DELETE /api/session carries X-CSRF-Token');
      assert.deepEqual(app.problems, []);
    } finally {
      await app.close();
    }
  });

  test('without permission 390 the form is replaced by an explanation', async () => {
    const app = await openApp();
    try {
      await signIn(app.page, 'bob', 'secret');
      await waitForStatus(app.page, 'screen', 'main');
      const labels = (await app.page.evaluate(() => window.invitesApp.items())).map((it) => it.label);
      assert.ok(!labels.includes('Load'), 'no Load button');
      assert.ok(!labels.includes('##Division'), 'no filters');
      assert.ok(!app.api.calls.some((c) => c.path === '/api/lookups'));
      await shot(app.page, 'screen-no-permission.png');
    } finally {
      await app.close();
    }
  });

  test('templates from lookups fill the Notification Template combo', async () => {
    const app = await openApp({ templates: [{ id: 4, name: 'Standard invitation' }, { id: 5, name: 'Spanish' }] });
    try {
      await signIn(app.page, 'alice', 'secret');
      await waitForStatus(app.page, 'lookups', 'loaded');
      await item(app.page, '##Notification Template');
    } finally {
      await app.close();
    }
  });
});
