// Browser test of the job view's failed recipients (docs/design.md §7): a job whose
// every delivery fails (its Maildir is a file, --max-attempts 1) lists all of
// them, with the total, in a virtualized table that reads further blocks of
// rows as it scrolls. Against the real stack of real_stack.mjs.
// Screenshots go to TEST_ARTIFACTS_DIR (failed-list-*.png).
//
//   WEB_ROOT=build/web node --test tests/browser/failed_list.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';

import { click, closeSuite, item, openApp as openAppIn, openSuite, shot, signIn, status, waitFor,
  waitForStatus } from './app_page.mjs';

const PASSWORD = 'correct horse 7';
const BLOCK_ROWS = 200;  // failed_block_rows

let browser;
let stack;
let api;

before(async () => ({ stack, api, browser } = await openSuite({
  users: [{ username: 'alice', password: PASSWORD, grant: [390, 120] }], accounts: 2000, seed: 11,
  serveArgs: ['--max-attempts', '1', '--pause-after-failures', '100000'], apiUser: 'alice', password: PASSWORD })));
after(() => closeSuite({ stack, browser }, 'failed-list-invites-server.log'));

describe('the failed recipients of a job', () => {
  test('all of them are listed with the total, read in blocks as the table scrolls', async () => {
    // Every delivery fails: "cannot create …/maildir: Not a directory".
    rmSync(stack.maildir, { recursive: true, force: true });
    writeFileSync(stack.maildir, 'a file where the Maildir should be');
    const division = (await api.get('/api/lookups')).body.divisions.find((d) => d.default_from_email);
    const app = await openAppIn(browser, stack.url);
    const { page } = app;
    try {
      await signIn(page, 'alice', PASSWORD);
      await waitForStatus(page, 'lookups', 'loaded');
      await click(page, '##Division');
      await click(page, division.name);
      await waitForStatus(page, 'emailFrom', division.default_from_email);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(200);
      await click(page, 'Load');
      await waitForStatus(page, 'preview', 'loaded');
      await click(page, 'Send Email\u2026');
      await waitForStatus(page, 'sendDialog', 1);
      await click(page, 'send-confirm');
      await waitForStatus(page, 'jobStatus', 'completed', 120_000);

      const { jobId, jobTotal, jobFailed } = await status(page);
      assert.equal(jobFailed, jobTotal, 'every recipient failed');
      assert.ok(jobFailed > 2 * BLOCK_ROWS, `more failures (${jobFailed}) than two blocks of rows`);
      const listed = await api.get(`/api/jobs/${jobId}/recipients?status=failed&limit=1`);
      assert.equal(listed.body.total, jobFailed);
      await waitFor(page, (n) => window.invitesApp.jobFailedTotal === n, jobFailed);
      assert.equal((await status(page)).jobFailedLoadedRows, BLOCK_ROWS, 'only the rows on screen are read');
      await page.mouse.move(5, 5);
      await shot(page, 'failed-list-top.png');

      // Wheel down over the table (just below its "Server reply" header) until its last block is read.
      const header = await item(page, 'Server reply');
      await page.mouse.move(header.x + header.w / 2, header.y + header.h * 2);
      for (let i = 0; i < 400 && (await status(page)).jobFailedLoadedRows < jobFailed; ++i) {
        await page.mouse.wheel(0, 400);
        await page.waitForTimeout(25);
      }
      await waitFor(page, (n) => window.invitesApp.jobFailedLoadedRows === n, jobFailed);
      await shot(page, 'failed-list-end.png');
      assert.deepEqual(app.problems, []);
    } finally {
      await app.close();
    }
  });
});
