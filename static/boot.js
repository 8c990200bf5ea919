// Module loader of the wasm app, used instead of trunk's inline loader so the page runs under
// `script-src 'self' 'wasm-unsafe-eval'` (no inline script). Trunk.toml's `pattern_script`
// writes the <script> that loads this file with the hashed names of the wasm-bindgen glue and
// the wasm module as data attributes; both resolve relative to the page.
//
// The <script> is `async`, so this runs while the page is still being parsed and laid out (the
// prerendered first screen takes a while): the wasm is compiled as it streams in meanwhile, and
// the app starts once the document is parsed.
const script = document.querySelector('script[data-vnetlab-js]');
const glue = new URL(script.dataset.vnetlabJs, document.baseURI).href;
const wasm = new URL(script.dataset.vnetlabWasm, document.baseURI).href;
// A host that serves the wasm with another MIME type than application/wasm cannot stream it:
// the glue then fetches and compiles it itself.
const compiled = WebAssembly.compileStreaming(fetch(wasm)).catch(() => wasm);
const { default: init } = await import(glue);
if (document.readyState === 'loading') {
  await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
}
let instance;
try {
  instance = await init({ module_or_path: await compiled });
} catch (error) {
  // Reported by static/startup-guard.js: name the module, not only "Failed to fetch".
  throw new Error(`${wasm} could not be loaded or started (${error})`);
}
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: instance } }));
