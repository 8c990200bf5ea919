//! Network security perimeter checks: names unique per perimeter (profiles, rules,
//! associations), associations naming a
//! profile of their perimeter and a storage account or key vault of the design (the PaaS kinds
//! vnetlab models that Microsoft lists as onboarded: "What is a network security perimeter?",
//! onboarded private link resources), one perimeter per resource, and access rules that can
//! match something; a resource `SecuredByPerimeter` outside every perimeter is locked down
//! (a warning).

use std::collections::{BTreeMap, BTreeSet};

use super::Validator;
use crate::model::{PaasKind, PublicNetworkAccess};

impl Validator<'_> {
    pub(super) fn check_perimeters(&mut self) {
        let design = self.design;
        let mut perimeter_names = BTreeSet::new();
        // Resource name (case-folded) → the path of the association that first claimed it.
        let mut associated: BTreeMap<String, String> = BTreeMap::new();
        for (p, perimeter) in design.network_security_perimeters.iter().enumerate() {
            let path = format!("$.network_security_perimeters[{p}]");
            if !perimeter_names.insert(perimeter.name.as_str()) {
                self.error(
                    &perimeter.name,
                    format!("{path}.name"),
                    format!("perimeter name `{}` is used twice", perimeter.name),
                );
            }
            let mut profiles = BTreeSet::new();
            for (i, profile) in perimeter.profiles.iter().enumerate() {
                let profile_path = format!("{path}.profiles[{i}]");
                if !profiles.insert(profile.name.as_str()) {
                    self.error(
                        &perimeter.name,
                        format!("{profile_path}.name"),
                        format!("profile name `{}` is used twice", profile.name),
                    );
                }
                let element = |rule: &str| format!("{}/{}/{rule}", perimeter.name, profile.name);
                let mut rules = BTreeSet::new();
                for (r, rule) in profile.inbound_rules.iter().enumerate() {
                    let rule_path = format!("{profile_path}.inbound_rules[{r}]");
                    self.unique_rule_name(&mut rules, &rule.name, &element(&rule.name), &rule_path);
                    if rule.address_prefixes.is_empty() && rule.subscriptions.is_empty() {
                        self.error(&element(&rule.name), rule_path, "an inbound access rule needs address prefixes or subscriptions: this one matches nothing".to_string());
                    }
                }
                for (r, rule) in profile.outbound_rules.iter().enumerate() {
                    let rule_path = format!("{profile_path}.outbound_rules[{r}]");
                    self.unique_rule_name(&mut rules, &rule.name, &element(&rule.name), &rule_path);
                    if rule.fqdns.is_empty() {
                        self.error(&element(&rule.name), format!("{rule_path}.fqdns"), "an outbound access rule needs at least one FQDN: this one matches nothing".to_string());
                    }
                }
            }
            self.check_names(
                &format!("network_security_perimeters[{p}].associations"),
                perimeter.associations.iter().map(|a| a.name.as_str()),
            );
            for (a, association) in perimeter.associations.iter().enumerate() {
                let association_path = format!("{path}.associations[{a}]");
                let element = format!("{}/{}", perimeter.name, association.name);
                if !profiles.contains(association.profile.as_str()) {
                    self.error(
                        &element,
                        format!("{association_path}.profile"),
                        format!(
                            "refers to profile `{}`, which perimeter `{}` does not have",
                            association.profile, perimeter.name
                        ),
                    );
                }
                let resource = design
                    .resources
                    .iter()
                    .find(|r| r.name.eq_ignore_ascii_case(&association.resource));
                match resource {
                    None => self.error(
                        &element,
                        format!("{association_path}.resource"),
                        format!(
                            "refers to resource `{}`, which is not in the design",
                            association.resource
                        ),
                    ),
                    Some(r) if r.kind == PaasKind::ContainerRegistry => self.error(
                        &element,
                        format!("{association_path}.resource"),
                        format!("`{}` is a container registry, which cannot join a network security perimeter (storage accounts and key vaults can)", r.name),
                    ),
                    Some(_) => {
                        let key = association.resource.to_ascii_lowercase();
                        if let Some(first) = associated.get(&key) {
                            self.error(
                                &element,
                                format!("{association_path}.resource"),
                                format!(
                                    "resource `{}` is already associated at {first}: a resource belongs to one perimeter",
                                    association.resource
                                ),
                            );
                        } else {
                            associated.insert(key, association_path);
                        }
                    }
                }
            }
        }
        for (i, resource) in design.resources.iter().enumerate() {
            if resource.public_network_access == PublicNetworkAccess::SecuredByPerimeter
                && !associated.contains_key(&resource.name.to_ascii_lowercase())
            {
                self.warning(
                    &resource.name,
                    format!("$.resources[{i}].public_network_access"),
                    "SecuredByPerimeter without a perimeter association locks the resource down: only private endpoints reach it (\"Transition to a network security perimeter in Azure\")".to_string(),
                );
            }
        }
    }

    /// An error when a profile's access rule `name` was seen before (inbound and outbound
    /// rules share one namespace).
    fn unique_rule_name<'n>(
        &mut self,
        seen: &mut BTreeSet<&'n str>,
        name: &'n str,
        element: &str,
        rule_path: &str,
    ) {
        if !seen.insert(name) {
            self.error(
                element,
                format!("{rule_path}.name"),
                format!("access rule name `{name}` is used twice in the profile"),
            );
        }
    }
}
