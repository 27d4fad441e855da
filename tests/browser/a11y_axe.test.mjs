// axe-core (WCAG 2.0/2.1 A and AA rules) on every screen of the app as the
// page's DOM layer presents it: the login screen, the main screen after Load,
// the recipient review, the email preview and the send confirmation dialogs,
// the job view and Setup. Zero violations. Against the real stack.
//
//   WEB_ROOT=build/web node --test tests/browser/a11y_axe.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { closeSuite, openApp, openSuite, runInApp, shot } from './app_page.mjs';
import { PASSWORD, USERS, assertNoAxeViolations, countsFromLinks, pickOptions, signInByKeyboard, waitForFocus,
  waitForRole, waitUntil } from './a11y_page.mjs';


let suite;
before(async () => {
  suite = await openSuite({ users: USERS, accounts: 600, seed: 31, apiUser: 'tester', password: PASSWORD });
});
after(() => closeSuite(suite, 'a11y-axe-invites-server.log'));

describe('axe-core: no WCAG 2.1 A/AA violations', () => {
  test('login, main after Load, recipient review, both dialogs, job view, setup', async () => {
    const { stack, browser } = suite;
    // axe-core and the screen reader go in as inline scripts, which the app's
    // Content-Security-Policy (scripts of its own origin only) refuses.
    const app = await openApp(browser, stack.url, { bypassCSP: true });
    await runInApp(app, 'a11y-axe', async (page) => {
      await waitForFocus(page, 'textbox', 'Username');
      await assertNoAxeViolations(page, 'the login screen');

      // One division with a sender address: it fills Email From, so Send is possible.
      const lookups = await suite.api.get('/api/lookups');
      assert.equal(lookups.status, 200);
      const withSender = lookups.body.divisions.find((d) => d.default_from_email);
      assert.ok(withSender, 'a seeded division has a sender address');

      await signInByKeyboard(page, 'alice', PASSWORD);
      // Each step waits for what it did (the option selected, the list closed), so a loaded machine cannot
      // reorder Space and Escape.
      await pickOptions(page, 'Division', [withSender.name]);
      await page.getByRole('button', { name: 'Load' }).press('Enter');
      await countsFromLinks(page);
      const from = page.getByRole('textbox', { name: 'Email From' });
      await waitUntil(async () => (await from.inputValue()) === withSender.default_from_email,
        'Email From filled with the division\'s sender address');
      await assertNoAxeViolations(page, 'the main screen after Load');

      await page.getByRole('link', { name: /^New users: / }).press('Enter');
      await waitForRole(page, 'grid', { name: 'Recipients: New users' });
      await waitUntil(async () => (await page.getByRole('row').count()) > 3, 'recipient rows');
      await assertNoAxeViolations(page, 'the recipient review');

      await page.getByRole('button', { name: 'Preview email' }).press('Enter');
      const preview = await waitForRole(page, 'dialog', { name: 'Email preview' });
      await waitUntil(async () => (await preview.getByRole('textbox').count()) > 0, 'the rendered email');
      await assertNoAxeViolations(page, 'the email preview');

      await page.getByRole('button', { name: 'Send Email…' }).press('Enter');
      const confirm = await waitForRole(page, 'dialog', { name: 'Send invitations?' });
      await assertNoAxeViolations(page, 'the send confirmation dialog');
      await shot(page, 'a11y-axe-send-dialog.png');
      await confirm.getByRole('button', { name: /^Send [\d,]+ invitations?$/ }).press('Enter');

      const bar = await waitForRole(page, 'progressbar', { name: 'Job progress' });
      await waitUntil(async () => (await bar.getAttribute('aria-valuenow')) === (await bar.getAttribute('aria-valuemax')),
        'the job done', 60_000);
      await waitForRole(page, 'grid', { name: 'Past jobs' });
      await assertNoAxeViolations(page, 'the job view');

      await page.getByRole('tab', { name: 'Setup' }).press('Enter');
      await waitForRole(page, 'tab', { name: 'Templates' });
      const template = page.getByRole('button', { name: /invitation/i }).first();
      await waitUntil(async () => (await template.count()) > 0, 'the templates listed');
      await template.press('Enter');
      await waitForRole(page, 'form', { name: 'Edit template' });
      await assertNoAxeViolations(page, 'Setup: a template open');
      await page.getByRole('tab', { name: 'Sender addresses' }).press('Enter');
      await waitForRole(page, 'grid', { name: 'Sender addresses' });
      await assertNoAxeViolations(page, 'Setup: sender addresses');
      assert.deepEqual(app.problems, []);
    });
  });
});
