//! Azure Virtual Network Manager security admin rules, compiled per VNet: every rule of every
//! collection whose network groups contain the VNet, per direction, in priority order. Microsoft
//! Learn, "Security admin rules in Azure Virtual Network Manager": admin rules are evaluated
//! before NSGs; `Allow` continues to the NSGs, `AlwaysAllow` skips them, `Deny` drops; a rule
//! matches like an NSG rule (prefixes, service tags, protocols, ports).

use crate::model::sorting;
use std::collections::BTreeMap;

use super::address::{AddressScope, Match};
use super::nsg::{compile_rule, rule_matches, CompiledRule, NsgPacket};
use super::service_tags::ServiceTagData;
use crate::model::{
    Access, AdminAccess, AdminRule, Cloud, Design, Diagnostic, Direction, EvaluationOptions,
    SecurityRule,
};

/// One compiled admin rule with where it comes from.
#[derive(Debug, Clone)]
pub struct CompiledAdminRule {
    pub rule: CompiledRule,
    pub access: AdminAccess,
    pub manager: String,
    pub collection: String,
}

/// The admin rules applying to one VNet.
#[derive(Debug, Clone, Default)]
pub struct VnetAdminRules {
    inbound: Vec<CompiledAdminRule>,
    outbound: Vec<CompiledAdminRule>,
}

/// What the admin rules decided for one direction.
pub enum AdminDecision<'a> {
    NoRuleMatched,
    Matched(&'a CompiledAdminRule),
    Undecidable {
        rule: &'a CompiledAdminRule,
        reason: String,
    },
}

/// Admin rules per VNet name.
pub fn compile_admin_rules(
    design: &Design,
    options: &EvaluationOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, VnetAdminRules> {
    let mut by_vnet: BTreeMap<String, VnetAdminRules> = BTreeMap::new();
    for (m, manager) in design.network_managers.iter().enumerate() {
        for (c, collection) in manager.admin_rule_collections.iter().enumerate() {
            let vnets: Vec<&String> = manager
                .network_groups
                .iter()
                .filter(|g| collection.network_groups.contains(&g.name))
                .flat_map(|g| &g.vnets)
                .collect();
            for (r, rule) in collection.rules.iter().enumerate() {
                let compiled = CompiledAdminRule {
                    rule: compile_rule(
                        &as_security_rule(rule),
                        || format!("{}/{}/{}", manager.name, collection.name, rule.name),
                        || {
                            format!(
                                "$.network_managers[{m}].admin_rule_collections[{c}].rules[{r}]"
                            )
                        },
                        options,
                        diagnostics,
                    ),
                    access: rule.access,
                    manager: manager.name.clone(),
                    collection: collection.name.clone(),
                };
                for vnet in &vnets {
                    let rules = by_vnet.entry((*vnet).clone()).or_default();
                    match rule.direction {
                        Direction::Inbound => rules.inbound.push(compiled.clone()),
                        Direction::Outbound => rules.outbound.push(compiled.clone()),
                    }
                }
            }
        }
    }
    for rules in by_vnet.values_mut() {
        for list in [&mut rules.inbound, &mut rules.outbound] {
            sorting::sort_by(list, |a, b| {
                (a.rule.priority, &a.manager, &a.collection, &a.rule.name).cmp(&(
                    b.rule.priority,
                    &b.manager,
                    &b.collection,
                    &b.rule.name,
                ))
            });
        }
    }
    by_vnet
}

/// The rule as the NSG matcher reads it (the access is kept beside it).
fn as_security_rule(rule: &AdminRule) -> SecurityRule {
    SecurityRule {
        name: rule.name.clone(),
        priority: rule.priority,
        direction: rule.direction,
        access: if rule.access == AdminAccess::Deny {
            Access::Deny
        } else {
            Access::Allow
        },
        protocol: rule.protocol,
        source: rule.source.clone(),
        source_ports: rule.source_ports.clone(),
        destination: rule.destination.clone(),
        destination_ports: rule.destination_ports.clone(),
        source_asgs: Vec::new(),
        destination_asgs: Vec::new(),
        description: String::new(),
    }
}

impl VnetAdminRules {
    /// The first admin rule by priority that matches, if any.
    pub fn evaluate(
        &self,
        direction: Direction,
        packet: NsgPacket<'_>,
        scope: &AddressScope,
        data: &ServiceTagData,
        cloud: Cloud,
        options: &EvaluationOptions,
    ) -> AdminDecision<'_> {
        let rules = match direction {
            Direction::Inbound => &self.inbound,
            Direction::Outbound => &self.outbound,
        };
        for rule in rules {
            match rule_matches(&rule.rule, packet, scope, data, cloud, options) {
                Match::Yes => return AdminDecision::Matched(rule),
                Match::No => {}
                Match::Unknown(reason) => return AdminDecision::Undecidable { rule, reason },
            }
        }
        AdminDecision::NoRuleMatched
    }
}
