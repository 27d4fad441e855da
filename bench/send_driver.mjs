// Sends one job through a running invites-server and times it; used by
// bench/send_bench.sh.
//   node bench/send_driver.mjs BASE_URL USERNAME PASSWORD FROM_EMAIL
// Prints "recipients N", "message_bytes B" (of a test message, when the
// server delivers to a Maildir: MAILDIR=dir) and "seconds S" of the job
// (created → completed, from the server's timestamps and our clock).
import { readdirSync, readFileSync } from 'node:fs';
import { load, signIn } from './api_session.mjs';

const [base, username, password, from] = process.argv.slice(2);
const { headers } = await signIn(base, username, password);
const post = async (path, body) => {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = await response.json();
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
};
const get = async (path) => (await fetch(`${base}${path}`, { headers })).json();

const { templates } = await get('/api/templates');
const template_id = templates[0].id;
const { body: preview } = await load(base, headers, {});

if (process.env.MAILDIR) {
  // One real invitation into the Maildir, to size smtp-source's messages alike.
  // After a first run everybody is a pending invite.
  const group = preview.counts.new_users > 0 ? 'new_users' : 'pending_invites';
  const rows = await get(`/api/previews/${preview.preview_id}/recipients?group=${group}&limit=1`);
  await post('/api/test-send', { template_id, from_email: from, to: 'size@bench.example',
                                 preview_id: preview.preview_id, email: rows.rows[0].email });
  const dir = `${process.env.MAILDIR}/new`;
  const file = readdirSync(dir)[0];
  console.log(`message_bytes ${readFileSync(`${dir}/${file}`).length}`);
  process.exit(0);
}

const started = process.hrtime.bigint();
const { job_id } = await post(`/api/previews/${preview.preview_id}/send`,
                              { from_email: from, template_id, groups: ['new_users', 'pending_invites'] });
const created = process.hrtime.bigint();
let job;
for (;;) {
  ({ job } = await get(`/api/jobs/${job_id}`));
  if (job.status === 'completed' || job.status === 'paused' || job.status === 'cancelled') break;
  await new Promise((resolve) => setTimeout(resolve, 1000));  // as the app polls
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (job.status !== 'completed' || job.failed !== 0) throw new Error(`job ended ${JSON.stringify(job)}`);
console.log(`recipients ${job.sent}`);
console.log(`seconds ${seconds.toFixed(2)}`);
// Where those seconds went: creating the job (its outbox written, the
// recipients compared with Load's) and sending (first claim → last record,
// by the server's clock).
console.log(`creation_seconds ${(Number(created - started) / 1e9).toFixed(2)}`);
console.log(`sending_seconds ${((Date.parse(job.finished_at) - Date.parse(job.started_at)) / 1000).toFixed(2)}`);
