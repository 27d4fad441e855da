// The real stack for browser tests: a private MariaDB (scripts/mariadb-private.sh)
// in its own temporary folder, the schema, a deterministic seed, staff users,
// and `invites-server serve` on a free loopback port serving the web bundle.
//
//   const stack = await startRealStack({ users: [{ username, password, grant: [390, 120] }] });
//   stack.url                          // http://127.0.0.1:PORT (app and API)
//   const api = await stack.login('alice', 'pw');   // a logged-in API session (cookie + CSRF)
//   await api.post('/api/previews', { filter });    // → { status, body }
//   await stack.sql('DELETE FROM staff_sessions');  // SQL on the private server
//   await stack.close();               // server, database and folder are gone
//
// Env: INVITES_SERVER (default build/native/backend/invites-server),
//      WEB_ROOT (default build/web).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { REPO, WEB_ROOT } from './browser_env.mjs';

const MARIADB_SCRIPT = path.join(REPO, 'scripts/mariadb-private.sh');
export const SERVER_BIN = path.resolve(process.env.INVITES_SERVER ?? path.join(REPO, 'build/native/backend/invites-server'));

const BINARY_WAIT_MS = 180_000;   // another build may be linking the server right now
const LISTEN_TIMEOUT_MS = 30_000;
const READY_TIMEOUT_MS = 60_000;

// Runs a command; resolves with stdout, rejects with a message that includes stderr.
export function run(file, args, { input, timeout = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${path.basename(file)} ${args.join(' ')} failed (${err.code ?? err.signal}):\n${stderr}${stdout}`));
      } else {
        resolve(stdout);
      }
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits until the server binary exists and runs (it may be missing or half
// linked while another build is under way).
export async function waitForBinary() {
  const deadline = Date.now() + BINARY_WAIT_MS;
  let last;
  for (;;) {
    try {
      accessSync(SERVER_BIN, constants.X_OK);
      await run(SERVER_BIN, ['--help'], { timeout: 10_000 });
      return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`no usable ${SERVER_BIN} (build the native preset): ${last.message}`);
    await sleep(1000);
  }
}

// An API client with its own session cookie and CSRF token.
export class ApiSession {
  constructor(baseUrl, cookie, csrf, me) {
    this.baseUrl = baseUrl;
    this.cookie = cookie;
    this.csrf = csrf;
    this.me = me;
  }

  async request(method, pathname, body) {
    const headers = { Cookie: this.cookie };
    if (method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(this.baseUrl + pathname, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, body: json, text };
  }

  get(pathname) { return this.request('GET', pathname); }
  post(pathname, body) { return this.request('POST', pathname, body); }
  delete(pathname) { return this.request('DELETE', pathname); }
}

// POST /api/session without a browser: { status, body, cookie }.
export async function postLogin(baseUrl, username, password) {
  const res = await fetch(baseUrl + '/api/session', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  const body = await res.json().catch(() => null);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { status: res.status, body, cookie: setCookie.split(';')[0] };
}

// A logged-in ApiSession at baseUrl; rejects unless the login succeeds.
export async function apiLogin(baseUrl, username, password) {
  const res = await postLogin(baseUrl, username, password);
  if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return new ApiSession(baseUrl, res.cookie, res.body.csrf_token, res.body);
}

// Reads the serve process's stdout until it names its URL.
export function waitForListening(child, output) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => done(new Error(`invites-server did not report its URL within ${LISTEN_TIMEOUT_MS} ms`)),
      LISTEN_TIMEOUT_MS);
    const onData = (chunk) => {
      buffer += chunk;
      const match = /invites-server listening on (https?:\/\/\S+)/.exec(buffer);
      if (match) done(null, match[1]);
    };
    const onExit = (code, signal) => done(new Error(`invites-server exited (${code ?? signal}) before listening`));
    function done(err, url) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(new Error(`${err.message}\n--- server output ---\n${output.text()}`));
      else resolve(url);
    }
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

// The last lines a process wrote, kept for error messages.
export function outputTail(limit = 64_000) {
  let text = '';
  return {
    add(chunk) { text = (text + chunk).slice(-limit); },
    text() { return text; },
  };
}

/**
 * Starts the stack. `users`: [{ username, password, grant: [390, 120] }];
 * `serveArgs`: more `serve` options (e.g. ['--rate', '20']). Mail goes to the
 * Maildir `stack.maildir`.
 * Rejects (after cleaning up) when any step fails.
 */
export async function startRealStack({ users = [], accounts = 2000, seed = 7, snapshotRefreshSeconds = 300,
  serveArgs = [] } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'invites-browser-'));
  const stack = {
    dir, url: null, dbUrl: null, server: null, serverOutput: outputTail(), closed: false,
    maildir: path.join(dir, 'maildir'),  // where invitations are delivered (no SMTP server)
  };

  // Last resort if the test process ends without running its after() hooks
  // (an uncaught error, or a signal such as a CTest timeout): mariadbd runs
  // detached and would outlive us.
  const onExit = () => {
    stack.server?.kill('SIGKILL');
    spawnSync('bash', [MARIADB_SCRIPT, 'stop', dir], { stdio: 'ignore', timeout: 30_000 });
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal) => {
    onExit();
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  stack.close = async () => {
    if (stack.closed) return;
    stack.closed = true;
    const server = stack.server;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      const killTimer = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killTimer);
    }
    try {
      await run('bash', [MARIADB_SCRIPT, 'stop', dir], { timeout: 60_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      process.off('exit', onExit);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };

  try {
    await waitForBinary();
    stack.dbUrl = (await run('bash', [MARIADB_SCRIPT, 'start', dir], { timeout: 90_000 })).trim().split('\n').at(-1);
    const socket = readFileSync(path.join(dir, 'socket'), 'utf8').trim();
    await run(SERVER_BIN, ['migrate', '--db', stack.dbUrl]);
    await run(SERVER_BIN, ['seed', '--db', stack.dbUrl, '--accounts', String(accounts), '--seed', String(seed)]);
    for (const user of users) {
      await run(SERVER_BIN, ['user', 'add', '--db', stack.dbUrl, '--username', user.username, '--password-stdin',
        '--grant', user.grant.join(',')], { input: `${user.password}\n` });
    }

    stack.sql = (query) => run('mariadb', ['--no-defaults', `--socket=${socket}`, '--user=root', '--batch',
      '--skip-column-names', 'invites', '-e', query]);

    const server = spawn(SERVER_BIN, ['serve', '--db', stack.dbUrl, '--listen', '127.0.0.1:0', '--web-root', WEB_ROOT,
      '--snapshot-refresh-seconds', String(snapshotRefreshSeconds), '--maildir', stack.maildir, ...serveArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    stack.server = server;
    server.stdout.setEncoding('utf8');
    server.stderr.setEncoding('utf8');
    server.stdout.on('data', (chunk) => stack.serverOutput.add(chunk));
    server.stderr.on('data', (chunk) => stack.serverOutput.add(chunk));  // also keeps the pipe drained
    stack.url = await waitForListening(server, stack.serverOutput);

    stack.login = (username, password) => apiLogin(stack.url, username, password);
    return stack;
  } catch (err) {
    await stack.close().catch(() => {});
    throw err;
  }
}

// Polls Load (POST /api/previews, empty filter) until the server's index is
// built, i.e. it no longer answers 503 snapshot_loading.
export async function waitForLoadReady(api, timeoutMs = READY_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.post('/api/previews', { filter: {} });
    if (res.status === 200) return res.body;
    if (!(res.status === 503 && res.body?.error?.code === 'snapshot_loading')) {
      throw new Error(`Load answered HTTP ${res.status}: ${res.text}`);
    }
    if (Date.now() > deadline) throw new Error(`Load still answers 503 snapshot_loading after ${timeoutMs} ms`);
    await sleep(200);
  }
}
