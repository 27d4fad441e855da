// What the accessibility tests share: driving the app only by role,
// accessible name and keyboard (the page's DOM layer, web/a11y_layer.js),
// and checking it with axe-core. No coordinates, no window.invitesApp.items().
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The staff accounts the accessibility suites sign in with: alice uses the app, tester the API.
export const PASSWORD = 'correct horse 7';
export const USERS = [
  { username: 'alice', password: PASSWORD, grant: [390, 120] },
  { username: 'tester', password: PASSWORD, grant: [390] },
];

export const AXE_SOURCE = require.resolve('axe-core/axe.min.js');
export const SCREEN_READER_SOURCE = require.resolve('@guidepup/virtual-screen-reader/browser.js');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `check` (async, returns a truthy value when done) until it holds.
export async function waitUntil(check, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(100);
  }
}

// The role and accessible name of the focused element (as the page's DOM layer gives them).
export const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const labelled = el.getAttribute('aria-labelledby');
  const name = el.getAttribute('aria-label')
    ?? (labelled ? document.getElementById(labelled)?.textContent : null)
    ?? el.textContent;
  const implicit = { BUTTON: 'button', A: 'link', TEXTAREA: 'textbox' };
  const inputRole = el.tagName === 'INPUT' ? (el.type === 'search' ? 'searchbox' : 'textbox') : null;
  return { role: el.getAttribute('role') ?? implicit[el.tagName] ?? inputRole, name: name?.trim() ?? '' };
});

export async function waitForFocus(page, role, name, what = `the focus on ${role} "${name}"`) {
  let last = null;
  try {
    return await waitUntil(async () => {
      const f = last = await focused(page);
      return f && f.role === role && (name instanceof RegExp ? name.test(f.name) : f.name === name) ? f : null;
    }, what);
  } catch (err) {
    err.message += ` (the focus is on ${last ? `${last.role} "${last.name}"` : 'nothing of the app'})`;
    throw err;
  }
}

export const isVisible = (locator) => locator.count().then((n) => n > 0);

export async function waitForRole(page, role, options, what) {
  const locator = page.getByRole(role, options);
  await waitUntil(() => isVisible(locator), what ?? `${role} ${JSON.stringify(options?.name ?? '')}`);
  return locator;
}

// Closes the dialog `name` with Escape and waits until it is gone and the
// focus is back on the button `opener` that opened it, so that the next key
// goes to the screen behind it, not into the closing dialog.
export async function closeDialogByEscape(page, name, opener) {
  await page.keyboard.press('Escape');
  const dialog = page.getByRole('dialog', { name });
  await waitUntil(async () => !(await isVisible(dialog)), `the ${name} dialog closed`);
  await waitForFocus(page, 'button', opener, `the focus back on ${opener} after the ${name} dialog`);
}

// Puts the app's animation frames behind a gate the test opens a frame at a
// time (window.frameGate), as a slow frame on a busy machine would keep them,
// so that a focus or key can land between two given frames.
// frameGate.shutWhenGone(selector): the frame that removes the element shuts
// the gate (frameGate.shut), and no frame runs until runFrames() opens it.
export async function gateFrames(page) {
  await page.evaluate(() => {
    const requestFrame = window.requestAnimationFrame.bind(window);
    const held = [];
    const gate = window.frameGate = {
      frames: 0,  // frames run since the gate was put in
      budget: Infinity,  // frames that may still run
      release(frames) {
        gate.budget = frames;
        held.splice(0).forEach((callback) => window.requestAnimationFrame(callback));
      },
      shutWhenGone(selector) {
        gate.shut = false;
        const observer = new MutationObserver(() => {
          if (document.querySelector(selector)) return;
          observer.disconnect();
          gate.budget = 0;
          gate.shut = true;
        });
        observer.observe(document.body, { childList: true, subtree: true });
      },
    };
    window.requestAnimationFrame = (callback) => {
      if (gate.budget <= 0) {
        held.push(callback);
        return 0;
      }
      return requestFrame((time) => {
        ++gate.frames;
        --gate.budget;
        callback(time);
      });
    };
  });
}

// Runs exactly `count` more frames of a shut frameGate and waits for them.
export async function runFrames(page, count) {
  const start = await page.evaluate((n) => {
    const start = window.frameGate.frames;
    window.frameGate.release(n);
    return start;
  }, count);
  await waitUntil(() => page.evaluate((end) => window.frameGate.frames >= end, start + count), `${count} frame(s)`);
}

// Lets every frame run again.
export const openFrameGate = (page) => page.evaluate(() => window.frameGate.release(Infinity));

// Sign-in as a keyboard user: the Username field has the focus when the
// screen appears; Tab to Password; Enter submits.
// A failure names what the app sent (test credentials only), to tell a lost
// keystroke from a refused account.
export async function signInByKeyboard(page, username, password) {
  const sent = [];
  const onRequest = (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/session') sent.push(request.postData());
  };
  page.on('request', onRequest);
  try {
    await waitForFocus(page, 'textbox', 'Username', 'the Username field to have the focus');
    await page.keyboard.type(username, { delay: 10 });
    await page.keyboard.press('Tab');
    await waitForFocus(page, 'textbox', 'Password');
    await page.keyboard.type(password, { delay: 10 });
    await page.keyboard.press('Enter');
    await waitForRole(page, 'button', { name: 'Sign out' }, 'the signed-in screen');
  } catch (err) {
    err.message += ` (the app sent: ${sent.length ? sent.join(', ') : 'no sign-in'})`;
    throw err;
  } finally {
    page.off('request', onRequest);
  }
}

// Opens the combo box `combo`, toggles each option of `options` with Space,
// closes it with Escape; returns the combo box's value afterwards.
export async function pickOptions(page, combo, options) {
  const box = page.getByRole('combobox', { name: combo, exact: true });
  await box.press('Enter');
  await waitForRole(page, 'listbox', { name: combo }, `the ${combo} list`);
  // The list puts the focus on its first option a frame or two after it
  // opens; an option focused before that would lose the focus to it, and the
  // Space meant for it would go to the first option.
  await waitForFocus(page, 'option', /./, `the focus in the ${combo} list`);
  for (const option of options) {
    const entry = page.getByRole('option', { name: option, exact: true });
    await entry.press('Space');
    await waitUntil(async () => (await entry.getAttribute('aria-selected')) === 'true', `${option} selected`);
  }
  await page.keyboard.press('Escape');
  await waitUntil(async () => (await box.getAttribute('aria-expanded')) === 'false', `the ${combo} list closed`);
  await waitForFocus(page, 'combobox', combo, `the focus back on ${combo}`);
  return (await box.textContent()).trim();
}

// The five counts as the links of the results card name them ("New users: 1,234").
export async function countsFromLinks(page) {
  const counts = {};
  const names = { new_users: 'New users', pending_invites: 'Pending invites',
    skipped_invalid_email: 'Skipped: invalid email', excluded_existing: 'Excluded: existing account',
    skipped_suppressed: 'Skipped: bounced or complained' };
  for (const [key, caption] of Object.entries(names)) {
    const link = page.getByRole('link', { name: new RegExp(`^${caption}: [\\d,]+$`) });
    await waitUntil(() => isVisible(link), `the ${caption} count`);
    const name = await link.textContent();
    counts[key] = Number(name.slice(caption.length + 2).replaceAll(',', ''));
  }
  return counts;
}

// axe-core on the page: the violations of the WCAG 2.0/2.1 A and AA rules.
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE_SOURCE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({ id: v.id, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  });
}

export async function assertNoAxeViolations(page, screen) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe-core: WCAG 2.1 A/AA violations on ${screen}`);
}
