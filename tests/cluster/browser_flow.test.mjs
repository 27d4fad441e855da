// The browser flow through HAProxy in front of two and of three servers on
// the Galera cluster (issue 11): sign in, Load, review a count's recipients,
// Send, and the job view until done, while round-robin sends every request
// to any server. Each server answers some of them, and the review or Send
// of the Load some other server than the one that made it; none answers 404
// or 5xx; the Maildir holds exactly one invitation per recipient.
//
//   INVITES_TEST_GALERA_DIR=build/native/galera WEB_ROOT=build/web node --test tests/cluster/browser_flow.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ARTIFACTS, WEB_ROOT, launchChromium } from '../browser/browser_env.mjs';
import { click, openApp, shot, signIn, status, typeInto, waitFor, waitForStatus } from '../browser/app_page.mjs';
import { createClusterDatabase, galeraNodes, startClusterStack } from './cluster_stack.mjs';

const PASSWORD = 'correct horse 7';

// Recipient addresses of the invitations in a Maildir (new/ and cur/).
function mailedAddresses(maildir) {
  const addresses = [];
  for (const sub of ['new', 'cur']) {
    const dir = path.join(maildir, sub);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      const to = /^To: .*?<?([^<>\s]+@[^<>\s]+)>?\s*$/m.exec(readFileSync(path.join(dir, file), 'utf8'));
      addresses.push(to?.[1]);
    }
  }
  return addresses;
}

for (const SERVERS of [2, 3]) describe(`${SERVERS} servers behind HAProxy on a Galera cluster`, () => {
  let database;
  let stack;
  let browser;

  before(async () => {
    assert.ok(existsSync(path.join(WEB_ROOT, 'index.html')), `no web bundle in ${WEB_ROOT}: build it first`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const nodes = galeraNodes();
    database = await createClusterDatabase({ nodes, accounts: 600, seed: 5,
      users: [{ username: 'alice', password: PASSWORD, grant: [390, 120] }] });
    stack = await startClusterStack({ nodes, database: database.name, servers: SERVERS, webRoot: WEB_ROOT,
      serveArgs: ['--rate', '100'] });
    await stack.waitForServersUp(SERVERS);  // ready: each has built its Load index
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    if (stack) {
      stack.servers.forEach((server, i) =>
        writeFileSync(path.join(ARTIFACTS, `cluster-${SERVERS}-server-${i + 1}.log`), server.output.text()));
    }
    await stack?.close();
    await database?.drop();
  });

  test('sign in, Load, review, Send and the job view, every request on any server', async () => {
    const app = await openApp(browser, stack.url);
    const { page } = app;
    try {
      await signIn(page, 'alice', PASSWORD);
      await waitForStatus(page, 'lookups', 'loaded');
      // With all divisions chosen nothing is prefilled: type a division's sender address (seed).
      await typeInto(page, '##Email From', 'billing@highland.example.com');
      await click(page, 'Load');
      await waitForStatus(page, 'preview', 'loaded');
      const loaded = await status(page);
      const total = loaded.countNewUsers + loaded.countPendingInvites;
      assert.ok(loaded.countNewUsers > 0, 'the seed has new users');

      // The review asks for pages of the preview: other servers than the one that made it answer them.
      await click(page, 'count:new_users');
      await waitForStatus(page, 'recipientsGroup', 'new_users');
      await waitFor(page, () => window.invitesApp.recipientsLoadedRows > 0);
      assert.equal((await status(page)).recipientsTotal, loaded.countNewUsers);
      await shot(page, `cluster-${SERVERS}-review.png`);
      // The review fills the page below the filters; closing it brings the send bar back into view.
      await click(page, 'Close');

      await click(page, 'Send Email\u2026');
      await waitForStatus(page, 'sendDialog', 1);
      await click(page, 'send-confirm');
      await waitForStatus(page, 'tab', 'jobs');
      await waitForStatus(page, 'jobStatus', 'completed', 120_000);
      const done = await status(page);
      assert.equal(done.jobSent, total);
      assert.equal(done.jobFailed, 0);
      await shot(page, `cluster-${SERVERS}-job-done.png`);

      const mailed = mailedAddresses(stack.maildir);
      assert.equal(mailed.length, total, 'one message per recipient');
      assert.equal(new Set(mailed).size, total, 'nobody twice');

      const served = stack.requestsPerServer();
      served.forEach((requests, i) => assert.ok(requests.length > 0, `server ${i + 1} answered some requests`));
      const loadedOn = served.findIndex((requests) =>
        requests.some((r) => r.method === 'POST' && r.path === '/api/previews' && r.status === 200));
      assert.ok(loadedOn >= 0, 'a server logged the Load');
      const elsewhere = served.filter((_, i) => i !== loadedOn).flat()
        .filter((r) => /^\/api\/previews\/[^/]+\/(recipients|send)/.test(r.path));
      assert.ok(elsewhere.length > 0, 'another server than the Load\'s answered its review or Send');
      const failures = served.flat().filter((r) => r.status === 404 || r.status >= 500);
      assert.deepEqual(failures, [], 'no request failed on the server it landed on');
      assert.deepEqual(app.problems, []);
    } catch (err) {
      await shot(page, `cluster-${SERVERS}-failed-${Date.now()}.png`).catch(() => {});
      throw err;
    } finally {
      await app.close();
    }
  });
});
