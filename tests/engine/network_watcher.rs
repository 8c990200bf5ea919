//! Reproduces Azure Network Watcher outputs (`../shared/fixtures/network-watcher`): the NSG
//! diagnostics tutorial (both steps) and the three IP flow verify results.

use serde_json::{json, Value};
use vnetlab::engine::{Step, Verdict};
use vnetlab::model::Protocol;

use super::support::{engine, expect_decided, set, tcp, trace};

/// The tutorial: VNet 10.0.0.0/16, mySubnet (NSG mySubnet-nsg, defaults only), Bastion subnet,
/// myVM 10.0.0.4 with NIC NSG myVM-nsg.
fn tutorial(nic_rules: Value) -> Value {
    json!({
        "schema_version": 1, "name": "network-watcher-tutorial",
        "virtual_networks": [{"name": "myVNet", "region": "eastus", "address_space": ["10.0.0.0/16"], "subnets": [
            {"name": "mySubnet", "prefix": "10.0.0.0/24", "nsg": "mySubnet-nsg"},
            {"name": "AzureBastionSubnet", "prefix": "10.0.1.0/26"}
        ]}],
        "network_security_groups": [{"name": "mySubnet-nsg"}, {"name": "myVM-nsg", "rules": nic_rules}],
        "computes": [{"name": "myVM", "kind": "virtual_machine", "nic": {"subnet": "myVNet/mySubnet", "private_ip": "10.0.0.4", "public_ip": "20.0.0.4", "nsg": "myVM-nsg"}}]
    })
}

/// (NSG name, matched rule) per evaluated NSG, and the final access, from a fixture.
fn expected(file: &str) -> (Vec<(String, String)>, String) {
    let path = format!("../shared/fixtures/network-watcher/{file}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let result = &value["results"][0]["networkSecurityGroupResult"];
    let matched = result["evaluatedNetworkSecurityGroups"]
        .as_array()
        .expect("evaluated NSGs")
        .iter()
        .filter_map(|nsg| {
            let id = nsg["networkSecurityGroupId"].as_str()?;
            let name = id.split("/networkSecurityGroups/").nth(1)?;
            let rule = nsg["matchedRule"]["ruleName"].as_str()?;
            let rule = rule
                .trim_start_matches("DefaultRule_")
                .trim_start_matches("UserRule_");
            Some((name.to_string(), rule.to_string()))
        })
        .collect();
    (
        matched,
        result["securityRuleAccessResult"]
            .as_str()
            .expect("access")
            .to_string(),
    )
}

fn check_diagnostic(file: &str, nic_rules: Value) {
    let (expected_rules, access) = expected(file);
    let engine = engine(&tutorial(nic_rules));
    // Profile: inbound TCP from 10.0.1.0/26 (an address in it) to 10.0.0.4, any port.
    let trace = trace(&engine, "10.0.1.4", "10.0.0.4", Protocol::Tcp, None);
    let actual: Vec<(String, String)> = trace
        .hops
        .iter()
        .filter(|h| h.step == Step::NsgInbound)
        .filter_map(|h| Some((h.element.clone(), h.rule.as_ref()?.name.clone())))
        .collect();
    assert_eq!(actual, expected_rules, "{file}");
    let verdict = if access == "Allow" {
        Verdict::Allowed
    } else {
        Verdict::Blocked
    };
    assert_eq!(trace.verdict, verdict, "{file}: {}", trace.reason);
}

#[test]
fn nsg_diagnostics_step_1_denies_vnet_inbound() {
    check_diagnostic(
        "az-run-configuration-diagnostic.denied.json",
        json!([
            {"name": "DenyVnetInBound", "priority": 1000, "direction": "Inbound", "access": "Deny", "protocol": "*", "source": ["VirtualNetwork"]}
        ]),
    );
}

#[test]
fn nsg_diagnostics_step_2_allows_bastion() {
    check_diagnostic(
        "az-run-configuration-diagnostic.allowed.json",
        json!([
            {"name": "DenyVnetInBound", "priority": 1000, "direction": "Inbound", "access": "Deny", "protocol": "*", "source": ["VirtualNetwork"]},
            {"name": "AllowBastionConnections", "priority": 900, "direction": "Inbound", "access": "Allow", "protocol": "*", "source": ["10.0.1.0/26"]}
        ]),
    );
}

#[test]
fn ip_flow_verify_results_of_the_tutorial_vm() {
    let mut design = tutorial(
        json!([{"name": "default-allow-ssh", "priority": 1000, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "destination_ports": ["22"]}]),
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/nsg",
        Value::Null,
    );
    let engine = engine(&design);
    let outbound_internet = tcp(&engine, "myVM", "13.107.21.200", 80);
    assert_eq!(outbound_internet.verdict, Verdict::Allowed);
    assert!(outbound_internet
        .hops
        .iter()
        .any(|h| h.step == Step::NsgOutbound
            && h.rule
                .as_ref()
                .is_some_and(|r| r.name == "AllowInternetOutBound")));
    expect_decided(
        &tcp(&engine, "myVM", "172.31.0.100", 80),
        Verdict::Blocked,
        Step::NsgOutbound,
        "DenyAllOutBound",
    );
    expect_decided(
        &tcp(&engine, "172.31.0.100", "myVM", 80),
        Verdict::Blocked,
        Step::NsgInbound,
        "DenyAllInBound",
    );
}
