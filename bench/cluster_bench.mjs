// The cluster benchmark's driver (bench/cluster_bench.sh): for the single
// MariaDB and for the 3-node Galera cluster, one seeded database each, then
// 1 server (single) or 1, 2 and 3 servers (cluster) behind HAProxy, server i
// on node i, all mailing into the same SMTP sink: one job to every recipient
// (messages/s, bench/send_driver.mjs) and Load p50 through HAProxy
// (bench/load_driver.mjs). Prints one line per run and a table at the end.
//   GALERA_URLS=u1,u2,u3 SINGLE_URL=u SINK=smtp://... node bench/cluster_bench.mjs
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createClusterDatabase, startClusterStack } from '../tests/cluster/cluster_stack.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const USER = { username: 'bench', password: 'bench-password-not-secret', grant: [390, 120] };
const FROM = 'bench-sender@haul.example.com';
const ACCOUNTS = Number(process.env.ACCOUNTS ?? 20000);
const CONNECTIONS = process.env.CONNECTIONS ?? '8';
const LOAD_RUNS = process.env.RUNS ?? '15';
const SINK = process.env.SINK;
const LOAD_FILTERS = JSON.stringify([{ name: 'everyone', filter: {} },
  { name: 'division 1, balance due', filter: { division_ids: [1], balance_due_only: true } }]);

function node(script, args) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(HERE, script), ...args], { maxBuffer: 16 << 20, timeout: 3_600_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${script}: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

async function measure(nodes, servers, database) {
  const stack = await startClusterStack({ nodes, database, servers,
    mail: ['--smtp', SINK, '--smtp-concurrency', CONNECTIONS],
    // Each run mails everyone again: the addresses the previous run just invited are not skipped.
    serveArgs: ['--allowed-senders', FROM, '--snapshot-refresh-seconds', '0', '--reinvite-after-minutes', '0'] });
  try {
    await stack.waitForServersUp(servers, 600_000);
    const sent = await node('send_driver.mjs', [stack.url, USER.username, USER.password, FROM]);
    const recipients = Number(/^recipients (\d+)/m.exec(sent)[1]);
    const seconds = Number(/^seconds ([\d.]+)/m.exec(sent)[1]);
    const loads = await node('load_driver.mjs', [stack.url, USER.username, USER.password, LOAD_RUNS, LOAD_FILTERS]);
    const p50 = (name) => Number(new RegExp(`^${name}\\s+([\\d.]+)`, 'm').exec(loads)[1]);
    return { recipients, rate: recipients / seconds, everyone: p50('everyone'), division: p50('division 1, balance due') };
  } finally {
    await stack.close();
  }
}

const setups = [{ name: 'single MariaDB', nodes: [process.env.SINGLE_URL], servers: [1] },
  { name: 'Galera, 3 nodes', nodes: process.env.GALERA_URLS.split(','), servers: [1, 2, 3] }];
const results = [];
for (const setup of setups) {
  console.log(`${setup.name}: seeding ${ACCOUNTS} accounts...`);
  const database = await createClusterDatabase({ nodes: setup.nodes, users: [USER], accounts: ACCOUNTS, seed: 1 });
  try {
    for (const servers of setup.servers) {
      const result = { setup: setup.name, servers, ...(await measure(setup.nodes, servers, database.name)) };
      console.log(`${setup.name}, ${servers} server(s): ${result.recipients} messages at ${result.rate.toFixed(0)}/s; ` +
        `Load p50 ${result.everyone} ms (everyone), ${result.division} ms (one division)`);
      results.push(result);
    }
  } finally {
    await database.drop();
  }
}

const pad = (text, width) => String(text).padEnd(width);
console.log(`\n${pad('database', 18)} ${pad('servers', 8)} ${pad('messages/s', 11)} ${pad('vs single', 10)} ` +
  `${pad('Load p50 ms (everyone / one division)', 40)}`);
const single = results[0].rate;
for (const r of results) {
  console.log(`${pad(r.setup, 18)} ${pad(r.servers, 8)} ${pad(r.rate.toFixed(0), 11)} ` +
    `${pad(`${(100 * r.rate / single).toFixed(0)}%`, 10)} ${r.everyone} / ${r.division}`);
}
console.log(`(every run through HAProxy; ${CONNECTIONS} SMTP connections per server into one smtp-sink; ` +
  `${LOAD_RUNS} Loads per filter)`);
