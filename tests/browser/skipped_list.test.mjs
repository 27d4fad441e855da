// Browser test of the job view's skipped recipients (issue 12 item 3): an
// address another job invited moments ago is not mailed again; the job view
// lists it with the reason "skipped: invited moments ago by job #N". Found by
// role and name only. Against the real stack of real_stack.mjs.
//
//   WEB_ROOT=build/web node --test tests/browser/skipped_list.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { closeSuite, EMPTY_FILTER, openApp, openSuite, shot } from './app_page.mjs';
import { PASSWORD, USERS, signInByKeyboard, waitForRole, waitUntil } from './a11y_page.mjs';

let suite;
before(async () => {
  suite = await openSuite({ users: USERS, accounts: 300, seed: 5, apiUser: 'tester', password: PASSWORD });
});
after(() => closeSuite(suite, 'skipped-list-invites-server.log'));

// POST .../send of a new Load of `filter` for `groups`; waits for the job to complete.
async function sendAndFinish(api, filter, division, templateId, groups) {
  const preview = await api.post('/api/previews', { filter });
  assert.equal(preview.status, 200, preview.text);
  const sent = await api.post(`/api/previews/${preview.body.preview_id}/send`, {
    from_email: division.default_from_email, template_id: templateId, groups,
    idempotency_key: `skipped-${groups.length}-${Date.now()}` });
  assert.equal(sent.status, 202, sent.text);
  const id = sent.body.job_id;
  await waitUntil(async () => (await api.get(`/api/jobs/${id}`)).body.job.status === 'completed',
    `job ${id} completed`, 60_000);
  return (await api.get(`/api/jobs/${id}`)).body.job;
}

describe('the skipped recipients of a job', () => {
  test('an address another job invited moments ago is listed with that job\'s number', async () => {
    const { stack, api, browser } = suite;
    const division = (await api.get('/api/lookups')).body.divisions.find((d) => d.default_from_email);
    const templateId = (await api.get('/api/templates')).body.templates[0].id;
    const filter = { ...EMPTY_FILTER, division_ids: [division.id] };
    const first = await sendAndFinish(api, filter, division, templateId, ['new_users', 'pending_invites']);
    assert.ok(first.sent > 0, 'the first job mailed someone');
    // The next Load finds them invited (pending invites); a job for those mails none of them again.
    const second = await sendAndFinish(api, filter, division, templateId, ['pending_invites']);
    assert.ok(second.total > 0);
    assert.equal(second.skipped, second.total, 'everyone the first job invited moments ago is skipped');

    const app = await openApp(browser, stack.url);
    const { page } = app;
    try {
      await signInByKeyboard(page, 'alice', PASSWORD);
      const jobsTab = await waitForRole(page, 'tab', { name: 'Jobs' });
      await jobsTab.press('Enter');
      const jobs = await waitForRole(page, 'grid', { name: 'Past jobs' });
      await (await waitForRole(jobs, 'button', { name: `#${second.id}`, exact: true })).press('Enter');

      const grid = await waitForRole(page, 'grid', { name: 'Skipped recipients' }, 'the skipped list');
      await waitUntil(async () => Number(await grid.getAttribute('aria-rowcount')) === second.skipped + 1,
        'aria-rowcount = the skipped recipients + the header row');
      const row = grid.locator('[role=row][aria-rowindex="2"]');
      await waitUntil(async () => (await row.getByRole('gridcell').count()) === 3, 'the first row read');
      const cells = (await row.getByRole('gridcell').allTextContents()).map((t) => t.trim());
      assert.match(cells[0], /@/, 'the address');
      assert.equal(cells[2], `skipped: invited moments ago by job #${first.id}`);
      assert.ok(await page.getByRole('heading', { name: `Skipped recipients (${second.skipped})` }).count() > 0);
      await shot(page, 'skipped-list.png');
      assert.deepEqual(app.problems, []);
    } catch (err) {
      console.log(await page.locator('body').ariaSnapshot().catch(() => ''));
      throw err;
    } finally {
      await app.close();
    }
  });
});
