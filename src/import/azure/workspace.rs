//! Azure Machine Learning workspaces: associated resources by ID, public network access, HBI,
//! customer-managed key (`encryption.status`), and the managed network with its outbound rules.

use super::context::Context;
use super::kind::Kind;
use super::merge::insert_named;
use super::paas::{resource_group_of, subscription_of, PUBLIC_NETWORK_ACCESS};
use super::resource::Resource;
use crate::import::node::Node;
use crate::model::{
    Design, ManagedIsolationMode, ManagedNetwork, OutboundRule, PortRange, Protocol, Workspace,
};

const ISOLATION_MODES: [(&str, ManagedIsolationMode); 3] = [
    ("Disabled", ManagedIsolationMode::Disabled),
    (
        "AllowInternetOutbound",
        ManagedIsolationMode::AllowInternetOutbound,
    ),
    (
        "AllowOnlyApprovedOutbound",
        ManagedIsolationMode::AllowOnlyApprovedOutbound,
    ),
];

pub(super) fn workspace(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let associated = |context: &mut Context, key: &str, kind: Kind| {
        properties
            .get(key)
            .and_then(|holder| context.reference(kind, name, &holder))
    };
    let storage_account = associated(context, "storageAccount", Kind::StorageAccount);
    let key_vault = associated(context, "keyVault", Kind::KeyVault);
    let container_registry = associated(context, "containerRegistry", Kind::ContainerRegistry);
    let customer_managed_key = properties
        .get("encryption")
        .and_then(|encryption| context.text(name, &encryption, "status"))
        .is_some_and(|status| status.eq_ignore_ascii_case("Enabled"));
    let managed_network = properties
        .get("managedNetwork")
        .map(|network| managed_network(context, name, &network))
        .unwrap_or_default();
    let workspace = Workspace {
        name: name.to_string(),
        region: resource.location().unwrap_or_default(),
        subscription: subscription_of(resource),
        resource_group: resource_group_of(resource),
        public_network_access: context
            .choice(
                name,
                &properties,
                "publicNetworkAccess",
                &PUBLIC_NETWORK_ACCESS,
            )
            .unwrap_or_default(),
        storage_account,
        key_vault,
        container_registry,
        hbi: context
            .flag(name, &properties, "hbiWorkspace")
            .unwrap_or(false),
        customer_managed_key,
        resource_logs: false,
        image_registry: None,
        managed_network,
    };
    insert_named(
        context,
        &mut design.workspaces,
        workspace,
        |w| &w.name,
        "workspace",
        &resource.node,
    );
}

fn managed_network(context: &mut Context, workspace: &str, network: &Node) -> ManagedNetwork {
    let isolation_mode = context
        .choice(workspace, network, "isolationMode", &ISOLATION_MODES)
        .unwrap_or_default();
    // ARM writes outbound rules as an object keyed by rule name; some tools write a list.
    let rules: Vec<(String, Node)> = match network.get("outboundRules") {
        Some(rules) if rules.value.is_array() => rules
            .items()
            .into_iter()
            .map(|rule| (rule.str_at("name").unwrap_or_default().to_string(), rule))
            .collect(),
        Some(rules) => rules
            .entries()
            .into_iter()
            .map(|(name, rule)| (name.to_string(), rule))
            .collect(),
        None => Vec::new(),
    };
    let outbound_rules = rules
        .iter()
        .filter_map(|(name, rule)| {
            outbound_rule(context, &format!("{workspace}/{name}"), name, rule)
        })
        .collect();
    let spark_ready = network
        .get("status")
        .and_then(|status| context.flag(workspace, &status, "sparkReady"))
        .unwrap_or(false);
    ManagedNetwork {
        isolation_mode,
        outbound_rules,
        previous_isolation_mode: None,
        spark_ready,
    }
}

#[derive(Clone, Copy)]
enum RuleType {
    PrivateEndpoint,
    ServiceTag,
    Fqdn,
}

const RULE_TYPES: [(&str, RuleType); 3] = [
    ("PrivateEndpoint", RuleType::PrivateEndpoint),
    ("ServiceTag", RuleType::ServiceTag),
    ("FQDN", RuleType::Fqdn),
];

/// One outbound rule; `None` (reported) when its type or destination is unusable.
fn outbound_rule(
    context: &mut Context,
    element: &str,
    name: &str,
    rule: &Node,
) -> Option<OutboundRule> {
    let properties = rule.properties();
    let Some(rule_type) = context.choice(element, &properties, "type", &RULE_TYPES) else {
        context.warn(
            element,
            rule,
            "the outbound rule has no known `type`: not imported",
        );
        return None;
    };
    let Some(destination) = properties.get("destination") else {
        context.warn(
            element,
            rule,
            "the outbound rule has no `destination`: not imported",
        );
        return None;
    };
    let name = name.to_string();
    match rule_type {
        RuleType::Fqdn => {
            let Some(fqdn) = destination.as_str() else {
                context.warn(
                    element,
                    &destination,
                    "an FQDN rule's destination is the FQDN string: not imported",
                );
                return None;
            };
            Some(OutboundRule::Fqdn {
                name,
                fqdn: fqdn.to_string(),
                ports: Vec::new(),
            })
        }
        RuleType::PrivateEndpoint => {
            let target = destination
                .get("serviceResourceId")
                .and_then(|id| context.link_target(element, &id));
            let sub_resource = context.text(element, &destination, "subresourceTarget");
            let (Some(target), Some(sub_resource)) = (target, sub_resource) else {
                context.warn(
                    element,
                    &destination,
                    "the rule needs `serviceResourceId` and `subresourceTarget`: not imported",
                );
                return None;
            };
            let spark_enabled = context
                .flag(element, &destination, "sparkEnabled")
                .unwrap_or(false);
            Some(OutboundRule::PrivateEndpoint {
                name,
                target,
                sub_resource: sub_resource.to_string(),
                spark_enabled,
            })
        }
        RuleType::ServiceTag => {
            let Some(tag) = context.text(element, &destination, "serviceTag") else {
                context.warn(
                    element,
                    &destination,
                    "the rule has no `serviceTag`: not imported",
                );
                return None;
            };
            let protocol = match destination.get("protocol") {
                None => Protocol::Any,
                Some(member) => {
                    let text = member.as_str().unwrap_or_default();
                    context.parse::<Protocol>(element, &member, text)?
                }
            };
            let ports = match destination.get("portRanges") {
                None => vec![PortRange::ANY],
                Some(member) => {
                    let text = member.as_str().unwrap_or_default();
                    let entries: Vec<(Node, &str)> = text
                        .split(',')
                        .filter(|part| !part.trim().is_empty())
                        .map(|part| (member.clone(), part))
                        .collect();
                    context.ports(element, &entries)
                }
            };
            if ports.is_empty() {
                context.warn(
                    element,
                    &destination,
                    "the rule has no usable `portRanges`: not imported",
                );
                return None;
            }
            Some(OutboundRule::ServiceTag {
                name,
                tag: tag.to_string(),
                protocol,
                ports,
            })
        }
    }
}
