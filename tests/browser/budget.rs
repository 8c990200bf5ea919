//! The evaluation budget in WebAssembly: definitions nested up to the depth limit evaluate
//! without exhausting the wasm stack (a debug build, which uses more stack than the release
//! the page ships), one level more stops on the limit, and a doubling chain stops on bytes —
//! an error, never a crash of the page.

use serde_json::{json, Map, Value};
use vnetlab::import::{load_template, BudgetMeasure, EvaluationLimits, TemplateInputs};
use wasm_bindgen_test::wasm_bindgen_test;

/// A template whose NSG tag reads variable `v{top}`, with `variables`.
fn template(variables: Map<String, Value>, top: usize) -> String {
    json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "variables": variables,
        "resources": [{ "type": "Microsoft.Network/networkSecurityGroups", "name": "nsg",
            "apiVersion": "2023-05-01", "tags": { "x": format!("[variables('v{top}')]") } }]
    })
    .to_string()
}

/// `v0` is a string; each `v{i}` is `f(v{i-1})`.
fn chain(length: usize, step: impl Fn(usize) -> String) -> Map<String, Value> {
    let mut variables = Map::new();
    variables.insert("v0".to_string(), json!("x".repeat(1024)));
    for i in 1..length {
        variables.insert(format!("v{i}"), json!(step(i - 1)));
    }
    variables
}

#[wasm_bindgen_test]
fn nesting_to_the_depth_limit_fits_the_wasm_stack_and_one_more_stops() {
    let depth = EvaluationLimits::default().depth as usize;
    let nested = |length| {
        load_template(
            &template(
                chain(length, |p| format!("[toLower(variables('v{p}'))]")),
                length - 1,
            ),
            "t.json",
            &TemplateInputs::default(),
        )
    };
    // The resource is one level, each variable of the chain one more.
    let within = nested(depth - 1).expect("within the depth limit");
    assert!(within
        .summary
        .evaluation
        .is_some_and(|usage| usage.depth == depth as u64));
    let beyond = nested(depth).expect_err("one level too deep");
    assert_eq!(beyond.budget.map(|b| b.measure), Some(BudgetMeasure::Depth));
}

#[wasm_bindgen_test]
fn a_doubling_chain_stops_on_bytes_in_the_browser() {
    let doubling = template(
        chain(18, |p| {
            format!("[concat(variables('v{p}'), variables('v{p}'))]")
        }),
        17,
    );
    let error = load_template(&doubling, "t.json", &TemplateInputs::default())
        .expect_err("the budget stops it");
    assert_eq!(error.budget.map(|b| b.measure), Some(BudgetMeasure::Bytes));
}
