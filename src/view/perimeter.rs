//! The network security perimeter a resource belongs to, as one read-only line beside its
//! firewall in the editor: which perimeter, profile and access mode, and whether the firewall
//! shown still decides anything ("Transition to a network security perimeter in Azure").

use crate::engine::membership;
use crate::model::{Design, PaasResource, PublicNetworkAccess};

/// The perimeter line for `resource`, or `None` when no perimeter concerns it.
pub fn perimeter_line(design: &Design, resource: &PaasResource) -> Option<String> {
    match membership(design, &resource.name) {
        Some(member) => {
            let effect = if member.perimeter_only(resource) {
                "its access rules replace this firewall"
            } else {
                "this firewall still decides what no perimeter rule allows"
            };
            Some(format!(
                "network security perimeter {} · profile {} · {} mode: {effect}",
                member.perimeter.name,
                member.association.profile,
                member.association.access_mode.as_str()
            ))
        }
        None if resource.public_network_access == PublicNetworkAccess::SecuredByPerimeter => Some(
            "SecuredByPerimeter without a perimeter association: locked down, only private endpoints reach it"
                .to_string(),
        ),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn design(mode: &str, public_network_access: &str) -> Design {
        serde_json::from_value(json!({
            "schema_version": 1, "name": "d",
            "resources": [
                {"name": "st", "kind": "storage_account", "region": "eastus", "public_network_access": public_network_access},
                {"name": "other", "kind": "storage_account", "region": "eastus", "public_network_access": public_network_access}
            ],
            "network_security_perimeters": [{"name": "nsp", "profiles": [{"name": "p"}],
                "associations": [{"name": "a", "resource": "st", "profile": "p", "access_mode": mode}]}]
        }))
        .expect("design")
    }

    #[test]
    fn the_line_names_perimeter_profile_mode_and_effect() {
        let enforced = design("Enforced", "Enabled");
        assert_eq!(
            perimeter_line(&enforced, &enforced.resources[0]).as_deref(),
            Some("network security perimeter nsp · profile p · Enforced mode: its access rules replace this firewall")
        );
        assert_eq!(perimeter_line(&enforced, &enforced.resources[1]), None);
        let learning = design("Learning", "Disabled");
        assert!(perimeter_line(&learning, &learning.resources[0])
            .is_some_and(|line| line.ends_with(
                "Learning mode: this firewall still decides what no perimeter rule allows"
            )));
        let locked = design("Learning", "SecuredByPerimeter");
        assert!(perimeter_line(&locked, &locked.resources[1])
            .is_some_and(|line| line.contains("locked down")));
    }
}
