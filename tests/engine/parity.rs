//! The parity cases, natively (the browser tier runs the same cases in wasm).

#[path = "../parity/cases.rs"]
mod cases;

#[test]
fn workshop_flows_match_their_expected_verdicts_and_rules() {
    let failures = cases::failures();
    assert!(failures.is_empty(), "{failures:#?}");
}
