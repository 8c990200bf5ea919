// Decides, before the body is parsed, whether the prerendered first screen (the default design
// as the app first draws it, written into index.html by scripts/prerender-first-screen.mjs) may
// show while the wasm app loads. It may not when the page will start elsewhere: a query
// (`?embed=1`, `?flow=`), a fragment (a share link), an autosaved design or a lab in progress.
// The keys are src/view/autosave.rs's and src/view/lab/session.rs's. A file, not inline, so the
// page runs under `script-src 'self'`.
(function () {
  'use strict';
  var root = document.documentElement;
  if (location.search || location.hash) {
    root.classList.add('no-first-screen');
    return;
  }
  try {
    var storage = window.localStorage;
    if (storage.getItem('vnetlab.autosave') !== null || storage.getItem('vnetlab.lab') !== null) {
      root.classList.add('no-first-screen');
    } else if (storage.getItem('vnetlab.help-dismissed') !== null) {
      root.classList.add('help-dismissed');
    }
  } catch (error) {
    // No storage (a sandboxed frame, a locked-down browser): the app starts on the default design.
  }
})();
