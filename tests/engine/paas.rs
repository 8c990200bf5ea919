//! Service endpoints, service endpoint policies and the storage / key vault firewalls.

use serde_json::json;
use vnetlab::engine::{Step, Verdict};

use super::support::{base, engine, expect, expect_decided, push, set, tcp};

fn with_endpoint_policy(
    resources: serde_json::Value,
    aliases: serde_json::Value,
) -> serde_json::Value {
    let mut design = base();
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/service_endpoints",
        json!(["Microsoft.Storage"]),
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/service_endpoint_policies",
        json!(["sep-aml"]),
    );
    let mut definitions = vec![
        json!({"name": "workspace-storage", "service": "Microsoft.Storage", "service_resources": resources}),
    ];
    if aliases.as_array().is_some_and(|a| !a.is_empty()) {
        definitions
            .push(json!({"name": "aml-alias", "service": "Global", "service_resources": aliases}));
    }
    set(
        &mut design,
        "/service_endpoint_policies",
        json!([{"name": "sep-aml", "definitions": definitions}]),
    );
    design
}

#[test]
fn a_policy_is_an_allow_list_for_endpoint_traffic() {
    let design = with_endpoint_policy(json!(["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/wsstorage"]), json!(["/services/Azure/MachineLearning"]));
    let engine = engine(&design);
    expect(
        &tcp(&engine, "ci", "wsstorage", 443),
        Verdict::Allowed,
        Step::Sep,
        "sep-aml/workspace-storage",
    );
    expect(
        &tcp(&engine, "ci", "batchstorage", 443),
        Verdict::Allowed,
        Step::Sep,
        "sep-aml/aml-alias",
    );
    expect_decided(
        &tcp(&engine, "ci", "roguestorage", 443),
        Verdict::Blocked,
        Step::Sep,
        "not in policy",
    );
    // An unmodelled account's region is unknown: it is not assumed to ride the endpoint.
    let unmodelled = tcp(&engine, "ci", "attacker.blob.core.windows.net", 443);
    assert!(
        !unmodelled.passed_through(Step::ServiceEndpoint),
        "{:?}",
        unmodelled.hops
    );
    // Another region is outside Microsoft.Storage's scope: the policy does not apply.
    let far = tcp(&engine, "ci", "farstorage", 443);
    assert_eq!(far.verdict, Verdict::Allowed);
    assert!(!far.passed_through(Step::Sep));
}

#[test]
fn policy_scopes_cover_resource_groups_and_subscriptions() {
    for scope in [
        "/subscriptions/evil/resourceGroups/rg",
        "/subscriptions/evil",
        "roguestorage",
    ] {
        let engine = engine(&with_endpoint_policy(json!([scope]), json!([])));
        expect(
            &tcp(&engine, "ci", "roguestorage", 443),
            Verdict::Allowed,
            Step::Sep,
            "sep-aml/workspace-storage",
        );
        expect_decided(
            &tcp(&engine, "ci", "wsstorage", 443),
            Verdict::Blocked,
            Step::Sep,
            "not in policy",
        );
    }
}

#[test]
fn without_a_policy_every_account_is_reachable_over_the_endpoint() {
    let mut design = base();
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/service_endpoints",
        json!(["Microsoft.Storage"]),
    );
    let trace = tcp(&engine(&design), "ci", "roguestorage", 443);
    assert_eq!(trace.verdict, Verdict::Allowed);
    assert!(trace.passed_through(Step::ServiceEndpoint) && trace.passed_through(Step::Sep));
}

#[test]
fn storage_firewall_virtual_network_and_ip_rules() {
    let mut design = base();
    set(
        &mut design,
        "/resources/0/network_acls",
        json!({"default_action": "Deny", "virtual_network_rules": ["vnet/training"]}),
    );
    // Without the endpoint, the account sees a public (default outbound) address: denied.
    expect_decided(
        &tcp(&engine(&design), "ci", "wsstorage", 443),
        Verdict::Blocked,
        Step::StorageFirewall,
        "defaultAction: Deny",
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/service_endpoints",
        json!(["Microsoft.Storage"]),
    );
    expect(
        &tcp(&engine(&design), "ci", "wsstorage", 443),
        Verdict::Allowed,
        Step::StorageFirewall,
        "virtual network rule vnet/training",
    );

    // IP rules do not apply to callers in the account's region.
    let mut design = base();
    set(&mut design, "/computes/0/nic/public_ip", json!("52.1.1.4"));
    set(
        &mut design,
        "/resources/0/network_acls",
        json!({"default_action": "Deny", "ip_rules": ["52.1.1.4/32"]}),
    );
    set(
        &mut design,
        "/resources/2/network_acls",
        json!({"default_action": "Deny", "ip_rules": ["52.1.1.0/24"]}),
    );
    let engine = engine(&design);
    let same_region = tcp(&engine, "ci", "wsstorage", 443);
    expect_decided(
        &same_region,
        Verdict::Blocked,
        Step::StorageFirewall,
        "defaultAction: Deny",
    );
    assert!(
        same_region.reason.contains("own Azure region"),
        "{}",
        same_region.reason
    );
    expect(
        &tcp(&engine, "ci", "farstorage", 443),
        Verdict::Allowed,
        Step::StorageFirewall,
        "IP rule 52.1.1.0/24",
    );
}

/// Storage with `publicNetworkAccess: Disabled`: the Azure Storage network security overview
/// (learn.microsoft.com/azure/storage/common/storage-network-security-overview, 2025) keeps
/// resource-instance rules and trusted-service exceptions in effect (the default); the option
/// off is the older reading where only private endpoints pass. A compute in the VNet without a
/// private endpoint is refused either way. (issue 12, defect 3)
#[test]
fn public_network_access_disabled_and_trusted_services() {
    let mut design = base();
    set(
        &mut design,
        "/resources/0/public_network_access",
        json!("Disabled"),
    );
    set(
        &mut design,
        "/resources/0/network_acls",
        json!({"default_action": "Deny", "bypass_azure_services": true, "resource_access_rules": ["ws"]}),
    );
    let cases = [
        (
            None,
            "ci",
            Verdict::Blocked,
            "publicNetworkAccess: Disabled",
        ),
        (None, "ws", Verdict::Allowed, "resource instance rule"),
        (Some(true), "ws", Verdict::Allowed, "resource instance rule"),
        (
            Some(false),
            "ws",
            Verdict::Blocked,
            "publicNetworkAccess: Disabled",
        ),
        (
            Some(false),
            "ci",
            Verdict::Blocked,
            "publicNetworkAccess: Disabled",
        ),
    ];
    for (option, from, verdict, rule) in cases {
        let mut case = design.clone();
        if let Some(value) = option {
            set(
                &mut case,
                "/options",
                json!({"storage_disabled_allows_exceptions": value}),
            );
        }
        let trace = tcp(&engine(&case), from, "wsstorage", 443);
        if verdict == Verdict::Allowed {
            expect(&trace, verdict, Step::StorageFirewall, rule);
        } else {
            expect_decided(&trace, verdict, Step::StorageFirewall, rule);
        }
    }

    let mut enabled = base();
    set(
        &mut enabled,
        "/resources/0/network_acls",
        json!({"default_action": "Deny", "bypass_azure_services": true}),
    );
    expect(
        &tcp(&engine(&enabled), "ws", "wsstorage", 443),
        Verdict::Allowed,
        Step::StorageFirewall,
        "trusted services bypass",
    );
}

#[test]
fn key_vault_with_public_access_disabled_still_admits_trusted_services() {
    let mut design = base();
    push(
        &mut design,
        "/resources",
        json!({"name": "kv", "kind": "key_vault", "region": "eastus", "public_network_access": "Disabled", "network_acls": {"default_action": "Deny", "bypass_azure_services": true}}),
    );
    let engine = engine(&design);
    expect(
        &tcp(&engine, "ws", "kv", 443),
        Verdict::Allowed,
        Step::KeyVaultFirewall,
        "trusted services bypass",
    );
    expect_decided(
        &tcp(&engine, "ci", "kv", 443),
        Verdict::Blocked,
        Step::KeyVaultFirewall,
        "publicNetworkAccess: Disabled",
    );
}

#[test]
fn policy_definitions_are_validated() {
    let mut design = with_endpoint_policy(
        json!(["wsstorage"]),
        json!(["/services/Azure/MachineLernin"]),
    );
    push(
        &mut design,
        "/service_endpoint_policies/0/definitions",
        json!({"name": "misplaced", "service": "Microsoft.Storage", "service_resources": ["/services/Azure/MachineLearning"]}),
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/service_endpoints",
        json!([]),
    );
    let engine = engine(&design);
    let messages: Vec<(bool, &str)> = engine
        .diagnostics()
        .iter()
        .map(|d| (d.is_error(), d.message.as_str()))
        .collect();
    assert!(
        messages
            .iter()
            .any(|(error, m)| !error && m.contains("MachineLernin")),
        "{messages:?}"
    );
    assert!(messages.iter().any(|(error, m)| *error && m.contains("belongs in a definition with service `Global`")), "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|(error, m)| *error && m.contains("needs the Microsoft.Storage service endpoint")),
        "{messages:?}"
    );
}
