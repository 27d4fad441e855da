// What every browser test shares: where the bundle and the artifacts are,
// Debian's Chromium with the flags that give it WebGL headless on a closed
// network (TOOLCHAIN.md), and the window size the screenshots assume.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_ROOT = path.resolve(process.env.WEB_ROOT ?? path.join(REPO, 'build/web'));
export const ARTIFACTS = path.resolve(process.env.TEST_ARTIFACTS_DIR ?? 'test-artifacts');
export const VIEWPORT = { width: 1200, height: 760 };

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
];

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// Waits until the app has drawn no frame for `quietMs` (the idle gate lets
// a few frames follow any input or answer) and returns the frame count then.
export async function waitForIdle(page, { quietMs = 1000, timeoutMs = 8000 } = {}) {
  const frames = () => page.evaluate(() => window.invitesApp.frames);
  const start = Date.now();
  let last = await frames();
  let since = Date.now();
  while (Date.now() - start < timeoutMs) {
    await page.waitForTimeout(100);
    const now = await frames();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return now;
    }
  }
  throw new Error(`the app kept drawing for ${timeoutMs} ms without input (frames: ${last})`);
}
