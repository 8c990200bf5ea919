//! The engine compiled to wasm gives the same verdicts and deciding rules as natively.

use wasm_bindgen_test::wasm_bindgen_test;

#[path = "../parity/cases.rs"]
mod cases;

#[wasm_bindgen_test]
fn engine_in_wasm_matches_the_parity_cases() {
    let failures = cases::failures();
    assert!(failures.is_empty(), "{failures:#?}");
}
