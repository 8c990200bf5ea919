//! Storage accounts, key vaults, container registries (their network rules and public access),
//! service endpoint storage policies, the AML workspace (public access, managed network) and
//! its compute instances and clusters, lowered to ARM properties.

use serde_json::{json, Map, Value};

use super::attrs::{enabled, put, Attrs};

fn public_access(p: &mut Map<String, Value>, a: Attrs) {
    put(
        p,
        "publicNetworkAccess",
        a.flag("public_network_access_enabled").map(enabled),
    );
}

/// `network_rules` / `network_acls` / `azurerm_storage_account_network_rules` → `networkAcls`.
pub(super) fn network_acls(rules: Attrs) -> Value {
    let bypass: Vec<String> = rules
        .list("bypass")
        .iter()
        .filter_map(|b| b.as_str().map(str::to_string))
        .collect();
    let ip_rules: Vec<Value> = rules
        .list("ip_rules")
        .into_iter()
        .map(|value| json!({ "value": value, "action": "Allow" }))
        .collect();
    let subnets: Vec<Value> = rules
        .list("virtual_network_subnet_ids")
        .into_iter()
        .map(|id| json!({ "id": id, "action": "Allow" }))
        .collect();
    let resources: Vec<Value> = rules
        .blocks("private_link_access")
        .into_iter()
        .map(|access| json!({ "resourceId": access.get("endpoint_resource_id"), "tenantId": access.get("endpoint_tenant_id") }))
        .collect();
    json!({
        "defaultAction": rules.get("default_action"),
        "bypass": if bypass.is_empty() { "None".to_string() } else { bypass.join(", ") },
        "ipRules": ip_rules,
        "virtualNetworkRules": subnets,
        "resourceAccessRules": resources,
    })
}

pub(super) fn storage_account(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    public_access(&mut p, a);
    if let Some(rules) = a.block("network_rules") {
        p.insert("networkAcls".into(), network_acls(rules));
    }
    p
}

pub(super) fn key_vault(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    public_access(&mut p, a);
    if let Some(rules) = a.block("network_acls") {
        p.insert("networkAcls".into(), network_acls(rules));
    }
    put(
        &mut p,
        "enablePurgeProtection",
        a.get("purge_protection_enabled").cloned(),
    );
    p
}

pub(super) fn container_registry(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    public_access(&mut p, a);
    if let Some(rules) = a.block("network_rule_set") {
        let ip_rules: Vec<Value> = rules
            .blocks("ip_rule")
            .into_iter()
            .map(|rule| json!({ "value": rule.get("ip_range"), "action": rule.get("action") }))
            .collect();
        p.insert(
            "networkRuleSet".into(),
            json!({ "defaultAction": rules.get("default_action"), "ipRules": ip_rules }),
        );
    }
    put(
        &mut p,
        "networkRuleBypassOptions",
        a.get("network_rule_bypass_option").cloned(),
    );
    p
}

pub(super) fn service_endpoint_policy(a: Attrs) -> Map<String, Value> {
    let definitions: Vec<Value> = a
        .blocks("definition")
        .into_iter()
        .map(|d| {
            json!({
                "name": d.text("name"),
                "properties": {
                    "service": d.text("service").unwrap_or("Microsoft.Storage"),
                    "serviceResources": d.list("service_resources"),
                    "description": d.get("description"),
                }
            })
        })
        .collect();
    let mut p = Map::new();
    p.insert(
        "serviceEndpointPolicyDefinitions".into(),
        Value::Array(definitions),
    );
    p
}

pub(super) fn workspace(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    for (attribute, key) in [
        ("storage_account_id", "storageAccount"),
        ("key_vault_id", "keyVault"),
        ("container_registry_id", "containerRegistry"),
        ("application_insights_id", "applicationInsights"),
        ("image_build_compute_name", "imageBuildCompute"),
        ("high_business_impact", "hbiWorkspace"),
    ] {
        put(&mut p, key, a.get(attribute).cloned());
    }
    public_access(&mut p, a);
    if let Some(network) = a.block("managed_network") {
        p.insert(
            "managedNetwork".into(),
            json!({ "isolationMode": network.get("isolation_mode"), "outboundRules": {} }),
        );
    }
    p
}

/// Compute instance or cluster: its subnet and whether nodes get public IPs (3.x
/// `node_public_ip_enabled`; default true).
pub(super) fn compute(a: Attrs, compute_type: &str) -> Value {
    let mut settings = Map::new();
    put(&mut settings, "subnet", a.reference("subnet_resource_id"));
    put(
        &mut settings,
        "enableNodePublicIp",
        a.get("node_public_ip_enabled").cloned(),
    );
    put(
        &mut settings,
        "vmSize",
        a.either(&["vm_size", "virtual_machine_size"]).cloned(),
    );
    json!({ "computeType": compute_type, "properties": settings })
}
