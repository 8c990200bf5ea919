//! Names the firewall resolves without a DNS hop of the walk: network-rule FQDNs and DNAT
//! rules' translated FQDNs. A name resolves in the private zones linked to the firewall's
//! VNet, then among the design's PaaS resources, platform services and internet hosts. A DNAT
//! rule translating to a name that resolves nowhere is reported when the design is compiled
//! (traces of the packets it matches are `unsupported` or `unresolved`, never a silent miss).

use std::net::Ipv4Addr;

use super::dns::{fqdn_matches, parse_paas_fqdn, PrivateAnswer};
use super::Engine;
use crate::model::{Diagnostic, DnatTarget, RuleCollection};

impl Engine {
    /// `fqdn` as the design's hosts answer it from `vnet` (PaaS names through the private
    /// zones linked to it first); `None` when the design does not know the name.
    pub(super) fn resolve_host(&self, fqdn: &str, vnet: Option<&str>) -> Option<Ipv4Addr> {
        let design = &self.design;
        if let Some(name) = parse_paas_fqdn(fqdn, design.cloud) {
            if let PrivateAnswer::Record(ip) =
                self.private_dns
                    .lookup(vnet, &name.private_zone, &name.record)
            {
                return Some(ip);
            }
            return design
                .resources
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(&name.resource))
                .and_then(|r| self.resource_party(r).ip);
        }
        design
            .services
            .iter()
            .find(|s| s.fqdns.iter().any(|p| fqdn_matches(p, fqdn)))
            .and_then(|s| self.service_party(s).ip)
            .or_else(|| {
                design
                    .external_hosts
                    .iter()
                    .find(|h| h.fqdns.iter().any(|p| fqdn_matches(p, fqdn)))
                    .map(|h| h.ip)
            })
    }

    /// A warning for each DNAT rule of a firewall whose translated FQDN the firewall's VNet
    /// cannot resolve in the design.
    pub(super) fn unresolved_dnat_names(&self) -> Vec<Diagnostic> {
        let design = &self.design;
        let mut warnings = Vec::new();
        for (i, firewall) in design.firewalls.iter().enumerate() {
            let vnet = firewall.subnet.split('/').next().unwrap_or_default();
            let collections: Vec<&RuleCollection> = match &firewall.policy {
                Some(policy) => design
                    .policy_chain(policy)
                    .into_iter()
                    .flat_map(|(_, p)| &p.rule_collection_groups)
                    .flat_map(|g| &g.rule_collections)
                    .collect(),
                None => firewall.rule_collections.iter().collect(),
            };
            let rules = collections.into_iter().filter_map(|c| match c {
                RuleCollection::Nat { rules, .. } => Some(rules),
                _ => None,
            });
            for rule in rules.flatten() {
                let Some(DnatTarget::Fqdn(fqdn)) = rule.target() else {
                    continue;
                };
                let problem = match self.private_dns.lookup_name(vnet, fqdn) {
                    PrivateAnswer::Record(_) => continue,
                    PrivateAnswer::Missing {
                        fallback_to_internet: false,
                    } => "a private DNS zone linked to its VNet holds the name without a record (NXDOMAIN)",
                    PrivateAnswer::Missing { .. } | PrivateAnswer::NotLinked => {
                        if self.resolve_host(fqdn, Some(vnet)).is_some() {
                            continue;
                        }
                        "neither a private DNS zone linked to its VNet nor a host of the design resolves it"
                    }
                };
                warnings.push(Diagnostic::warning(
                    &firewall.name,
                    format!("$.firewalls[{i}]"),
                    format!(
                        "DNAT rule {} translates to {fqdn}, but {problem}: packets it matches \
                         cannot be followed",
                        rule.name
                    ),
                ));
            }
        }
        warnings
    }
}
