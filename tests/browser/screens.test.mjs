// Browser tests of the app's screens (login, throttling, Send Bulk Portal
// Invites, Load, stale results, session expiry, missing permission, sign out)
// against the real stack of real_stack.mjs: invites-server on a private
// MariaDB with seeded data. What the app shows is compared with what the API
// answers for the same request. Screenshots go to TEST_ARTIFACTS_DIR (screen-*.png).
//
//   WEB_ROOT=build/web node --test tests/browser/
//
// Env: WEB_ROOT, INVITES_SERVER (see real_stack.mjs), TEST_ARTIFACTS_DIR, CHROMIUM.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORT } from './browser_env.mjs';
import { click, closeSuite, EMPTY_FILTER, item, openApp as openAppIn, openSuite, runInApp, shot, shownCounts,
  signIn as signInWithin, status, typeInto, waitForStatus as waitForStatusWithin } from './app_page.mjs';
import { postLogin } from './real_stack.mjs';


// Staff users of the seeded database: alice may send invitations, bob only has
// setup rights, carol is the throttling victim, tester is the test's own API client.
const PASSWORD = 'correct horse 7';
const USERS = [
  { username: 'alice', password: PASSWORD, grant: [390, 120] },
  { username: 'bob', password: PASSWORD, grant: [120] },
  { username: 'carol', password: PASSWORD, grant: [390] },
  { username: 'tester', password: PASSWORD, grant: [390] },
];

let browser;
let stack;
let api;  // tester's API session

before(async () => ({ stack, api, browser } = await openSuite({ users: USERS, accounts: 2000, seed: 7,
  apiUser: 'tester', password: PASSWORD })));
after(() => closeSuite({ stack, browser }, 'screens-invites-server.log'));

const openApp = () => openAppIn(browser, stack.url);
const waitForStatus = (page, key, value, timeout = 10_000) => waitForStatusWithin(page, key, value, timeout);

const labels = async (page) => (await page.evaluate(() => window.invitesApp.items())).map((it) => it.label);

const signIn = (page, username, password) => signInWithin(page, username, password, 10_000);

// The JSON answer of the app's next call to `pathname`, with its status.
async function nextAnswer(page, method, pathname, action) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname === pathname),
    action(),
  ]);
  return { status: response.status(), body: await response.json() };
}

// Load as the app did it, through the API: the counts must be what the app shows.
async function assertShownCountsMatchApi(page, filter) {
  const answer = await api.post('/api/previews', { filter });
  assert.equal(answer.status, 200, answer.text);
  const shown = await shownCounts(page);
  assert.deepEqual(shown, answer.body.counts, 'the counts on screen are the API counts for the same filter');
  return shown;
}

// The recipient list scrolls the screen down to itself when it opens: wheel back
// up to the filters, with the mouse over the list's title line (not the table).
async function scrollToFilters(page) {
  const close = await item(page, 'Close');
  await page.mouse.move(close.x - 300, close.y + close.h / 2);
  await page.mouse.wheel(0, -3000);
  await item(page, 'Load');
}


describe('screens against the real invites-server and MariaDB', () => {
  test('login: wrong password shows the server message, then sign in; reload restores the session', async () => {
    const app = await openApp();
    await runInApp(app, 'screen', async (page) => {
      await waitForStatus(page, 'screen', 'login');
      assert.equal((await status(page)).loginError, '', 'no error before the first attempt');
      const refused = await nextAnswer(page, 'POST', '/api/session', () => signIn(page, 'alice', 'wrong password'));
      assert.equal(refused.status, 401);
      const message = refused.body.error.message;
      assert.ok(message, 'the server explains the refusal');
      await waitForStatus(page, 'loginError', message);
      await shot(page, 'screen-login-error.png');

      await typeInto(page, '##password', PASSWORD);  // the failed password was cleared
      await click(page, 'Sign in');
      await waitForStatus(page, 'screen', 'main');
      assert.equal((await status(page)).user, 'alice');
      await waitForStatus(page, 'lookups', 'loaded');
      await item(page, 'Sign out');

      await page.reload();
      await page.waitForFunction(() => window.invitesApp?.ready === true, null, { timeout: 30_000 });
      await waitForStatus(page, 'screen', 'main');
      assert.equal((await status(page)).user, 'alice');
      assert.ok(app.calls('GET', '/api/me').length > 0, 'the session came back through GET /api/me');
      await waitForStatus(page, 'lookups', 'loaded');
      assert.deepEqual(app.problems, []);
    });
  });

  test('the app runs under the server\'s Content-Security-Policy, which blocks inline scripts and eval', async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
    });
    await page.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation',
        (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    try {
      const response = await page.goto(stack.url + '/');
      const headers = response.headers();
      assert.match(headers['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval';/);
      assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
      assert.equal(headers['x-content-type-options'], 'nosniff');
      await page.waitForFunction(() => window.invitesApp?.ready === true, null, { timeout: 30_000 });
      await signIn(page, 'alice', PASSWORD);
      await waitForStatus(page, 'screen', 'main');
      await waitForStatus(page, 'lookups', 'loaded');
      await click(page, 'Load');
      await waitForStatus(page, 'preview', 'loaded');
      assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'the app needs nothing the policy forbids');
      assert.deepEqual(problems, []);

      // The policy is in force: an injected inline script does not run, and
      // code from a string does not either. (eval inside page.evaluate is
      // exempt: DevTools compiles it; a string handed to setTimeout is
      // compiled later by the page itself, under its policy.)
      await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.body.appendChild(script);
        setTimeout('window.evaluated = true', 0);
      });
      await page.waitForTimeout(200);
      const blocked = await page.evaluate(() => ({ injected: window.injected === true, evaluated: window.evaluated === true }));
      assert.deepEqual(blocked, { injected: false, evaluated: false });
      await page.waitForFunction(() => window.cspViolations.length >= 2);
      const violations = await page.evaluate(() => window.cspViolations);
      assert.ok(violations.some((v) => /^script-src-elem inline/.test(v)), `inline script reported: ${violations}`);
      assert.ok(violations.some((v) => /^script-src eval/.test(v)), `string code reported: ${violations}`);
    } finally {
      await context.close();
    }
  });

  test('login throttled (429) after repeated failures shows the server message', async () => {
    // Five failures through the API (the limit per username), then the app's
    // attempt, even with the right password, is refused with 429.
    for (let i = 0; i < 5; ++i) {
      const res = await postLogin(stack.url, 'carol', `wrong ${i}`);
      assert.equal(res.status, 401, `failure ${i + 1} is an ordinary 401`);
    }
    const app = await openApp();
    await runInApp(app, 'screen', async (page) => {
      const throttled = await nextAnswer(page, 'POST', '/api/session', () => signIn(page, 'carol', PASSWORD));
      assert.equal(throttled.status, 429);
      assert.equal(throttled.body.error.code, 'too_many_attempts');
      await waitForStatus(page, 'loginError', throttled.body.error.message);
      assert.equal((await status(page)).screen, 'login');
      await shot(page, 'screen-login-throttled.png');
    });
  });

  test('Load shows the API counts; division fills Email From; stale, Enter, expiry, sign out', async () => {
    const lookups = await api.get('/api/lookups');
    assert.equal(lookups.status, 200);
    const division = lookups.body.divisions.find((d) => d.default_from_email);
    assert.ok(division, 'the seed has a division with a default sender');

    const app = await openApp();
    await runInApp(app, 'screen', async (page) => {
      await signIn(page, 'alice', PASSWORD);
      await waitForStatus(page, 'lookups', 'loaded');
      assert.equal((await status(page)).emailFrom, '', 'no sender before a division is picked');
      assert.deepEqual(await shownCounts(page), { new_users: -1, pending_invites: -1,
        skipped_invalid_email: -1, excluded_existing: -1, skipped_suppressed: -1 });
      // Templates come from the lookups (else from GET /api/templates): the combo is there exactly when
      // active ones exist.
      const templates = lookups.body.templates?.length ? lookups.body.templates
        : (await api.get('/api/templates')).body.templates.filter((t) => t.active);
      if (templates.length > 0) await item(page, '##Notification Template');
      assert.equal((await labels(page)).includes('##Notification Template'), templates.length > 0);
      await shot(page, 'screen-invite-empty.png');

      // Division: pick one; Email From follows its default address from /api/lookups.
      await click(page, '##Division');
      await click(page, division.name);
      await waitForStatus(page, 'emailFrom', division.default_from_email);
      await page.waitForTimeout(150);
      await shot(page, 'screen-invite-division-open.png');
      await page.keyboard.press('Escape');
      await waitForStatus(page, 'emailFrom', division.default_from_email);

      await click(page, 'Load');
      await waitForStatus(page, 'preview', 'loaded');
      const load = app.calls('POST', '/api/previews').at(-1);
      const filter = JSON.parse(load.body).filter;
      assert.deepEqual(filter, { ...EMPTY_FILTER, division_ids: [division.id] });
      assert.ok(load.csrf, 'POST /api/previews carries X-CSRF-Token');
      assert.equal((await status(page)).previewStale, 0);
      const divisionCounts = await assertShownCountsMatchApi(page, filter);
      assert.ok(divisionCounts.new_users > 0, 'the seeded division has new users');
      const everyone = await api.post('/api/previews', { filter: EMPTY_FILTER });
      assert.ok(divisionCounts.new_users < everyone.body.counts.new_users, 'the division narrows the recipients');
      await page.mouse.move(5, 5);
      await shot(page, 'screen-invite-loaded.png');

      await click(page, 'count:new_users');
      await waitForStatus(page, 'selectedGroup', 'new_users');
      await waitForStatus(page, 'recipientsOpen', 1);
      await scrollToFilters(page);

      await click(page, 'Accounts With Balance Due');
      await waitForStatus(page, 'previewStale', 1);
      await page.mouse.move(5, 5);
      await shot(page, 'screen-invite-stale.png');

      const loadsBefore = app.calls('POST', '/api/previews').length;
      await page.keyboard.press('Enter');
      await waitForStatus(page, 'previewStale', 0);
      await waitForStatus(page, 'preview', 'loaded');
      const loads = app.calls('POST', '/api/previews');
      assert.equal(loads.length, loadsBefore + 1, 'Enter pressed Load once');
      const balanceFilter = JSON.parse(loads.at(-1).body).filter;
      assert.deepEqual(balanceFilter, { ...EMPTY_FILTER, division_ids: [division.id], balance_due_only: true });
      const balanceCounts = await assertShownCountsMatchApi(page, balanceFilter);
      assert.ok(balanceCounts.new_users <= divisionCounts.new_users, 'balance due narrows the recipients');
      assert.notDeepEqual(balanceCounts, divisionCounts, 'the counts follow the filter');

      // Invalid Email From is flagged as typed.
      await click(page, '##Email From');
      await page.keyboard.press('End');
      await page.keyboard.type(' oops', { delay: 15 });
      await waitForStatus(page, 'emailFrom', `${division.default_from_email} oops`);
      await page.keyboard.press('Tab');  // leave the field: Tab moves on
      await shot(page, 'screen-invite-bad-email.png');

      // The session ends on the server (its rows are gone): the next call gets
      // 401 → login with the expiry message.
      await stack.sql(`DELETE s FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id
                       WHERE u.username = 'alice'`);
      await click(page, 'Load');
      await waitForStatus(page, 'screen', 'login');
      assert.equal((await status(page)).loginNotice, 'Your session has expired. Please sign in again.');
      await shot(page, 'screen-login-expired.png');

      // The username is kept: the password alone signs in again.
      const relogin = await nextAnswer(page, 'POST', '/api/session', async () => {
        await typeInto(page, '##password', PASSWORD);
        await page.keyboard.press('Enter');
      });
      assert.equal(relogin.status, 200);
      await waitForStatus(page, 'screen', 'main');
      const cookies = await app.context.cookies();
      assert.ok(cookies.length > 0, 'the server set a session cookie');
      const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const meBefore = await fetch(stack.url + '/api/me', { headers: { Cookie: cookieHeader } });
      assert.equal(meBefore.status, 200);

      await click(page, 'Sign out');
      await waitForStatus(page, 'screen', 'login');
      assert.equal((await status(page)).loginNotice, 'You have signed out.');
      const logout = app.calls('DELETE', '/api/session');
      assert.equal(logout.length, 1);
      assert.equal(logout[0].csrf, relogin.body.csrf_token, 'DELETE /api/session carries the X-CSRF-Token');
      // The server ended the session, not just the app.
      await page.waitForTimeout(200);
      const meAfter = await fetch(stack.url + '/api/me', { headers: { Cookie: cookieHeader } });
      assert.equal(meAfter.status, 401);
      await shot(page, 'screen-login-signed-out.png');
      assert.deepEqual(app.problems, []);
    });
  });

  test('recipient review: a count link opens the list; total, search and CSV match the API', async () => {
    const app = await openApp();
    await runInApp(app, 'screen', async (page) => {
      await signIn(page, 'alice', PASSWORD);
      await waitForStatus(page, 'lookups', 'loaded');
      await click(page, 'Load');
      await waitForStatus(page, 'preview', 'loaded');
      assert.equal((await status(page)).recipientsOpen, 0, 'no list before a count is clicked');

      const appPreview = app.calls('POST', '/api/previews').at(-1);
      const filter = JSON.parse(appPreview.body).filter;
      const preview = await api.post('/api/previews', { filter });
      assert.equal(preview.status, 200, preview.text);
      const base = `/api/previews/${preview.body.preview_id}/recipients`;
      const all = await api.get(`${base}?group=new_users&offset=0&limit=5&sort=email&order=asc`);
      assert.equal(all.status, 200, all.text);
      assert.ok(all.body.total > 200, 'the seed has more new users than one block');

      await click(page, 'count:new_users');
      await waitForStatus(page, 'recipientsGroup', 'new_users');
      await page.waitForFunction(() => window.invitesApp.recipientsTotal >= 0, null, { timeout: 10_000 });
      let s = await status(page);
      assert.equal(s.recipientsTotal, all.body.total, 'the total shown is the API total for the group');
      assert.equal(s.recipientsTotal, s.countNewUsers, 'and the count that was clicked');
      assert.ok(s.recipientsLoadedRows > 0 && s.recipientsLoadedRows <= 400, 'only the blocks on screen are fetched');
      const fetched = app.requests.filter((r) => r.path.endsWith('/recipients'));
      assert.ok(fetched.length >= 1 && fetched.length <= 2, `one or two blocks at first (${fetched.length})`);
      await page.mouse.move(5, 5);
      await page.waitForTimeout(150);
      await shot(page, 'screen-recipients.png');

      // Drag the table's scrollbar to the end: the last block is fetched, not all the ones between.
      const search = await item(page, '##recipient-search');
      const tableTop = search.y + search.h + 20;
      const barX = VIEWPORT.width - 72;  // the table's vertical scrollbar (right edge of the list)
      await page.mouse.move(barX, tableTop + 6);
      await page.waitForTimeout(150);
      await page.mouse.down();
      for (let y = tableTop + 6; y <= VIEWPORT.height - 20; y += 100) {
        await page.mouse.move(barX, y);
        await page.waitForTimeout(30);
      }
      await page.mouse.move(barX, VIEWPORT.height - 20);
      await page.mouse.up();
      const lastOffset = Math.floor((all.body.total - 1) / 200) * 200;
      await page.waitForFunction((n) => window.invitesApp.recipientsLoadedRows >= n,
        Math.min(all.body.total, 200) + (all.body.total - lastOffset), { timeout: 10_000 });
      const blocks = app.requests.filter((r) => r.path.endsWith('/recipients')).length;
      assert.ok(blocks < Math.ceil(all.body.total / 200), `not every block was fetched (${blocks})`);
      await page.mouse.move(5, 5);
      await page.waitForTimeout(150);
      await shot(page, 'screen-recipients-end.png');

      // Search by a recipient's last name: fewer rows, the API's count for the same q.
      const q = all.body.rows.map((r) => r.last_name).find((n) => n && n.length >= 3);
      assert.ok(q, 'a row with a last name');
      const searched = await api.get(`${base}?group=new_users&offset=0&limit=1&q=${encodeURIComponent(q)}`);
      assert.equal(searched.status, 200, searched.text);
      assert.ok(searched.body.total > 0 && searched.body.total < all.body.total, 'the search narrows the list');
      await typeInto(page, '##recipient-search', q);
      await waitForStatus(page, 'recipientsQuery', q);
      await page.waitForFunction((t) => window.invitesApp.recipientsTotal === t, searched.body.total,
        { timeout: 10_000 });
      s = await status(page);
      assert.ok(s.recipientsTotal < all.body.total, 'the total shrinks');
      assert.equal(s.recipientsLoadedRows, Math.min(searched.body.total, 200));
      await page.mouse.move(5, 5);
      await page.waitForTimeout(150);
      await shot(page, 'screen-recipients-search.png');

      // Sorting by a header asks the server for that order.
      // (A header reacts to a press only when it was hovered the frame before: move, then press.)
      const header = await item(page, 'Last name');
      await page.mouse.move(header.x + header.w / 2, header.y + header.h / 2);
      await page.waitForTimeout(200);
      await page.mouse.down();
      await page.waitForTimeout(100);
      await page.mouse.up();
      await waitForStatus(page, 'recipientsSort', 'last_name');
      await page.waitForFunction((t) => window.invitesApp.recipientsTotal === t, searched.body.total,
        { timeout: 10_000 });

      // Download CSV: the same group, search and order.
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }),
        click(page, 'Download CSV')]);
      const csvUrl = new URL(download.url());
      assert.match(csvUrl.pathname, /^\/api\/previews\/[^/]+\/recipients\.csv$/);
      assert.equal((await status(page)).lastDownload, download.url());
      assert.equal(csvUrl.searchParams.get('group'), 'new_users');
      assert.equal(csvUrl.searchParams.get('q'), q);
      assert.equal(csvUrl.searchParams.get('sort'), 'last_name');
      assert.equal(await download.failure(), null, 'the CSV downloaded');

      // A filter change greys the list; the server is not asked for more rows.
      await scrollToFilters(page);
      await click(page, 'Accounts With Balance Due');
      await waitForStatus(page, 'previewStale', 1);
      const asked = app.requests.filter((r) => r.path.endsWith('/recipients')).length;
      await page.waitForTimeout(300);
      s = await status(page);
      assert.equal(s.recipientsOpen, 1, 'the list stays, greyed');
      assert.equal(app.requests.filter((r) => r.path.endsWith('/recipients')).length, asked);
      await page.mouse.move(5, 5);
      await shot(page, 'screen-recipients-stale.png');
      assert.deepEqual(app.problems, []);
    });
  });

  test('without permission 390 the form is replaced by an explanation', async () => {
    const app = await openApp();
    await runInApp(app, 'screen', async (page) => {
      await signIn(page, 'bob', PASSWORD);
      await waitForStatus(page, 'screen', 'main');
      assert.equal((await status(page)).user, 'bob');
      await page.waitForTimeout(200);
      const drawn = await labels(page);
      assert.ok(!drawn.includes('Load'), 'no Load button');
      assert.ok(!drawn.includes('##Division'), 'no filters');
      assert.ok(drawn.includes('Sign out'), 'bob can still sign out');
      assert.equal(app.calls('GET', '/api/lookups').length, 0, 'the app does not ask for the lists');
      // The server agrees: bob may not Load.
      const bob = await stack.login('bob', PASSWORD);
      assert.equal((await bob.post('/api/previews', { filter: EMPTY_FILTER })).status, 403);
      await shot(page, 'screen-no-permission.png');
      assert.deepEqual(app.problems, []);
    });
  });
});
