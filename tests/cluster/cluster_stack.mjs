// Several invites-server processes behind HAProxy on a Galera cluster, as
// deploy/README.md describes, for the browser flow through the proxy and the
// cluster benchmark: a fresh database on the cluster (schema, deterministic
// seed, staff users), HAProxy configured by `invites-server haproxy-config`
// (round-robin over the servers; server i reaches the database through its
// own TCP listener whose active node is node i), and the servers.
//
//   const database = await createClusterDatabase({ nodes, users: [...], accounts: 600 });
//   const stack = await startClusterStack({ nodes, database: database.name, servers: 3 });
//   stack.url                          // http://127.0.0.1:PORT: HAProxy's HTTP frontend
//   stack.servers[i].url               // one server directly
//   const api = await stack.login('alice', 'pw');
//   stack.requestsPerServer()          // /api requests each server logged so far
//   await stack.close();
//   await database.drop();
//
// nodes: the node URLs (mysql://root@127.0.0.1:PORT/DB), e.g. galeraNodes();
// a single MariaDB (one URL) works the same.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { SERVER_BIN, apiLogin, outputTail, run, sleep, waitForBinary, waitForListening } from '../browser/real_stack.mjs';

const HAPROXY = '/usr/sbin/haproxy';
const UP_TIMEOUT_MS = 60_000;

// The node URLs of the galera CTest fixture (INVITES_TEST_GALERA_DIR/url).
export function galeraNodes(dir = process.env.INVITES_TEST_GALERA_DIR) {
  if (!dir) throw new Error('INVITES_TEST_GALERA_DIR is not set: run through ctest (the galera fixture)');
  return readFileSync(path.join(dir, 'url'), 'utf8').trim().split('\n');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// HAProxy's "show stat" on its admin socket.
function haproxyStatus(socketPath) {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = net.createConnection({ path: socketPath }, () => socket.end('show stat\n'));
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => { text += chunk; });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

const withDatabase = (url, database) => url.replace(/\/[^/]*$/, `/${database}`);
const hostPort = (url) => /@([^/]+)\//.exec(url)[1];

function sqlOn(nodeUrl, query) {
  const { hostname, port } = new URL(nodeUrl.replace(/^mysql:/, 'http:'));
  return run('mariadb', ['--no-defaults', '-h', hostname, '-P', port, '-u', 'root', '--batch', '--skip-column-names',
    '-e', query]);
}

/**
 * A fresh database on the cluster: schema, the seed (`accounts`, `seed`)
 * and the staff `users` ([{ username, password, grant: [390, 120] }]).
 * Returns { name, url, sql(query), drop() }.
 */
export async function createClusterDatabase({ nodes, users = [], accounts = 2000, seed = 7 }) {
  await waitForBinary();
  const name = `c_${process.pid}_${Date.now() % 100000}`;
  await sqlOn(nodes[0], `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = withDatabase(nodes[0], name);
  const database = { name, url, sql: (query) => sqlOn(url, `USE \`${name}\`; ${query}`),
    drop: () => sqlOn(nodes[0], `DROP DATABASE IF EXISTS \`${name}\``) };
  try {
    await run(SERVER_BIN, ['migrate', '--db', url]);
    await run(SERVER_BIN, ['seed', '--db', url, '--accounts', String(accounts), '--seed', String(seed)],
      { timeout: 900_000 });
    for (const user of users) {
      await run(SERVER_BIN, ['user', 'add', '--db', url, '--username', user.username, '--password-stdin',
        '--grant', user.grant.join(',')], { input: `${user.password}\n` });
    }
    return database;
  } catch (err) {
    await database.drop().catch(() => {});
    throw err;
  }
}

/**
 * Starts the servers and HAProxy on `database` (a name on the cluster of
 * `nodes`). `mail`: serve options for the mail (default: a Maildir
 * `stack.maildir` all servers deliver into); `serveArgs`: more serve options.
 * Rejects (after cleaning up) when any step fails.
 */
export async function startClusterStack({ nodes, database, servers = 3, mail = null, serveArgs = [],
  webRoot = null } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'invites-cluster-'));
  const stack = {
    dir, url: null, servers: [], haproxy: null, closed: false,
    maildir: path.join(dir, 'maildir'), adminSocket: path.join(dir, 'admin.sock'),
    haproxyOutput: outputTail(),
  };
  const children = () => [...stack.servers.map((s) => s.process), stack.haproxy].filter(Boolean);
  const onExit = () => { for (const child of children()) child.kill('SIGKILL'); };
  process.once('exit', onExit);

  stack.close = async () => {
    if (stack.closed) return;
    stack.closed = true;
    await Promise.all(children().filter((c) => c.exitCode === null && c.signalCode === null).map((child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      return exited.then(() => clearTimeout(timer));
    }));
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', onExit);
  };

  try {
    await waitForBinary();
    const httpPort = await freePort();
    const serverPorts = [];
    const dbPorts = [];
    for (let i = 0; i < servers; ++i) {
      serverPorts.push(await freePort());
      dbPorts.push(await freePort());
    }
    const config = ['haproxy-config', '--listen', `127.0.0.1:${httpPort}`, '--stats-socket', stack.adminSocket];
    for (let i = 0; i < servers; ++i) {
      const order = nodes.map((_, k) => hostPort(nodes[(i + k) % nodes.length]));
      config.push('--server', `127.0.0.1:${serverPorts[i]}`, '--db-frontend', `127.0.0.1:${dbPorts[i]}=${order.join(',')}`);
    }
    const configFile = path.join(dir, 'haproxy.cfg');
    writeFileSync(configFile, await run(SERVER_BIN, config));
    stack.haproxy = spawn(HAPROXY, ['-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [stack.haproxy.stdout, stack.haproxy.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => stack.haproxyOutput.add(chunk));
    }

    const mailArgs = mail ?? ['--maildir', stack.maildir];
    for (let i = 0; i < servers; ++i) {
      const args = ['serve', '--db', `mysql://root@127.0.0.1:${dbPorts[i]}/${database}`,
        '--listen', `127.0.0.1:${serverPorts[i]}`, ...mailArgs, ...serveArgs];
      if (webRoot) args.push('--web-root', webRoot);
      const child = spawn(SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const server = { process: child, output: outputTail(1 << 20), url: null };
      stack.servers.push(server);
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk) => server.output.add(chunk));
      child.stderr.on('data', (chunk) => server.output.add(chunk));
      server.url = await waitForListening(child, server.output);
    }
    stack.url = `http://127.0.0.1:${httpPort}`;
    stack.status = () => haproxyStatus(stack.adminSocket);
    stack.waitForServersUp = async (count = servers, timeoutMs = UP_TIMEOUT_MS) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const table = await stack.status().catch(() => '');
        const up = table.split('\n').filter((l) => l.startsWith('invites_servers,server') && l.includes(',UP,'));
        if (up.length >= count) return;
        if (Date.now() > deadline) throw new Error(`fewer than ${count} servers are up behind HAProxy:\n${table}`);
        await sleep(200);
      }
    };
    stack.login = (username, password) => apiLogin(stack.url, username, password);
    // The /api requests (path and status) each server has logged so far.
    stack.requestsPerServer = () => stack.servers.map((server) => [...server.output.text()
      .matchAll(/http_request id=\S+ method=(\S+) path=(\/api\/\S+) status=(\d+)/g)]
      .map(([, method, pathname, status]) => ({ method, path: pathname, status: Number(status) })));
    return stack;
  } catch (err) {
    await stack.close().catch(() => {});
    throw err;
  }
}
