//! What an import produced: how many elements of each type the design holds, and which input
//! resource types (or non-resource documents) were ignored, with counts.

use std::collections::BTreeMap;
use std::fmt;

use super::{EvaluationUsage, Unevaluated};
use crate::model::{Design, PaasKind, RuleCollection};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Element type (named like the design JSON's lists, e.g. `subnets`, `security_rules`) →
    /// count. Types with no element are left out.
    pub elements: BTreeMap<String, usize>,
    /// Ignored resource type (as written in the input) or non-resource document kind → count.
    pub ignored: BTreeMap<String, usize>,
    /// Template expressions that could not be evaluated (placeholders stand in), sorted.
    pub unevaluated: Vec<Unevaluated>,
    /// What evaluating the input's templates used of the budget (`None` without a template to
    /// evaluate).
    pub evaluation: Option<EvaluationUsage>,
}

impl ImportSummary {
    pub(crate) fn new(design: &Design, ignored: BTreeMap<String, usize>) -> Self {
        let collections = || {
            design
                .firewalls
                .iter()
                .flat_map(|f| &f.rule_collections)
                .chain(
                    design
                        .firewall_policies
                        .iter()
                        .flat_map(|p| &p.rule_collection_groups)
                        .flat_map(|g| &g.rule_collections),
                )
        };
        let rules_of = |pick: fn(&RuleCollection) -> usize| collections().map(pick).sum();
        let resources_of =
            |kind: PaasKind| design.resources.iter().filter(|r| r.kind == kind).count();
        let counts = [
            ("virtual_networks", design.virtual_networks.len()),
            (
                "subnets",
                design
                    .virtual_networks
                    .iter()
                    .map(|v| v.subnets.len())
                    .sum(),
            ),
            ("peerings", design.peerings.len()),
            ("gateways", design.gateways.len()),
            (
                "network_security_groups",
                design.network_security_groups.len(),
            ),
            (
                "security_rules",
                design
                    .network_security_groups
                    .iter()
                    .map(|n| n.rules.len())
                    .sum(),
            ),
            (
                "application_security_groups",
                design.application_security_groups.len(),
            ),
            ("route_tables", design.route_tables.len()),
            (
                "routes",
                design.route_tables.iter().map(|t| t.routes.len()).sum(),
            ),
            ("computes", design.computes.len()),
            ("private_endpoints", design.private_endpoints.len()),
            ("private_dns_zones", design.private_dns_zones.len()),
            (
                "dns_records",
                design
                    .private_dns_zones
                    .iter()
                    .map(|z| z.records.len())
                    .sum(),
            ),
            ("firewalls", design.firewalls.len()),
            ("firewall_policies", design.firewall_policies.len()),
            (
                "rule_collection_groups",
                design
                    .firewall_policies
                    .iter()
                    .map(|p| p.rule_collection_groups.len())
                    .sum(),
            ),
            ("rule_collections", collections().count()),
            (
                "network_rules",
                rules_of(|c| match c {
                    RuleCollection::Network { rules, .. } => rules.len(),
                    _ => 0,
                }),
            ),
            (
                "application_rules",
                rules_of(|c| match c {
                    RuleCollection::Application { rules, .. } => rules.len(),
                    _ => 0,
                }),
            ),
            (
                "nat_rules",
                rules_of(|c| match c {
                    RuleCollection::Nat { rules, .. } => rules.len(),
                    _ => 0,
                }),
            ),
            ("ip_groups", design.ip_groups.len()),
            ("load_balancers", design.load_balancers.len()),
            (
                "service_endpoint_policies",
                design.service_endpoint_policies.len(),
            ),
            (
                "service_endpoint_policy_definitions",
                design
                    .service_endpoint_policies
                    .iter()
                    .map(|p| p.definitions.len())
                    .sum(),
            ),
            ("storage_accounts", resources_of(PaasKind::StorageAccount)),
            ("key_vaults", resources_of(PaasKind::KeyVault)),
            (
                "container_registries",
                resources_of(PaasKind::ContainerRegistry),
            ),
            ("workspaces", design.workspaces.len()),
            ("network_managers", design.network_managers.len()),
            (
                "admin_rules",
                design
                    .network_managers
                    .iter()
                    .flat_map(|m| &m.admin_rule_collections)
                    .map(|c| c.rules.len())
                    .sum(),
            ),
            (
                "network_security_perimeters",
                design.network_security_perimeters.len(),
            ),
            (
                "perimeter_access_rules",
                design
                    .network_security_perimeters
                    .iter()
                    .flat_map(|p| &p.profiles)
                    .map(|p| p.inbound_rules.len() + p.outbound_rules.len())
                    .sum(),
            ),
            (
                "perimeter_associations",
                design
                    .network_security_perimeters
                    .iter()
                    .map(|p| p.associations.len())
                    .sum(),
            ),
            ("services", design.services.len()),
            ("external_hosts", design.external_hosts.len()),
        ];
        ImportSummary {
            elements: counts
                .into_iter()
                .filter(|(_, count)| *count > 0)
                .map(|(name, count)| (name.to_string(), count))
                .collect(),
            ignored,
            unevaluated: Vec::new(),
            evaluation: None,
        }
    }

    /// How many elements of a type (e.g. `"subnets"`) the design holds.
    pub fn count(&self, element_type: &str) -> usize {
        self.elements.get(element_type).copied().unwrap_or(0)
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |counts: &BTreeMap<String, usize>| {
            counts
                .iter()
                .map(|(name, count)| format!("{count} {name}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.elements.is_empty() {
            f.write_str("no elements")?;
        } else {
            f.write_str(&list(&self.elements))?;
        }
        if !self.ignored.is_empty() {
            write!(f, "; ignored: {}", list(&self.ignored))?;
        }
        if !self.unevaluated.is_empty() {
            write!(
                f,
                "; {} expression(s) not evaluated",
                self.unevaluated.len()
            )?;
        }
        Ok(())
    }
}
