//! Terraform (azurerm provider) for each [`Edit`]: the resource block in its state after the
//! fix, or the attribute to set on an existing block.

use crate::model::{
    ComputeKind, ManagedIsolationMode, PaasKind, Protocol, PublicNetworkAccess, RuleCollection,
    SecurityRule,
};

use super::arm::protocol_name;
use super::{collection_listing, symbol, Edit};

/// An HCL string literal (`${` and `%{` escaped, so no design text becomes an interpolation).
fn string(text: &str) -> String {
    let mut quoted = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '"' => quoted.push_str("\\\""),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                quoted.push(c);
                quoted.push(c);
            }
            c if c.is_control() => quoted.push_str(&format!("\\u{:04x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn strings<T: ToString>(items: &[T]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| string(&i.to_string())).collect();
    format!("[{}]", quoted.join(", "))
}

/// `resource "type" "symbol" { attributes }`.
fn block(kind: &str, symbol: &str, attributes: &[(&str, String)]) -> String {
    let width = attributes.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let lines: Vec<String> = attributes
        .iter()
        .map(|(key, value)| format!("  {key:<width$} = {value}\n"))
        .collect();
    format!(
        "resource \"{kind}\" \"{symbol}\" {{\n{}}}\n",
        lines.concat()
    )
}

/// A list attribute in azurerm's singular / plural pair: `…_prefix` or `…_prefixes`.
fn one_or_many<'a, T: ToString>(
    attributes: &mut Vec<(&'a str, String)>,
    singular: &'a str,
    plural: &'a str,
    items: &[T],
) {
    if items.len() == 1 {
        attributes.push((singular, string(&items[0].to_string())));
    } else {
        attributes.push((plural, strings(items)));
    }
}

fn nsg_rule(nsg: &str, rule: &SecurityRule) -> String {
    let protocol = protocol_name(rule);
    let mut attributes = vec![
        ("name", string(&rule.name)),
        ("resource_group_name", "var.resource_group_name".to_string()),
        ("network_security_group_name", string(nsg)),
        ("priority", rule.priority.to_string()),
        ("direction", string(&format!("{:?}", rule.direction))),
        ("access", string(&format!("{:?}", rule.access))),
        ("protocol", string(&protocol)),
    ];
    one_or_many(
        &mut attributes,
        "source_port_range",
        "source_port_ranges",
        &rule.source_ports,
    );
    one_or_many(
        &mut attributes,
        "destination_port_range",
        "destination_port_ranges",
        &rule.destination_ports,
    );
    one_or_many(
        &mut attributes,
        "source_address_prefix",
        "source_address_prefixes",
        &rule.source,
    );
    one_or_many(
        &mut attributes,
        "destination_address_prefix",
        "destination_address_prefixes",
        &rule.destination,
    );
    block(
        "azurerm_network_security_rule",
        &symbol(&[nsg, &rule.name]),
        &attributes,
    )
}

pub(super) fn render(edit: &Edit) -> String {
    match edit {
        Edit::NsgCreated(nsg) => block(
            "azurerm_network_security_group",
            &symbol(&[&nsg.name]),
            &[
                ("name", string(&nsg.name)),
                ("location", "var.location".into()),
                ("resource_group_name", "var.resource_group_name".into()),
            ],
        ),
        Edit::NsgRule { nsg, rule } => nsg_rule(nsg, rule),
        Edit::NsgRulesRemoved { nsg, removed } => removed
            .iter()
            .map(|rule| {
                format!(
                    "# remove the azurerm_network_security_rule named {} of {} (or its security_rule block)\n",
                    string(rule),
                    string(&nsg.name)
                )
            })
            .collect(),
        Edit::Subnet { vnet, subnet, .. } => {
            let symbol = symbol(&[vnet, &subnet.name]);
            let policies: Vec<String> = subnet
                .service_endpoint_policies
                .iter()
                .map(|p| format!("azurerm_subnet_service_endpoint_storage_policy.{}.id", super::symbol(&[p])))
                .collect();
            let mut text = block(
                "azurerm_subnet",
                &symbol,
                &[
                    ("name", string(&subnet.name)),
                    ("resource_group_name", "var.resource_group_name".into()),
                    ("virtual_network_name", string(vnet)),
                    ("address_prefixes", strings(&[subnet.prefix])),
                    ("service_endpoints", strings(&subnet.service_endpoints)),
                    ("service_endpoint_policy_ids", format!("[{}]", policies.join(", "))),
                    ("default_outbound_access_enabled", subnet.default_outbound_access.to_string()),
                ],
            );
            if let Some(table) = &subnet.route_table {
                text.push_str(&block(
                    "azurerm_subnet_route_table_association",
                    &symbol,
                    &[
                        ("subnet_id", format!("azurerm_subnet.{symbol}.id")),
                        ("route_table_id", format!("azurerm_route_table.{}.id", super::symbol(&[table]))),
                    ],
                ));
            }
            if let Some(nsg) = &subnet.nsg {
                text.push_str(&block(
                    "azurerm_subnet_network_security_group_association",
                    &symbol,
                    &[
                        ("subnet_id", format!("azurerm_subnet.{symbol}.id")),
                        (
                            "network_security_group_id",
                            format!("azurerm_network_security_group.{}.id", super::symbol(&[nsg])),
                        ),
                    ],
                ));
            }
            text
        }
        Edit::RouteTableCreated(table) => block(
            "azurerm_route_table",
            &symbol(&[&table.name]),
            &[
                ("name", string(&table.name)),
                ("location", "var.location".into()),
                ("resource_group_name", "var.resource_group_name".into()),
                ("bgp_route_propagation_enabled", (!table.disable_gateway_propagation).to_string()),
            ],
        ),
        Edit::Route { table, route } => {
            let mut attributes = vec![
                ("name", string(&route.name)),
                ("resource_group_name", "var.resource_group_name".to_string()),
                ("route_table_name", string(table)),
                ("address_prefix", string(&route.address_prefix.to_string())),
                ("next_hop_type", string(&format!("{:?}", route.next_hop_type))),
            ];
            if let Some(ip) = route.next_hop_ip {
                attributes.push(("next_hop_in_ip_address", string(&ip.to_string())));
            }
            block("azurerm_route", &symbol(&[table, &route.name]), &attributes)
        }
        Edit::Sep(policy) => {
            let mut text = format!(
                "resource \"azurerm_subnet_service_endpoint_storage_policy\" \"{}\" {{\n  name                = {}\n  resource_group_name = var.resource_group_name\n  location            = var.location\n",
                symbol(&[&policy.name]),
                string(&policy.name)
            );
            for definition in &policy.definitions {
                text.push_str(&format!(
                    "  definition {{\n    name              = {}\n    service           = {}\n    service_resources = {}\n  }}\n",
                    string(&definition.name),
                    string(if definition.service == "Microsoft.Storage" { "Microsoft.Storage" } else { "Global" }),
                    strings(&definition.service_resources)
                ));
            }
            text.push_str("}\n");
            text
        }
        Edit::PublicIpRemoved(compute) => match compute.kind {
            ComputeKind::ComputeInstance => format!(
                "# in the azurerm_machine_learning_compute_instance {} (recreated: the setting is fixed at creation)\nnode_public_ip_enabled = false\n",
                string(&compute.name)
            ),
            ComputeKind::ComputeCluster => format!(
                "# in the azurerm_machine_learning_compute_cluster {} (recreated: the setting is fixed at creation)\nnode_public_ip_enabled = false\n",
                string(&compute.name)
            ),
            _ => format!(
                "# in the azurerm_network_interface of {}: remove public_ip_address_id from its ip_configuration\n",
                string(&compute.name)
            ),
        },
        Edit::PublicAccess { name, kind, access } => {
            let resource = match kind {
                Some(PaasKind::StorageAccount) => "azurerm_storage_account",
                Some(PaasKind::KeyVault) => "azurerm_key_vault",
                Some(PaasKind::ContainerRegistry) => "azurerm_container_registry",
                None => "azurerm_machine_learning_workspace",
            };
            format!(
                "# in the {resource} {}\npublic_network_access_enabled = {}\n",
                string(name),
                *access == PublicNetworkAccess::Enabled
            )
        }
        Edit::ManagedNetwork(workspace) => {
            let mode = match workspace.managed_network.isolation_mode {
                ManagedIsolationMode::Disabled => "Disabled",
                ManagedIsolationMode::AllowInternetOutbound => "AllowInternetOutbound",
                ManagedIsolationMode::AllowOnlyApprovedOutbound => "AllowOnlyApprovedOutbound",
            };
            format!(
                "# in the azurerm_machine_learning_workspace {} (and one azurerm_machine_learning_workspace_network_outbound_rule_* per outbound rule, {} here)\nmanaged_network {{\n  isolation_mode = {}\n}}\n",
                string(&workspace.name),
                workspace.managed_network.outbound_rules.len(),
                string(mode)
            )
        }
        Edit::FirewallCollection {
            firewall,
            collection,
        } => collection_listing("#", firewall, collection),
        Edit::FirewallPolicyGroup { policy, group } => {
            let mut text = format!(
                "resource \"azurerm_firewall_policy_rule_collection_group\" \"{}\" {{\n  name               = {}\n  firewall_policy_id = azurerm_firewall_policy.{}.id\n  priority           = {}\n",
                symbol(&[policy, &group.name]),
                string(&group.name),
                symbol(&[policy]),
                group.priority
            );
            for collection in &group.rule_collections {
                text.push_str(&rule_collection(collection));
            }
            text.push_str("}\n");
            text
        }
    }
}

/// A nested block at two levels of indentation: `kind { key = value … }`.
fn nested(kind: &str, depth: usize, lines: &[(&str, String)], children: &[String]) -> String {
    let indent = "  ".repeat(depth);
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut text = format!("{indent}{kind} {{\n");
    for (key, value) in lines {
        text.push_str(&format!("{indent}  {key:<width$} = {value}\n"));
    }
    for child in children {
        text.push_str(child);
    }
    text.push_str(&format!("{indent}}}\n"));
    text
}

fn ip_protocols(protocols: &[Protocol]) -> String {
    let names: Vec<String> = protocols
        .iter()
        .map(|p| match p {
            Protocol::Any => "Any".to_string(),
            other => other.to_string().to_uppercase(),
        })
        .collect();
    strings(&names)
}

/// One collection of a policy's rule collection group, as azurerm nests it.
fn rule_collection(collection: &RuleCollection) -> String {
    match collection {
        RuleCollection::Network {
            name,
            priority,
            action,
            rules,
        } => {
            let rules: Vec<String> = rules
                .iter()
                .map(|rule| {
                    nested(
                        "rule",
                        2,
                        &[
                            ("name", string(&rule.name)),
                            ("protocols", ip_protocols(&rule.protocols)),
                            ("source_addresses", strings(&rule.sources)),
                            ("source_ip_groups", strings(&rule.source_ip_groups)),
                            ("destination_addresses", strings(&rule.destinations)),
                            (
                                "destination_ip_groups",
                                strings(&rule.destination_ip_groups),
                            ),
                            ("destination_fqdns", strings(&rule.destination_fqdns)),
                            ("destination_ports", strings(&rule.destination_ports)),
                        ],
                        &[],
                    )
                })
                .collect();
            nested(
                "network_rule_collection",
                1,
                &[
                    ("name", string(name)),
                    ("priority", priority.to_string()),
                    ("action", string(&format!("{action:?}"))),
                ],
                &rules,
            )
        }
        RuleCollection::Application {
            name,
            priority,
            action,
            rules,
        } => {
            let rules: Vec<String> = rules
                .iter()
                .map(|rule| {
                    let protocols: Vec<String> = rule
                        .protocols
                        .iter()
                        .map(|p| {
                            nested(
                                "protocols",
                                3,
                                &[
                                    ("type", string(&format!("{:?}", p.protocol))),
                                    ("port", p.port.to_string()),
                                ],
                                &[],
                            )
                        })
                        .collect();
                    nested(
                        "rule",
                        2,
                        &[
                            ("name", string(&rule.name)),
                            ("source_addresses", strings(&rule.sources)),
                            ("source_ip_groups", strings(&rule.source_ip_groups)),
                            ("destination_fqdns", strings(&rule.target_fqdns)),
                            ("destination_fqdn_tags", strings(&rule.fqdn_tags)),
                        ],
                        &protocols,
                    )
                })
                .collect();
            nested(
                "application_rule_collection",
                1,
                &[
                    ("name", string(name)),
                    ("priority", priority.to_string()),
                    ("action", string(&format!("{action:?}"))),
                ],
                &rules,
            )
        }
        RuleCollection::Nat {
            name,
            priority,
            rules,
        } => {
            let rules: Vec<String> = rules
                .iter()
                .map(|rule| {
                    nested(
                        "rule",
                        2,
                        &[
                            ("name", string(&rule.name)),
                            ("protocols", ip_protocols(&rule.protocols)),
                            ("source_addresses", strings(&rule.sources)),
                            (
                                "destination_address",
                                string(&rule.destination_address.to_string()),
                            ),
                            ("destination_ports", strings(&rule.destination_ports)),
                            translation(rule),
                            ("translated_port", rule.translated_port.to_string()),
                        ],
                        &[],
                    )
                })
                .collect();
            nested(
                "nat_rule_collection",
                1,
                &[
                    ("name", string(name)),
                    ("priority", priority.to_string()),
                    ("action", string("Dnat")),
                ],
                &rules,
            )
        }
    }
}

/// A DNAT rule's `translated_address` or `translated_fqdn` attribute.
fn translation(rule: &crate::model::NatRule) -> (&'static str, String) {
    match rule.target() {
        Some(crate::model::DnatTarget::Fqdn(fqdn)) => ("translated_fqdn", string(fqdn)),
        Some(crate::model::DnatTarget::Address(address)) => {
            ("translated_address", string(&address.to_string()))
        }
        None => ("translated_address", string("")),
    }
}
