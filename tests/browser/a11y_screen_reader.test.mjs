// A virtual screen reader (@guidepup/virtual-screen-reader, run in the page)
// walks the login screen and the main screen item by item, as a screen
// reader user moving through the page would, and the test checks the spoken
// phrases in order, including the live announcement of the counts after Load.
// Against the real stack.
//
//   WEB_ROOT=build/web node --test tests/browser/a11y_screen_reader.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { closeSuite, openApp, openSuite } from './app_page.mjs';
import { PASSWORD, SCREEN_READER_SOURCE, USERS, countsFromLinks, signInByKeyboard, waitForFocus, waitUntil } from './a11y_page.mjs';


let suite;
before(async () => {
  suite = await openSuite({ users: USERS, accounts: 600, seed: 37, apiUser: 'tester', password: PASSWORD });
});
after(() => closeSuite(suite, 'a11y-screen-reader-invites-server.log'));

// The screen reader's module in the page, as window.virtualScreenReader.
async function startScreenReader(page) {
  // The bundle ends in `export { …, X as virtual }`: an inline script cannot export, so that
  // statement becomes the assignment of the exported binding.
  const source = readFileSync(SCREEN_READER_SOURCE, 'utf8');
  const exportList = /export\s*\{([^}]*)\};?\s*(\/\*[\s\S]*)?$/.exec(source);
  assert.ok(exportList, 'the screen reader bundle ends in an export list');
  const binding = /(?:^|,)\s*([\w$]+)\s+as\s+virtual\s*(?:,|$)/.exec(exportList[1]);
  assert.ok(binding, 'the screen reader bundle exports `virtual`');
  const script = source.slice(0, exportList.index) + `window.virtualScreenReader = ${binding[1]};`;
  await page.addScriptTag({ type: 'module', content: script });
  await waitUntil(() => page.evaluate(() => !!window.virtualScreenReader), 'the virtual screen reader loaded');
  await page.evaluate(() => window.virtualScreenReader.start({ container: document.body }));
}

// Moves through the page `steps` times (as with the reader's "next" key) and returns everything it said.
async function walk(page, steps) {
  return page.evaluate(async (n) => {
    const reader = window.virtualScreenReader;
    await reader.clearSpokenPhraseLog();
    for (let i = 0; i < n; ++i) await reader.next();
    return reader.spokenPhraseLog();
  }, steps);
}

// Each pattern matches a phrase after the phrase the previous one matched.
function assertSaidInOrder(log, patterns, what) {
  let at = 0;
  for (const pattern of patterns) {
    const found = log.findIndex((phrase, i) => i >= at && pattern.test(phrase));
    assert.ok(found >= 0, `${what}: nothing matched ${pattern} after "${log[at - 1] ?? ''}"\nspoken:\n${log.join('\n')}`);
    at = found + 1;
  }
}

describe('virtual screen reader', () => {
  test('walks the login screen and the main screen; the counts after Load are announced', async () => {
    const { stack, api, browser } = suite;
    // axe-core and the screen reader go in as inline scripts, which the app's
    // Content-Security-Policy (scripts of its own origin only) refuses.
    const app = await openApp(browser, stack.url, { bypassCSP: true });
    const { page } = app;
    try {
      await waitForFocus(page, 'textbox', 'Username');
      await startScreenReader(page);
      const login = await walk(page, 14);
      assertSaidInOrder(login, [
        /^heading, Bulk Portal Invites, level 1$/,
        /^form, Sign in$/,
        /^heading, Sign in, level 2$/,
        /^Use your staff account\.$/,
        /^textbox, Username/,
        // A password input has no ARIA role (readers say "secure text field" from its type):
        // its label, then the field by its name.
        /^Password$/,
        /^Password$/,
        /^button, Sign in$/,
      ], 'the login screen');
      const password = page.getByLabel('Password', { exact: true });
      assert.equal(await password.evaluate((el) => `${el.tagName} ${el.type} ${el.autocomplete}`),
        'INPUT password current-password');
      await page.evaluate(() => window.virtualScreenReader.stop());

      await signInByKeyboard(page, 'alice', PASSWORD);
      await startScreenReader(page);
      await page.evaluate(() => window.virtualScreenReader.clearSpokenPhraseLog());
      await page.getByRole('button', { name: 'Load' }).press('Enter');
      const counts = await countsFromLinks(page);
      const expected = await api.post('/api/previews', { filter: {
        division_ids: [], account_class_ids: [], bill_group_ids: [], account_source_ids: [], site_source_ids: [],
        active_service_only: false, balance_due_only: false, billing_contacts_only: false,
        without_autopay_only: false } });
      assert.deepEqual(counts, expected.body.counts);
      const number = (n) => n.toLocaleString('en-US');
      const announcement = new RegExp(`^polite: Loaded: ${number(counts.new_users)} new users, ` +
        `${number(counts.pending_invites)} pending invites, ${number(counts.skipped_invalid_email)} skipped: invalid ` +
        `email, ${number(counts.excluded_existing)} excluded: existing account, ` +
        `${number(counts.skipped_suppressed)} skipped: bounced or complained\\.$`);
      const heard = await waitUntil(async () => {
        const log = await page.evaluate(() => window.virtualScreenReader.spokenPhraseLog());
        return log.some((phrase) => announcement.test(phrase)) ? log : null;
      }, 'the counts announced after Load');
      assert.equal(heard.filter((phrase) => announcement.test(phrase)).length, 1, 'announced once');

      // From the top of the page again (the reader's cursor is where the announcement left it).
      await page.evaluate(async () => {
        await window.virtualScreenReader.stop();
        await window.virtualScreenReader.start({ container: document.body });
      });
      const main = await walk(page, 110);
      assertSaidInOrder(main, [
        /^heading, Bulk Portal Invites, level 1$/,
        /^button, Sign out$/,
        /^main$/,
        /^tablist, Screens/,
        /^tab, Send Bulk Portal Invites, .*selected/,
        /^tabpanel, Send Bulk Portal Invites$/,
        /^form, Filters$/,
        /^heading, Filters, level 2$/,
        /^combobox, Division, .*not expanded$/,
        /^All$/,  // the value: the text of the combo box
        /^checkbox, Accounts With Active Service, not checked$/,
        /^textbox, Email From/,
        /^combobox, Notification Template/,
        /^button, Load$/,
        /^group, Recipients$/,
        new RegExp(`^link, New users: ${number(counts.new_users)}$`),
        new RegExp(`^link, Pending invites: ${number(counts.pending_invites)}$`),
        /^Data as of .* UTC\)$/,
        /^button, Send Email…/,
      ], 'the main screen after Load');
      await page.evaluate(() => window.virtualScreenReader.stop());
      assert.deepEqual(app.problems, []);
    } finally {
      await app.close();
    }
  });
});
