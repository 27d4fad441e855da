// Text entry and copy through the page's real input elements: paste into
// Email From and the search box, copy rows and an address out of the
// recipient grid (Chromium with clipboard permissions), an IME composition
// that ends as the composed text, and a phone (390×844, touch): a tap on a
// field leaves a real input focused (on-screen keyboard), inputs use 16 px
// text, the screen fits the width with the filters above the results, and a
// drag scrolls; a password manager finds a real login form, fills it and sees
// it go on sign-in. Against the real stack.
//
//   WEB_ROOT=build/web node --test tests/browser/a11y_input.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { closeSuite, openApp, openSuite, shot } from './app_page.mjs';
import { PASSWORD, USERS, countsFromLinks, signInByKeyboard, waitForFocus, waitForRole, waitUntil } from './a11y_page.mjs';


let suite;
before(async () => {
  suite = await openSuite({ users: USERS, accounts: 600, seed: 41, apiUser: 'tester', password: PASSWORD });
});
after(() => closeSuite(suite, 'a11y-input-invites-server.log'));

const appState = (page, key) => page.evaluate((k) => window.invitesApp[k], key);
const clipboardText = (page) => page.evaluate(() => navigator.clipboard.readText());

async function openNewUsers(page) {
  await page.getByRole('button', { name: 'Load' }).press('Enter');
  await countsFromLinks(page);
  await page.getByRole('link', { name: /^New users: / }).press('Enter');
  const grid = await waitForRole(page, 'grid', { name: 'Recipients: New users' });
  await waitUntil(async () => (await grid.locator('[role=row][aria-rowindex="4"] [role=gridcell]').count()) > 0,
    'three rows read');
  return grid;
}

describe('clipboard, IME and touch through real input elements', () => {
  test('paste into Email From and the search box; copy rows and an address out', async () => {
    const { stack, browser } = suite;
    const app = await openApp(browser, stack.url);
    const { page, context } = app;
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
      await signInByKeyboard(page, 'alice', PASSWORD);

      await page.evaluate(() => navigator.clipboard.writeText('sender@pasted.example'));
      const from = page.getByRole('textbox', { name: 'Email From' });
      await from.focus();
      await page.keyboard.press('Control+V');
      await waitUntil(async () => (await appState(page, 'emailFrom')) === 'sender@pasted.example',
        'the pasted address in the app');
      assert.equal(await from.inputValue(), 'sender@pasted.example');

      const grid = await openNewUsers(page);
      const emails = [];
      for (const index of [2, 3, 4]) {
        emails.push((await grid.locator(`[role=row][aria-rowindex="${index}"] [role=gridcell]`).first().textContent())
          .trim());
      }

      // Shift+Down from the first row selects three rows; Ctrl+C copies them tab-separated.
      await grid.locator('[role=row][aria-rowindex="2"]').getByRole('button', { name: emails[0], exact: true }).focus();
      await waitUntil(async () => (await grid.locator('[role=row][aria-rowindex="2"]').getAttribute('aria-selected'))
        === 'true', 'the focused row selected');
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      await waitUntil(async () => (await grid.locator('[role=row][aria-selected=true]').count()) === 3,
        'three rows selected');
      await page.keyboard.press('Control+C');
      const copied = await waitUntil(async () => {
        const text = await clipboardText(page);
        return text.split('\n').length === 4 ? text : null;  // three lines and the final newline
      }, 'the rows on the clipboard');
      const lines = copied.trimEnd().split('\n');
      assert.deepEqual(lines.map((line) => line.split('\t')[0]), emails, 'one line per selected row, in order');
      assert.equal(lines[0].split('\t').length, 7, 'every column, tab-separated');

      // The row action "Copy address".
      await grid.getByRole('button', { name: `Copy address ${emails[1]}` }).press('Enter');
      await waitUntil(async () => (await clipboardText(page)) === emails[1], 'the address on the clipboard');

      // Paste into the search box: the list is searched for it.
      await page.evaluate((text) => navigator.clipboard.writeText(text), emails[2]);
      await page.getByRole('searchbox', { name: /Search/ }).focus();
      await page.keyboard.press('Control+V');
      await waitUntil(async () => (await appState(page, 'recipientsQuery')) === emails[2], 'the search applied');
      await waitUntil(async () => (await grid.getAttribute('aria-rowcount')) === '2', 'one row found');
      assert.deepEqual(app.problems, []);
    } finally {
      await app.close();
    }
  });

  test('a list scrolled by the mouse wheel: at rest the page holds the rows on screen, each cell inside its row', async () => {
    const { stack, browser } = suite;
    const app = await openApp(browser, stack.url);
    const { page } = app;
    try {
      await signInByKeyboard(page, 'alice', PASSWORD);
      const grid = await openNewUsers(page);
      const rowsInPage = () => grid.locator('[role=row]').evaluateAll((rows) => rows.map((row) => {
        const box = row.getBoundingClientRect();
        return { index: Number(row.getAttribute('aria-rowindex')), top: box.top, bottom: box.bottom,
          left: box.left, right: box.right,
          cells: Array.from(row.querySelectorAll('[role=gridcell]')).map((cell) => cell.getBoundingClientRect())
            .filter((cell) => cell.width > 0 && cell.height > 0)
            .map((cell) => ({ top: cell.top, bottom: cell.bottom, left: cell.left, right: cell.right })) };
      })).then((rows) => rows.filter((row) => row.index > 1 && row.cells.length > 0));  // on screen (the focused row stays)
      const before = await rowsInPage();
      const third = before.find((row) => row.index === 4);
      await page.mouse.move((third.left + third.right) / 2, (third.top + third.bottom) / 2);
      for (let i = 0; i < 6; ++i) await page.mouse.wheel(0, 120);
      const firstBefore = Math.min(...before.map((row) => row.index));
      const rows = await waitUntil(async () => {
        const now = await rowsInPage();
        return now.length > 0 && Math.min(...now.map((row) => row.index)) > firstBefore + 5 ? now : null;
      }, 'the page following the scrolled list');
      await page.waitForTimeout(600);  // at rest
      const atRest = (await rowsInPage()).sort((a, b) => a.index - b.index);
      assert.ok(atRest.length >= rows.length - 1 && atRest.length <= before.length + 3, 'about as many rows as fit');
      atRest.forEach((row, i) => {
        if (i > 0) {
          assert.equal(row.index, atRest[i - 1].index + 1, 'consecutive rows');
          assert.ok(row.top > atRest[i - 1].top && row.bottom > atRest[i - 1].bottom, `row ${row.index} below row ${row.index - 1}`);
        }
        for (const cell of row.cells) {
          assert.ok(cell.top >= row.top - 1 && cell.bottom <= row.bottom + 1 && cell.left >= row.left - 1 &&
            cell.right <= row.right + 1, `each cell of row ${row.index} inside it`);
        }
      });
      assert.deepEqual(app.problems, []);
    } finally {
      await app.close();
    }
  });

  test('an IME composition ends as the composed text', async () => {
    const { stack, browser } = suite;
    const app = await openApp(browser, stack.url);
    const { page } = app;
    try {
      await signInByKeyboard(page, 'alice', PASSWORD);
      await openNewUsers(page);
      const search = page.getByRole('searchbox', { name: /Search/ });
      await search.focus();
      const cdp = await page.context().newCDPSession(page);
      for (const step of ['M', 'Mü', 'Müll', 'Müller']) {
        await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
      }
      await cdp.send('Input.insertText', { text: 'Müller' });  // commits the composition
      await waitUntil(async () => (await search.inputValue()) === 'Müller', 'the composed text in the input');
      await waitUntil(async () => (await appState(page, 'recipientsQuery')) === 'Müller', 'the composed text searched');
      assert.deepEqual(app.problems, []);
    } finally {
      await app.close();
    }
  });

  test('a password manager sees a real login form, can fill it, and sees it go on sign-in', async () => {
    const { stack, browser } = suite;
    const app = await openApp(browser, stack.url);
    const { page } = app;
    try {
      const form = await waitForRole(page, 'form', { name: 'Sign in' });
      const fields = await form.evaluate((el) => ({
        tag: el.tagName,
        inputs: Array.from(el.querySelectorAll('input')).map((i) => `${i.type} ${i.name} ${i.autocomplete}`),
      }));
      assert.deepEqual(fields, { tag: 'FORM',
        inputs: ['text username username', 'password password current-password'] });

      // Filled as a password manager fills: values set on the inputs, input events, no keys.
      await form.evaluate((el, credentials) => {
        for (const [name, value] of Object.entries(credentials)) {
          const input = el.querySelector(`input[name=${name}]`);
          input.value = value;
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }
      }, { username: 'alice', password: PASSWORD });
      await form.getByRole('button', { name: 'Sign in' }).press('Enter');
      await waitForRole(page, 'button', { name: 'Sign out' });
      // The form leaves the page after a successful sign-in: the browser's cue to offer saving the password.
      await waitUntil(async () => (await page.locator('form input[type=password]').count()) === 0,
        'the login form gone');
      assert.deepEqual(app.problems, []);
    } finally {
      await app.close();
    }
  });

  test('a phone: a tap focuses a real input, 16 px text, the screen fits 390 px, a drag scrolls', async () => {
    const { stack, browser } = suite;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true,
      deviceScaleFactor: 3, serviceWorkers: 'block' });
    const page = await context.newPage();
    try {
      await page.goto(stack.url + '/');
      const username = await waitForRole(page, 'textbox', { name: 'Username' });
      await page.evaluate(() => document.activeElement?.blur());
      await username.tap();
      await waitForFocus(page, 'textbox', 'Username', 'a real input focused by the tap');
      const input = await page.evaluate(() => {
        const el = document.activeElement;
        return { tag: el.tagName, autocomplete: el.autocomplete, fontSize: parseFloat(getComputedStyle(el).fontSize) };
      });
      assert.deepEqual(input, { tag: 'INPUT', autocomplete: 'username', fontSize: 16 });
      await page.keyboard.type('alice');
      await page.getByRole('textbox', { name: 'Password' }).tap();
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Enter');
      await waitForRole(page, 'button', { name: 'Sign out' });
      await waitForRole(page, 'button', { name: 'Load' });
      await shot(page, 'a11y-phone-main.png');

      // Nothing of the screen lies beyond its width; the filters come before (above) the results.
      const overflow = await page.evaluate(() => Array.from(document.querySelectorAll('#a11y-layer .n'))
        .filter((el) => el.getBoundingClientRect().right > 390.5)
        .map((el) => `${el.getAttribute('role') ?? el.tagName} "${el.textContent || el.getAttribute('aria-label')}"`));
      assert.deepEqual(overflow, [], 'controls and text within 390 px');
      const loadY = (await page.getByRole('button', { name: 'Load' }).boundingBox()).y;
      const resultsY = (await page.getByRole('heading', { name: 'Recipients' }).boundingBox()).y;
      assert.ok(loadY < resultsY, 'the filters are above the results');

      // A drag upwards scrolls the screen: the results come up.
      const cdp = await context.newCDPSession(page);
      const touch = (type, y) => cdp.send('Input.dispatchTouchEvent', { type,
        touchPoints: type === 'touchEnd' ? [] : [{ x: 200, y }] });
      await touch('touchStart', 700);
      for (let y = 680; y >= 300; y -= 20) await touch('touchMove', y);
      await touch('touchEnd');
      await waitUntil(async () => (await page.getByRole('heading', { name: 'Recipients' }).boundingBox()).y < resultsY - 200,
        'the screen scrolled by the drag');
    } finally {
      await context.close();
    }
  });
});
