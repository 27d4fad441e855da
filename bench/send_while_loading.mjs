// One send job while Loads keep coming (bench/load_bench.sh, SEND=1): the
// job's progress and the Load times during it.
//   node bench/send_while_loading.mjs BASE_URL USERNAME PASSWORD FROM_EMAIL FILTER_JSON
import { load, signIn } from './api_session.mjs';

const [base, username, password, from, filterText] = process.argv.slice(2);
const filter = JSON.parse(filterText);
const { headers } = await signIn(base, username, password);
const call = async (method, path, body) => {
  const response = await fetch(`${base}${path}`, { method, headers, body: body && JSON.stringify(body) });
  const json = await response.json();
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
};

let { templates } = await call('GET', '/api/templates');
if (templates.length === 0) {
  // A data set seeded before templates existed: add one like seed's.
  const { template } = await call('POST', '/api/templates', {
    name: 'Benchmark invitation', subject: '{{division.name}}: your customer portal invitation', content_type: 'text/plain',
    body: 'Hello {{contact.first_name}},\n\nactivate your portal account for {{account.number}}: {{invite.url}}\n',
  });
  templates = [template];
}
const { body: preview } = await load(base, headers, filter);
const total = preview.counts.new_users + preview.counts.pending_invites;
const started = Date.now();
const { job_id } = await call('POST', `/api/previews/${preview.preview_id}/send`,
                              { from_email: from, template_id: templates[0].id, groups: ['new_users', 'pending_invites'] });
const loadTimes = [];
let job;
for (;;) {
  ({ job } = await call('GET', `/api/jobs/${job_id}`));
  if (job.status !== 'running' && job.status !== 'queued') break;
  loadTimes.push((await load(base, headers, loadTimes.length % 2 ? {} : filter)).ms);
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const seconds = (Date.now() - started) / 1000;
loadTimes.sort((a, b) => a - b);
const p50 = loadTimes.length ? loadTimes[Math.floor(loadTimes.length / 2)].toFixed(0) : '-';
console.log(`send while loading: ${job.sent} of ${total} sent (${job.status}) in ${seconds.toFixed(1)} s = ` +
            `${(job.sent / seconds).toFixed(0)} messages/s; ${loadTimes.length} Loads during it, p50 ${p50} ms`);
