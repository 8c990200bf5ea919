// Module loader of the wasm app, used instead of trunk's inline loader so the page runs under
// `script-src 'self' 'wasm-unsafe-eval'` (no inline script). Trunk.toml's `pattern_script`
// writes the <script> that loads this file with the hashed names of the wasm-bindgen glue and
// the wasm module as data attributes; both resolve relative to the page.
const script = document.querySelector('script[data-vnetlab-js]');
const glue = new URL(script.dataset.vnetlabJs, document.baseURI).href;
const wasm = new URL(script.dataset.vnetlabWasm, document.baseURI).href;
const { default: init } = await import(glue);
const instance = await init({ module_or_path: wasm });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: instance } }));
