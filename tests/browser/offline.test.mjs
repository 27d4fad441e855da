// Offline preview (issue 6) against the real stack: sign in online, the
// snapshot is synced into IndexedDB; the server stops; the page reloads from
// the service worker; Load is answered in WebAssembly from the cached snapshot
// with the counts and digest the server gave for the same filters; Send is
// disabled with the reason; the server starts again on the same port: the app
// says so and the next Load is online. Then the stored copy is corrupted from
// the test: the app discards it with a message and downloads a fresh one.
// Last, rows change in the database and the server rebuilds: the refresh
// downloads only the changes (a delta response), and an offline Load on the
// refreshed copy equals the online one.
// Screenshots: TEST_ARTIFACTS_DIR/offline-*.png.
//
//   WEB_ROOT=build/web node --test tests/browser/offline.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { click as clickItem, closeSuite, EMPTY_FILTER, openSuite, runInApp, settledItem, shot, shownCounts, status,
  typeInto as typeIntoItem, waitFor as waitWithin, waitForStatus as waitForStatusWithin } from './app_page.mjs';
import { VIEWPORT, WEB_ROOT } from './browser_env.mjs';
import { SERVER_BIN, waitForLoadReady } from './real_stack.mjs';

const PASSWORD = 'correct horse 7';
const USERS = [
  { username: 'alice', password: PASSWORD, grant: [390, 120] },
  { username: 'tester', password: PASSWORD, grant: [390] },
];
const BILLING_FILTER = { ...EMPTY_FILTER, billing_contacts_only: true };
const SEND_REASON = 'Offline preview: Send, test send and setup need the server.';
const SERVER_BACK = 'The server is reachable again: the next Load is online.';

let browser;
let stack;
let api;

before(async () => ({ stack, api, browser } = await openSuite({ users: USERS, accounts: 2000, seed: 7,
  apiUser: 'tester', password: PASSWORD })));
after(() => closeSuite({ stack, browser }, 'offline-invites-server.log'));

// Stops the server process (the database stays up).
async function stopServer() {
  const server = stack.server;
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

// Starts invites-server again on the same address, so the page's origin is the same.
async function startServer() {
  const { host } = new URL(stack.url);
  const server = spawn(SERVER_BIN, ['serve', '--db', stack.dbUrl, '--listen', host, '--web-root', WEB_ROOT,
    '--snapshot-refresh-seconds', '300'], { stdio: ['ignore', 'pipe', 'pipe'] });
  stack.server = server;  // stack.close() stops this one
  server.stdout.setEncoding('utf8');
  server.stderr.setEncoding('utf8');
  server.stderr.on('data', (chunk) => stack.serverOutput.add(chunk));
  await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`server did not restart:\n${text}`)), 30_000);
    server.stdout.on('data', (chunk) => {
      stack.serverOutput.add(chunk);
      text += chunk;
      if (/invites-server listening on/.test(text)) { clearTimeout(timer); resolve(); }
    });
    server.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${text}`)); });
  });
  await waitForLoadReady(api);
}

const waitFor = (page, predicate, arg, timeout = 20_000) => waitWithin(page, predicate, arg, timeout);
const waitForStatus = (page, key, value, timeout = 20_000) => waitForStatusWithin(page, key, value, timeout);

// Wheels the screen until the item is fully visible (above the footer, below the top bar),
// reading where it settles (the offline banner's lines move what lies below a frame late).
async function reveal(page, label) {
  for (let i = 0; i < 12; ++i) {
    const it = await settledItem(page, label);
    const height = VIEWPORT.height;
    if (it && it.y >= 60 && it.y + it.h <= height - 50) return;
    await page.mouse.move(VIEWPORT.width / 2, height / 2);
    await page.mouse.wheel(0, it && it.y < 60 ? -250 : 250);
    await page.waitForTimeout(120);
  }
}
// The item scrolled into view first: the offline bar makes the screen taller.
async function click(page, label) {
  await reveal(page, label);
  await clickItem(page, label);
}
async function typeInto(page, label, text) {
  await reveal(page, label);
  await typeIntoItem(page, label, text);
}
// Presses Load and waits until a result other than `previousId` is on screen.
async function load(page) {
  const before = (await status(page)).previewId;
  await click(page, 'Load');
  await waitFor(page, (id) => window.invitesApp.preview === 'loaded' && window.invitesApp.previewId !== id, before);
  return status(page);
}
const ready = (page) => page.waitForFunction(() => window.invitesApp?.ready === true, null, { timeout: 30_000 });

// A new page, without the service worker unless `serviceWorkers` is 'allow'
// (the server started if it is not running), page errors collected.
async function openPage({ serviceWorkers = 'block' } = {}) {
  if (stack.server.exitCode !== null || stack.server.signalCode !== null) await startServer();
  const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return { page, problems, close: () => context.close() };
}
// Signs alice in and waits until her offline copy is ready.
async function signInSynced(page) {
  await page.goto(stack.url + '/');
  await ready(page);
  await waitForStatus(page, 'screen', 'login');
  await typeInto(page, '##username', 'alice');
  await typeInto(page, '##password', PASSWORD);
  await page.keyboard.press('Enter');
  await waitForStatus(page, 'offlineSync', 'ready', 60_000);
}

describe('offline preview against the real invites-server', () => {
  test('sync, server gone, reload from the service worker, offline Load equals the server, back online', async () => {
    const app = await openPage({ serviceWorkers: 'allow' });
    const { problems } = app;
    await runInApp(app, 'offline', async (page) => {
      await page.goto(stack.url + '/');
      await ready(page);
      // The service worker controls the page (it claims it on activation) and
      // keeps this build's shell in one cache named after the build.
      await waitFor(page, () => !!navigator.serviceWorker?.controller, null, 30_000);
      const shell = await page.evaluate(async () => {
        const names = (await caches.keys()).filter((n) => n.startsWith('invites-shell-'));
        const entries = names.length === 1
          ? (await (await caches.open(names[0])).keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search) : [];
        return { names, entries, build: window.invitesApp.build };
      });
      assert.equal(shell.names.length, 1, `one shell cache: ${shell.names}`);
      assert.ok(shell.names[0].endsWith(`-${shell.build}`), 'the cache name carries the build');
      for (const file of ['/index.html', `/boot.js?v=${shell.build}`, `/invites_app.js?v=${shell.build}`, `/invites_app.wasm?v=${shell.build}`,
        `/a11y_layer.js?v=${shell.build}`, '/ui-font.ttf']) {
        assert.ok(shell.entries.includes(file), `${file} is cached (${shell.entries})`);
      }

      await waitForStatus(page, 'screen', 'login');
      await typeInto(page, '##username', 'alice');
      await typeInto(page, '##password', PASSWORD);
      await page.keyboard.press('Enter');
      await waitForStatus(page, 'screen', 'main');
      await waitForStatus(page, 'offlineSync', 'ready', 60_000);
      let s = await status(page);
      assert.equal(s.offlineHave, 1);
      assert.ok(s.offlineContacts > 2000, `the copy holds the contacts (${s.offlineContacts})`);
      assert.ok(s.offlineDataAsOf.endsWith('UTC'));
      // The lists are stored with the copy (with the download, or just after it when they arrive later).
      await waitForStatus(page, 'lookups', 'loaded');
      const readStore = () => page.evaluate(() => new Promise((resolve, reject) => {
        const req = indexedDB.open('invites-offline');
        req.onsuccess = () => {
          const tx = req.result.transaction('snapshot', 'readonly');
          const meta = tx.objectStore('snapshot').get('meta');
          const bytes = tx.objectStore('snapshot').get('bytes');
          tx.oncomplete = () => { resolve({ meta: JSON.parse(meta.result), size: bytes.result.byteLength }); req.result.close(); };
        };
        req.onerror = () => reject(req.error);
      }));
      let stored = await readStore();
      for (let i = 0; i < 50 && !stored.meta.lookups.includes('divisions'); ++i) {
        await page.waitForTimeout(100);
        stored = await readStore();
      }
      assert.equal(stored.meta.username, 'alice');
      assert.ok(stored.meta.lookups.includes('divisions'), 'the lookups (and templates) are stored');
      assert.equal(stored.size, s.offlineBytes);

      // Online Load, then the live estimate for a changed filter.
      await waitForStatus(page, 'lookups', 'loaded');
      s = await load(page);
      assert.equal(s.previewOffline, 0);
      const serverAll = await api.post('/api/previews', { filter: EMPTY_FILTER });
      const serverBilling = await api.post('/api/previews', { filter: BILLING_FILTER });
      assert.deepEqual(await shownCounts(page), serverAll.body.counts);
      assert.equal(s.previewDigest, serverAll.body.digest);
      await click(page, 'Restrict To Billing Contacts');
      await waitForStatus(page, 'estimate', 1);
      s = await status(page);
      assert.deepEqual({ new_users: s.estimateNewUsers, pending_invites: s.estimatePendingInvites,
        skipped_invalid_email: s.estimateSkippedInvalidEmail, excluded_existing: s.estimateExcludedExisting,
        skipped_suppressed: s.estimateSkippedSuppressed },
      serverBilling.body.counts, 'the estimate equals the server counts for the filters on screen');
      assert.equal(s.canSend, 0, 'a stale result never enables Send');
      await shot(page, 'offline-estimate.png');
      await click(page, 'Restrict To Billing Contacts');  // back to the empty filter

      // The server goes away; the page reloads from the service worker.
      await stopServer();
      await page.reload();
      await ready(page);
      await waitForStatus(page, 'screen', 'main', 30_000);
      await waitForStatus(page, 'offline', 1);
      await waitForStatus(page, 'offlineSync', 'ready', 30_000);
      s = await status(page);
      assert.equal(s.user, 'alice');
      assert.equal(s.offlineSession, 1);
      assert.equal(s.server, 'unreachable');
      await waitForStatus(page, 'lookups', 'loaded');

      s = await load(page);
      assert.equal(s.previewOffline, 1);
      assert.match(s.previewId, /^offline-/);
      assert.deepEqual(await shownCounts(page), serverAll.body.counts, 'offline counts = server counts (no filter)');
      assert.equal(s.previewDigest, serverAll.body.digest, 'offline digest = server digest');
      assert.equal(s.canSend, 0);
      assert.equal(s.sendBlockedReason, SEND_REASON);
      assert.ok((await page.evaluate(() => window.invitesApp.items().map((it) => it.label))).length > 0);

      // The recipient list works offline too (page_recipients in WebAssembly).
      await click(page, 'count:new_users');
      await waitFor(page, () => window.invitesApp.recipientsTotal >= 0 && window.invitesApp.recipientsLoadedRows > 0);
      s = await status(page);
      assert.equal(s.recipientsTotal, serverAll.body.counts.new_users);
      await shot(page, 'offline-preview.png');
      // The CSV export is made in the app from the cached snapshot.
      const [download] = await Promise.all([page.waitForEvent('download'), click(page, 'Download CSV')]);
      assert.equal(download.suggestedFilename(), 'recipients-new_users.csv');
      const csv = readFileSync(await download.path(), 'utf8');
      assert.ok(csv.startsWith('email,first_name,last_name,account_number,account_name,contact_id,last_invited_at\r\n'));
      assert.equal(csv.split('\r\n').filter((line) => line !== '').length, serverAll.body.counts.new_users + 1);
      await click(page, 'Close');

      await click(page, 'Restrict To Billing Contacts');
      s = await load(page);
      assert.equal(s.previewOffline, 1);
      assert.deepEqual(await shownCounts(page), serverBilling.body.counts, 'offline counts = server counts (billing)');
      assert.equal(s.previewDigest, serverBilling.body.digest);

      // The server comes back on the same port.
      await startServer();
      await waitForStatus(page, 'offline', 0, 30_000);
      await waitForStatus(page, 'offlineNotice', SERVER_BACK);
      await waitForStatus(page, 'offlineSession', 0);  // the real session again (CSRF token)
      s = await load(page);
      assert.equal(s.previewOffline, 0, 'the next Load is online');
      assert.deepEqual(await shownCounts(page), serverBilling.body.counts);
      await shot(page, 'offline-back-online.png');
      assert.deepEqual(problems, []);
    });
  });

  test('a corrupt stored copy is discarded with a message, then downloaded again', async () => {
    const app = await openPage();
    const { problems } = app;
    await runInApp(app, 'offline-corrupt', async (page) => {
      await signInSynced(page);

      // Flip bytes in the middle of the stored snapshot.
      await page.evaluate(() => new Promise((resolve, reject) => {
        const req = indexedDB.open('invites-offline');
        req.onsuccess = () => {
          const db = req.result;
          const get = db.transaction('snapshot', 'readonly').objectStore('snapshot').get('bytes');
          get.onsuccess = () => {
            const bytes = new Uint8Array(get.result.slice(0));
            for (let i = 0; i < 64; ++i) bytes[(bytes.length >> 1) + i] ^= 0x5a;
            const tx = db.transaction('snapshot', 'readwrite');
            tx.objectStore('snapshot').put(bytes.buffer, 'bytes');
            tx.oncomplete = () => { db.close(); resolve(); };
            tx.onerror = () => reject(tx.error);
          };
        };
        req.onerror = () => reject(req.error);
      }));
      await page.reload();
      await ready(page);
      await waitFor(page, () => window.invitesApp.offlineNotice?.startsWith(
        'The offline copy stored in this browser was discarded:'), null, 30_000);
      const s = await status(page);
      assert.match(s.offlineNotice, /checksum mismatch|snapshot/);
      await shot(page, 'offline-discarded.png');
      // A fresh copy follows from the server.
      await waitForStatus(page, 'offlineSync', 'ready', 60_000);
      assert.equal((await status(page)).offlineHave, 1);
      assert.deepEqual(problems, []);
    });
  });
  test('a refresh after changes in the database downloads only the changes; offline Load equals online', async () => {
    const app = await openPage();
    const { page, problems } = app;
    const snapshotAnswers = [];
    page.on('requestfinished', async (request) => {
      if (new URL(request.url()).pathname !== '/api/snapshot') return;
      const response = await request.response();
      const sizes = await request.sizes();
      snapshotAnswers.push({ status: response.status(), type: response.headers()['content-type'] ?? '',
        bytes: sizes.responseBodySize });
    });
    await runInApp(app, 'offline-delta', async () => {
      await signInSynced(page);
      const before = await status(page);

      // A day of ordinary changes, then a rebuild of the server's index.
      const loadedBefore = await api.post('/api/previews', { filter: EMPTY_FILTER });
      await stack.sql(`UPDATE contacts SET first_name = CONCAT(first_name, 'x') WHERE id % 53 = 0;
        UPDATE contacts SET email = CONCAT('refreshed', id, '@example.net') WHERE id % 211 = 0;
        UPDATE contacts SET email = NULL WHERE id % 307 = 0;
        UPDATE portal_users SET status = 'disabled' WHERE status = 'invited' LIMIT 5;`);
      await new Promise((resolve) => setTimeout(resolve, 1100));  // generated_at has a resolution of seconds
      assert.equal((await api.post('/api/snapshot/refresh', {})).status, 202);
      let online = loadedBefore;
      for (let i = 0; i < 300 && online.body.generated_at === loadedBefore.body.generated_at; ++i) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        online = await api.post('/api/previews', { filter: EMPTY_FILTER });
      }
      assert.notEqual(online.body.generated_at, loadedBefore.body.generated_at, 'the server rebuilt its index');
      assert.notDeepEqual(online.body.counts, loadedBefore.body.counts, 'the changes show in the counts');

      const answersBefore = snapshotAnswers.length;
      await click(page, 'Refresh offline copy');
      await waitFor(page, (asOf) => window.invitesApp.offlineSync === 'ready' && window.invitesApp.offlineDataAsOf !== asOf,
        before.offlineDataAsOf, 60_000);
      for (let i = 0; i < 50 && snapshotAnswers.length === answersBefore; ++i) await page.waitForTimeout(100);
      const answer = snapshotAnswers.at(-1);
      assert.equal(answer.status, 200);
      assert.equal(answer.type, 'application/vnd.invites.snapshot-delta', 'the refresh came as a delta');
      const s = await status(page);
      assert.ok(answer.bytes < s.offlineBytes / 20, `the delta (${answer.bytes} bytes) is a small part of the copy (${s.offlineBytes})`);
      await shot(page, 'offline-refreshed.png');

      // Offline by choice: Load from the refreshed copy equals the server.
      await click(page, 'Preview offline');
      await waitForStatus(page, 'offline', 1);
      const offline = await load(page);
      assert.equal(offline.previewOffline, 1);
      assert.deepEqual(await shownCounts(page), online.body.counts, 'offline counts = server counts after the refresh');
      assert.equal(offline.previewDigest, online.body.digest);
      await click(page, 'Back online');
      await waitForStatus(page, 'offline', 0);
      assert.deepEqual(problems, []);
    });
  });
});
