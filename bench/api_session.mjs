// Signs in to a running invites-server for the benchmark drivers: returns
// the headers every later /api call needs (session cookie, CSRF token).
export async function signIn(base, username, password) {
  const response = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await response.json();
  return { cookie, headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf } };
}

// POST /api/previews, waiting while the server's first index build runs.
export async function load(base, headers, filter) {
  for (;;) {
    const started = process.hrtime.bigint();
    const response = await fetch(`${base}/api/previews`, { method: 'POST', headers, body: JSON.stringify({ filter }) });
    const body = await response.json();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.status === 503 && body.error?.code === 'snapshot_loading') {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    if (response.status !== 200) throw new Error(`Load failed: ${response.status} ${JSON.stringify(body)}`);
    return { ms, body };
  }
}
