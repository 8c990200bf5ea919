//! Fixes as code: a verified fix printed as the change to apply in Azure — `az` CLI commands,
//! a Bicep snippet or a Terraform (azurerm) snippet. The fix is applied to a copy of the
//! design and the copy compared with the original, element by element ([`Edit`]); each edited
//! element is then written in its state after the fix, so the snippet says exactly what the
//! verified change did. Names are the design's; the resource group is a parameter (`$RG`,
//! `resourceGroup()`, `var.resource_group_name`). Firewall rule collections are written as a
//! commented listing of the collection to deploy (their three syntaxes are not generated yet).

mod arm;
mod az;
mod bicep;
mod terraform;

use crate::model::{
    Compute, Design, NetworkSecurityGroup, PaasKind, PublicNetworkAccess, Route, RouteTable,
    RuleCollection, RuleCollectionGroup, SecurityRule, ServiceEndpointPolicy, Subnet, Workspace,
};

use super::fixes::Fix;

/// The languages a fix can be printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeFormat {
    Az,
    Bicep,
    Terraform,
}

/// One element a fix edits, as it is after the fix.
#[derive(Debug, Clone)]
pub enum Edit<'d> {
    NsgCreated(&'d NetworkSecurityGroup),
    NsgRule {
        nsg: &'d str,
        rule: &'d SecurityRule,
    },
    /// Rules removed from an NSG (shown with the NSG as it is after the fix).
    NsgRulesRemoved {
        nsg: &'d NetworkSecurityGroup,
        removed: Vec<&'d str>,
    },
    Subnet {
        vnet: &'d str,
        subnet: &'d Subnet,
        before: Option<&'d Subnet>,
    },
    RouteTableCreated(&'d RouteTable),
    Route {
        table: &'d str,
        route: &'d Route,
    },
    Sep(&'d ServiceEndpointPolicy),
    PublicIpRemoved(&'d Compute),
    PublicAccess {
        name: &'d str,
        /// `None` for the workspace.
        kind: Option<PaasKind>,
        access: PublicNetworkAccess,
    },
    ManagedNetwork(&'d Workspace),
    /// A classic firewall's rule collection.
    FirewallCollection {
        firewall: &'d str,
        collection: &'d RuleCollection,
    },
    /// A firewall policy's rule collection group, one of whose collections changed.
    FirewallPolicyGroup {
        policy: &'d str,
        group: &'d RuleCollectionGroup,
    },
}

/// The ARM resources (JSON) that deploy `fix` on `design` — what its Bicep snippet declares —
/// and whether every edit of the fix is expressed by them. `None` when the fix does not apply.
pub fn fix_as_arm(design: &Design, fix: &Fix) -> Option<(Vec<serde_json::Value>, bool)> {
    let fixed = fix.apply(design)?;
    let mut resources = Vec::new();
    let mut complete = true;
    for edit in edits(design, &fixed) {
        match arm::resources(&edit) {
            Some(more) => resources.extend(more),
            None => complete = false,
        }
    }
    Some((resources, complete))
}

/// `fix` applied to `design`, printed in `format`; `None` when the fix does not apply.
pub fn fix_as_code(design: &Design, fix: &Fix, format: CodeFormat) -> Option<String> {
    let fixed = fix.apply(design)?;
    let edits = edits(design, &fixed);
    let mut text = String::new();
    let comment = match format {
        CodeFormat::Az | CodeFormat::Terraform => "#",
        CodeFormat::Bicep => "//",
    };
    text.push_str(&format!("{comment} vnetlab fix: {}\n", fix.describe()));
    for edit in &edits {
        text.push_str(&match format {
            CodeFormat::Az => az::render(edit),
            CodeFormat::Bicep => bicep::render(edit),
            CodeFormat::Terraform => terraform::render(edit),
        });
    }
    Some(text)
}

/// Every element `after` changes relative to `before`, in design order.
pub fn edits<'d>(before: &'d Design, after: &'d Design) -> Vec<Edit<'d>> {
    let mut edits = Vec::new();
    for nsg in &after.network_security_groups {
        let old = before
            .network_security_groups
            .iter()
            .find(|n| n.name == nsg.name);
        if old.is_none() {
            edits.push(Edit::NsgCreated(nsg));
        }
        let old_rules = old.map_or(&[][..], |n| n.rules.as_slice());
        for rule in &nsg.rules {
            if !old_rules.contains(rule) {
                edits.push(Edit::NsgRule {
                    nsg: &nsg.name,
                    rule,
                });
            }
        }
        let removed: Vec<&str> = old_rules
            .iter()
            .filter(|rule| !nsg.rules.iter().any(|r| r.name == rule.name))
            .map(|rule| rule.name.as_str())
            .collect();
        if !removed.is_empty() {
            edits.push(Edit::NsgRulesRemoved { nsg, removed });
        }
    }
    for table in &after.route_tables {
        let old = before.route_tables.iter().find(|t| t.name == table.name);
        if old.is_none() {
            edits.push(Edit::RouteTableCreated(table));
        }
        let old_routes = old.map_or(&[][..], |t| t.routes.as_slice());
        for route in table.routes.iter().filter(|r| !old_routes.contains(r)) {
            edits.push(Edit::Route {
                table: &table.name,
                route,
            });
        }
    }
    for policy in &after.service_endpoint_policies {
        if !before.service_endpoint_policies.contains(policy) {
            edits.push(Edit::Sep(policy));
        }
    }
    for vnet in &after.virtual_networks {
        let old_vnet = before.virtual_networks.iter().find(|v| v.name == vnet.name);
        for subnet in &vnet.subnets {
            let old = old_vnet.and_then(|v| v.subnets.iter().find(|s| s.name == subnet.name));
            if old != Some(subnet) {
                edits.push(Edit::Subnet {
                    vnet: &vnet.name,
                    subnet,
                    before: old,
                });
            }
        }
    }
    for compute in &after.computes {
        let had_public_ip = before
            .computes
            .iter()
            .find(|c| c.name == compute.name)
            .and_then(|c| c.nic.as_ref())
            .is_some_and(|nic| nic.public_ip.is_some());
        let has_public_ip = compute.nic.as_ref().is_some_and(|n| n.public_ip.is_some());
        if had_public_ip && !has_public_ip {
            edits.push(Edit::PublicIpRemoved(compute));
        }
    }
    for resource in &after.resources {
        let old = before.resources.iter().find(|r| r.name == resource.name);
        if old.is_some_and(|r| r.public_network_access != resource.public_network_access) {
            edits.push(Edit::PublicAccess {
                name: &resource.name,
                kind: Some(resource.kind),
                access: resource.public_network_access,
            });
        }
    }
    for workspace in &after.workspaces {
        let Some(old) = before.workspaces.iter().find(|w| w.name == workspace.name) else {
            continue;
        };
        if old.public_network_access != workspace.public_network_access {
            edits.push(Edit::PublicAccess {
                name: &workspace.name,
                kind: None,
                access: workspace.public_network_access,
            });
        }
        if old.managed_network != workspace.managed_network {
            edits.push(Edit::ManagedNetwork(workspace));
        }
    }
    for firewall in &after.firewalls {
        let old = before.firewalls.iter().find(|f| f.name == firewall.name);
        let old_collections = old.map_or(&[][..], |f| f.rule_collections.as_slice());
        for collection in &firewall.rule_collections {
            if !old_collections.contains(collection) {
                edits.push(Edit::FirewallCollection {
                    firewall: &firewall.name,
                    collection,
                });
            }
        }
    }
    for policy in &after.firewall_policies {
        let old = before
            .firewall_policies
            .iter()
            .find(|p| p.name == policy.name);
        for group in &policy.rule_collection_groups {
            let old_group = old.and_then(|p| {
                p.rule_collection_groups
                    .iter()
                    .find(|g| g.name == group.name)
            });
            if old_group != Some(group) {
                edits.push(Edit::FirewallPolicyGroup {
                    policy: &policy.name,
                    group,
                });
            }
        }
    }
    edits
}

/// A symbolic name for Bicep and Terraform: the element's name with every character that is
/// not a letter, digit or `_` replaced by `_`, never starting with a digit.
fn symbol(parts: &[&str]) -> String {
    let mut name: String = parts
        .join("_")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert(0, 'r');
    }
    name
}

/// The listing of a firewall rule collection, one comment line per rule, for the formats
/// that do not generate firewall rules yet.
fn collection_listing(comment: &str, container: &str, collection: &RuleCollection) -> String {
    let mut text = format!(
        "{comment} deploy rule collection {} (priority {}) in {container} as follows:\n",
        collection.name(),
        collection.priority()
    );
    let rules: Vec<String> = match collection {
        RuleCollection::Network { rules, action, .. } => rules
            .iter()
            .map(|r| {
                format!(
                    "{:?} network rule {}: {:?} from {} to {} ports {}",
                    action,
                    r.name,
                    r.protocols,
                    list(&r.sources),
                    list(&r.destinations),
                    list(&r.destination_ports)
                )
            })
            .collect(),
        RuleCollection::Application { rules, action, .. } => rules
            .iter()
            .map(|r| {
                format!(
                    "{:?} application rule {}: from {} to {} {}",
                    action,
                    r.name,
                    list(&r.sources),
                    r.target_fqdns.join(" "),
                    r.protocols
                        .iter()
                        .map(|p| format!("{:?}:{}", p.protocol, p.port))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            })
            .collect(),
        RuleCollection::Nat { rules, .. } => rules
            .iter()
            .map(|r| format!("DNAT rule {}", r.name))
            .collect(),
    };
    for rule in rules {
        text.push_str(&format!("{comment}   {rule}\n"));
    }
    text
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}
