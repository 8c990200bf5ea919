//! Azure's six default NSG rules. Designs never list them (the engine adds them), so imported
//! `defaultSecurityRules` are not converted; they are compared with the defaults, and any
//! difference is reported, since the engine will apply Azure's defaults regardless.

use super::context::Context;
use crate::import::node::Node;

/// A default rule as Azure defines it (every protocol and port).
struct DefaultRule {
    name: &'static str,
    priority: u64,
    direction: &'static str,
    access: &'static str,
    source: &'static str,
    destination: &'static str,
}

const DEFAULTS: [DefaultRule; 6] = [
    DefaultRule {
        name: "AllowVnetInBound",
        priority: 65000,
        direction: "Inbound",
        access: "Allow",
        source: "VirtualNetwork",
        destination: "VirtualNetwork",
    },
    DefaultRule {
        name: "AllowAzureLoadBalancerInBound",
        priority: 65001,
        direction: "Inbound",
        access: "Allow",
        source: "AzureLoadBalancer",
        destination: "*",
    },
    DefaultRule {
        name: "DenyAllInBound",
        priority: 65500,
        direction: "Inbound",
        access: "Deny",
        source: "*",
        destination: "*",
    },
    DefaultRule {
        name: "AllowVnetOutBound",
        priority: 65000,
        direction: "Outbound",
        access: "Allow",
        source: "VirtualNetwork",
        destination: "VirtualNetwork",
    },
    DefaultRule {
        name: "AllowInternetOutBound",
        priority: 65001,
        direction: "Outbound",
        access: "Allow",
        source: "*",
        destination: "Internet",
    },
    DefaultRule {
        name: "DenyAllOutBound",
        priority: 65500,
        direction: "Outbound",
        access: "Deny",
        source: "*",
        destination: "*",
    },
];

/// Checks an NSG's inline `defaultSecurityRules`: each must be a default, and none missing.
pub(super) fn check_list(context: &mut Context, nsg: &str, list: &Node) {
    let rules = list.items();
    if rules.is_empty() {
        return;
    }
    for rule in &rules {
        check_rule(context, nsg, rule);
    }
    let missing: Vec<&str> = DEFAULTS
        .iter()
        .map(|d| d.name)
        .filter(|name| {
            !rules.iter().any(|r| {
                r.str_at("name")
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
        })
        .collect();
    if !missing.is_empty() {
        context.warn(
            nsg,
            list,
            format!(
                "the default rules lack {}; the engine applies all six of Azure's defaults",
                missing.join(", ")
            ),
        );
    }
}

/// Checks one default rule against Azure's definition of it.
pub(super) fn check_rule(context: &mut Context, nsg: &str, rule: &Node) {
    let name = rule.str_at("name").unwrap_or_default();
    let element = format!("{nsg}/{name}");
    let Some(expected) = DEFAULTS.iter().find(|d| d.name.eq_ignore_ascii_case(name)) else {
        context.warn(
            &element,
            rule,
            "not one of Azure's six default rules: ignored (the engine applies the six defaults)",
        );
        return;
    };
    let properties = rule.properties();
    let text_is = |key: &str, expected: &str| {
        properties
            .str_at(key)
            .is_some_and(|value| value.trim().eq_ignore_ascii_case(expected))
    };
    let side_is = |(singular, plural): (&str, &str), expected: &str| {
        let many = properties
            .get(plural)
            .map(|list| list.items())
            .unwrap_or_default();
        match many.as_slice() {
            [] => text_is(singular, expected),
            [only] => only
                .as_str()
                .is_some_and(|v| v.eq_ignore_ascii_case(expected)),
            _ => false,
        }
    };
    let differences: Vec<&str> = [
        (
            "priority",
            properties.get("priority").and_then(|p| p.value.as_u64()) == Some(expected.priority),
        ),
        ("direction", text_is("direction", expected.direction)),
        ("access", text_is("access", expected.access)),
        ("protocol", text_is("protocol", "*")),
        (
            "source",
            side_is(
                ("sourceAddressPrefix", "sourceAddressPrefixes"),
                expected.source,
            ),
        ),
        (
            "destination",
            side_is(
                ("destinationAddressPrefix", "destinationAddressPrefixes"),
                expected.destination,
            ),
        ),
        (
            "source ports",
            side_is(("sourcePortRange", "sourcePortRanges"), "*"),
        ),
        (
            "destination ports",
            side_is(("destinationPortRange", "destinationPortRanges"), "*"),
        ),
    ]
    .into_iter()
    .filter(|(_, same)| !same)
    .map(|(field, _)| field)
    .collect();
    if !differences.is_empty() {
        context.warn(
            &element,
            rule,
            format!(
                "differs from Azure's default rule `{}` in {}: the engine applies Azure's default, \
                 not this rule",
                expected.name,
                differences.join(", ")
            ),
        );
    }
}
