// The main flows driven only as a keyboard and screen-reader user would:
// by role, accessible name and keyboard (Playwright's getByRole on the page's
// DOM layer), never by coordinates or the app's item list. Sign in (Username,
// Tab, password, Enter), pick two divisions and a check box, Load, read the
// four counts from the accessibility tree, open the new users, search, read a
// row, open the email preview, send two tests (the one over the limit is an
// alert), send through the confirmation dialog, follow the job through its
// progress bar to the end, sign out. Against the real stack (invites-server +
// private MariaDB, mail into a Maildir).
//
//   WEB_ROOT=build/web node --test tests/browser/a11y_flows.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { closeSuite, EMPTY_FILTER, FLAGS, openApp, openSuite, shot } from './app_page.mjs';
import { PASSWORD, USERS, closeDialogByEscape, countsFromLinks, focused, gateFrames, isVisible, openFrameGate, pickOptions, runFrames, signInByKeyboard,
  waitForFocus, waitForRole, waitUntil } from './a11y_page.mjs';


let suite;
before(async () => {
  suite = await openSuite({ users: USERS, accounts: 1500, seed: 23, serveArgs: ['--rate', '40', '--test-send-limit', '1'], apiUser: 'tester',
    password: PASSWORD });
});
after(() => closeSuite(suite, 'a11y-flows-invites-server.log'));

// Two divisions with sender addresses and one flag whose Load mails a few dozen recipients.
async function pickFilter(api) {
  const lookups = await api.get('/api/lookups');
  assert.equal(lookups.status, 200);
  const divisions = lookups.body.divisions.filter((d) => d.default_from_email);
  for (let a = 0; a < divisions.length; ++a) {
    for (let b = a + 1; b < divisions.length; ++b) {
      for (const [key, label] of FLAGS) {
        const filter = { ...EMPTY_FILTER, division_ids: [divisions[a].id, divisions[b].id], [key]: true };
        const res = await api.post('/api/previews', { filter });
        assert.equal(res.status, 200, res.text);
        const mailed = res.body.counts.new_users + res.body.counts.pending_invites;
        if (mailed >= 20 && mailed <= 200 && res.body.counts.new_users > 0)
          return { divisions: [divisions[a], divisions[b]], flag: label, filter, preview: res.body };
      }
    }
  }
  throw new Error('no two seeded divisions give a small enough Load');
}

describe('keyboard and screen-reader flows (by role and name only)', () => {
  test('sign in, filter, Load, counts, review, preview, send, job to the end, sign out', async () => {
    const { stack, api, browser } = suite;
    const { divisions, flag, filter, preview } = await pickFilter(api);
    const app = await openApp(browser, stack.url);
    const { page } = app;
    try {
      await signInByKeyboard(page, 'alice', PASSWORD);

      // Two divisions in the Division combo box, then a check box.
      const value = await pickOptions(page, 'Division', divisions.map((d) => d.name));
      assert.equal(value, '2 selected');
      const box = page.getByRole('checkbox', { name: flag });
      await box.press('Space');
      await waitUntil(async () => (await box.getAttribute('aria-checked')) === 'true', `${flag} checked`);

      // Two divisions have no common sender address: type one (Email From is a real email input).
      const from = page.getByRole('textbox', { name: 'Email From' });
      assert.equal(await from.getAttribute('type'), 'email');
      await from.fill(divisions[0].default_from_email);

      // Enter in the filter form runs Load; the counts are links in the accessibility tree.
      await box.press('Enter');
      const counts = await waitUntil(async () => {
        const shown = await countsFromLinks(page);
        return shown.new_users === preview.counts.new_users ? shown : null;
      }, 'the counts of the Load');
      assert.deepEqual(counts, preview.counts, 'the five counts as the accessibility tree names them are the API\'s');

      // The new users' list: a grid with all its rows counted, a search box, a row to read.
      await page.getByRole('link', { name: /^New users: / }).press('Enter');
      const grid = await waitForRole(page, 'grid', { name: 'Recipients: New users' });
      await waitUntil(async () => Number(await grid.getAttribute('aria-rowcount')) === counts.new_users + 1,
        'aria-rowcount = the new users + the header row');
      const first = await api.get(`/api/previews/${preview.preview_id}/recipients?group=new_users&offset=0&limit=1`);
      assert.equal(first.status, 200);
      const email = first.body.rows[0].email;
      await page.getByRole('searchbox', { name: /Search/ }).fill(email);
      await waitUntil(() => grid.getAttribute('aria-rowcount').then((n) => n === '2'), 'one row for the search');
      const row = grid.locator('[role=row][aria-rowindex="2"]');
      await waitUntil(async () => (await row.getByRole('gridcell').count()) > 0, 'the row read');
      const cells = await row.getByRole('gridcell').allTextContents();
      assert.equal(cells[0].trim(), email, 'the first cell of the row is the recipient searched for');
      assert.equal(await row.getByRole('button', { name: `Copy address ${email}` }).count(), 1);

      // The email preview: a dialog the focus goes into.
      await page.getByRole('button', { name: 'Preview email' }).press('Enter');
      const previewDialog = await waitForRole(page, 'dialog', { name: 'Email preview' });
      await waitUntil(() => previewDialog.evaluate((el) => el.contains(document.activeElement)),
        'the focus inside the email preview');
      await waitUntil(async () => (await previewDialog.getByRole('textbox').count()) > 0, 'the rendered text');

      // Test sends: the first is delivered; the second is over this suite's limit of one
      // (--test-send-limit), and the server's 429 is an alert that says when to try again.
      await previewDialog.getByRole('textbox', { name: 'Send a test to' }).fill('qa-inbox@example.com');
      await previewDialog.getByRole('button', { name: 'Send test' }).press('Enter');
      await waitUntil(() => page.getByRole('status').filter({ hasText: 'Test delivered to qa-inbox@example.com.' })
        .count().then((n) => n > 0), 'the test send announced');
      await previewDialog.getByRole('button', { name: 'Send test' }).press('Enter');
      await waitUntil(() => page.getByRole('alert').textContent().then((t) => /Too many test sends/.test(t)),
        'the refused test send announced as an alert');
      assert.match(await page.getByRole('alert').textContent(),
        /at most 1 every 10 minutes\. The next one is possible at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in \d+ s\)/);

      // Escape dismisses the preview, as a dialog on a web page, and the focus goes back to what opened it.
      await previewDialog.getByRole('button', { name: 'Close preview' }).focus();
      await closeDialogByEscape(page, 'Email preview', 'Preview email');

      // Send through the modal confirmation: Tab stays inside it.
      await page.getByRole('button', { name: 'Send Email…' }).press('Enter');
      const confirm = await waitForRole(page, 'dialog', { name: 'Send invitations?' });
      assert.equal(await confirm.getAttribute('aria-modal'), 'true');
      await waitUntil(() => confirm.evaluate((el) => el.contains(document.activeElement)), 'the focus in the dialog');
      for (let i = 0; i < 6; ++i) {
        await page.keyboard.press('Tab');
        assert.ok(await confirm.evaluate((el) => el.contains(document.activeElement)), 'Tab stays in the dialog');
      }
      await shot(page, 'a11y-send-dialog.png');
      await confirm.getByRole('button', { name: /^Send [\d,]+ invitations?$/ }).press('Enter');

      // The job: its progress bar runs to the total; the end is announced.
      const bar = await waitForRole(page, 'progressbar', { name: 'Job progress' }, 'the job progress bar');
      const mailed = counts.new_users + counts.pending_invites;
      await waitUntil(async () => Number(await bar.getAttribute('aria-valuemax')) === mailed, 'the job total');
      await waitUntil(async () => Number(await bar.getAttribute('aria-valuenow')) === mailed, 'the job done', 60_000);
      await waitUntil(() => page.getByRole('status').textContent().then((t) => /Completed/.test(t)),
        'the job state change announced');
      await shot(page, 'a11y-job-done.png');

      // Sign out: back to the login form.
      await page.getByRole('button', { name: 'Sign out' }).press('Enter');
      await waitForRole(page, 'textbox', { name: 'Username' }, 'the login form');
      assert.deepEqual(app.problems, []);
    } catch (err) {
      await shot(page, `a11y-flows-failed-${Date.now()}.png`).catch(() => {});
      console.log(await page.locator('body').ariaSnapshot().catch(() => ''));
      throw err;
    } finally {
      await app.close();
    }
  });

  // A slow frame (a busy machine) after Escape closed the email preview: the
  // user moves on to Send Email… and presses Enter between two frames. The
  // frame that takes the page's focus move must not report the UI's previous
  // focus (the preview's opener) back to the page, or the Enter opens the
  // preview again (a CI run saw that).
  test('a focus moved while a frame is late stays: Escape, then Enter on Send Email… opens the confirmation', async () => {
    const { stack, api, browser } = suite;
    const lookups = await api.get('/api/lookups');
    const sender = lookups.body.divisions.find((d) => d.default_from_email).default_from_email;
    const app = await openApp(browser, stack.url);
    const { page } = app;
    try {
      await signInByKeyboard(page, 'alice', PASSWORD);
      await page.getByRole('textbox', { name: 'Email From' }).fill(sender);
      await page.getByRole('button', { name: 'Load' }).press('Enter');
      await countsFromLinks(page);
      await gateFrames(page);
      for (let round = 0; round < 3; ++round) {
        await page.getByRole('button', { name: 'Preview email' }).press('Enter');
        const preview = await waitForRole(page, 'dialog', { name: 'Email preview' });
        await waitUntil(() => preview.evaluate((el) => el.contains(document.activeElement)), 'the focus in the preview');
        await page.evaluate(() => window.frameGate.shutWhenGone('[role=dialog]'));
        await page.keyboard.press('Escape');
        await waitUntil(() => page.evaluate(() => window.frameGate.shut), 'the preview closed, the next frame held');
        await page.getByRole('button', { name: 'Send Email…' }).focus();
        await runFrames(page, 1);  // the frame that takes the focus move
        await waitForFocus(page, 'button', 'Send Email…', 'the focus still on Send Email… after that frame');
        await page.keyboard.press('Enter');
        await openFrameGate(page);
        const confirm = await waitForRole(page, 'dialog', { name: 'Send invitations?' });
        assert.equal(await preview.count(), 0, 'the Enter did not open the preview again');
        await page.keyboard.press('Escape');
        await waitUntil(async () => !(await isVisible(confirm)), 'the confirmation dismissed');
      }
    } catch (err) {
      await shot(page, `a11y-flows-focus-race-failed-${Date.now()}.png`).catch(() => {});
      throw err;
    } finally {
      await app.close();
    }
  });

  test('Enter in Username with an empty password goes on to Password; a login error is an alert', async () => {
    const { stack, browser } = suite;
    const app = await openApp(browser, stack.url);
    const { page } = app;
    try {
      await waitForFocus(page, 'textbox', 'Username');
      await page.keyboard.type('alice');
      await page.keyboard.press('Enter');
      await waitForFocus(page, 'textbox', 'Password', 'Enter in Username moving to Password');
      await page.keyboard.type('wrong password');
      await page.keyboard.press('Enter');
      await waitUntil(() => page.getByRole('alert').textContent().then((t) => t.length > 0), 'the error announced');
      assert.match(await page.getByRole('alert').textContent(), /password/i);
      const f = await focused(page);
      assert.ok(f, 'the focus stays on the form');
    } finally {
      await app.close();
    }
  });
});
