//! Browser tests: the yew app rendered by wasm-bindgen-test in headless Chromium.
//! Run with `cargo test --target wasm32-unknown-unknown --test browser` (see scripts/test.sh).
#![cfg(target_arch = "wasm32")]

mod app;
mod budget;
mod editors;
mod parity;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
