//! The policy edits: route tables and routes (and attaching a table to a subnet, and a table's
//! gateway propagation), firewall rule collections and their network / application / DNAT rules
//! (classic collections of a firewall or the rule collection groups of a Firewall Policy), a
//! firewall's additional public IPs and a policy's explicit proxy, service endpoint policies and their
//! definitions (and attaching one to a subnet), a resource's public-endpoint firewall, and the
//! semantics options. Each is a pure change of a design copy; [`apply_edit`](super::edit::apply_edit)
//! then refuses the result when it adds validation errors, so a rejected edit never reaches
//! the design.

use std::net::Ipv4Addr;

use crate::model::{
    Design, ExplicitProxy, FirewallPolicy, NatRule, RouteTable, RuleAction, RuleCollection,
    RuleCollectionGroup, ServiceEndpointPolicy, Subnet,
};

use super::forms::{CollectionHeader, FirewallRule, ResourceFirewall};

/// Where a rule collection list lives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RuleOwner {
    /// A firewall's classic rule collections.
    Firewall(String),
    /// Group `group` (index) of a Firewall Policy.
    PolicyGroup { policy: String, group: usize },
}

impl RuleOwner {
    /// The owner's name as diagnostics name it (`firewall`, `policy/group`).
    pub fn label(&self, design: &Design) -> String {
        match self {
            RuleOwner::Firewall(name) => name.clone(),
            RuleOwner::PolicyGroup { policy, group } => {
                let group = design
                    .firewall_policies
                    .iter()
                    .find(|p| &p.name == policy)
                    .and_then(|p| p.rule_collection_groups.get(*group))
                    .map_or_else(String::new, |g| g.name.clone());
                format!("{policy}/{group}")
            }
        }
    }
}

/// One rule collection: its owner and index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CollectionRef {
    pub owner: RuleOwner,
    pub index: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PolicyEdit {
    AddRouteTable,
    RemoveRouteTable {
        table: String,
    },
    /// Replaces route `index` of the table, or appends when `index` is `None`.
    SetRoute {
        table: String,
        index: Option<usize>,
        route: crate::model::Route,
    },
    RemoveRoute {
        table: String,
        index: usize,
    },
    /// Sets the table's `disable_gateway_propagation`.
    SetGatewayPropagation {
        table: String,
        disabled: bool,
    },
    /// Attaches `table` to the subnet (`vnet/subnet`), or detaches with `None`.
    AttachRouteTable {
        subnet: String,
        table: Option<String>,
    },
    AddRuleCollection {
        owner: RuleOwner,
        application: bool,
    },
    /// Adds an empty DNAT collection.
    AddNatCollection {
        owner: RuleOwner,
    },
    AddRuleCollectionGroup {
        policy: String,
    },
    SetCollectionHeader {
        at: CollectionRef,
        header: CollectionHeader,
    },
    RemoveRuleCollection {
        at: CollectionRef,
    },
    SetFirewallRule {
        at: CollectionRef,
        index: Option<usize>,
        rule: FirewallRule,
    },
    /// Replaces DNAT rule `index` of a DNAT collection, or appends when `index` is `None`.
    SetNatRule {
        at: CollectionRef,
        index: Option<usize>,
        rule: NatRule,
    },
    RemoveFirewallRule {
        at: CollectionRef,
        index: usize,
    },
    /// Sets the public IPs of the firewall's further IP configurations.
    SetFirewallPublicIps {
        firewall: String,
        additional: Vec<Ipv4Addr>,
    },
    /// Turns the policy's explicit proxy on (with its ports) or off (`None`).
    SetExplicitProxy {
        policy: String,
        proxy: Option<ExplicitProxy>,
    },
    AddSepPolicy,
    RemoveSepPolicy {
        policy: String,
    },
    SetSepDefinition {
        policy: String,
        index: Option<usize>,
        definition: crate::model::SepDefinition,
    },
    RemoveSepDefinition {
        policy: String,
        index: usize,
    },
    /// Attaches (or detaches) the policy on the subnet.
    AttachSep {
        subnet: String,
        policy: String,
        attached: bool,
    },
    SetResourceFirewall {
        resource: String,
        firewall: ResourceFirewall,
    },
    /// Sets the option `key` (an `OPTION_INFO` key) from its text: `true`/`false`, a number,
    /// or a choice such as `same_region_and_paired`.
    SetOption {
        key: String,
        value: String,
    },
}

/// `base`, or `base-1`, `base-2`… the first not taken.
pub(crate) fn unused_name(base: &str, taken: &[&str]) -> String {
    if !taken.contains(&base) {
        return base.to_string();
    }
    (1..)
        .map(|i| format!("{base}-{i}"))
        .find(|name| !taken.contains(&name.as_str()))
        .unwrap_or_else(|| base.to_string())
}

/// The public IPs of the firewalls whose rules `owner` holds: the firewall itself, or the
/// firewalls using the policy (directly or through a child policy).
pub fn owner_public_ips(design: &Design, owner: &RuleOwner) -> Vec<Ipv4Addr> {
    match owner {
        RuleOwner::Firewall(name) => design
            .firewalls
            .iter()
            .filter(|f| &f.name == name)
            .flat_map(|f| f.public_ips())
            .collect(),
        RuleOwner::PolicyGroup { policy, .. } => design
            .firewalls_using_policy(policy)
            .flat_map(|f| f.public_ips())
            .collect(),
    }
}

/// A warning when a DNAT rule's destination is not a public IP of the firewall it belongs to
/// (no packet would reach the rule).
pub fn nat_destination_warning(
    design: &Design,
    owner: &RuleOwner,
    destination: Ipv4Addr,
) -> Option<String> {
    let ips = owner_public_ips(design, owner);
    if ips.contains(&destination) {
        return None;
    }
    Some(if ips.is_empty() {
        format!(
            "{}: no firewall with a public IP uses these rules, so DNAT to {destination} never matches",
            owner.label(design)
        )
    } else {
        format!(
            "{destination} is not one of the firewall's public IPs ({}): this DNAT rule never matches",
            ips.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

fn table_mut<'d>(design: &'d mut Design, name: &str) -> Result<&'d mut RouteTable, String> {
    design
        .route_tables
        .iter_mut()
        .find(|t| t.name == name)
        .ok_or_else(|| format!("there is no route table named {name}"))
}

fn subnet_mut<'d>(design: &'d mut Design, id: &str) -> Result<&'d mut Subnet, String> {
    let (vnet, subnet) = id.split_once('/').ok_or("a subnet is named vnet/subnet")?;
    design
        .virtual_networks
        .iter_mut()
        .find(|v| v.name == vnet)
        .and_then(|v| v.subnets.iter_mut().find(|s| s.name == subnet))
        .ok_or_else(|| format!("there is no subnet {id}"))
}

fn sep_mut<'d>(
    design: &'d mut Design,
    name: &str,
) -> Result<&'d mut ServiceEndpointPolicy, String> {
    design
        .service_endpoint_policies
        .iter_mut()
        .find(|p| p.name == name)
        .ok_or_else(|| format!("there is no service endpoint policy named {name}"))
}

fn policy_mut<'d>(design: &'d mut Design, name: &str) -> Result<&'d mut FirewallPolicy, String> {
    design
        .firewall_policies
        .iter_mut()
        .find(|p| p.name == name)
        .ok_or_else(|| format!("there is no firewall policy named {name}"))
}

fn collections_mut<'d>(
    design: &'d mut Design,
    owner: &RuleOwner,
) -> Result<&'d mut Vec<RuleCollection>, String> {
    match owner {
        RuleOwner::Firewall(name) => design
            .firewalls
            .iter_mut()
            .find(|f| &f.name == name)
            .map(|f| &mut f.rule_collections)
            .ok_or_else(|| format!("there is no firewall named {name}")),
        RuleOwner::PolicyGroup { policy, group } => policy_mut(design, policy)?
            .rule_collection_groups
            .get_mut(*group)
            .map(|g| &mut g.rule_collections)
            .ok_or_else(|| format!("{policy} has no rule collection group {group}")),
    }
}

/// The collections of `owner`, if it exists.
pub fn collections<'d>(design: &'d Design, owner: &RuleOwner) -> Option<&'d [RuleCollection]> {
    match owner {
        RuleOwner::Firewall(name) => design
            .firewalls
            .iter()
            .find(|f| &f.name == name)
            .map(|f| f.rule_collections.as_slice()),
        RuleOwner::PolicyGroup { policy, group } => design
            .firewall_policies
            .iter()
            .find(|p| &p.name == policy)?
            .rule_collection_groups
            .get(*group)
            .map(|g| g.rule_collections.as_slice()),
    }
}

fn collection_mut<'d>(
    design: &'d mut Design,
    at: &CollectionRef,
) -> Result<&'d mut RuleCollection, String> {
    collections_mut(design, &at.owner)?
        .get_mut(at.index)
        .ok_or_else(|| "there is no such rule collection".to_string())
}

pub(super) fn set_at<T>(
    items: &mut Vec<T>,
    index: Option<usize>,
    item: T,
    what: &str,
) -> Result<(), String> {
    match index {
        Some(i) => {
            *items
                .get_mut(i)
                .ok_or_else(|| format!("there is no such {what}"))? = item
        }
        None => items.push(item),
    }
    Ok(())
}

pub(super) fn remove_at<T>(items: &mut Vec<T>, index: usize, what: &str) -> Result<(), String> {
    if index >= items.len() {
        return Err(format!("there is no such {what}"));
    }
    items.remove(index);
    Ok(())
}

/// Applies `edit` to `design` in place.
pub fn apply_policy_edit(design: &mut Design, edit: &PolicyEdit) -> Result<(), String> {
    match edit {
        PolicyEdit::AddRouteTable => {
            let taken: Vec<&str> = design
                .route_tables
                .iter()
                .map(|t| t.name.as_str())
                .collect();
            let name = unused_name("rt", &taken);
            design.route_tables.push(RouteTable {
                name,
                routes: Vec::new(),
                disable_gateway_propagation: false,
            });
        }
        PolicyEdit::RemoveRouteTable { table } => {
            let before = design.route_tables.len();
            design.route_tables.retain(|t| &t.name != table);
            if design.route_tables.len() == before {
                return Err(format!("there is no route table named {table}"));
            }
            for subnet in design
                .virtual_networks
                .iter_mut()
                .flat_map(|v| v.subnets.iter_mut())
            {
                if subnet.route_table.as_ref() == Some(table) {
                    subnet.route_table = None;
                }
            }
        }
        PolicyEdit::SetRoute {
            table,
            index,
            route,
        } => set_at(
            &mut table_mut(design, table)?.routes,
            *index,
            route.clone(),
            "route",
        )?,
        PolicyEdit::RemoveRoute { table, index } => {
            remove_at(&mut table_mut(design, table)?.routes, *index, "route")?
        }
        PolicyEdit::SetGatewayPropagation { table, disabled } => {
            table_mut(design, table)?.disable_gateway_propagation = *disabled;
        }
        PolicyEdit::AttachRouteTable { subnet, table } => {
            if let Some(table) = table {
                table_mut(design, table)?;
            }
            subnet_mut(design, subnet)?.route_table = table.clone();
        }
        PolicyEdit::AddRuleCollection { owner, application } => {
            let collections = collections_mut(design, owner)?;
            let taken: Vec<&str> = collections.iter().map(|c| c.name()).collect();
            let base = if *application {
                "application-rules"
            } else {
                "network-rules"
            };
            let name = unused_name(base, &taken);
            let priority = collections
                .iter()
                .map(|c| c.priority())
                .max()
                .map_or(100, |p| (p + 100).min(65000));
            collections.push(if *application {
                RuleCollection::Application {
                    name,
                    priority,
                    action: RuleAction::Allow,
                    rules: Vec::new(),
                }
            } else {
                RuleCollection::Network {
                    name,
                    priority,
                    action: RuleAction::Allow,
                    rules: Vec::new(),
                }
            });
        }
        PolicyEdit::AddNatCollection { owner } => {
            let collections = collections_mut(design, owner)?;
            let taken: Vec<&str> = collections.iter().map(|c| c.name()).collect();
            let name = unused_name("dnat-rules", &taken);
            let priority = collections
                .iter()
                .map(|c| c.priority())
                .max()
                .map_or(100, |p| (p + 100).min(65000));
            collections.push(RuleCollection::Nat {
                name,
                priority,
                rules: Vec::new(),
            });
        }
        PolicyEdit::AddRuleCollectionGroup { policy } => {
            let groups = &mut policy_mut(design, policy)?.rule_collection_groups;
            let taken: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
            let name = unused_name("rule-collection-group", &taken);
            let priority = groups
                .iter()
                .map(|g| g.priority)
                .max()
                .map_or(100, |p| (p + 100).min(65000));
            groups.push(RuleCollectionGroup {
                name,
                priority,
                rule_collections: Vec::new(),
            });
        }
        PolicyEdit::SetCollectionHeader { at, header } => {
            let taken = collections(design, &at.owner)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .any(|(i, c)| i != at.index && c.name() == header.name);
            if taken {
                return Err(format!(
                    "a rule collection named {} already exists here",
                    header.name
                ));
            }
            match collection_mut(design, at)? {
                RuleCollection::Network {
                    name,
                    priority,
                    action,
                    ..
                }
                | RuleCollection::Application {
                    name,
                    priority,
                    action,
                    ..
                } => {
                    *name = header.name.clone();
                    *priority = header.priority;
                    *action = header.action;
                }
                // A DNAT collection has no action of its own: only name and priority apply.
                RuleCollection::Nat { name, priority, .. } => {
                    *name = header.name.clone();
                    *priority = header.priority;
                }
            }
        }
        PolicyEdit::RemoveRuleCollection { at } => remove_at(
            collections_mut(design, &at.owner)?,
            at.index,
            "rule collection",
        )?,
        PolicyEdit::SetFirewallRule { at, index, rule } => {
            match (collection_mut(design, at)?, rule) {
                (RuleCollection::Network { rules, .. }, FirewallRule::Network(rule)) => {
                    set_at(rules, *index, rule.clone(), "rule")?
                }
                (RuleCollection::Application { rules, .. }, FirewallRule::Application(rule)) => {
                    set_at(rules, *index, rule.clone(), "rule")?
                }
                _ => return Err("the rule's type does not match its collection".to_string()),
            }
        }
        PolicyEdit::SetNatRule { at, index, rule } => match collection_mut(design, at)? {
            RuleCollection::Nat { rules, .. } => set_at(rules, *index, rule.clone(), "rule")?,
            _ => return Err("a DNAT rule goes into a DNAT collection".to_string()),
        },
        PolicyEdit::RemoveFirewallRule { at, index } => match collection_mut(design, at)? {
            RuleCollection::Network { rules, .. } => remove_at(rules, *index, "rule")?,
            RuleCollection::Application { rules, .. } => remove_at(rules, *index, "rule")?,
            RuleCollection::Nat { rules, .. } => remove_at(rules, *index, "rule")?,
        },
        PolicyEdit::SetFirewallPublicIps {
            firewall,
            additional,
        } => {
            design
                .firewalls
                .iter_mut()
                .find(|f| &f.name == firewall)
                .ok_or_else(|| format!("there is no firewall named {firewall}"))?
                .additional_public_ips = additional.clone();
        }
        PolicyEdit::SetExplicitProxy { policy, proxy } => {
            policy_mut(design, policy)?.explicit_proxy = proxy.clone();
        }
        PolicyEdit::AddSepPolicy => {
            let taken: Vec<&str> = design
                .service_endpoint_policies
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            let name = unused_name("sep", &taken);
            let region = design.virtual_networks.first().map(|v| v.region.clone());
            design
                .service_endpoint_policies
                .push(ServiceEndpointPolicy {
                    name,
                    region,
                    definitions: Vec::new(),
                });
        }
        PolicyEdit::RemoveSepPolicy { policy } => {
            let before = design.service_endpoint_policies.len();
            design
                .service_endpoint_policies
                .retain(|p| &p.name != policy);
            if design.service_endpoint_policies.len() == before {
                return Err(format!(
                    "there is no service endpoint policy named {policy}"
                ));
            }
            for subnet in design
                .virtual_networks
                .iter_mut()
                .flat_map(|v| v.subnets.iter_mut())
            {
                subnet.service_endpoint_policies.retain(|p| p != policy);
            }
        }
        PolicyEdit::SetSepDefinition {
            policy,
            index,
            definition,
        } => set_at(
            &mut sep_mut(design, policy)?.definitions,
            *index,
            definition.clone(),
            "definition",
        )?,
        PolicyEdit::RemoveSepDefinition { policy, index } => remove_at(
            &mut sep_mut(design, policy)?.definitions,
            *index,
            "definition",
        )?,
        PolicyEdit::AttachSep {
            subnet,
            policy,
            attached,
        } => {
            sep_mut(design, policy)?;
            let subnet = subnet_mut(design, subnet)?;
            subnet.service_endpoint_policies.retain(|p| p != policy);
            if *attached {
                subnet.service_endpoint_policies.push(policy.clone());
                // A policy applies to the subnet's storage service endpoint: add it if missing.
                let has_endpoint = subnet.service_endpoints.iter().any(|e| {
                    e.eq_ignore_ascii_case("Microsoft.Storage")
                        || e.eq_ignore_ascii_case("Microsoft.Storage.Global")
                });
                if !has_endpoint {
                    subnet
                        .service_endpoints
                        .push("Microsoft.Storage".to_string());
                }
            }
        }
        PolicyEdit::SetResourceFirewall { resource, firewall } => {
            let resource = design
                .resources
                .iter_mut()
                .find(|r| &r.name == resource)
                .ok_or_else(|| format!("there is no resource named {resource}"))?;
            resource.public_network_access = firewall.public_network_access;
            resource.network_acls = firewall.acls.clone();
        }
        PolicyEdit::SetOption { key, value } => {
            design.options = super::options::set_option(&design.options, key, value)?;
        }
    }
    Ok(())
}
