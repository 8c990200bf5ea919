// Startup guard (a file, not inline, so the page runs under `script-src 'self'`): reports any
// failure to load or start the wasm app in the #startup-error banner instead of a page that
// spins forever (or shows the prerendered first screen forever), and says so in #startup-slow
// when the start takes long (a slow link) without giving up on it. Loaded in <head> without
// `defer`, before the module loader (static/boot.js, which is `async` and may run before the
// body is parsed), so it listens from the start; the banners are filled in once the body exists.
(function () {
  'use strict';
  var started = false;
  function whenParsed(then) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', then, { once: true });
    else then();
  }
  function fail(message) {
    if (started) return;
    whenParsed(function () {
      var banner = document.getElementById('startup-error');
      document.getElementById('startup-error-text').textContent =
        ' ' + message.charAt(0).toUpperCase() + message.slice(1);
      banner.hidden = false;
      document.getElementById('startup-slow').hidden = true;
      var loading = document.querySelector('[data-testid="loading"]');
      if (loading) loading.hidden = true;
      document.querySelectorAll('.first-screen, .first-screen-status').forEach(function (element) {
        element.remove();
      });
    });
  }
  whenParsed(function () {
    document.querySelector('#startup-error .banner-dismiss').addEventListener('click', function () {
      document.getElementById('startup-error').hidden = true;
    });
  });
  addEventListener('TrunkApplicationStarted', function () {
    started = true;
    whenParsed(function () {
      document.getElementById('startup-slow').hidden = true;
    });
  });
  // Capturing: a <script> or <link> that fails to load fires `error` on itself, not on window.
  addEventListener('error', function (event) {
    var target = event.target;
    if (target && target !== window && (target.src || target.href)) {
      fail((target.src || target.href) + ' failed to load.');
    } else {
      fail(event.message || 'a script failed.');
    }
  }, true);
  addEventListener('unhandledrejection', function (event) { fail(String(event.reason)); });
  document.addEventListener('securitypolicyviolation', function (event) {
    fail('the page\'s Content-Security-Policy blocked ' + (event.blockedURI || 'a resource') +
      ' (' + event.violatedDirective + ').');
  });
  if (typeof WebAssembly !== 'object') fail('this browser does not support WebAssembly.');
  setTimeout(function () {
    if (started) return;
    whenParsed(function () {
      if (document.getElementById('startup-error').hidden) {
        document.getElementById('startup-slow').hidden = false;
      }
    });
  }, 15000);
})();
