//! ARM resources (JSON, as a template's `resources` holds them) for each [`Edit`] that a
//! deployment can express: the edited resource in its state after the fix, child resources by
//! `parent/child` name, references as `[resourceId(…)]` expressions. Bicep is written from
//! these ([`super::bicep`]), so the Bicep snippet declares exactly these resources. A firewall
//! policy's edited rule collection group is written whole (a group is deployed as one), and
//! an NSG that loses rules whole with the rules it keeps (deploying an NSG replaces its rule
//! list). A VM NIC's public IP and a classic firewall's collections are not expressed (`None`).

use serde_json::{json, Map, Value};

use crate::model::{
    ComputeKind, DnatTarget, ManagedIsolationMode, PaasKind, PortRange, Protocol,
    PublicNetworkAccess, RuleCollection, SecurityRule,
};

use super::Edit;

const NETWORK: &str = "2023-09-01";
const MACHINE_LEARNING: &str = "2024-04-01";

/// A literal ARM string: one that starts with `[` is escaped as `[[`, so design text never
/// becomes an expression.
fn literal(text: &str) -> Value {
    if text.starts_with('[') {
        Value::String(format!("[{text}"))
    } else {
        Value::String(text.to_string())
    }
}

/// An ARM string literal inside an expression: `'…'` with `'` doubled.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn resource_id(kind: &str, names: &[&str]) -> Value {
    let arguments: Vec<String> = names.iter().map(|n| quoted(n)).collect();
    Value::String(format!("[resourceId('{kind}', {})]", arguments.join(", ")))
}

fn location() -> Value {
    Value::String("[resourceGroup().location]".into())
}

fn resource(kind: &str, version: &str, name: &str, mut body: Map<String, Value>) -> Value {
    body.insert("type".into(), json!(kind));
    body.insert("apiVersion".into(), json!(version));
    body.insert("name".into(), literal(name));
    Value::Object(body)
}

fn literals<T: ToString>(items: &[T]) -> Value {
    Value::Array(items.iter().map(|i| literal(&i.to_string())).collect())
}

/// ARM's singular / plural pair (`destinationAddressPrefix` / `…Prefixes`).
fn one_or_many<T: ToString>(
    properties: &mut Map<String, Value>,
    singular: &str,
    plural: &str,
    items: &[T],
) {
    if let [one] = items {
        properties.insert(singular.into(), literal(&one.to_string()));
    } else {
        properties.insert(plural.into(), literals(items));
    }
}

/// A protocol as ARM spells it: `*`, `Tcp`, `Udp`, `Icmp`…
pub(super) fn protocol_name(rule: &SecurityRule) -> String {
    let text = rule.protocol.to_string();
    if text == "any" {
        return "*".into();
    }
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}

fn rule_properties(rule: &SecurityRule) -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert("priority".into(), json!(rule.priority));
    properties.insert("direction".into(), json!(format!("{:?}", rule.direction)));
    properties.insert("access".into(), json!(format!("{:?}", rule.access)));
    properties.insert("protocol".into(), json!(protocol_name(rule)));
    one_or_many(
        &mut properties,
        "sourceAddressPrefix",
        "sourceAddressPrefixes",
        &rule.source,
    );
    one_or_many(
        &mut properties,
        "destinationAddressPrefix",
        "destinationAddressPrefixes",
        &rule.destination,
    );
    let ports = |items: &[PortRange]| items.to_vec();
    one_or_many(
        &mut properties,
        "sourcePortRange",
        "sourcePortRanges",
        &ports(&rule.source_ports),
    );
    one_or_many(
        &mut properties,
        "destinationPortRange",
        "destinationPortRanges",
        &ports(&rule.destination_ports),
    );
    properties
}

fn with_properties(properties: Value) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("properties".into(), properties);
    body
}

/// An AML compute's settings without a public IP, in its subnet (`vnet/subnet`).
fn compute_settings(compute: &crate::model::Compute) -> Value {
    let mut settings = json!({"enableNodePublicIp": false});
    if let Some((vnet, subnet)) = compute
        .nic
        .as_ref()
        .and_then(|nic| nic.subnet.split_once('/'))
    {
        settings["subnet"] = json!({"id": resource_id("Microsoft.Network/virtualNetworks/subnets", &[vnet, subnet])});
    }
    settings
}

/// A firewall protocol as a policy rule's `ipProtocols` spells it.
fn ip_protocol(protocol: &Protocol) -> String {
    match protocol {
        Protocol::Any => "Any".into(),
        other => other.to_string().to_uppercase(),
    }
}

fn ip_groups(names: &[String]) -> Value {
    Value::Array(
        names
            .iter()
            .map(|name| resource_id("Microsoft.Network/ipGroups", &[name]))
            .collect(),
    )
}

/// One rule collection of a policy's rule collection group.
fn rule_collection(collection: &RuleCollection) -> Value {
    match collection {
        RuleCollection::Network {
            name,
            priority,
            action,
            rules,
        } => json!({
            "ruleCollectionType": "FirewallPolicyFilterRuleCollection",
            "name": literal(name),
            "priority": priority,
            "action": {"type": format!("{action:?}")},
            "rules": rules.iter().map(|rule| json!({
                "ruleType": "NetworkRule",
                "name": literal(&rule.name),
                "ipProtocols": rule.protocols.iter().map(ip_protocol).collect::<Vec<_>>(),
                "sourceAddresses": literals(&rule.sources),
                "sourceIpGroups": ip_groups(&rule.source_ip_groups),
                "destinationAddresses": literals(&rule.destinations),
                "destinationIpGroups": ip_groups(&rule.destination_ip_groups),
                "destinationFqdns": literals(&rule.destination_fqdns),
                "destinationPorts": literals(&rule.destination_ports),
            })).collect::<Vec<_>>(),
        }),
        RuleCollection::Application {
            name,
            priority,
            action,
            rules,
        } => json!({
            "ruleCollectionType": "FirewallPolicyFilterRuleCollection",
            "name": literal(name),
            "priority": priority,
            "action": {"type": format!("{action:?}")},
            "rules": rules.iter().map(|rule| json!({
                "ruleType": "ApplicationRule",
                "name": literal(&rule.name),
                "protocols": rule.protocols.iter().map(|p| json!({
                    "protocolType": format!("{:?}", p.protocol),
                    "port": p.port,
                })).collect::<Vec<_>>(),
                "sourceAddresses": literals(&rule.sources),
                "sourceIpGroups": ip_groups(&rule.source_ip_groups),
                "targetFqdns": literals(&rule.target_fqdns),
                "fqdnTags": literals(&rule.fqdn_tags),
            })).collect::<Vec<_>>(),
        }),
        RuleCollection::Nat {
            name,
            priority,
            rules,
        } => json!({
            "ruleCollectionType": "FirewallPolicyNatRuleCollection",
            "name": literal(name),
            "priority": priority,
            "action": {"type": "DNAT"},
            "rules": rules.iter().map(|rule| {
                let mut converted = json!({
                    "ruleType": "NatRule",
                    "name": literal(&rule.name),
                    "ipProtocols": rule.protocols.iter().map(ip_protocol).collect::<Vec<_>>(),
                    "sourceAddresses": literals(&rule.sources),
                    "destinationAddresses": [rule.destination_address.to_string()],
                    "destinationPorts": literals(&rule.destination_ports),
                    "translatedPort": rule.translated_port.to_string(),
                });
                match rule.target() {
                    Some(DnatTarget::Fqdn(fqdn)) => converted["translatedFqdn"] = json!(literal(fqdn)),
                    Some(DnatTarget::Address(address)) => converted["translatedAddress"] = json!(address.to_string()),
                    None => {}
                }
                converted
            }).collect::<Vec<_>>(),
        }),
    }
}

/// The ARM resources of `edit`; `None` when a deployment cannot express it.
pub(super) fn resources(edit: &Edit) -> Option<Vec<Value>> {
    Some(match edit {
        Edit::NsgCreated(nsg) => {
            let mut body = Map::new();
            body.insert("location".into(), location());
            vec![resource(
                "Microsoft.Network/networkSecurityGroups",
                NETWORK,
                &nsg.name,
                body,
            )]
        }
        Edit::NsgRule { nsg, rule } => vec![resource(
            "Microsoft.Network/networkSecurityGroups/securityRules",
            NETWORK,
            &format!("{nsg}/{}", rule.name),
            with_properties(Value::Object(rule_properties(rule))),
        )],
        Edit::Subnet { vnet, subnet, .. } => {
            let mut properties = Map::new();
            properties.insert("addressPrefix".into(), json!(subnet.prefix.to_string()));
            if let Some(nsg) = &subnet.nsg {
                properties.insert(
                    "networkSecurityGroup".into(),
                    json!({"id": resource_id("Microsoft.Network/networkSecurityGroups", &[nsg])}),
                );
            }
            if let Some(table) = &subnet.route_table {
                properties.insert(
                    "routeTable".into(),
                    json!({"id": resource_id("Microsoft.Network/routeTables", &[table])}),
                );
            }
            properties.insert(
                "serviceEndpoints".into(),
                Value::Array(
                    subnet
                        .service_endpoints
                        .iter()
                        .map(|service| json!({"service": literal(service)}))
                        .collect(),
                ),
            );
            properties.insert(
                "serviceEndpointPolicies".into(),
                Value::Array(
                    subnet
                        .service_endpoint_policies
                        .iter()
                        .map(|p| json!({"id": resource_id("Microsoft.Network/serviceEndpointPolicies", &[p])}))
                        .collect(),
                ),
            );
            properties.insert(
                "defaultOutboundAccess".into(),
                json!(subnet.default_outbound_access),
            );
            vec![resource(
                "Microsoft.Network/virtualNetworks/subnets",
                NETWORK,
                &format!("{vnet}/{}", subnet.name),
                with_properties(Value::Object(properties)),
            )]
        }
        Edit::RouteTableCreated(table) => {
            let mut body = with_properties(
                json!({"disableBgpRoutePropagation": table.disable_gateway_propagation}),
            );
            body.insert("location".into(), location());
            vec![resource(
                "Microsoft.Network/routeTables",
                NETWORK,
                &table.name,
                body,
            )]
        }
        Edit::Route { table, route } => {
            let mut properties = json!({
                "addressPrefix": literal(&route.address_prefix.to_string()),
                "nextHopType": format!("{:?}", route.next_hop_type),
            });
            if let Some(ip) = route.next_hop_ip {
                properties["nextHopIpAddress"] = json!(ip.to_string());
            }
            vec![resource(
                "Microsoft.Network/routeTables/routes",
                NETWORK,
                &format!("{table}/{}", route.name),
                with_properties(properties),
            )]
        }
        Edit::Sep(policy) => {
            let definitions: Vec<Value> = policy
                .definitions
                .iter()
                .map(|d| {
                    json!({
                        "name": literal(&d.name),
                        "properties": {"service": literal(&d.service), "serviceResources": literals(&d.service_resources)},
                    })
                })
                .collect();
            let mut body =
                with_properties(json!({"serviceEndpointPolicyDefinitions": definitions}));
            body.insert("location".into(), location());
            vec![resource(
                "Microsoft.Network/serviceEndpointPolicies",
                NETWORK,
                &policy.name,
                body,
            )]
        }
        Edit::PublicIpRemoved(compute) => match compute.kind {
            ComputeKind::ComputeInstance | ComputeKind::ComputeCluster => vec![resource(
                "Microsoft.MachineLearningServices/workspaces/computes",
                MACHINE_LEARNING,
                &format!(
                    "{}/{}",
                    compute.workspace.as_deref().unwrap_or("WORKSPACE"),
                    compute.name
                ),
                with_properties(json!({
                    "computeType": if compute.kind == ComputeKind::ComputeInstance { "ComputeInstance" } else { "AmlCompute" },
                    "properties": compute_settings(compute),
                })),
            )],
            _ => return None,
        },
        Edit::PublicAccess { name, kind, access } => {
            let state = if *access == PublicNetworkAccess::Enabled {
                "Enabled"
            } else {
                "Disabled"
            };
            let (kind_name, version) = match kind {
                Some(PaasKind::StorageAccount) => {
                    ("Microsoft.Storage/storageAccounts", "2023-05-01")
                }
                Some(PaasKind::KeyVault) => ("Microsoft.KeyVault/vaults", "2023-07-01"),
                Some(PaasKind::ContainerRegistry) => {
                    ("Microsoft.ContainerRegistry/registries", "2023-07-01")
                }
                None => (
                    "Microsoft.MachineLearningServices/workspaces",
                    MACHINE_LEARNING,
                ),
            };
            vec![resource(
                kind_name,
                version,
                name,
                with_properties(json!({"publicNetworkAccess": state})),
            )]
        }
        Edit::ManagedNetwork(workspace) => {
            let mode = match workspace.managed_network.isolation_mode {
                ManagedIsolationMode::Disabled => "Disabled",
                ManagedIsolationMode::AllowInternetOutbound => "AllowInternetOutbound",
                ManagedIsolationMode::AllowOnlyApprovedOutbound => "AllowOnlyApprovedOutbound",
            };
            vec![resource(
                "Microsoft.MachineLearningServices/workspaces",
                MACHINE_LEARNING,
                &workspace.name,
                with_properties(json!({"managedNetwork": {"isolationMode": mode}})),
            )]
        }
        Edit::FirewallPolicyGroup { policy, group } => vec![resource(
            "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
            NETWORK,
            &format!("{policy}/{}", group.name),
            with_properties(json!({
                "priority": group.priority,
                "ruleCollections": group.rule_collections.iter().map(rule_collection).collect::<Vec<_>>(),
            })),
        )],
        Edit::NsgRulesRemoved { nsg, .. } => {
            let rules: Vec<Value> = nsg
                .rules
                .iter()
                .map(|rule| json!({"name": literal(&rule.name), "properties": rule_properties(rule)}))
                .collect();
            let mut body = with_properties(json!({"securityRules": rules}));
            body.insert("location".into(), location());
            vec![resource(
                "Microsoft.Network/networkSecurityGroups",
                NETWORK,
                &nsg.name,
                body,
            )]
        }
        Edit::FirewallCollection { .. } => return None,
    })
}
