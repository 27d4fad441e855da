// Browser test of delivery outcomes (docs/design.md §11): an address that bounced is
// the fifth group at Load ("Skipped: bounced or complained") with its list;
// the Suppressed addresses tab shows it with its contact, exports CSV and
// lifts it after confirmation, after which Load counts it as a recipient
// again. Against the real stack of real_stack.mjs; the bounce is written to
// the database as the bounce mailbox poller would record it.
// Screenshots go to TEST_ARTIFACTS_DIR (suppressions-*.png).
//
//   WEB_ROOT=build/web node --test tests/browser/suppressions.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { closeSuite, openApp as openAppIn, openSuite, shot, signInAndLoad, status, waitFor,
  waitForStatus } from './app_page.mjs';
import { waitForRole } from './a11y_page.mjs';

const PASSWORD = 'correct horse 9';

let browser;
let stack;
let api;

before(async () => ({ stack, api, browser } = await openSuite({
  users: [{ username: 'alice', password: PASSWORD, grant: [390] }], accounts: 300, seed: 5,
  apiUser: 'alice', password: PASSWORD })));
after(() => closeSuite({ stack, browser }, 'suppressions-invites-server.log'));

// A hard bounce of `email` and the suppression it causes, as the server records them.
async function bounce(email) {
  await stack.sql(`INSERT INTO delivery_outcomes (email, kind, source, status_code, diagnostic, dedupe_key)
    VALUES ('${email}', 'hard_bounce', 'mailbox', '5.1.1', 'smtp; 550 5.1.1 <${email}>: User unknown',
            'test:${email}')`);
  await stack.sql(`INSERT INTO address_suppressions (email, reason, last_outcome_id, suppressed_at)
    SELECT email, 'hard_bounce', id, UTC_TIMESTAMP(3) FROM delivery_outcomes WHERE dedupe_key = 'test:${email}'`);
}

describe('bounced addresses', () => {
  test('are the fifth group at Load, listed for staff, exported and lifted', async () => {
    const first = (await api.post('/api/previews', { filter: {} })).body;
    const someone = (await api.get(`/api/previews/${first.preview_id}/recipients?group=new_users&limit=1`)).body.rows[0];
    await bounce(someone.email);

    const app = await openAppIn(browser, stack.url);
    const { page } = app;
    try {
      await signInAndLoad(page, 'alice', PASSWORD);
      const loaded = await status(page);
      assert.equal(loaded.countSkippedSuppressed, 1, 'the bounced address is the fifth group');
      assert.equal(loaded.countNewUsers, first.counts.new_users - 1);
      // Every control by its role and name, reached by the keyboard (Enter).
      await (await waitForRole(page, 'link', { name: 'Skipped: bounced or complained: 1' })).press('Enter');
      await waitForStatus(page, 'recipientsGroup', 'skipped_suppressed');
      await waitFor(page, () => window.invitesApp.recipientsTotal === 1);
      await shot(page, 'suppressions-load.png');

      await (await waitForRole(page, 'tab', { name: 'Suppressed addresses' })).press('Enter');
      await waitForStatus(page, 'tab', 'suppressions');
      await waitForStatus(page, 'suppressionsStatus', 'loaded');
      assert.equal((await status(page)).suppressionsShown, someone.email);
      const grid = await waitForRole(page, 'grid', { name: 'Suppressed addresses' });
      await waitForRole(grid, 'gridcell', { name: someone.email, exact: true }, 'the bounced address in the grid');
      await shot(page, 'suppressions-list.png');

      await (await waitForRole(page, 'button', { name: 'Export CSV' })).press('Enter');
      await waitFor(page, () => (window.invitesApp.lastDownload ?? '').includes('/api/suppressions.csv'));

      await (await waitForRole(page, 'button', { name: `Lift the suppression of ${someone.email}` })).press('Enter');
      const dialog = await waitForRole(page, 'dialog', { name: 'Lift this suppression?' });
      await (await waitForRole(dialog, 'button', { name: 'Lift the suppression', exact: true })).press('Enter');
      await waitFor(page, (email) => window.invitesApp.suppressionsNotice.includes(email), someone.email);
      await waitForStatus(page, 'suppressionsShown', '');
      const audit = await stack.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'suppression.lifted'");
      assert.equal(audit.trim(), '1');

      await (await waitForRole(page, 'tab', { name: 'Send Bulk Portal Invites' })).press('Enter');
      await waitForStatus(page, 'tab', 'invites');
      await (await waitForRole(page, 'button', { name: 'Load', exact: true })).press('Enter');
      await waitFor(page, () => window.invitesApp.countSkippedSuppressed === 0);
      assert.deepEqual(app.problems, []);
    } finally {
      await app.close();
    }
  });
});
