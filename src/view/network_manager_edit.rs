//! The Virtual Network Manager edits: add and remove network managers, their network groups
//! (static VNet members; a renamed group's collections follow it), security admin rule
//! collections (the groups they apply to) and admin rules. Each is a pure change of a design
//! copy; [`apply_edit`](super::edit::apply_edit) then refuses the result when it adds
//! validation errors (a group still used by a collection, a priority used twice), so a rejected
//! edit never reaches the design.

use crate::model::sorting;
use crate::model::{
    AdminRule, AdminRuleCollection, Design, Direction, NetworkGroup, NetworkManager,
};

use super::forms::AdminCollectionHeader;
use super::policy_edit::{remove_at, set_at, unused_name};

#[derive(Debug, Clone, PartialEq)]
pub enum NetworkManagerEdit {
    AddNetworkManager,
    RemoveNetworkManager {
        manager: String,
    },
    /// Replaces group `index`, or appends when `index` is `None`.
    SetNetworkGroup {
        manager: String,
        index: Option<usize>,
        group: NetworkGroup,
    },
    RemoveNetworkGroup {
        manager: String,
        index: usize,
    },
    /// Sets the name and groups of collection `index` (its rules kept), or appends an empty
    /// collection when `index` is `None`.
    SetAdminCollection {
        manager: String,
        index: Option<usize>,
        header: AdminCollectionHeader,
    },
    RemoveAdminCollection {
        manager: String,
        index: usize,
    },
    /// Replaces rule `index` of collection `collection`, or appends when `index` is `None`.
    SetAdminRule {
        manager: String,
        collection: usize,
        index: Option<usize>,
        rule: AdminRule,
    },
    RemoveAdminRule {
        manager: String,
        collection: usize,
        index: usize,
    },
}

/// A collection's rules as the editor lists them: inbound then outbound, each in evaluation
/// order (by priority; a tie, which validation flags, by name), with each rule's index in the
/// design for editing.
pub fn admin_rules_in_order(rules: &[AdminRule]) -> Vec<(usize, &AdminRule)> {
    let mut ordered: Vec<(usize, &AdminRule)> = rules.iter().enumerate().collect();
    sorting::sort_by(&mut ordered, |(_, a), (_, b)| {
        let key = |r: &AdminRule| (r.direction == Direction::Outbound, r.priority);
        key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
    });
    ordered
}

fn manager_mut<'d>(design: &'d mut Design, name: &str) -> Result<&'d mut NetworkManager, String> {
    design
        .network_managers
        .iter_mut()
        .find(|m| m.name == name)
        .ok_or_else(|| format!("there is no network manager named {name}"))
}

fn collection_mut<'d>(
    design: &'d mut Design,
    manager: &str,
    index: usize,
) -> Result<&'d mut AdminRuleCollection, String> {
    manager_mut(design, manager)?
        .admin_rule_collections
        .get_mut(index)
        .ok_or_else(|| format!("{manager} has no such rule collection"))
}

/// An error when another item of `names` (not `index`) is called `name`.
fn unique(
    mut names: impl Iterator<Item = String>,
    index: Option<usize>,
    name: &str,
    what: &str,
) -> Result<(), String> {
    if names
        .by_ref()
        .enumerate()
        .any(|(i, other)| Some(i) != index && other == name)
    {
        return Err(format!("a {what} named {name} already exists"));
    }
    Ok(())
}

/// Applies `edit` to `design` in place.
pub fn apply_network_manager_edit(
    design: &mut Design,
    edit: &NetworkManagerEdit,
) -> Result<(), String> {
    match edit {
        NetworkManagerEdit::AddNetworkManager => {
            let taken: Vec<&str> = design
                .network_managers
                .iter()
                .map(|m| m.name.as_str())
                .collect();
            let name = unused_name("avnm", &taken);
            design.network_managers.push(NetworkManager {
                name,
                network_groups: Vec::new(),
                admin_rule_collections: Vec::new(),
            });
        }
        NetworkManagerEdit::RemoveNetworkManager { manager } => {
            let before = design.network_managers.len();
            design.network_managers.retain(|m| &m.name != manager);
            if design.network_managers.len() == before {
                return Err(format!("there is no network manager named {manager}"));
            }
        }
        NetworkManagerEdit::SetNetworkGroup {
            manager,
            index,
            group,
        } => {
            let manager = manager_mut(design, manager)?;
            let names = manager.network_groups.iter().map(|g| g.name.clone());
            unique(names, *index, &group.name, "network group")?;
            let previous = index
                .and_then(|i| manager.network_groups.get(i))
                .map(|g| g.name.clone());
            set_at(
                &mut manager.network_groups,
                *index,
                group.clone(),
                "network group",
            )?;
            if let Some(previous) = previous.filter(|p| p != &group.name) {
                for target in manager
                    .admin_rule_collections
                    .iter_mut()
                    .flat_map(|c| c.network_groups.iter_mut())
                    .filter(|g| **g == previous)
                {
                    target.clone_from(&group.name);
                }
            }
        }
        NetworkManagerEdit::RemoveNetworkGroup { manager, index } => remove_at(
            &mut manager_mut(design, manager)?.network_groups,
            *index,
            "network group",
        )?,
        NetworkManagerEdit::SetAdminCollection {
            manager,
            index,
            header,
        } => {
            let collections = &mut manager_mut(design, manager)?.admin_rule_collections;
            let names = collections.iter().map(|c| c.name.clone());
            unique(names, *index, &header.name, "rule collection")?;
            match index.map(|i| collections.get_mut(i)) {
                Some(Some(collection)) => {
                    collection.name.clone_from(&header.name);
                    collection.network_groups.clone_from(&header.network_groups);
                }
                Some(None) => return Err("there is no such rule collection".to_string()),
                None => collections.push(AdminRuleCollection {
                    name: header.name.clone(),
                    network_groups: header.network_groups.clone(),
                    rules: Vec::new(),
                }),
            }
        }
        NetworkManagerEdit::RemoveAdminCollection { manager, index } => remove_at(
            &mut manager_mut(design, manager)?.admin_rule_collections,
            *index,
            "rule collection",
        )?,
        NetworkManagerEdit::SetAdminRule {
            manager,
            collection,
            index,
            rule,
        } => {
            let rules = &mut collection_mut(design, manager, *collection)?.rules;
            let names = rules.iter().map(|r| r.name.clone());
            unique(names, *index, &rule.name, "rule")?;
            set_at(rules, *index, rule.clone(), "rule")?
        }
        NetworkManagerEdit::RemoveAdminRule {
            manager,
            collection,
            index,
        } => remove_at(
            &mut collection_mut(design, manager, *collection)?.rules,
            *index,
            "rule",
        )?,
    }
    Ok(())
}
