//! Design size limits, checked before a design is compiled: how many elements and rules a
//! design holds, against the `max_design_elements` and `max_design_rules` options. The engine
//! compiles every rule and the analysis traces sources × sinks, so a design far larger than
//! any Azure deployment it stands for would stall the browser; this stops it with an error
//! that says what to raise.

use super::{Design, RuleCollection};

/// How large a design is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DesignSize {
    /// Every named element: VNets, subnets, peerings, gateways, NSGs, application security
    /// groups, route tables, computes, private endpoints, DNS zones and records, firewalls,
    /// policies, load balancers, IP groups, service endpoint policies, resources, workspaces,
    /// services and external hosts, network security perimeters with their profiles and
    /// associations.
    pub elements: usize,
    /// NSG rules, routes, firewall rules, service endpoint policy definitions, resource
    /// firewall rules, managed outbound rules, perimeter access rules and the parts of load
    /// balancers (frontends, pool members, probes, rules).
    pub rules: usize,
}

impl DesignSize {
    pub fn of(design: &Design) -> Self {
        let subnets: usize = design
            .virtual_networks
            .iter()
            .map(|v| v.subnets.len())
            .sum();
        let records: usize = design
            .private_dns_zones
            .iter()
            .map(|z| z.records.len())
            .sum();
        let perimeter_parts: usize = design
            .network_security_perimeters
            .iter()
            .map(|p| 1 + p.profiles.len() + p.associations.len())
            .sum();
        let elements = [
            design.virtual_networks.len(),
            subnets,
            design.peerings.len(),
            design.gateways.len(),
            design.network_security_groups.len(),
            design.application_security_groups.len(),
            design.route_tables.len(),
            design.computes.len(),
            design.private_endpoints.len(),
            design.private_dns_zones.len(),
            records,
            design.firewalls.len(),
            design.firewall_policies.len(),
            design.load_balancers.len(),
            design.ip_groups.len(),
            design.service_endpoint_policies.len(),
            design.resources.len(),
            design.workspaces.len(),
            design.services.len(),
            design.external_hosts.len(),
            perimeter_parts,
        ]
        .iter()
        .sum();
        let collections = design
            .firewalls
            .iter()
            .flat_map(|f| &f.rule_collections)
            .chain(
                design
                    .firewall_policies
                    .iter()
                    .flat_map(|p| &p.rule_collection_groups)
                    .flat_map(|g| &g.rule_collections),
            );
        let firewall_rules: usize = collections
            .map(|collection| match collection {
                RuleCollection::Network { rules, .. } => rules.len(),
                RuleCollection::Application { rules, .. } => rules.len(),
                RuleCollection::Nat { rules, .. } => rules.len(),
            })
            .sum();
        let rules = [
            design
                .network_security_groups
                .iter()
                .map(|n| n.rules.len())
                .sum(),
            design.route_tables.iter().map(|t| t.routes.len()).sum(),
            firewall_rules,
            design
                .service_endpoint_policies
                .iter()
                .map(|p| p.definitions.len())
                .sum(),
            design
                .resources
                .iter()
                .map(|r| {
                    let acls = &r.network_acls;
                    acls.ip_rules.len()
                        + acls.virtual_network_rules.len()
                        + acls.resource_access_rules.len()
                })
                .sum(),
            design
                .workspaces
                .iter()
                .map(|w| w.managed_network.outbound_rules.len())
                .sum::<usize>(),
            design
                .load_balancers
                .iter()
                .map(|lb| {
                    lb.frontends.len()
                        + lb.backend_pools
                            .iter()
                            .map(|p| p.members.len())
                            .sum::<usize>()
                        + lb.probes.len()
                        + lb.rules.len()
                        + lb.outbound_rules.len()
                })
                .sum(),
            design
                .network_security_perimeters
                .iter()
                .flat_map(|p| &p.profiles)
                .map(|p| p.inbound_rules.len() + p.outbound_rules.len())
                .sum::<usize>(),
        ]
        .iter()
        .sum();
        DesignSize { elements, rules }
    }
}

/// Why a design is too large to compile, saying which option raises the limit; `None` when it
/// is within the limits of its own options.
pub fn oversize(design: &Design) -> Option<String> {
    let size = DesignSize::of(design);
    let options = &design.options;
    let over = |count: usize, limit: u32, what: &str, option: &str| {
        (count > limit as usize).then(|| {
            format!(
                "the design holds {count} {what}, more than the limit of {limit}; it is not \
                 compiled (raise the option `{option}` if the design is meant to be this large)"
            )
        })
    };
    over(
        size.elements,
        options.max_design_elements,
        "elements",
        "max_design_elements",
    )
    .or_else(|| {
        over(
            size.rules,
            options.max_design_rules,
            "rules",
            "max_design_rules",
        )
    })
}
