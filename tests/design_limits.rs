//! Design size limits (`max_design_elements`, `max_design_rules`): a design over its options'
//! limits is refused when it is loaded, before anything compiles it, with an error naming the
//! count, the limit and the option; raising the option in the design lets it load. Validation
//! reports the same problem for designs built in memory.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use vnetlab::import::load_input;
use vnetlab::model::{validate, Design, DesignSize, Severity};

fn rule(priority: u64) -> Value {
    json!({
        "name": format!("r{priority}"), "priority": priority, "direction": "Inbound",
        "access": "Allow", "protocol": "Tcp", "source": ["*"], "destination": ["*"],
        "destination_ports": ["443"]
    })
}

/// A design with `nsgs` NSGs of `rules` rules each, and `options`.
fn design(nsgs: usize, rules: usize, options: Value) -> String {
    let groups: Vec<Value> = (0..nsgs)
        .map(|n| {
            json!({
                "name": format!("nsg{n}"),
                "rules": (0..rules).map(|r| rule(100 + r as u64)).collect::<Vec<_>>()
            })
        })
        .collect();
    json!({
        "schema_version": 1,
        "name": "big",
        "options": options,
        "network_security_groups": groups
    })
    .to_string()
}

#[test]
fn a_design_over_the_rule_limit_is_refused_before_compiling() {
    let error = load_input(&design(3, 2, json!({ "max_design_rules": 5 })), "big.json")
        .expect_err("6 rules are over a limit of 5");
    assert_eq!(error.path.as_deref(), Some("$"));
    let text = error.to_string();
    assert!(text.contains("6 rules"), "{text}");
    assert!(text.contains("limit of 5"), "{text}");
    assert!(text.contains("max_design_rules"), "{text}");
    let raised = load_input(&design(3, 2, json!({ "max_design_rules": 6 })), "big.json")
        .expect("6 rules are within a limit of 6");
    assert_eq!(DesignSize::of(&raised.design).rules, 6);
}

#[test]
fn a_design_over_the_element_limit_is_refused() {
    let error = load_input(
        &design(4, 0, json!({ "max_design_elements": 3 })),
        "big.json",
    )
    .expect_err("4 NSGs are over a limit of 3");
    assert!(error.to_string().contains("4 elements"), "{error}");
    assert!(error.to_string().contains("max_design_elements"), "{error}");
}

#[test]
fn the_default_rule_limit_stops_26_nsgs_of_800_rules() {
    let error = load_input(&design(26, 800, json!({})), "big.json")
        .expect_err("20,800 rules are over the default 20,000");
    assert!(error.to_string().contains("20800 rules"), "{error}");
}

#[test]
fn validation_reports_an_oversized_design_at_its_root() {
    let mut design: Design = serde_json::from_str(&design(2, 3, json!({}))).expect("a design");
    assert!(validate(&design).iter().all(|d| d.path != "$"));
    design.options.max_design_rules = 5;
    let oversize: Vec<_> = validate(&design)
        .into_iter()
        .filter(|d| d.path == "$")
        .collect();
    assert_eq!(oversize.len(), 1, "{oversize:?}");
    assert_eq!(oversize[0].severity, Severity::Error);
    assert!(oversize[0].message.contains("max_design_rules"));
}
