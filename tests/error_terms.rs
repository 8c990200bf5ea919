//! Errors in the user's terms (issue 15, item 6): diagnostics of converted inputs (REST, ARM)
//! point into the user's file and name the element, wrong types say what was expected and
//! what was found, long values are quoted as excerpts with their length, and parameters-file
//! errors have a path.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use serde_json::json;
use vnetlab::import::{load_input, load_template, TemplateInputs};

fn json_files(folder: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut pending = vec![Path::new(folder).to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("fixtures").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path.display().to_string());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_diagnostic_of_every_rest_and_arm_fixture_points_into_its_file() {
    let mut inputs = json_files("../shared/fixtures/rest");
    inputs.extend(
        json_files("../shared/fixtures/arm")
            .into_iter()
            .filter(|path| path.ends_with("azuredeploy.json")),
    );
    let mut checked = 0;
    for input in inputs {
        let text = std::fs::read_to_string(&input).expect("fixture");
        let loaded = load_input(&text, &input).unwrap_or_else(|e| panic!("{input}: {e}"));
        for diagnostic in &loaded.diagnostics {
            assert!(
                diagnostic.path.starts_with(&format!("{input}: $")),
                "{input}: {diagnostic}"
            );
            assert!(!diagnostic.element.is_empty(), "{input}: {diagnostic}");
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} diagnostics");
}

#[test]
fn a_validation_error_in_a_rest_resource_points_at_the_rule_and_keeps_the_design_path() {
    let nsg = json!({
        "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkSecurityGroups/nsg",
        "name": "nsg",
        "type": "Microsoft.Network/networkSecurityGroups",
        "location": "eastus",
        "properties": { "securityRules": [
            { "name": "ok", "properties": {
                "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "*", "sourcePortRange": "*",
                "destinationAddressPrefix": "*", "destinationPortRange": "443" } },
            { "name": "low", "properties": {
                "priority": 50, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "*", "sourcePortRange": "*",
                "destinationAddressPrefix": "*", "destinationPortRange": "443" } }
        ]}
    });
    let loaded = load_input(&nsg.to_string(), "nsg.json").expect("loads");
    let priority = loaded
        .diagnostics
        .iter()
        .find(|d| d.is_error() && d.message.contains("priority 50"))
        .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    assert_eq!(priority.path, "nsg.json: $.properties.securityRules[1]");
    assert_eq!(priority.element, "nsg/low");
    // The design orders rules by priority, so the design path differs from the input's.
    assert!(
        priority
            .message
            .ends_with("(converted design: $.network_security_groups[0].rules[0].priority)"),
        "{priority}"
    );
}

fn design_error(mutate: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut design: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("tests/fixtures/workshop.json").unwrap())
            .unwrap();
    mutate(&mut design);
    load_input(&design.to_string(), "design.json")
        .map(|_| "loaded".to_string())
        .unwrap_or_else(|e| e.to_string())
}

#[test]
fn wrong_types_say_what_was_expected_and_what_was_found() {
    let rule = "/network_security_groups/0/rules/0";
    let priority = design_error(|d| {
        *d.pointer_mut(&format!("{rule}/priority")).unwrap() = json!("abc");
    });
    assert!(
        priority.contains(".rules[0].priority (line 1"),
        "{priority}"
    );
    assert!(
        priority
            .ends_with(": expected a whole number from 0 to 4294967295, found a string \"abc\""),
        "{priority}"
    );
    let direction = design_error(|d| {
        *d.pointer_mut(&format!("{rule}/direction")).unwrap() = json!(true);
    });
    assert!(direction.contains(".rules[0].direction"), "{direction}");
    assert!(
        direction.contains(
            "expected one of the names this field accepts (a string), found a bool `true`"
        ),
        "{direction}"
    );
    let source = design_error(|d| {
        *d.pointer_mut(&format!("{rule}/source")).unwrap() = json!(5);
    });
    assert!(
        source.contains("expected an array, found the number 5"),
        "{source}"
    );
}

#[test]
fn a_megabyte_value_is_quoted_as_an_excerpt_with_its_length() {
    let long = "a".repeat(1_000_000);
    let error = design_error(|d| {
        *d.pointer_mut("/network_security_groups/0/rules/0/priority")
            .unwrap() = json!(long);
    });
    assert!(error.len() < 400, "{} characters", error.len());
    assert!(error.contains("… (1000000 characters)"), "{error}");
}

#[test]
fn parameters_file_errors_have_a_path() {
    let template =
        std::fs::read_to_string("../shared/fixtures/arm/azure-bastion-nsg/azuredeploy.json")
            .expect("fixture");
    let inputs = |parameters: serde_json::Value| TemplateInputs {
        parameters_file: Some(("p.json".to_string(), parameters.to_string())),
        ..TemplateInputs::default()
    };
    let missing = load_template(
        &template,
        "t.json",
        &inputs(json!({ "parameters": { "location": { "values": "eastus" } } })),
    )
    .expect_err("no value");
    assert_eq!(missing.source, "p.json");
    assert_eq!(missing.path.as_deref(), Some("$.parameters.location"));
    let wrong = load_template(&template, "t.json", &inputs(json!({ "parameters": [] })))
        .expect_err("not an object");
    assert_eq!(wrong.path.as_deref(), Some("$.parameters"));
    assert!(wrong.message.contains("found an array"), "{wrong}");
}

#[test]
fn an_undeclared_parameter_is_reported_in_the_parameters_file() {
    let template =
        std::fs::read_to_string("../shared/fixtures/arm/azure-bastion-nsg/azuredeploy.json")
            .expect("fixture");
    let inputs = TemplateInputs {
        parameters_file: Some((
            "p.json".to_string(),
            json!({ "parameters": { "nope": { "value": 1 } } }).to_string(),
        )),
        ..TemplateInputs::default()
    };
    let loaded = load_template(&template, "t.json", &inputs).expect("loads");
    let undeclared = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("declares no such parameter"))
        .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    assert_eq!(undeclared.path, "p.json: $.parameters.nope");
}

#[test]
fn firewall_policy_diagnostics_reach_the_rule_collection_and_the_rule() {
    let input = "../shared/fixtures/rest/network-2021-05-01/FirewallPolicyRuleCollectionGroupWithIpGroupsPut.json";
    let text = std::fs::read_to_string(input).expect("fixture");
    let loaded = load_input(&text, "rcg.json").expect("loads");
    let located = |needle: &str| {
        loaded
            .diagnostics
            .iter()
            .find(|d| d.is_error() && d.message.contains(needle))
            .map(|d| d.path.clone())
            .unwrap_or_else(|| panic!("{needle}: {:?}", loaded.diagnostics))
    };
    let body = "rcg.json: $.responses[\"200\"].body.properties.ruleCollections[0]";
    assert_eq!(located("priority 0"), body);
    assert_eq!(located("`ipGroups1`"), format!("{body}.rules[0]"));
}

#[test]
fn errors_about_several_documents_name_the_document() {
    let design = std::fs::read_to_string("tests/fixtures/workshop.json").expect("fixture");
    let twice = load_input(&format!("{design}\n{design}"), "two.json").expect_err("two designs");
    assert_eq!(
        (twice.document, twice.path.as_deref()),
        (Some(2), Some("$"))
    );
    let nsg = json!({ "name": "nsg", "type": "Microsoft.Network/networkSecurityGroups", "properties": {} });
    let mixed = load_input(&format!("{nsg}\n{design}"), "mixed.json").expect_err("mixed");
    assert_eq!(
        (mixed.document, mixed.path.as_deref()),
        (Some(2), Some("$"))
    );
    assert!(
        mixed.to_string().starts_with("mixed.json, document 2: $: "),
        "{mixed}"
    );
}
