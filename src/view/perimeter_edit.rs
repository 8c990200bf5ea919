//! The network security perimeter edits: add and remove perimeters and their profiles, a
//! profile's inbound and outbound access rules, and resource associations. Each is a pure
//! change of a design copy; [`apply_edit`](super::edit::apply_edit) then refuses the result when
//! it adds validation errors (a profile still used by an association, a resource already in a
//! perimeter, a container registry), so a rejected edit never reaches the design.

use crate::model::{Design, NetworkSecurityPerimeter, PerimeterAssociation, PerimeterProfile};

use super::forms::AccessRule;
use super::policy_edit::{remove_at, set_at, unused_name};

/// The profile a new perimeter starts with (as the portal names it).
pub const DEFAULT_PROFILE: &str = "defaultProfile";

#[derive(Debug, Clone, PartialEq)]
pub enum PerimeterEdit {
    /// A new perimeter with one empty profile, [`DEFAULT_PROFILE`].
    AddPerimeter,
    RemovePerimeter {
        perimeter: String,
    },
    AddProfile {
        perimeter: String,
    },
    RemoveProfile {
        perimeter: String,
        profile: String,
    },
    /// Replaces access rule `index` of the rule's direction, or appends when `index` is `None`.
    SetAccessRule {
        perimeter: String,
        profile: String,
        index: Option<usize>,
        rule: AccessRule,
    },
    RemoveAccessRule {
        perimeter: String,
        profile: String,
        outbound: bool,
        index: usize,
    },
    /// Replaces association `index`, or appends when `index` is `None`.
    SetAssociation {
        perimeter: String,
        index: Option<usize>,
        association: PerimeterAssociation,
    },
    RemoveAssociation {
        perimeter: String,
        index: usize,
    },
}

fn perimeter_mut<'d>(
    design: &'d mut Design,
    name: &str,
) -> Result<&'d mut NetworkSecurityPerimeter, String> {
    design
        .network_security_perimeters
        .iter_mut()
        .find(|p| p.name == name)
        .ok_or_else(|| format!("there is no network security perimeter named {name}"))
}

fn profile_mut<'d>(
    design: &'d mut Design,
    perimeter: &str,
    name: &str,
) -> Result<&'d mut PerimeterProfile, String> {
    perimeter_mut(design, perimeter)?
        .profiles
        .iter_mut()
        .find(|p| p.name == name)
        .ok_or_else(|| format!("{perimeter} has no profile named {name}"))
}

/// Applies `edit` to `design` in place.
pub fn apply_perimeter_edit(design: &mut Design, edit: &PerimeterEdit) -> Result<(), String> {
    match edit {
        PerimeterEdit::AddPerimeter => {
            let taken: Vec<&str> = design
                .network_security_perimeters
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            let name = unused_name("nsp", &taken);
            design
                .network_security_perimeters
                .push(NetworkSecurityPerimeter {
                    name,
                    profiles: vec![PerimeterProfile {
                        name: DEFAULT_PROFILE.to_string(),
                        inbound_rules: Vec::new(),
                        outbound_rules: Vec::new(),
                    }],
                    associations: Vec::new(),
                });
        }
        PerimeterEdit::RemovePerimeter { perimeter } => {
            let before = design.network_security_perimeters.len();
            design
                .network_security_perimeters
                .retain(|p| &p.name != perimeter);
            if design.network_security_perimeters.len() == before {
                return Err(format!(
                    "there is no network security perimeter named {perimeter}"
                ));
            }
        }
        PerimeterEdit::AddProfile { perimeter } => {
            let profiles = &mut perimeter_mut(design, perimeter)?.profiles;
            let taken: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
            let name = unused_name("profile", &taken);
            profiles.push(PerimeterProfile {
                name,
                inbound_rules: Vec::new(),
                outbound_rules: Vec::new(),
            });
        }
        PerimeterEdit::RemoveProfile { perimeter, profile } => {
            let profiles = &mut perimeter_mut(design, perimeter)?.profiles;
            let index = profiles
                .iter()
                .position(|p| &p.name == profile)
                .ok_or_else(|| format!("{perimeter} has no profile named {profile}"))?;
            profiles.remove(index);
        }
        PerimeterEdit::SetAccessRule {
            perimeter,
            profile,
            index,
            rule,
        } => {
            let profile = profile_mut(design, perimeter, profile)?;
            match rule {
                AccessRule::Inbound(rule) => {
                    set_at(&mut profile.inbound_rules, *index, rule.clone(), "rule")?
                }
                AccessRule::Outbound(rule) => {
                    set_at(&mut profile.outbound_rules, *index, rule.clone(), "rule")?
                }
            }
        }
        PerimeterEdit::RemoveAccessRule {
            perimeter,
            profile,
            outbound,
            index,
        } => {
            let profile = profile_mut(design, perimeter, profile)?;
            if *outbound {
                remove_at(&mut profile.outbound_rules, *index, "rule")?
            } else {
                remove_at(&mut profile.inbound_rules, *index, "rule")?
            }
        }
        PerimeterEdit::SetAssociation {
            perimeter,
            index,
            association,
        } => {
            let associations = &mut perimeter_mut(design, perimeter)?.associations;
            let taken = associations
                .iter()
                .enumerate()
                .any(|(i, a)| Some(i) != *index && a.name == association.name);
            if taken {
                return Err(format!(
                    "{perimeter} already has an association named {}",
                    association.name
                ));
            }
            set_at(associations, *index, association.clone(), "association")?
        }
        PerimeterEdit::RemoveAssociation { perimeter, index } => remove_at(
            &mut perimeter_mut(design, perimeter)?.associations,
            *index,
            "association",
        )?,
    }
    Ok(())
}
