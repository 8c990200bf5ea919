// The analysis worker's loader (module worker, started by ui::analysis_worker): loads the same
// wasm-bindgen glue and wasm module as the page, whose absolute URLs the page passes in the
// query. The wasm's entry point sees a worker scope and serves analysis jobs instead of
// mounting the app.
const params = new URL(self.location.href).searchParams;
const { default: init } = await import(params.get('glue'));
await init({ module_or_path: params.get('wasm') });
