//! Where a design's named elements sit, so that verifying many fixes on one design finds each
//! element a change edits through a map instead of a scan (a thousand-spoke design has ten
//! thousand NSGs and storage accounts; scanning them per fix made verification quadratic).
//!
//! A position is used only when the element there still has the name, and a miss falls back to
//! the scan, so lookups give exactly what a scan gives (the first element of that name): fixes
//! only append elements and undoing them truncates back, so the positions of the elements
//! the index was built from stay right, and elements a fix added are found by the scan.

use std::collections::HashMap;

use crate::model::Design;

/// Name → position of the VNets, NSGs, route tables, resources, workspaces and computes of the
/// design it was built from; [`Positions::default`] knows nothing and always scans.
#[derive(Debug, Default)]
pub struct Positions {
    vnets: HashMap<String, usize>,
    nsgs: HashMap<String, usize>,
    route_tables: HashMap<String, usize>,
    resources: HashMap<String, usize>,
    workspaces: HashMap<String, usize>,
    computes: HashMap<String, usize>,
}

/// The first position of each name.
fn first_positions<'d>(names: impl Iterator<Item = &'d String>) -> HashMap<String, usize> {
    let mut positions = HashMap::new();
    for (index, name) in names.enumerate() {
        positions.entry(name.clone()).or_insert(index);
    }
    positions
}

/// The position of the first of `items` named `name`.
fn locate<T>(
    known: &HashMap<String, usize>,
    items: &[T],
    name: &str,
    name_of: impl Fn(&T) -> &str,
) -> Option<usize> {
    match known.get(name) {
        Some(&index) if items.get(index).is_some_and(|item| name_of(item) == name) => Some(index),
        _ => items.iter().position(|item| name_of(item) == name),
    }
}

impl Positions {
    pub fn of(design: &Design) -> Positions {
        Positions {
            vnets: first_positions(design.virtual_networks.iter().map(|v| &v.name)),
            nsgs: first_positions(design.network_security_groups.iter().map(|n| &n.name)),
            route_tables: first_positions(design.route_tables.iter().map(|t| &t.name)),
            resources: first_positions(design.resources.iter().map(|r| &r.name)),
            workspaces: first_positions(design.workspaces.iter().map(|w| &w.name)),
            computes: first_positions(design.computes.iter().map(|c| &c.name)),
        }
    }

    pub fn vnet(&self, design: &Design, name: &str) -> Option<usize> {
        locate(&self.vnets, &design.virtual_networks, name, |v| &v.name)
    }

    pub fn nsg(&self, design: &Design, name: &str) -> Option<usize> {
        locate(&self.nsgs, &design.network_security_groups, name, |n| {
            &n.name
        })
    }

    pub fn route_table(&self, design: &Design, name: &str) -> Option<usize> {
        locate(&self.route_tables, &design.route_tables, name, |t| &t.name)
    }

    pub fn resource(&self, design: &Design, name: &str) -> Option<usize> {
        locate(&self.resources, &design.resources, name, |r| &r.name)
    }

    pub fn workspace(&self, design: &Design, name: &str) -> Option<usize> {
        locate(&self.workspaces, &design.workspaces, name, |w| &w.name)
    }

    pub fn compute(&self, design: &Design, name: &str) -> Option<usize> {
        locate(&self.computes, &design.computes, name, |c| &c.name)
    }
}
