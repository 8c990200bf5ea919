//! Azure Virtual Network Manager (`Microsoft.Network/networkManagers`): network groups with
//! their static members (VNets), and the rule collections and rules of security admin
//! configurations, which apply to groups. ARM shape: "Security admin rules in Azure Virtual
//! Network Manager" (https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins)
//! and the `securityAdminConfigurations/ruleCollections/rules` REST reference. The design holds
//! the collections of every configuration in the input: a configuration takes effect only once
//! deployed, which the input does not say, so that is the user's to check.

use super::context::Context;
use super::kind::Kind;
use super::merge::{parent_or_stub, position_of, Child};
use super::nsg::DIRECTIONS;
use super::resource::Resource;
use crate::import::node::Node;
use crate::model::{
    AddressMatch, AdminAccess, AdminRule, AdminRuleCollection, Design, NetworkGroup,
    NetworkManager, PortRange, Protocol,
};

const ADMIN_ACCESSES: [(&str, AdminAccess); 3] = [
    ("Allow", AdminAccess::Allow),
    ("AlwaysAllow", AdminAccess::AlwaysAllow),
    ("Deny", AdminAccess::Deny),
];

pub(super) fn manager(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    if position_of(&design.network_managers, name, |m| &m.name).is_none() {
        design.network_managers.push(NetworkManager {
            name: name.to_string(),
            network_groups: Vec::new(),
            admin_rule_collections: Vec::new(),
        });
    } else {
        context.warn(
            name,
            &resource.node,
            "the network manager is defined twice: merged",
        );
    }
}

/// The manager (`names[0]`) of a child resource, created (and reported) when missing.
fn manager_of(context: &mut Context, design: &mut Design, resource: &Resource) -> usize {
    let element = resource.names.join("/");
    let name = resource.parent().to_string();
    parent_or_stub(
        context,
        &mut design.network_managers,
        (Kind::NetworkManager, &name),
        |m| &m.name,
        || NetworkManager {
            name: name.clone(),
            network_groups: Vec::new(),
            admin_rule_collections: Vec::new(),
        },
        Child {
            kind: resource.kind,
            element: &element,
            node: &resource.node,
        },
        "",
    )
}

pub(super) fn group(context: &mut Context, design: &mut Design, resource: &Resource) {
    let manager = manager_of(context, design, resource);
    let groups = &mut design.network_managers[manager].network_groups;
    if position_of(groups, resource.name(), |g| &g.name).is_none() {
        groups.push(NetworkGroup {
            name: resource.name().to_string(),
            vnets: Vec::new(),
        });
    }
}

/// `networkGroups/staticMembers`: `properties.resourceId` names a VNet of the group.
pub(super) fn static_member(context: &mut Context, design: &mut Design, resource: &Resource) {
    let element = resource.names.join("/");
    let Some(holder) = resource.properties().get("resourceId") else {
        context.warn(
            &element,
            &resource.node,
            "the member has no `resourceId`: not imported",
        );
        return;
    };
    let Some(vnet) = context.reference(Kind::VirtualNetwork, &element, &holder) else {
        return;
    };
    let manager = manager_of(context, design, resource);
    let group_name = resource.names.get(1).cloned().unwrap_or_default();
    let groups = &mut design.network_managers[manager].network_groups;
    let position = match position_of(groups, &group_name, |g| &g.name) {
        Some(position) => position,
        None => {
            context.warn(
                &element,
                &resource.node,
                format!("network group `{group_name}` is not in the input; it was created to hold this member"),
            );
            groups.push(NetworkGroup {
                name: group_name,
                vnets: Vec::new(),
            });
            groups.len() - 1
        }
    };
    let vnets = &mut design.network_managers[manager].network_groups[position].vnets;
    if !vnets.contains(&vnet) {
        vnets.push(vnet);
    }
}

/// `ruleCollections`: the groups it applies to (`appliesToGroups[].networkGroupId`).
pub(super) fn rule_collection(context: &mut Context, design: &mut Design, resource: &Resource) {
    let element = resource.names.join("/");
    let properties = resource.properties();
    let mut network_groups = Vec::new();
    for applies in context.list(&element, &properties, "appliesToGroups") {
        match applies
            .str_at("networkGroupId")
            .and_then(|id| id.rsplit('/').next())
        {
            Some(group) if !group.is_empty() => network_groups.push(group.to_string()),
            _ => context.warn(
                &element,
                &applies,
                "the entry has no `networkGroupId`; ignored",
            ),
        }
    }
    let manager = manager_of(context, design, resource);
    collection_position(design, manager, resource.name(), network_groups);
}

fn collection_position(
    design: &mut Design,
    manager: usize,
    name: &str,
    network_groups: Vec<String>,
) -> usize {
    let collections = &mut design.network_managers[manager].admin_rule_collections;
    match position_of(collections, name, |c| &c.name) {
        Some(position) => {
            if !network_groups.is_empty() {
                collections[position].network_groups = network_groups;
            }
            position
        }
        None => {
            collections.push(AdminRuleCollection {
                name: name.to_string(),
                network_groups,
                rules: Vec::new(),
            });
            collections.len() - 1
        }
    }
}

/// `rules` of kind `Custom` (a `Default` rule has no settings of its own in the input).
pub(super) fn admin_rule(context: &mut Context, design: &mut Design, resource: &Resource) {
    let element = resource.names.join("/");
    let Some(rule) = rule(context, &element, resource.name(), &resource.node) else {
        return;
    };
    let manager = manager_of(context, design, resource);
    let collection_name = resource.names.get(2).cloned().unwrap_or_default();
    let collection = collection_position(design, manager, &collection_name, Vec::new());
    let rules = &mut design.network_managers[manager].admin_rule_collections[collection].rules;
    rules.retain(|existing| existing.name != rule.name);
    rules.push(rule);
}

fn rule(context: &mut Context, element: &str, name: &str, node: &Node) -> Option<AdminRule> {
    let properties = node.properties();
    let priority = context.number::<u32>(element, &properties, "priority");
    let direction = context.choice(element, &properties, "direction", &DIRECTIONS);
    let access = context.choice(element, &properties, "access", &ADMIN_ACCESSES);
    let (Some(priority), Some(direction), Some(access)) = (priority, direction, access) else {
        context.warn(
            element,
            node,
            "the rule needs a `priority`, a `direction` and an `access`: not imported",
        );
        return None;
    };
    let protocol = match context.text(element, &properties, "protocol") {
        None => Protocol::Any,
        Some(text) => {
            let text = text.to_string();
            context.parse::<Protocol>(element, &properties, &text)?
        }
    };
    let source = addresses(context, element, &properties, "sources")?;
    let destination = addresses(context, element, &properties, "destinations")?;
    let source_ports = ports(context, element, &properties, "sourcePortRanges");
    let destination_ports = ports(context, element, &properties, "destinationPortRanges");
    Some(AdminRule {
        name: name.to_string(),
        priority,
        direction,
        access,
        protocol,
        source,
        source_ports,
        destination,
        destination_ports,
    })
}

/// `[{addressPrefix, addressPrefixType}]` (any when absent); `None` (reported) when entries
/// are given but none is usable.
fn addresses(
    context: &mut Context,
    element: &str,
    properties: &Node,
    key: &str,
) -> Option<Vec<AddressMatch>> {
    let entries: Vec<(Node, String)> = context
        .list(element, properties, key)
        .into_iter()
        .filter_map(|entry| {
            let text = entry.str_at("addressPrefix")?.to_string();
            Some((entry, text))
        })
        .collect();
    if entries.is_empty() {
        return Some(vec![AddressMatch::Any]);
    }
    let borrowed: Vec<(Node, &str)> = entries
        .iter()
        .map(|(node, text)| (node.clone(), text.as_str()))
        .collect();
    let parsed = context.addresses(element, &borrowed);
    if parsed.is_empty() {
        context.warn(
            element,
            properties,
            format!("no usable address is left in `{key}`: the rule is not imported"),
        );
        return None;
    }
    Some(parsed)
}

fn ports(context: &mut Context, element: &str, properties: &Node, key: &str) -> Vec<PortRange> {
    let entries = context.texts(element, properties, key);
    let parsed = context.ports(element, &entries);
    if parsed.is_empty() {
        vec![PortRange::ANY]
    } else {
        parsed
    }
}
