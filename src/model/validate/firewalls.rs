//! Azure Firewalls and firewall policies: a firewall's subnet (AzureFirewallSubnet) and private
//! IP, its policy or classic collections (not both), a policy's parent and group priorities, and
//! every rule collection with its rules, classic or in a policy's rule collection groups.

use std::net::Ipv4Addr;

use super::{Known, Validator};
use crate::model::RuleCollection;

impl Validator<'_> {
    pub(super) fn check_firewalls(&mut self) {
        let design = self.design;
        for (i, firewall) in design.firewalls.iter().enumerate() {
            let path = format!("$.firewalls[{i}]");
            if let Some(prefix) =
                self.require_subnet(&firewall.subnet, &firewall.name, format!("{path}.subnet"))
            {
                self.check_ip_in_subnet(
                    firewall.private_ip,
                    prefix,
                    &firewall.name,
                    format!("{path}.private_ip"),
                );
            }
            if !firewall.subnet.ends_with("/AzureFirewallSubnet") {
                self.warning(
                    &firewall.name,
                    format!("{path}.subnet"),
                    "Azure Firewall must be deployed in a subnet named AzureFirewallSubnet".into(),
                );
            }
            if let Some(policy) = &firewall.policy {
                self.require(
                    Known::Policy,
                    "firewall policy",
                    policy,
                    &firewall.name,
                    format!("{path}.policy"),
                );
                if !firewall.rule_collections.is_empty() {
                    self.warning(
                        &firewall.name,
                        format!("{path}.rule_collections"),
                        "a firewall with a policy ignores classic rule collections".into(),
                    );
                }
            }
            self.check_collections(
                &firewall.rule_collections,
                &firewall.name,
                &format!("{path}.rule_collections"),
                &firewall.public_ips(),
            );
        }
        for (p, policy) in design.firewall_policies.iter().enumerate() {
            let path = format!("$.firewall_policies[{p}]");
            let users: Vec<Ipv4Addr> = design
                .firewalls_using_policy(&policy.name)
                .flat_map(|f| f.public_ips())
                .collect();
            if let Some(parent) = &policy.parent {
                self.require(
                    Known::Policy,
                    "firewall policy",
                    parent,
                    &policy.name,
                    format!("{path}.parent"),
                );
            }
            for (g, group) in policy.rule_collection_groups.iter().enumerate() {
                let group_path = format!("{path}.rule_collection_groups[{g}]");
                if !(100..=65000).contains(&group.priority) {
                    self.error(
                        &group.name,
                        format!("{group_path}.priority"),
                        format!("priority {} is outside 100-65000", group.priority),
                    );
                }
                self.check_collections(
                    &group.rule_collections,
                    &group.name,
                    &format!("{group_path}.rule_collections"),
                    &users,
                );
            }
        }
    }

    /// Checks rule collections; `public_ips` are the addresses DNAT rules can be addressed to
    /// (the public IPs of the firewalls the collections belong to).
    fn check_collections(
        &mut self,
        collections: &[RuleCollection],
        owner: &str,
        path: &str,
        public_ips: &[Ipv4Addr],
    ) {
        for (c, collection) in collections.iter().enumerate() {
            let element = format!("{owner}/{}", collection.name());
            let collection_path = format!("{path}[{c}]");
            if let RuleCollection::Nat { rules, .. } = collection {
                for (r, rule) in rules.iter().enumerate() {
                    self.check_dnat_translation(
                        &element,
                        &format!("{collection_path}.rules[{r}]"),
                        rule,
                    );
                    if !public_ips.is_empty() && !public_ips.contains(&rule.destination_address) {
                        let known = public_ips
                            .iter()
                            .map(|ip| ip.to_string())
                            .collect::<Vec<_>>()
                            .join(", ");
                        self.warning(&element, format!("{collection_path}.rules[{r}].destination_address"), format!("DNAT rule `{}` is addressed to {}, not one of the firewall's public IPs ({known}): it never matches", rule.name, rule.destination_address));
                    }
                }
            }
            if !(100..=65000).contains(&collection.priority()) {
                self.error(
                    &element,
                    format!("{collection_path}.priority"),
                    format!("priority {} is outside 100-65000", collection.priority()),
                );
            }
            let groups: Vec<(usize, &String)> = match collection {
                RuleCollection::Network { rules, .. } => rules
                    .iter()
                    .enumerate()
                    .flat_map(|(r, rule)| {
                        rule.source_ip_groups
                            .iter()
                            .chain(&rule.destination_ip_groups)
                            .map(move |g| (r, g))
                    })
                    .collect(),
                RuleCollection::Application { rules, action, .. } => {
                    if *action == crate::model::RuleAction::Dnat {
                        self.error(
                            &element,
                            format!("{collection_path}.action"),
                            "application collections allow or deny, they cannot DNAT".into(),
                        );
                    }
                    for (r, rule) in rules.iter().enumerate() {
                        if rule.target_fqdns.is_empty() && rule.fqdn_tags.is_empty() {
                            self.error(
                                &element,
                                format!("{collection_path}.rules[{r}]"),
                                format!(
                                    "application rule `{}` names no FQDN or FQDN tag",
                                    rule.name
                                ),
                            );
                        }
                    }
                    rules
                        .iter()
                        .enumerate()
                        .flat_map(|(r, rule)| rule.source_ip_groups.iter().map(move |g| (r, g)))
                        .collect()
                }
                RuleCollection::Nat { .. } => Vec::new(),
            };
            for (r, group) in groups {
                self.require(
                    Known::IpGroup,
                    "IP group",
                    group,
                    &element,
                    format!("{collection_path}.rules[{r}]"),
                );
            }
            if let RuleCollection::Network { rules, .. } = collection {
                for (r, rule) in rules.iter().enumerate() {
                    if rule.destination_fqdns.iter().any(|f| f.contains('*')) {
                        self.error(
                            &element,
                            format!("{collection_path}.rules[{r}].destination_fqdns"),
                            "network rules do not accept wildcard FQDNs (use an application rule)"
                                .into(),
                        );
                    }
                }
            }
        }
    }
}
