// Browser tests of sending (docs/design.md §7): Load → email preview (HTML in a new
// tab) → test send → Send Email with its confirmation → the live job view
// until done (pause/resume on the way) → the Maildir holds exactly the mailed
// messages → the past-jobs list; a send after the recipients changed gets the
// 409 message; Setup shows a template error as you type and the server's on
// save. Against the real stack of real_stack.mjs (invites-server + private
// MariaDB, mail into a Maildir, --rate so a job lasts long enough to pause).
// Screenshots go to TEST_ARTIFACTS_DIR (send-*.png).
//
//   WEB_ROOT=build/web node --test tests/browser/send.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { waitForIdle } from './browser_env.mjs';
import { click, closeSuite, EMPTY_FILTER, FLAGS, item, openApp as openAppIn, openSuite, runInApp, shot, signIn, status,
  typeInto, waitFor, waitForStatus } from './app_page.mjs';

const PASSWORD = 'correct horse 7';
const USERS = [
  { username: 'alice', password: PASSWORD, grant: [390, 120] },
  { username: 'tester', password: PASSWORD, grant: [390] },
];
const RATE = 25;  // messages per second: a job of ~100 lasts a few seconds

let browser;
let stack;
let api;  // tester's API session

before(async () => ({ stack, api, browser } = await openSuite({ users: USERS, accounts: 2000, seed: 11,
  serveArgs: ['--rate', String(RATE)], apiUser: 'tester', password: PASSWORD })));
after(() => closeSuite({ stack, browser }, 'send-invites-server.log'));

const openApp = () => openAppIn(browser, stack.url);

// Messages delivered into the Maildir so far (new/ and cur/).
function maildirMessages() {
  const files = [];
  for (const sub of ['new', 'cur']) {
    const dir = path.join(stack.maildir, sub);
    if (existsSync(dir)) for (const f of readdirSync(dir)) files.push(path.join(dir, f));
  }
  return files;
}

// A division and flags whose Load mails between 40 and 250 recipients.
// Signs in as alice and opens the seed's first template in Setup; returns the templates as the API lists them.
async function openFirstTemplate(page) {
  await signIn(page, 'alice', PASSWORD);
  await waitForStatus(page, 'lookups', 'loaded');
  await click(page, 'Setup');
  await waitForStatus(page, 'setupTemplates', 'loaded');
  const templates = (await api.get('/api/templates')).body.templates;
  assert.ok(templates.length > 0, 'the seed has a template');
  await click(page, templates[0].name);
  await waitForStatus(page, 'templateEditor', 1);
  assert.equal((await status(page)).templateProblem, '');
  return templates;
}

async function pickFilter() {
  const lookups = await api.get('/api/lookups');
  assert.equal(lookups.status, 200);
  for (const division of lookups.body.divisions.filter((d) => d.default_from_email)) {
    for (let mask = 0; mask < 1 << FLAGS.length; ++mask) {
      const filter = { ...EMPTY_FILTER, division_ids: [division.id] };
      FLAGS.forEach(([key], i) => { if (mask & (1 << i)) filter[key] = true; });
      const res = await api.post('/api/previews', { filter });
      assert.equal(res.status, 200, res.text);
      const mailed = res.body.counts.new_users + res.body.counts.pending_invites;
      if (mailed >= 40 && mailed <= 250 && res.body.counts.new_users > 0) {
        return { division, filter, flags: FLAGS.filter((_, i) => mask & (1 << i)).map(([, label]) => label) };
      }
    }
  }
  throw new Error('no seeded division gives a small enough Load');
}

describe('sending against the real invites-server, MariaDB and a Maildir', () => {
  test('Load → preview → test send → send → progress to done with pause/resume → Maildir; 409 after', async () => {
    const { division, filter, flags } = await pickFilter();
    const app = await openApp();
    await runInApp(app, 'send', async (page) => {
      await signIn(page, 'alice', PASSWORD);
      await waitForStatus(page, 'lookups', 'loaded');
      assert.equal((await status(page)).sendEnabled, 0, 'no Send before Load');

      await click(page, '##Division');
      await click(page, division.name);
      await waitForStatus(page, 'emailFrom', division.default_from_email);
      await page.keyboard.press('Escape');
      for (const label of flags) await click(page, label);
      await page.waitForTimeout(200);
      await click(page, 'Load');
      await waitForStatus(page, 'preview', 'loaded');
      const counts = (await api.post('/api/previews', { filter })).body.counts;
      const s0 = await status(page);
      assert.equal(s0.countNewUsers, counts.new_users);
      assert.equal(s0.countPendingInvites, counts.pending_invites);
      assert.equal(s0.sendEnabled, 1, 'a fresh Load enables Send');
      const total = counts.new_users + counts.pending_invites;

      // Email preview: the first new user, rendered by the server's common/ code.
      const firstRow = await api.get(`/api/previews/${(await api.post('/api/previews', { filter })).body.preview_id}` +
        '/recipients?group=new_users&offset=0&limit=1');
      await click(page, 'Preview email');
      await waitForStatus(page, 'emailPreview', 'loaded');
      const preview = await status(page);
      assert.equal(preview.emailRecipient, firstRow.body.rows[0].email, 'the first recipient of the group');
      assert.ok(preview.emailSubject.length > 0 && !preview.emailSubject.includes('{{'), preview.emailSubject);
      assert.ok(preview.emailText.length > 0 && !preview.emailText.includes('{{'), 'the text body is rendered');

      // The HTML part in a new tab (a blob: document without scripts).
      const [tab] = await Promise.all([app.context.waitForEvent('page'), click(page, 'Open HTML in a new tab')]);
      await tab.waitForLoadState();
      assert.match(tab.url(), /^blob:/);
      const html = await tab.content();
      assert.ok(html.includes('Content-Security-Policy'), 'the tab forbids scripts');
      assert.ok(html.toLowerCase().includes('<a'), 'the invitation HTML (with its link) is shown');
      await tab.close();

      // Test send to a typed address: one message in the Maildir.
      assert.equal(maildirMessages().length, 0);
      await typeInto(page, '##test-to', 'qa-inbox@example.com');
      await click(page, 'Send test');
      await waitForStatus(page, 'testSend', 'loaded', 30_000);
      assert.equal((await status(page)).testSendMessage, 'Test delivered to qa-inbox@example.com.');
      const testMessages = maildirMessages();
      assert.equal(testMessages.length, 1, 'the test message was delivered');
      assert.match(readFileSync(testMessages[0], 'utf8'), /^To: .*qa-inbox@example\.com/m);
      await page.mouse.move(5, 5);
      await shot(page, 'send-preview.png');

      // Send Email → the confirmation shows the counts, from and template.
      await click(page, 'Send Email\u2026');
      await waitForStatus(page, 'sendDialog', 1);
      await item(page, 'send-confirm');
      await page.waitForTimeout(200);
      await shot(page, 'send-confirm.png');
      await click(page, 'send-confirm');
      await waitForStatus(page, 'tab', 'jobs');
      await waitFor(page, () => window.invitesApp.jobId > 0 && window.invitesApp.jobTotal >= 0);
      const jobId = (await status(page)).jobId;
      assert.equal((await status(page)).jobTotal, total, 'the job mails both groups of the Load');

      // Live progress; pause stops it, resume continues.
      await waitFor(page, () => window.invitesApp.jobSent > 0, null, 30_000);
      await page.mouse.move(5, 5);
      await shot(page, 'send-job-running.png');
      await click(page, 'Pause');
      await waitForStatus(page, 'jobStatus', 'paused');
      await page.waitForTimeout(1500);  // messages in flight when pause came are done by now
      const pausedAt = (await api.get(`/api/jobs/${jobId}`)).body.job.sent;
      await page.waitForTimeout(1500);
      assert.equal((await api.get(`/api/jobs/${jobId}`)).body.job.sent, pausedAt, 'nothing is sent while paused');
      assert.ok(pausedAt < total, 'paused before the end');
      await shot(page, 'send-job-paused.png');
      await click(page, 'Resume');
      await waitFor(page, () => window.invitesApp.jobStatus === 'running' || window.invitesApp.jobStatus === 'completed');
      await waitForStatus(page, 'jobStatus', 'completed', 120_000);
      const done = await status(page);
      assert.equal(done.jobSent, total);
      assert.equal(done.jobFailed, 0);
      assert.equal(done.jobPending, 0);
      assert.equal(maildirMessages().length, total + 1, 'the Maildir holds every invitation plus the test');
      await page.mouse.move(5, 5);
      await shot(page, 'send-job-done.png');

      // The past jobs list has it; the page idles once nothing runs.
      const jobs = await api.get('/api/jobs');
      assert.equal(jobs.body.jobs[0].id, jobId);
      await waitFor(page, (n) => window.invitesApp.jobsListed >= n, jobs.body.jobs.length);
      const framesBefore = await waitForIdle(page);
      await page.waitForTimeout(2500);
      assert.equal((await status(page)).frames, framesBefore, 'no frames drawn while nothing runs');

      // The send changed the recipients (new users are invited now): sending
      // the same Load again is refused with the fresh counts.
      await click(page, 'Send Bulk Portal Invites');
      await waitForStatus(page, 'tab', 'invites');
      await click(page, 'Send Email\u2026');
      await waitForStatus(page, 'sendDialog', 1);
      await click(page, 'send-confirm');
      await waitFor(page, () => window.invitesApp.sendNotice !== '');
      const fresh = (await api.post('/api/previews', { filter })).body.counts;
      const after409 = await status(page);
      assert.equal(after409.sendNotice, `The recipients changed since Load: ${fresh.new_users} new users, ` +
        `${fresh.pending_invites} pending invites now. Press Load again.`);
      assert.equal(after409.previewStale, 1);
      assert.equal(after409.sendEnabled, 0);
      await page.mouse.move(5, 5);
      await shot(page, 'send-409.png');
      assert.deepEqual(app.problems, []);
    });
  });

  test('Setup: a bad merge field is shown as you type and refused on save', async () => {
    const app = await openApp();
    await runInApp(app, 'send', async (page) => {
      const templates = await openFirstTemplate(page);

      await click(page, '##tpl-body');
      await page.keyboard.press('Control+End');
      await page.keyboard.type('\n{{contact.frist_name}}', { delay: 10 });
      await waitFor(page, () => window.invitesApp.templateProblem.includes('contact.frist_name'));
      const s = await status(page);
      assert.equal(s.templateProblemPart, 'body');
      assert.equal(s.templateProblemLine, templates[0].body.split('\n').length + 1, 'the line of the bad field');
      await page.mouse.move(5, 5);
      await shot(page, 'send-setup-template-error.png');

      await click(page, 'tpl-save');
      await waitFor(page, () => window.invitesApp.templateSaveError !== '');
      assert.match((await status(page)).templateSaveError, /frist_name/);
      assert.equal((await api.get('/api/templates')).body.templates[0].body, templates[0].body, 'nothing saved');

      // Sender addresses: a bad one cannot be saved, a good one is.
      await click(page, 'Sender addresses');
      await click(page, 'Edit');
      await page.keyboard.press('Control+a');
      await page.keyboard.type('sales@@bad', { delay: 10 });
      await item(page, '##division-email');
      await page.waitForTimeout(200);
      await shot(page, 'send-setup-senders.png');
      await page.keyboard.press('Control+a');
      await page.keyboard.type('sales@example.com', { delay: 10 });
      await page.keyboard.press('Enter');
      await waitFor(page, () => window.invitesApp.divisionSaved.startsWith('Saved the sender address'));
      const divisions = (await api.get('/api/lookups')).body.divisions;
      assert.ok(divisions.some((d) => d.default_from_email === 'sales@example.com'), 'the address was saved');
      assert.deepEqual(app.problems, []);
    });
  });
  test('Setup: a template without {{invite.url}} is shown as you type and refused on save', async () => {
    const app = await openApp();
    await runInApp(app, 'send', async (page) => {
      const templates = await openFirstTemplate(page);

      // The body without the link.
      await click(page, '##tpl-body');
      await page.keyboard.press('Control+a');
      await page.keyboard.type('<p>Hello {{contact.first_name}}, welcome to the portal.</p>', { delay: 5 });
      await waitFor(page, () => window.invitesApp.templateProblem.includes('{{invite.url}}'));
      assert.match((await status(page)).templateProblemPart, /body/);
      await page.mouse.move(5, 5);
      await shot(page, 'send-setup-template-no-link.png');

      await click(page, 'tpl-save');
      await waitFor(page, () => window.invitesApp.templateSaveError !== '');
      assert.match((await status(page)).templateSaveError, /invite\.url/);
      assert.equal((await api.get('/api/templates')).body.templates[0].body, templates[0].body, 'nothing saved');
      assert.deepEqual(app.problems, []);
    });
  });
});
