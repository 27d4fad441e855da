/* Bulk Portal Invites — service worker for the app shell.
 * Build @BUILD_VERSION@ (@BUILD_ID@); generated from web/sw.js by the web_bundle target.
 *
 * - index.html: network first (a new deployment is picked up at once),
 *   the cached copy when the network fails or is too slow.
 * - boot.js, invites_app.js / .wasm (URLs versioned with ?v=BUILD) and the UI font:
 *   cache first; they never change within a build.
 * - everything else (/api, /healthz, …) is not touched.
 * The cache name contains the build, and activation deletes older caches.
 */
'use strict';

const CACHE = '@CACHE_NAME@';
const CACHE_PREFIX = 'invites-shell-';
const BUILD = '@BUILD_ID@';
const PAGE = 'index.html';
const ASSETS = [
  'boot.js?v=' + BUILD, 'invites_app.js?v=' + BUILD, 'invites_app.wasm?v=' + BUILD, 'a11y_layer.js?v=' + BUILD,
  'ui-font.ttf',
];
const ASSET_PATHS = new Set(['boot.js', 'invites_app.js', 'invites_app.wasm', 'a11y_layer.js', 'ui-font.ttf']);
const PAGE_TIMEOUT_MS = 4000;

const scope = new URL(self.registration.scope);

// Path relative to the worker's scope, or null for other origins / paths.
function scopedPath(url) {
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  return url.pathname.slice(scope.pathname.length);
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll([PAGE, ...ASSETS].map((url) => new Request(url, { cache: 'reload' })));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

async function pageNetworkFirst(request) {
  const cache = await caches.open(CACHE);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PAGE_TIMEOUT_MS);
  try {
    const response = await fetch(request.url, { signal: controller.signal, cache: 'no-cache', credentials: 'same-origin' });
    if (response.ok) {
      await cache.put(PAGE, response.clone());
      return response;
    }
    return (await cache.match(PAGE)) || response;  // e.g. a 502 from a proxy while the server is down
  } catch (err) {
    const cached = await cache.match(PAGE);
    if (cached) return cached;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function assetCacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  // Only this build's URLs are kept; a request from an older page passes through.
  const relative = scopedPath(new URL(request.url)) + new URL(request.url).search;
  if (response.ok && ASSETS.includes(relative)) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const path = scopedPath(new URL(request.url));
  if (path === null) return;
  if (path === '' || path === PAGE) {
    event.respondWith(pageNetworkFirst(request));
  } else if (ASSET_PATHS.has(path)) {
    event.respondWith(assetCacheFirst(request));
  }
});
