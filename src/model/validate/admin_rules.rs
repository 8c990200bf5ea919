//! Virtual Network Manager checks: names unique (managers; groups and collections per
//! manager; rules per collection), network groups name VNets of the design, rule collections
//! name network groups of their manager, admin rule priorities are 1-4096 and unique per
//! collection and direction ("Security admin rules in Azure Virtual Network Manager").

use std::collections::BTreeSet;

use super::Validator;

impl Validator<'_> {
    pub(super) fn check_network_managers(&mut self) {
        let design = self.design;
        self.check_names(
            "network_managers",
            design.network_managers.iter().map(|m| m.name.as_str()),
        );
        for (m, manager) in design.network_managers.iter().enumerate() {
            let path = format!("$.network_managers[{m}]");
            self.check_names(
                &format!("network_managers[{m}].network_groups"),
                manager.network_groups.iter().map(|g| g.name.as_str()),
            );
            self.check_names(
                &format!("network_managers[{m}].admin_rule_collections"),
                manager
                    .admin_rule_collections
                    .iter()
                    .map(|c| c.name.as_str()),
            );
            for (c, collection) in manager.admin_rule_collections.iter().enumerate() {
                self.check_names(
                    &format!("network_managers[{m}].admin_rule_collections[{c}].rules"),
                    collection.rules.iter().map(|r| r.name.as_str()),
                );
            }
            for (g, group) in manager.network_groups.iter().enumerate() {
                for (v, vnet) in group.vnets.iter().enumerate() {
                    if !self.vnets.contains(vnet.as_str()) {
                        self.error(
                            &group.name,
                            format!("{path}.network_groups[{g}].vnets[{v}]"),
                            format!("refers to VNet `{vnet}`, which is not in the design"),
                        );
                    }
                }
            }
            let groups: BTreeSet<&str> = manager
                .network_groups
                .iter()
                .map(|g| g.name.as_str())
                .collect();
            for (c, collection) in manager.admin_rule_collections.iter().enumerate() {
                let collection_path = format!("{path}.admin_rule_collections[{c}]");
                for (g, group) in collection.network_groups.iter().enumerate() {
                    if !groups.contains(group.as_str()) {
                        self.error(
                            &collection.name,
                            format!("{collection_path}.network_groups[{g}]"),
                            format!(
                                "refers to network group `{group}`, which is not in the design"
                            ),
                        );
                    }
                }
                let mut used = BTreeSet::new();
                for (r, rule) in collection.rules.iter().enumerate() {
                    let element = format!("{}/{}", collection.name, rule.name);
                    let rule_path = format!("{collection_path}.rules[{r}].priority");
                    if !(1..=4096).contains(&rule.priority) {
                        self.error(
                            &element,
                            rule_path,
                            format!("priority {} is outside 1-4096", rule.priority),
                        );
                    } else if !used.insert((rule.direction, rule.priority)) {
                        self.error(
                            &element,
                            rule_path,
                            format!(
                                "priority {} is already used by another {:?} rule of `{}`",
                                rule.priority, rule.direction, collection.name
                            ),
                        );
                    }
                }
            }
        }
    }
}
