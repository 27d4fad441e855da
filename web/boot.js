/* Bulk Portal Invites — starts the app: loads invites_app.js of this build and
 * registers the service worker; starts the WebGL context and the wasm compile
 * early, during the downloads. Build @BUILD_VERSION@ (@BUILD_ID@); generated
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
  // Compile the wasm while invites_app.js downloads and starts (the preload
  // in index.html has the bytes on their way already): the runtime then only
  // instantiates the compiled module. Versioned URLs: this build's files only.
  var wasmUrl = 'invites_app.wasm?v=' + build;
  var wasmModule = typeof WebAssembly.compileStreaming === 'function'
    ? WebAssembly.compileStreaming(fetch(wasmUrl, { credentials: 'same-origin' }))
    : fetch(wasmUrl, { credentials: 'same-origin' })
      .then(function (response) { return response.arrayBuffer(); })
      .then(function (bytes) { return WebAssembly.compile(bytes); });
  // The UI font, read during the downloads (index.html preloads it): when its
  // bytes are here before the app starts, the app draws its first frame at
  // once instead of waiting for a fetch of its own (platform/ui_font.cpp).
  fetch('ui-font.ttf', { credentials: 'same-origin' })
    .then(function (response) { return response.ok ? response.arrayBuffer() : null; })
    .then(function (bytes) { if (bytes) window.Module.uiFontBytes = new Uint8Array(bytes); })
    .catch(function () {});  // the app fetches the font itself then, and reports a failure
  window.Module = {
    canvas: canvas,
    locateFile: function (path) { return path + '?v=' + build; },
    instantiateWasm: function (imports, receiveInstance) {
      wasmModule
        .then(function (module) {
          return WebAssembly.instantiate(module, imports).then(function (instance) { receiveInstance(instance, module); });
        })
        .catch(function (err) { showError('The app could not be started: ' + err + '. Please reload the page.'); });
      return {};  // the exports arrive through receiveInstance
    },
    onAbort: function (what) { showError('The app stopped: ' + what + '. Please reload the page.'); },
  };
  var script = document.createElement('script');
  script.src = 'invites_app.js?v=' + build;
  script.async = true;
  script.onerror = function () { showError('The app could not be downloaded. Check the connection and reload.'); };
  document.body.appendChild(script);

  // The WebGL context now, after the compile and the script's download have
  // started: its creation blocks this thread while the GPU side comes up.
  // The attributes are the app's (no alpha, depth, stencil or multisampling:
  // platform/gl_window.cpp); the app's own getContext call then returns this
  // context. Its drawing buffer gets the size the app gives the canvas (CSS
  // size x devicePixelRatio: platform/canvas.cpp), as each later resize
  // waits for the GPU process to reallocate it.
  var dpr = window.devicePixelRatio || 1;
  var rect = canvas.getBoundingClientRect();
  canvas.width = Math.round(rect.width * dpr);
  canvas.height = Math.round(rect.height * dpr);
  canvas.getContext('webgl2', { antialias: false, alpha: false, depth: false, stencil: false });

  // Offline support: the service worker keeps this build's files.
  if ('serviceWorker' in navigator) {
    window.addEventListener('load', function () {
      navigator.serviceWorker.register('sw.js').catch(function (err) {
        console.warn('Service worker not registered:', err);
      });
    });
  }
})();
