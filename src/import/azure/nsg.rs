//! Network and application security groups: `networkSecurityGroups` with inline
//! `securityRules`, `networkSecurityGroups/securityRules` as separate resources, and
//! `applicationSecurityGroups`. Default rules are checked, not imported (see `default_rules`).

use super::context::Context;
use super::default_rules;
use super::kind::Kind;
use super::merge::{insert_named, parent_or_stub, Child};
use super::resource::Resource;
use crate::import::node::Node;
use crate::model::{
    Access, AddressMatch, Design, Direction, NetworkSecurityGroup, PortRange, Protocol,
    SecurityRule,
};

pub(super) const DIRECTIONS: [(&str, Direction); 2] = [
    ("Inbound", Direction::Inbound),
    ("Outbound", Direction::Outbound),
];

pub(super) const ACCESSES: [(&str, Access); 2] = [("Allow", Access::Allow), ("Deny", Access::Deny)];

pub(super) fn network_security_group(
    context: &mut Context,
    design: &mut Design,
    resource: &Resource,
) {
    let name = resource.name();
    let properties = resource.properties();
    let mut nsg = NetworkSecurityGroup {
        name: name.to_string(),
        rules: Default::default(),
    };
    for item in context.list(name, &properties, "securityRules") {
        let rule_name = item.str_at("name").unwrap_or_default();
        if let Some(rule) = security_rule(context, name, rule_name, &item) {
            insert_named(
                context,
                &mut nsg.rules,
                rule,
                |r| &r.name,
                "security rule",
                &item,
            );
        }
    }
    if let Some(defaults) = properties.get("defaultSecurityRules") {
        default_rules::check_list(context, name, &defaults);
    }
    insert_named(
        context,
        &mut design.network_security_groups,
        nsg,
        |n| &n.name,
        "NSG",
        &resource.node,
    );
}

/// A `securityRules` resource, added to its NSG (created when missing).
pub(super) fn security_rule_resource(
    context: &mut Context,
    design: &mut Design,
    resource: &Resource,
) {
    let nsg_name = resource.parent();
    let Some(rule) = security_rule(context, nsg_name, resource.name(), &resource.node) else {
        return;
    };
    let position = nsg_for(context, design, resource, Kind::SecurityRule);
    if let Some(nsg) = design.network_security_groups.get_mut(position) {
        insert_named(
            context,
            &mut nsg.rules,
            rule,
            |r| &r.name,
            "security rule",
            &resource.node,
        );
    }
}

/// A `defaultSecurityRules` resource: checked against Azure's defaults; its NSG is created
/// when missing, since the rule shows the NSG exists.
pub(super) fn default_rule_resource(
    context: &mut Context,
    design: &mut Design,
    resource: &Resource,
) {
    default_rules::check_rule(context, resource.parent(), &resource.node);
    nsg_for(context, design, resource, Kind::DefaultSecurityRule);
}

pub(super) fn application_security_group(
    context: &mut Context,
    design: &mut Design,
    resource: &Resource,
) {
    let name = resource.name().to_string();
    insert_named(
        context,
        &mut design.application_security_groups,
        name,
        |n| n,
        "application security group",
        &resource.node,
    );
}

fn nsg_for(context: &mut Context, design: &mut Design, resource: &Resource, child: Kind) -> usize {
    let nsg_name = resource.parent();
    let element = format!("{nsg_name}/{}", resource.name());
    parent_or_stub(
        context,
        &mut design.network_security_groups,
        (Kind::NetworkSecurityGroup, nsg_name),
        |n| &n.name,
        || NetworkSecurityGroup {
            name: nsg_name.to_string(),
            rules: Default::default(),
        },
        Child {
            kind: child,
            element: &element,
            node: &resource.node,
        },
        "",
    )
}

/// One security rule; `None` (reported) when it lacks a direction or access, or a side has no
/// usable value left.
fn security_rule(
    context: &mut Context,
    nsg: &str,
    name: &str,
    node: &Node,
) -> Option<SecurityRule> {
    let element = format!("{nsg}/{name}");
    let properties = node.properties();
    let priority = context
        .number::<u32>(&element, &properties, "priority")
        .unwrap_or_else(|| {
            context.warn(
                &element,
                node,
                "the rule has no usable `priority`: imported as 0, which validation rejects",
            );
            0
        });
    let (Some(direction), Some(access)) = (
        context.choice(&element, &properties, "direction", &DIRECTIONS),
        context.choice(&element, &properties, "access", &ACCESSES),
    ) else {
        context.warn(
            &element,
            node,
            "the rule needs a `direction` and an `access`: not imported",
        );
        return None;
    };
    let protocol = match properties.get("protocol") {
        None => Protocol::Any,
        Some(member) => {
            let parsed = member
                .as_str()
                .and_then(|text| context.parse::<Protocol>(&element, &member, text));
            match parsed {
                Some(protocol) => protocol,
                None => {
                    context.warn(
                        &element,
                        &member,
                        "the rule's protocol is unknown: not imported",
                    );
                    return None;
                }
            }
        }
    };
    let (source, source_asgs) = side(context, &element, &properties, "source")?;
    let (destination, destination_asgs) = side(context, &element, &properties, "destination")?;
    let source_ports = ports(context, &element, &properties, "source")?;
    let destination_ports = ports(context, &element, &properties, "destination")?;
    let description = context
        .text(&element, &properties, "description")
        .unwrap_or_default()
        .to_string();
    Some(SecurityRule {
        name: name.to_string(),
        priority,
        direction,
        access,
        protocol,
        source,
        source_ports,
        destination,
        destination_ports,
        source_asgs,
        destination_asgs,
        description,
    })
}

/// A rule side: its ASGs when it names some (prefixes are then empty, as Azure allows only one
/// of the two), else its prefixes (`*` when absent).
fn side(
    context: &mut Context,
    element: &str,
    properties: &Node,
    side: &str,
) -> Option<(Vec<AddressMatch>, Vec<String>)> {
    let asgs = context.references(
        Kind::ApplicationSecurityGroup,
        element,
        properties,
        &format!("{side}ApplicationSecurityGroups"),
    );
    if !asgs.is_empty() {
        return Some((Vec::new(), asgs));
    }
    let entries = context.one_or_many(
        element,
        properties,
        &format!("{side}AddressPrefix"),
        &format!("{side}AddressPrefixes"),
    );
    if entries.is_empty() {
        return Some((vec![AddressMatch::Any], Vec::new()));
    }
    let addresses = context.addresses(element, &entries);
    if addresses.is_empty() {
        context.warn(
            element,
            properties,
            format!("no usable {side} address is left: the rule is not imported"),
        );
        return None;
    }
    Some((addresses, Vec::new()))
}

/// A side's port ranges (`*` when absent).
fn ports(
    context: &mut Context,
    element: &str,
    properties: &Node,
    side: &str,
) -> Option<Vec<PortRange>> {
    let entries = context.one_or_many(
        element,
        properties,
        &format!("{side}PortRange"),
        &format!("{side}PortRanges"),
    );
    if entries.is_empty() {
        return Some(vec![PortRange::ANY]);
    }
    let ports = context.ports(element, &entries);
    if ports.is_empty() {
        context.warn(
            element,
            properties,
            format!("no usable {side} port is left: the rule is not imported"),
        );
        return None;
    }
    Some(ports)
}
