//! Network security perimeter import from Azure REST JSON and ARM templates: the inputs of
//! `tests/fixtures/perimeter/` (Microsoft's REST examples, api-version 2024-07-01, and the same
//! perimeter as a template; its README says where each comes from).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::json;
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget, Step, Verdict};
use vnetlab::import::load_input;
use vnetlab::model::{InboundAccessRule, OutboundAccessRule, PerimeterAccessMode, Protocol};

const NSP: &str = "/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/networkSecurityPerimeters/nsp1";

fn fixture(name: &str) -> String {
    let path = format!("tests/fixtures/perimeter/{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn rest_resources() -> serde_json::Value {
    serde_json::from_str(&fixture("rest-examples.json")).expect("the REST examples are JSON")
}

#[test]
fn rest_examples_import_perimeter_profile_rules_and_association() {
    let loaded = load_input(&rest_resources().to_string(), "nsp.json").expect("loads");
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diagnostics
    );
    let perimeter = &loaded.design.network_security_perimeters[0];
    assert_eq!(perimeter.name, "nsp1");
    let profile = &perimeter.profiles[0];
    assert_eq!(profile.name, "profile1");
    assert_eq!(
        profile.inbound_rules,
        [InboundAccessRule {
            name: "accessRule1".into(),
            address_prefixes: vec![
                "10.11.0.0/16".parse().unwrap(),
                "10.10.1.0/24".parse().unwrap()
            ],
            subscriptions: vec![],
        }]
    );
    assert_eq!(
        profile.outbound_rules,
        [OutboundAccessRule {
            name: "outbound1".into(),
            fqdns: vec!["*.partner.example".into()],
        }]
    );
    let association = &perimeter.associations[0];
    assert_eq!(
        (
            association.resource.as_str(),
            association.profile.as_str(),
            association.access_mode
        ),
        ("st1", "profile1", PerimeterAccessMode::Enforced)
    );
    // The email notification rule is reported, not silently dropped.
    assert!(
        loaded.diagnostics.iter().any(|d| d
            .message
            .contains("email notification rules are not modelled")),
        "{:?}",
        loaded.diagnostics
    );
    // The imported perimeter decides: the account's own default Allow no longer applies.
    let engine = Engine::new(&loaded.design);
    let trace = engine
        .trace(&Flow::new(
            FlowSource::Address("203.0.113.9".parse().unwrap()),
            FlowTarget::Element("st1".into()),
            Protocol::Tcp,
            Some(443),
        ))
        .expect("traces");
    assert_eq!(trace.verdict, Verdict::Blocked, "{}", trace.reason);
    assert_eq!(
        trace.decided_by.map(|h| (h.step, h.element)),
        Some((Step::Perimeter, "nsp1".to_string()))
    );
}

/// An association with a resource type vnetlab does not model (an Event Hubs namespace) is
/// reported and not imported; an unknown access mode is reported.
#[test]
fn unmodelled_members_and_modes_are_reported() {
    let mut resources = rest_resources();
    resources.as_array_mut().unwrap().push(json!(
        {"name": "hub", "id": format!("{NSP}/resourceAssociations/hub"),
         "type": "Microsoft.Network/networkSecurityPerimeters/resourceAssociations",
         "properties": {"privateLinkResource": {"id": "/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.EventHub/namespaces/hub1"},
                        "profile": {"id": format!("{NSP}/profiles/profile1")}, "accessMode": "Enforced"}}));
    resources[5]["properties"]["accessMode"] = json!("Strict");
    let loaded = load_input(&resources.to_string(), "nsp.json").expect("loads");
    let messages: Vec<&str> = loaded
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`hub1` is not a storage account or key vault")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("Strict")),
        "{messages:?}"
    );
    assert_eq!(
        loaded.design.network_security_perimeters[0]
            .associations
            .len(),
        1
    );
}

/// The same perimeter written as an ARM template (child resources named `nsp/profile/rule`).
#[test]
fn arm_template_perimeter_resources_import() {
    let loaded = load_input(&fixture("azuredeploy.json"), "azuredeploy.json").expect("loads");
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diagnostics
    );
    let perimeter = &loaded.design.network_security_perimeters[0];
    assert_eq!(
        perimeter.profiles[0].inbound_rules[0].name,
        "own-subscription"
    );
    assert_eq!(
        perimeter.profiles[0].inbound_rules[0].subscriptions.len(),
        1
    );
    let association = &perimeter.associations[0];
    assert_eq!(
        (
            association.resource.as_str(),
            association.profile.as_str(),
            association.access_mode
        ),
        ("st1", "profile1", PerimeterAccessMode::Learning)
    );
}

/// The import summary counts perimeters, access rules and associations; a validation error of
/// the converted design (an association naming an account the input lacks) points into the
/// user's file at the association resource, keeping the design path in the message.
#[test]
fn summary_counts_and_errors_point_into_the_input() {
    let mut resources = rest_resources();
    resources[5]["properties"]["privateLinkResource"]["id"] = json!(
        "/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/st9"
    );
    let loaded = load_input(&resources.to_string(), "nsp.json").expect("loads");
    assert_eq!(loaded.summary.count("network_security_perimeters"), 1);
    assert_eq!(loaded.summary.count("perimeter_access_rules"), 2);
    assert_eq!(loaded.summary.count("perimeter_associations"), 1);
    let error = loaded
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("the unknown account is an error");
    assert!(
        error.path.contains("nsp.json") && error.path.contains("$[5]"),
        "{error:?}"
    );
    assert!(
        error.message.contains("`st9`")
            && error.message.contains(
                "converted design: $.network_security_perimeters[0].associations[0].resource"
            ),
        "{error:?}"
    );
}
