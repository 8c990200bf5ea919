//! Azure Firewalls: subnet, private and public IP from the first IP configuration, the public
//! IPs of the others (a firewall may have several; DNAT uses any, SNAT picks one), policy
//! reference, threat intelligence mode, DNS proxy (`additionalProperties`
//! `Network.DNS.EnableProxy`) and classic application, network and NAT rule collections.

use std::net::Ipv4Addr;

use super::addresses::Holder;
use super::context::Context;
use super::firewall_rules::{application_rule, nat_rule, network_rule};
use super::kind::Kind;
use super::merge::insert_named;
use super::resource::Resource;
use crate::import::node::Node;
use crate::model::{Design, Firewall, RuleAction, RuleCollection, ThreatIntelMode};

pub(super) const THREAT_INTEL_MODES: [(&str, ThreatIntelMode); 3] = [
    ("Off", ThreatIntelMode::Off),
    ("Alert", ThreatIntelMode::Alert),
    ("Deny", ThreatIntelMode::Deny),
];

const FILTER_ACTIONS: [(&str, RuleAction); 2] =
    [("Allow", RuleAction::Allow), ("Deny", RuleAction::Deny)];

pub(super) fn firewall(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let configurations = context.list(name, &properties, "ipConfigurations");
    let Some(configuration) = configurations.first() else {
        context.warn(
            name,
            &resource.node,
            "the firewall has no IP configuration (a Virtual WAN hub firewall?): not imported",
        );
        return;
    };
    let Some((settings, subnet)) = context.configuration_subnet(name, configuration) else {
        return;
    };
    let private_ip = context.ipv4(name, &settings, "privateIPAddress");
    if private_ip.is_none() {
        context.await_address(Holder::Firewall, name, &subnet, &settings);
    }
    let public_ip = settings
        .get("publicIPAddress")
        .and_then(|reference| context.public_ip(Holder::Firewall, name, &reference));
    let additional_public_ips = configurations[1..]
        .iter()
        .filter_map(|configuration| {
            configuration
                .properties()
                .get("publicIPAddress")
                .and_then(|reference| context.public_ip(Holder::Firewall, name, &reference))
        })
        .collect();
    let policy = properties
        .get("firewallPolicy")
        .and_then(|holder| context.reference(Kind::FirewallPolicy, name, &holder));
    let dns_proxy = properties
        .get("additionalProperties")
        .and_then(|extra| context.flag(name, &extra, "Network.DNS.EnableProxy"))
        .unwrap_or(false);
    let firewall = Firewall {
        name: name.to_string(),
        subnet,
        private_ip: private_ip.unwrap_or(Ipv4Addr::UNSPECIFIED),
        public_ip,
        additional_public_ips,
        policy,
        threat_intel: context
            .choice(name, &properties, "threatIntelMode", &THREAT_INTEL_MODES)
            .unwrap_or_default(),
        dns_proxy,
        rule_collections: classic_collections(context, name, &properties),
        snat_private_ranges: Vec::new(),
    };
    insert_named(
        context,
        &mut design.firewalls,
        firewall,
        |f| &f.name,
        "firewall",
        &resource.node,
    );
}

/// Network, application and NAT rule collections, in that order.
fn classic_collections(
    context: &mut Context,
    firewall: &str,
    properties: &Node,
) -> Vec<RuleCollection> {
    let mut collections = Vec::new();
    for (key, kind) in [
        ("networkRuleCollections", CollectionKind::Network),
        ("applicationRuleCollections", CollectionKind::Application),
        ("natRuleCollections", CollectionKind::Nat),
    ] {
        for item in context.list(firewall, properties, key) {
            collections.extend(classic_collection(context, firewall, &item, kind));
        }
    }
    collections
}

/// The rule type a collection holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum CollectionKind {
    Network,
    Application,
    Nat,
}

fn classic_collection(
    context: &mut Context,
    firewall: &str,
    item: &Node,
    kind: CollectionKind,
) -> Option<RuleCollection> {
    let name = item.str_at("name").unwrap_or_default().to_string();
    let element = format!("{firewall}/{name}");
    let properties = item.properties();
    let priority = collection_priority(context, &element, &properties);
    let rules = context.list(&element, &properties, "rules");
    build_collection(context, &element, &properties, kind, name, priority, &rules)
}

/// A rule collection of `kind` from its converted rules; a filter collection also needs its
/// action (`None`, reported, when it has none). Shared by classic and policy collections.
pub(super) fn build_collection(
    context: &mut Context,
    element: &str,
    properties: &Node,
    kind: CollectionKind,
    name: String,
    priority: u32,
    rules: &[Node],
) -> Option<RuleCollection> {
    Some(match kind {
        CollectionKind::Nat => RuleCollection::Nat {
            rules: rules
                .iter()
                .filter_map(|r| nat_rule(context, element, r))
                .collect(),
            name,
            priority,
        },
        CollectionKind::Network => RuleCollection::Network {
            action: filter_action(context, element, properties)?,
            rules: rules
                .iter()
                .filter_map(|r| network_rule(context, element, r))
                .collect(),
            name,
            priority,
        },
        CollectionKind::Application => RuleCollection::Application {
            action: filter_action(context, element, properties)?,
            rules: rules
                .iter()
                .filter_map(|r| application_rule(context, element, r))
                .collect(),
            name,
            priority,
        },
    })
}

/// A filter collection's `action.type` (Allow or Deny); `None`, reported, otherwise.
pub(super) fn filter_action(
    context: &mut Context,
    element: &str,
    properties: &Node,
) -> Option<RuleAction> {
    let action = properties
        .get("action")
        .and_then(|action| context.choice(element, &action, "type", &FILTER_ACTIONS));
    if action.is_none() {
        context.warn(
            element,
            properties,
            "the collection has no Allow or Deny `action`: not imported",
        );
    }
    action
}

/// A collection's or group's priority; missing becomes 0, which validation rejects, so the
/// element stays visible.
pub(super) fn collection_priority(context: &mut Context, element: &str, properties: &Node) -> u32 {
    context
        .number::<u32>(element, properties, "priority")
        .unwrap_or_else(|| {
            context.warn(
                element,
                properties,
                "no usable `priority`: imported as 0, which validation rejects",
            );
            0
        })
}
