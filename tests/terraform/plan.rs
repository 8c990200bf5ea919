//! `terraform show -json` plans and states, detected by `load_input` and mapped like HCL
//! (https://developer.hashicorp.com/terraform/internals/json-format).

use vnetlab::import::{load_input, InputFormat};

fn load(name: &str) -> vnetlab::import::Loaded {
    let path = format!("tests/fixtures/terraform-json/{name}");
    let text = std::fs::read_to_string(&path).expect("fixture");
    load_input(&text, &path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The plan creates a subnet in a module and attaches an NSG through the module's input:
/// `after_unknown` marks both ids, and the `configuration`'s references resolve them.
#[test]
fn a_plan_is_detected_and_its_unknown_ids_resolve_through_the_configuration() {
    let loaded = load("plan.json");
    assert_eq!(loaded.format, InputFormat::TerraformPlan);
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diagnostics
    );
    let vnet = &loaded.design.virtual_networks[0];
    assert_eq!(vnet.name, "vnet-plan");
    assert_eq!(vnet.subnets[0].name, "snet-app");
    assert_eq!(vnet.subnets[0].nsg.as_deref(), Some("nsg-plan"));
    assert_eq!(
        loaded.design.network_security_groups[0].rules[0].name,
        "deny-internet"
    );
    // What stays unknown is reported with the resource's place in the plan.
    let unknown: Vec<&str> = loaded
        .summary
        .unevaluated
        .iter()
        .map(|u| u.expression.as_str())
        .collect();
    assert_eq!(
        unknown,
        [
            "azurerm_virtual_network.vnet.guid",
            "azurerm_virtual_network.vnet.subnet"
        ]
    );
    assert!(loaded.summary.unevaluated[0]
        .path
        .ends_with("$.planned_values.root_module.resources[1]"));
}

#[test]
fn a_state_is_detected_and_keeps_its_ids() {
    let loaded = load("state.json");
    assert_eq!(loaded.format, InputFormat::TerraformPlan);
    let vnet = &loaded.design.virtual_networks[0];
    assert_eq!(
        (vnet.name.as_str(), vnet.region.as_str()),
        ("vnet-state", "westeurope")
    );
    assert_eq!(vnet.subnets[0].prefix.to_string(), "10.50.1.0/24");
    assert!(loaded.summary.unevaluated.is_empty());
}

#[test]
fn an_empty_state_is_an_error_saying_what_is_missing() {
    let error = load_input(
        r#"{"format_version": "1.0", "terraform_version": "1.9.5"}"#,
        "empty.json",
    )
    .unwrap_err();
    assert!(error.message.contains("root_module"), "{error}");
}
