//! Azure Firewall (its IP configurations, policy, classic rule collections) and firewall
//! policies (DNS proxy, explicit proxy) with their rule collection groups, lowered to ARM
//! properties.

use serde_json::{json, Map, Value};

use super::attrs::{put, Attrs};
use super::network::ip_configurations;

pub(super) fn firewall(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert(
        "ipConfigurations".into(),
        Value::Array(ip_configurations(a)),
    );
    put(&mut p, "firewallPolicy", a.reference("firewall_policy_id"));
    put(
        &mut p,
        "threatIntelMode",
        a.get("threat_intel_mode").cloned(),
    );
    put(
        &mut p,
        "sku",
        a.get("sku_tier").map(|tier| json!({ "name": a.get("sku_name").cloned().unwrap_or(json!("AZFW_VNet")), "tier": tier })),
    );
    p
}

/// A classic `azurerm_firewall_{network,application,nat}_rule_collection`: the ARM property
/// of the firewall it goes into and the collection.
pub(super) fn classic_collection(type_name: &str, a: Attrs) -> Option<(&'static str, Value)> {
    let (property, rules): (&str, Vec<Value>) = match type_name {
        "azurerm_firewall_network_rule_collection" => (
            "networkRuleCollections",
            a.blocks("rule")
                .into_iter()
                .map(|r| json!({
                    "name": r.text("name"),
                    "protocols": r.list("protocols"),
                    "sourceAddresses": r.list("source_addresses"),
                    "sourceIpGroups": r.list("source_ip_groups"),
                    "destinationAddresses": r.list("destination_addresses"),
                    "destinationIpGroups": r.list("destination_ip_groups"),
                    "destinationFqdns": r.list("destination_fqdns"),
                    "destinationPorts": r.list("destination_ports"),
                }))
                .collect(),
        ),
        "azurerm_firewall_application_rule_collection" => (
            "applicationRuleCollections",
            a.blocks("rule")
                .into_iter()
                .map(|r| json!({
                    "name": r.text("name"),
                    "sourceAddresses": r.list("source_addresses"),
                    "sourceIpGroups": r.list("source_ip_groups"),
                    "targetFqdns": r.list("target_fqdns"),
                    "fqdnTags": r.list("fqdn_tags"),
                    "protocols": r.blocks("protocol").into_iter()
                        .map(|p| json!({ "protocolType": p.get("type"), "port": p.get("port") }))
                        .collect::<Vec<_>>(),
                }))
                .collect(),
        ),
        "azurerm_firewall_nat_rule_collection" => (
            "natRuleCollections",
            a.blocks("rule")
                .into_iter()
                .map(|r| json!({
                    "name": r.text("name"),
                    "protocols": r.list("protocols"),
                    "sourceAddresses": r.list("source_addresses"),
                    "destinationAddresses": r.list("destination_addresses"),
                    "destinationPorts": r.list("destination_ports"),
                    "translatedAddress": r.get("translated_address"),
                    "translatedPort": r.get("translated_port"),
                }))
                .collect(),
        ),
        _ => return None,
    };
    Some((
        property,
        json!({
            "name": a.text("name"),
            "properties": {
                "priority": a.get("priority"),
                "action": { "type": a.get("action") },
                "rules": rules,
            }
        }),
    ))
}

pub(super) fn policy(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    put(&mut p, "basePolicy", a.reference("base_policy_id"));
    put(
        &mut p,
        "threatIntelMode",
        a.get("threat_intelligence_mode").cloned(),
    );
    if let Some(dns) = a.block("dns") {
        p.insert(
            "dnsSettings".into(),
            json!({ "enableProxy": dns.get("proxy_enabled"), "servers": dns.list("servers") }),
        );
    }
    if let Some(proxy) = a.block("explicit_proxy") {
        p.insert(
            "explicitProxy".into(),
            json!({
                "enableExplicitProxy": proxy.get("enabled"),
                "httpPort": proxy.get("http_port"),
                "httpsPort": proxy.get("https_port"),
                "enablePacFile": proxy.get("enable_pac_file"),
            }),
        );
    }
    put(
        &mut p,
        "sku",
        a.get("sku").map(|tier| json!({ "tier": tier })),
    );
    p
}

pub(super) fn rule_collection_group(a: Attrs) -> Map<String, Value> {
    let mut collections = Vec::new();
    for c in a.blocks("network_rule_collection") {
        collections.push(filter_collection(c, rules(c, network_rule)));
    }
    for c in a.blocks("application_rule_collection") {
        collections.push(filter_collection(c, rules(c, application_rule)));
    }
    for c in a.blocks("nat_rule_collection") {
        collections.push(json!({
            "ruleCollectionType": "FirewallPolicyNatRuleCollection",
            "name": c.text("name"),
            "priority": c.get("priority"),
            "action": { "type": "DNAT" },
            "rules": rules(c, nat_rule),
        }));
    }
    let mut p = Map::new();
    put(&mut p, "priority", a.get("priority").cloned());
    p.insert("ruleCollections".into(), Value::Array(collections));
    p
}

/// A rule collection's `rule` blocks, each lowered by `lower`.
fn rules(collection: Attrs, lower: fn(Attrs) -> Value) -> Vec<Value> {
    collection.blocks("rule").into_iter().map(lower).collect()
}

fn network_rule(r: Attrs) -> Value {
    json!({
        "ruleType": "NetworkRule",
        "name": r.text("name"),
        "ipProtocols": r.list("protocols"),
        "sourceAddresses": r.list("source_addresses"),
        "sourceIpGroups": r.list("source_ip_groups"),
        "destinationAddresses": r.list("destination_addresses"),
        "destinationIpGroups": r.list("destination_ip_groups"),
        "destinationFqdns": r.list("destination_fqdns"),
        "destinationPorts": r.list("destination_ports"),
    })
}

fn application_rule(r: Attrs) -> Value {
    json!({
        "ruleType": "ApplicationRule",
        "name": r.text("name"),
        "protocols": r.blocks("protocols").into_iter()
            .map(|p| json!({ "protocolType": p.get("type"), "port": p.get("port") }))
            .collect::<Vec<_>>(),
        "sourceAddresses": r.list("source_addresses"),
        "sourceIpGroups": r.list("source_ip_groups"),
        "targetFqdns": r.list("destination_fqdns"),
        "fqdnTags": r.list("destination_fqdn_tags"),
        "destinationAddresses": r.list("destination_addresses"),
        "webCategories": r.list("web_categories"),
    })
}

fn nat_rule(r: Attrs) -> Value {
    json!({
        "ruleType": "NatRule",
        "name": r.text("name"),
        "ipProtocols": r.list("protocols"),
        "sourceAddresses": r.list("source_addresses"),
        "sourceIpGroups": r.list("source_ip_groups"),
        "destinationAddresses": r.list("destination_address"),
        "destinationPorts": r.list("destination_ports"),
        "translatedAddress": r.get("translated_address"),
        "translatedFqdn": r.get("translated_fqdn"),
        "translatedPort": r.get("translated_port"),
    })
}

fn filter_collection(c: Attrs, rules: Vec<Value>) -> Value {
    json!({
        "ruleCollectionType": "FirewallPolicyFilterRuleCollection",
        "name": c.text("name"),
        "priority": c.get("priority"),
        "action": { "type": c.get("action") },
        "rules": rules,
    })
}
