/* Bulk Portal Invites — starts the app: loads invites_app.js of this build and
 * registers the service worker. Build @BUILD_VERSION@ (@BUILD_ID@); generated
 * from web/boot.js by the web_bundle target. */
(function () {
  var build = '@BUILD_ID@';
  function showError(text) {
    var el = document.getElementById('loading');
    if (!el) return;
    el.textContent = text;
    el.className = 'error';
  }
  window.invitesApp = { ready: false, build: build, version: '@BUILD_VERSION@' };
  if (typeof WebAssembly !== 'object') {
    showError('This browser cannot run the app: WebAssembly is not available.');
    return;
  }
  var canvas = document.getElementById('canvas');
  canvas.addEventListener('contextmenu', function (event) { event.preventDefault(); });
  window.Module = {
    canvas: canvas,
    // Versioned URLs: the wasm of this build, never a cached one of another.
    locateFile: function (path) { return path + '?v=' + build; },
    onAbort: function (what) { showError('The app stopped: ' + what + '. Please reload the page.'); },
  };
  var script = document.createElement('script');
  script.src = 'invites_app.js?v=' + build;
  script.async = true;
  script.onerror = function () { showError('The app could not be downloaded. Check the connection and reload.'); };
  document.body.appendChild(script);

  // Offline support: the service worker keeps this build's files.
  if ('serviceWorker' in navigator) {
    window.addEventListener('load', function () {
      navigator.serviceWorker.register('sw.js').catch(function (err) {
        console.warn('Service worker not registered:', err);
      });
    });
  }
})();
