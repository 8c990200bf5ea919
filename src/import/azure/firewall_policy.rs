//! Firewall policies (`firewallPolicies`: base policy, threat intelligence, DNS proxy,
//! explicit proxy) and
//! their rule collection groups (`firewallPolicies/ruleCollectionGroups`), whose collections
//! are filter collections (network or application rules) or NAT collections.

use super::context::Context;
use super::firewall::{build_collection, collection_priority, CollectionKind, THREAT_INTEL_MODES};

use super::kind::Kind;
use super::merge::{insert_named, parent_or_stub, Child};
use super::resource::Resource;
use crate::import::node::Node;
use crate::model::{Design, ExplicitProxy, FirewallPolicy, RuleCollection, RuleCollectionGroup};

pub(super) fn policy(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let parent = properties
        .get("basePolicy")
        .and_then(|holder| context.reference(Kind::FirewallPolicy, name, &holder));
    let dns_proxy = properties
        .get("dnsSettings")
        .and_then(|dns| context.flag(name, &dns, "enableProxy"))
        .unwrap_or(false);
    let threat_intel = context
        .choice(name, &properties, "threatIntelMode", &THREAT_INTEL_MODES)
        .unwrap_or_default();
    let explicit_proxy = properties
        .get("explicitProxy")
        .and_then(|settings| explicit_proxy(context, name, &settings));
    // Groups are separate resources; a policy listed again must not lose them.
    match design
        .firewall_policies
        .iter_mut()
        .find(|p| p.name.eq_ignore_ascii_case(name))
    {
        Some(existing) => {
            existing.parent = parent;
            existing.dns_proxy = dns_proxy;
            existing.threat_intel = threat_intel;
            existing.explicit_proxy = explicit_proxy;
        }
        None => design.firewall_policies.push(FirewallPolicy {
            name: name.to_string(),
            parent,
            threat_intel,
            dns_proxy,
            explicit_proxy,
            rule_collection_groups: Vec::new(),
        }),
    }
}

/// `explicitProxy` when `enableExplicitProxy` is true: its HTTP and HTTPS ports (the PAC file
/// is not modelled: clients are configured directly).
fn explicit_proxy(context: &mut Context, policy: &str, settings: &Node) -> Option<ExplicitProxy> {
    if context.flag(policy, settings, "enableExplicitProxy") != Some(true) {
        return None;
    }
    if context.flag(policy, settings, "enablePacFile") == Some(true) {
        context.warn(
            policy,
            settings,
            "the explicit proxy's PAC file is not modelled: clients are taken as configured \
             with the proxy's ports directly",
        );
    }
    Some(ExplicitProxy {
        http_port: context.number::<u16>(policy, settings, "httpPort"),
        https_port: context.number::<u16>(policy, settings, "httpsPort"),
    })
}

/// A rule collection group, added to its policy (created when missing).
pub(super) fn rule_collection_group(
    context: &mut Context,
    design: &mut Design,
    resource: &Resource,
) {
    let policy_name = resource.parent();
    let name = resource.name();
    let element = format!("{policy_name}/{name}");
    let properties = resource.properties();
    let priority = collection_priority(context, &element, &properties);
    let rule_collections = context
        .list(&element, &properties, "ruleCollections")
        .iter()
        .filter_map(|item| collection(context, &element, item))
        .collect();
    let group = RuleCollectionGroup {
        name: name.to_string(),
        priority,
        rule_collections,
    };
    let position = parent_or_stub(
        context,
        &mut design.firewall_policies,
        (Kind::FirewallPolicy, policy_name),
        |p| &p.name,
        || FirewallPolicy {
            name: policy_name.to_string(),
            parent: None,
            threat_intel: Default::default(),
            dns_proxy: false,
            explicit_proxy: None,
            rule_collection_groups: Vec::new(),
        },
        Child {
            kind: Kind::RuleCollectionGroup,
            element: &element,
            node: &resource.node,
        },
        ", with default settings",
    );
    if let Some(policy) = design.firewall_policies.get_mut(position) {
        insert_named(
            context,
            &mut policy.rule_collection_groups,
            group,
            |g| &g.name,
            "rule collection group",
            &resource.node,
        );
    }
}

const RULE_TYPES: [(&str, CollectionKind); 3] = [
    ("NetworkRule", CollectionKind::Network),
    ("ApplicationRule", CollectionKind::Application),
    ("NatRule", CollectionKind::Nat),
];

/// One collection. A filter collection holds one rule type (its first rule's); rules of
/// another type are reported and skipped.
fn collection(context: &mut Context, group: &str, item: &Node) -> Option<RuleCollection> {
    let properties = item.properties();
    let name = properties
        .str_at("name")
        .or(item.str_at("name"))
        .unwrap_or_default()
        .to_string();
    let element = format!("{group}/{name}");
    let collection_type = context
        .text(&element, &properties, "ruleCollectionType")
        .unwrap_or_default();
    let is_nat = collection_type.eq_ignore_ascii_case("FirewallPolicyNatRuleCollection");
    if !is_nat && !collection_type.eq_ignore_ascii_case("FirewallPolicyFilterRuleCollection") {
        context.warn(
            &element,
            item,
            format!("`ruleCollectionType` `{collection_type}` is not FirewallPolicyFilterRuleCollection or FirewallPolicyNatRuleCollection: not imported"),
        );
        return None;
    }
    let priority = collection_priority(context, &element, &properties);
    let rules = context.list(&element, &properties, "rules");
    let typed: Vec<(CollectionKind, Node)> = rules
        .into_iter()
        .filter_map(|rule| {
            let rule_type = context.choice(&element, &rule, "ruleType", &RULE_TYPES);
            if rule_type.is_none() {
                context.warn(
                    &element,
                    &rule,
                    "the rule has no known `ruleType`: not imported",
                );
            }
            rule_type.map(|t| (t, rule))
        })
        .collect();
    let collection_rule_type = if is_nat {
        CollectionKind::Nat
    } else {
        typed
            .iter()
            .map(|(t, _)| *t)
            .find(|t| *t != CollectionKind::Nat)
            .unwrap_or(CollectionKind::Network)
    };
    let mut matching = Vec::new();
    for (rule_type, rule) in typed {
        if rule_type == collection_rule_type {
            matching.push(rule);
        } else {
            context.warn(
                &element,
                &rule,
                "a collection holds rules of one type; this rule's type differs: not imported",
            );
        }
    }
    build_collection(
        context,
        &element,
        &properties,
        collection_rule_type,
        name,
        priority,
        &matching,
    )
}
