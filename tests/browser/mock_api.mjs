// A stand-in for the invitations API (SPEC §5) for browser tests of the app's
// screens: sessions with a cookie and a CSRF token, lookups, previews whose
// counts depend on the filter. It follows the API contract; the real server
// is tested against the same app elsewhere.
//
// Users: alice / secret (permissions 390, 120), bob / secret (120 only);
// the username "throttled" always gets 429.
import { randomBytes } from 'node:crypto';

export const LOOKUPS = {
  divisions: [
    { id: 1, name: 'North Valley', default_from_email: 'north@hauler.example' },
    { id: 2, name: 'South Coast', default_from_email: 'south@hauler.example' },
    { id: 3, name: 'Metro', default_from_email: null },
  ],
  account_classes: [{ id: 1, name: 'Residential' }, { id: 2, name: 'Commercial' }, { id: 3, name: 'Industrial' }],
  bill_groups: [{ id: 1, name: 'Cycle 1' }, { id: 2, name: 'Cycle 2' }],
  account_sources: [{ id: 1, name: 'Web signup' }, { id: 2, name: 'Acquisition' }],
  site_sources: [{ id: 1, name: 'Import 2019' }, { id: 2, name: 'Manual entry' }],
};

const USERS = {
  alice: { id: 1, username: 'alice', permissions: [390, 120] },
  bob: { id: 2, username: 'bob', permissions: [120] },
};

export function createMockApi({ templates = null } = {}) {
  const sessions = new Map();  // cookie value -> { user, csrf }
  const calls = [];            // { method, path, csrf, body }

  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  const error = (res, status, code, message, field) =>
    send(res, status, { error: { code, message, ...(field ? { field } : {}) } });
  const sessionOf = (req) => {
    const match = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '');
    return match ? sessions.get(match[1]) : undefined;
  };
  const me = (s) => ({ user: { id: s.user.id, username: s.user.username }, permissions: s.user.permissions,
    csrf_token: s.csrf });

  async function handler(req, res, url, body) {
    const path = url.pathname;
    if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return true;
    }
    if (!path.startsWith('/api/')) return false;
    calls.push({ method: req.method, path, csrf: req.headers['x-csrf-token'] ?? null, body });
    const session = sessionOf(req);
    if (req.method !== 'GET' && session && req.headers['x-csrf-token'] !== session.csrf) {
      error(res, 403, 'csrf', 'Missing or wrong CSRF token.');
      return true;
    }
    if (path === '/api/session' && req.method === 'POST') {
      const { username, password } = JSON.parse(body || '{}');
      if (username === 'throttled') return error(res, 429, 'too_many_attempts', 'Too many sign-in attempts. Try again in 10 minutes.'), true;
      const user = USERS[username];
      if (!user || password !== 'secret') return error(res, 401, 'invalid_credentials', 'Invalid username or password.'), true;
      const sid = randomBytes(16).toString('hex');
      const s = { user, csrf: randomBytes(16).toString('hex') };
      sessions.set(sid, s);
      send(res, 200, me(s), { 'Set-Cookie': `sid=${sid}; HttpOnly; SameSite=Strict; Path=/` });
      return true;
    }
    if (!session) return error(res, 401, 'unauthenticated', 'Sign in first.'), true;
    if (path === '/api/me' && req.method === 'GET') return send(res, 200, me(session)), true;
    if (path === '/api/session' && req.method === 'DELETE') {
      for (const [sid, s] of sessions) if (s === session) sessions.delete(sid);
      send(res, 204);
      return true;
    }
    if (!session.user.permissions.includes(390)) return error(res, 403, 'forbidden', 'Permission 390 required.'), true;
    if (path === '/api/lookups' && req.method === 'GET') {
      return send(res, 200, templates ? { ...LOOKUPS, templates } : LOOKUPS), true;
    }
    if (path === '/api/previews' && req.method === 'POST') {
      const { filter } = JSON.parse(body || '{}');
      const divisions = filter?.division_ids?.length || 3;
      const narrowing = (filter?.balance_due_only ? 2 : 1) * (filter?.active_service_only ? 3 : 1);
      send(res, 200, {
        preview_id: randomBytes(8).toString('hex'),
        counts: {
          new_users: Math.floor((4120 * divisions) / narrowing),
          pending_invites: Math.floor((316 * divisions) / narrowing),
          skipped_invalid_email: 87 * divisions,
          excluded_existing: 1290 * divisions,
        },
        digest: 'xxh128:' + '0'.repeat(32),
        generated_at: new Date().toISOString(),
        snapshot_age_seconds: 42,
      });
      return true;
    }
    return error(res, 404, 'not_found', `No route ${req.method} ${path}.`), true;
  }

  return {
    handler,
    calls,
    expireAll() { sessions.clear(); },
  };
}
