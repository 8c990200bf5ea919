//! Shared helpers: scenario designs as JSON values to vary, and parsing them back.

use serde_json::Value;
use vnetlab::analysis::scenarios::find;
use vnetlab::model::Design;

/// The design of the built-in scenario `name`, as JSON to edit.
pub fn scenario_json(name: &str) -> Value {
    let scenario = find(name).unwrap_or_else(|| panic!("no scenario {name}"));
    serde_json::from_str(scenario.json).expect("scenario JSON parses")
}

pub fn design(value: &Value) -> Design {
    serde_json::from_value(value.clone()).expect("test design parses")
}
