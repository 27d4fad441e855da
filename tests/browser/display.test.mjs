// The page as an installed web app and under the browser's display settings:
// a web app manifest with icons that Chromium accepts for installing; the
// reduced-motion preference keeps the text cursor still; browser zoom from
// 50 % to 200 % keeps the layout within the window and the drawing crisp
// (the canvas and the font at the zoomed device pixel ratio); a frame in which
// nothing changes leaves the DOM layer untouched; frames ask the GPU process
// nothing about the scissor box or blending; a WebGL context the browser takes
// away and gives back is drawn on again. Driven by role
// and name, against the real stack.
//
//   WEB_ROOT=build/web node --test tests/browser/display.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { closeSuite, openSuite, shot } from './app_page.mjs';
import { PASSWORD, USERS, closeDialogByEscape, countsFromLinks, focused, signInByKeyboard, waitForRole, waitUntil } from './a11y_page.mjs';
import { VIEWPORT } from './browser_env.mjs';
import { decodePng, pixelStats } from './png.mjs';

let suite;
before(async () => {
  suite = await openSuite({ users: USERS, accounts: 300, seed: 43, apiUser: 'tester', password: PASSWORD });
});
after(() => closeSuite(suite, 'display-invites-server.log'));

const appState = (page, key) => page.evaluate((k) => window.invitesApp[k], key);

// The DOM layer's nodes that lie beyond the window's width (or left of it), by role and name.
const outsideSideways = (page, width) => page.evaluate((w) => Array.from(document.querySelectorAll('#a11y-layer .n'))
  .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > w + 0.5 || r.left < -0.5); })
  .map((el) => `${el.getAttribute('role') ?? el.tagName} "${el.textContent || el.getAttribute('aria-label')}"`), width);

// Presses Tab until the focus is on `role` "name", as a keyboard user reaches
// something below the fold: the layer describes it there before it is scrolled
// into view, and focusing it scrolls it into view.
async function tabTo(page, role, name, most = 12) {
  for (let i = 0; i < most; ++i) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && f.role === role && (name instanceof RegExp ? name.test(f.name) : f.name === name)) return;
  }
  assert.fail(`${role} "${name}" not reached with ${most} presses of Tab`);
}

// Opens a main tab as a keyboard user would (the tab row may be scrolled out of view).
async function openTab(page, name) {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.press('Enter');
  await waitUntil(async () => (await tab.getAttribute('aria-selected')) === 'true', `the ${name} tab shown`);
}

async function openPage(contextOptions) {
  const context = await suite.browser.newContext({ viewport: VIEWPORT, ...contextOptions });
  const page = await context.newPage();
  await page.goto(suite.stack.url + '/');
  await page.waitForFunction(() => window.invitesApp?.ready === true, null, { timeout: 30_000 });
  return { context, page };
}

describe('installable, reduced motion, zoom', () => {
  test('the manifest and its icons make the page installable', async () => {
    const { context, page } = await openPage({});
    try {
      const cdp = await context.newCDPSession(page);
      const manifest = await cdp.send('Page.getAppManifest');
      assert.deepEqual(manifest.errors, [], 'the manifest parses without errors');
      const parsed = JSON.parse(manifest.data);
      assert.equal(parsed.name, 'Bulk Portal Invites');
      assert.equal(parsed.display, 'standalone');
      for (const icon of parsed.icons.filter((i) => i.type === 'image/png')) {
        const response = await page.request.get(new URL(icon.src, manifest.url).href);
        assert.equal(response.status(), 200, icon.src);
        const { width, height } = decodePng(await response.body());
        assert.equal(`${width}x${height}`, icon.sizes, `${icon.src} has the size the manifest says`);
      }
      // The service worker (the offline copy's) must be in control for Chromium to offer the install.
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 })
        .catch(() => page.reload().then(() => page.waitForFunction(() => navigator.serviceWorker.controller !== null)));
      // A test's browser context is an incognito profile, where Chromium never installs; nothing else may stand in the way.
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), [],
        'Chromium finds nothing in the page that prevents installing');
    } finally {
      await context.close();
    }
  });

  test('reduced motion keeps the text cursor still; without it the cursor blinks', async () => {
    for (const [reducedMotion, blink] of [['reduce', 0], ['no-preference', 1]]) {
      const { context, page } = await openPage({ reducedMotion, serviceWorkers: 'block' });
      try {
        assert.equal(await appState(page, 'cursorBlink'), blink, `prefers-reduced-motion: ${reducedMotion}`);
      } finally {
        await context.close();
      }
    }
  });

  test('frames in which nothing on screen changes make no change to the DOM layer', async () => {
    const { context, page } = await openPage({ serviceWorkers: 'block' });
    try {
      await signInByKeyboard(page, 'alice', PASSWORD);
      await page.getByRole('button', { name: 'Load' }).press('Enter');
      await countsFromLinks(page);
      await page.waitForTimeout(500);
      await page.evaluate(() => {
        window.layerMutations = [];
        new MutationObserver((records) => window.layerMutations.push(...records.map((r) => `${r.type} ${r.target.id || r.target.tagName}`)))
          .observe(document.getElementById('a11y-layer'), { subtree: true, childList: true, attributes: true, characterData: true });
        window.framesBefore = window.invitesApp.frames;
      });
      // The mouse moving over the empty top bar: the app draws frames (input wakes it), and nothing changes.
      for (let i = 0; i < 20; ++i) {
        await page.mouse.move(VIEWPORT.width * 0.45 + (i % 2) * 8, 12);
        await page.waitForTimeout(30);
      }
      await page.waitForTimeout(300);
      const seen = await page.evaluate(() => ({ frames: window.invitesApp.frames - window.framesBefore,
        mutations: window.layerMutations }));
      assert.ok(seen.frames >= 5, `the app drew frames meanwhile (${seen.frames})`);
      assert.deepEqual(seen.mutations, [], 'no DOM mutation');
    } finally {
      await context.close();
    }
  });

  test('frames ask the GPU process nothing about the scissor box or blending, and the context answers as the GPU holds them', async () => {
    const { context, page } = await openPage({ serviceWorkers: 'block' });
    try {
      await signInByKeyboard(page, 'alice', PASSWORD);
      await page.getByRole('button', { name: 'Load' }).press('Enter');
      await countsFromLinks(page);
      // WebGL2RenderingContext.prototype.getParameter is the browser's own query (a round trip to
      // the GPU process for these names); the app's context answers them itself.
      await page.evaluate(() => {
        const gl = document.getElementById('canvas').getContext('webgl2');
        window.mirrored = [gl.SCISSOR_BOX, gl.BLEND_SRC_RGB, gl.BLEND_DST_RGB, gl.BLEND_SRC_ALPHA, gl.BLEND_DST_ALPHA,
          gl.BLEND_EQUATION_RGB, gl.BLEND_EQUATION_ALPHA];
        window.gpuQueries = 0;
        const query = WebGL2RenderingContext.prototype.getParameter;
        WebGL2RenderingContext.prototype.getParameter = function (name) {
          if (window.mirrored.includes(name)) ++window.gpuQueries;
          return query.call(this, name);
        };
        window.framesBefore = window.invitesApp.frames;
      });
      for (let i = 0; i < 10; ++i) {
        await page.mouse.move(VIEWPORT.width * 0.45 + (i % 2) * 8, 12);
        await page.waitForTimeout(30);
      }
      const during = await page.evaluate(() => ({ frames: window.invitesApp.frames - window.framesBefore,
        gpuQueries: window.gpuQueries }));
      assert.ok(during.frames >= 3, `the app drew frames meanwhile (${during.frames})`);
      assert.equal(during.gpuQueries, 0, 'no frame asked the GPU process for the scissor box or the blend state');

      // Each way of setting that state, then the context's answer beside the GPU's.
      const answers = await page.evaluate(() => {
        const gl = document.getElementById('canvas').getContext('webgl2');
        const gpu = (name) => Array.from([WebGL2RenderingContext.prototype.getParameter.call(gl, name)].flat());
        const mirror = (name) => Array.from([gl.getParameter(name)].flat());
        const compare = (step) => window.mirrored.map((name) => ({ step, name, mirror: mirror(name), gpu: gpu(name) }));
        const seen = [...compare('as the app left it')];
        gl.scissor(3, 5, 70, 90);
        gl.scissor(1, 1, -4, 8);  // refused (INVALID_VALUE): the box stays
        gl.getError();
        gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA);
        gl.blendEquation(gl.FUNC_SUBTRACT);
        seen.push(...compare('scissor, blendFunc, blendEquation'));
        gl.blendFuncSeparate(gl.ONE, gl.DST_COLOR, gl.ZERO, gl.SRC_ALPHA_SATURATE);
        gl.blendEquationSeparate(gl.MAX, gl.FUNC_REVERSE_SUBTRACT);
        seen.push(...compare('blendFuncSeparate, blendEquationSeparate'));
        return { seen, answeredAsArray: gl.getParameter(gl.SCISSOR_BOX) instanceof Int32Array };
      });
      for (const { step, name, mirror, gpu } of answers.seen)
        assert.deepEqual(mirror, gpu, `after ${step}: the context's answer for 0x${name.toString(16)} is the GPU's`);
      assert.ok(answers.answeredAsArray, 'the scissor box comes as an Int32Array, as WebGL gives it');
    } finally {
      await context.close();
    }
  });

  test('after the browser takes the WebGL context away and gives it back, the app draws the same screen again', async () => {
    // Reduced motion: the text cursor stays lit, so two frames of the same screen are the same pixels.
    const { context, page } = await openPage({ reducedMotion: 'reduce', serviceWorkers: 'block' });
    try {
      const warnings = [];
      page.on('pageerror', (err) => warnings.push(`page error: ${err.message}`));
      await waitForRole(page, 'textbox', { name: 'Username' });
      await page.waitForTimeout(300);
      const before = decodePng(await page.screenshot());
      const drawn = (png) => pixelStats(png).darkShare;
      assert.ok(drawn(before) > 0.005, 'the sign-in screen is drawn');

      await page.evaluate(() => {
        window.loseContext = document.getElementById('canvas').getContext('webgl2').getExtension('WEBGL_lose_context');
        window.loseContext.loseContext();
      });
      await page.waitForTimeout(300);
      const framesWhileLost = await appState(page, 'frames');
      await page.waitForTimeout(300);
      assert.equal(await appState(page, 'frames'), framesWhileLost, 'no frame is drawn while the context is lost');
      assert.ok(drawn(decodePng(await page.screenshot())) < drawn(before) / 4, 'the canvas lost its drawing');

      await page.evaluate(() => window.loseContext.restoreContext());
      await waitUntil(async () => (await appState(page, 'frames')) > framesWhileLost, 'a frame drawn after the restore');
      await page.waitForTimeout(300);
      const after = decodePng(await page.screenshot());
      assert.deepEqual([after.width, after.height], [before.width, before.height]);
      let differing = 0;
      for (let i = 0; i < before.pixels.length; ++i) differing += before.pixels[i] !== after.pixels[i];
      assert.equal(differing, 0, 'the screen after the restore is the screen before, pixel for pixel');
      assert.deepEqual(warnings, []);
    } finally {
      await context.close();
    }
  });

  for (const zoom of [0.5, 2]) {
    test(`browser zoom ${zoom * 100} %: the layout fits the window and the drawing is crisp`, async () => {
      // Zoom in the browser is a viewport of fewer (or more) CSS pixels at a larger (or smaller) pixel ratio.
      const viewport = { width: Math.round(VIEWPORT.width / zoom), height: Math.round(VIEWPORT.height / zoom) };
      const { context, page } = await openPage({ viewport, deviceScaleFactor: zoom, serviceWorkers: 'block' });
      try {
        await signInByKeyboard(page, 'alice', PASSWORD);
        await waitForRole(page, 'button', { name: 'Load' });
        await page.getByRole('button', { name: 'Load' }).press('Enter');
        await page.waitForFunction(() => window.invitesApp.preview === 'loaded');
        // At 200 % the counts are below the fold: Tab from Load reaches them.
        await tabTo(page, 'link', /^New users: /);
        await page.waitForTimeout(300);
        await shot(page, `display-zoom-${zoom * 100}.png`);
        const counts = await countsFromLinks(page);
        assert.ok(counts.new_users > 0, 'Load counted new users');

        const drawn = await page.evaluate(() => {
          const a = window.invitesApp;
          return { dpr: a.dpr, fontDpr: a.fontDpr, fb: [a.fbWidth, a.fbHeight], css: [a.cssWidth, a.cssHeight] };
        });
        assert.equal(drawn.dpr, zoom, 'the app sees the zoomed pixel ratio');
        assert.equal(drawn.fontDpr, zoom, 'the font is rasterized for it');
        assert.deepEqual(drawn.css, [viewport.width, viewport.height]);
        assert.deepEqual(drawn.fb, [Math.round(viewport.width * zoom), Math.round(viewport.height * zoom)],
          'one canvas pixel per device pixel');
        const outside = await outsideSideways(page, viewport.width);
        assert.deepEqual(outside, [], 'nothing lies beyond the window sideways');
      } finally {
        await context.close();
      }
    });
  }
  test('a phone (390×844): the review, both dialogs, the jobs and setup fit the width', async () => {
    const width = 390;
    const { context, page } = await openPage({ viewport: { width, height: 844 }, hasTouch: true, isMobile: true,
      deviceScaleFactor: 3, serviceWorkers: 'block' });
    const fits = async (screen) => {
      await page.waitForTimeout(300);
      await shot(page, `display-phone-${screen.replaceAll(' ', '-')}.png`);
      assert.deepEqual(await outsideSideways(page, width), [], `${screen}: nothing beyond ${width} px`);
    };
    try {
      await signInByKeyboard(page, 'alice', PASSWORD);
      const divisions = (await suite.api.get('/api/lookups')).body.divisions;
      await page.getByRole('textbox', { name: 'Email From' }).fill(divisions[0].default_from_email ?? 'sender@example.com');
      await page.getByRole('button', { name: 'Load' }).press('Enter');
      await page.waitForFunction(() => window.invitesApp.preview === 'loaded');
      await page.getByRole('button', { name: 'Load' }).focus();
      await tabTo(page, 'link', /^New users: /);
      await fits('main after Load');
      await page.keyboard.press('Enter');
      await waitForRole(page, 'grid', { name: 'Recipients: New users' });
      await fits('recipient review');

      await page.getByRole('button', { name: 'Preview email' }).press('Enter');
      await waitForRole(page, 'dialog', { name: 'Email preview' });
      await fits('email preview');
      await closeDialogByEscape(page, 'Email preview', 'Preview email');

      await page.getByRole('button', { name: 'Send Email…' }).press('Enter');
      await waitForRole(page, 'dialog', { name: 'Send invitations?' });
      await fits('send confirmation');
      await closeDialogByEscape(page, 'Send invitations?', 'Send Email…');

      await openTab(page, 'Jobs');
      await fits('jobs');
      await openTab(page, 'Setup');
      await waitForRole(page, 'tab', { name: 'Templates' });
      await fits('setup');
    } finally {
      await context.close();
    }
  });
});
