//! Fix verification finds the elements a change edits through `Positions` (name → position
//! maps); every lookup must give exactly what a scan of the design gives, also for elements
//! added after the index was built and for an index built from another design.

use vnetlab::analysis::fixes::Positions;
use vnetlab::analysis::scenarios::all;
use vnetlab::model::{Design, NetworkSecurityGroup};

/// Each lookup of `at` against the first position of that name in `design`, for every name
/// of `design`, of `other` and a name that is in neither; returns how many were compared.
fn assert_like_scans(design: &Design, at: &Positions, other: &Design) -> usize {
    type Lookup = fn(&Positions, &Design, &str) -> Option<usize>;
    type Names = fn(&Design) -> Vec<&str>;
    let lists: [(&str, Lookup, Names); 6] = [
        ("vnet", Positions::vnet, |d| {
            d.virtual_networks.iter().map(|v| v.name.as_str()).collect()
        }),
        ("nsg", Positions::nsg, |d| {
            d.network_security_groups
                .iter()
                .map(|n| n.name.as_str())
                .collect()
        }),
        ("route table", Positions::route_table, |d| {
            d.route_tables.iter().map(|t| t.name.as_str()).collect()
        }),
        ("resource", Positions::resource, |d| {
            d.resources.iter().map(|r| r.name.as_str()).collect()
        }),
        ("workspace", Positions::workspace, |d| {
            d.workspaces.iter().map(|w| w.name.as_str()).collect()
        }),
        ("compute", Positions::compute, |d| {
            d.computes.iter().map(|c| c.name.as_str()).collect()
        }),
    ];
    let mut compared = 0;
    for (kind, lookup, names) in lists {
        let here = names(design);
        let mut asked = here.clone();
        asked.extend(names(other));
        asked.push("no-such-element");
        for name in asked {
            let scanned = here.iter().position(|n| *n == name);
            assert_eq!(lookup(at, design, name), scanned, "{kind} `{name}`");
            compared += 1;
        }
    }
    compared
}

#[test]
fn positions_find_what_a_scan_finds() {
    let designs: Vec<Design> = all().iter().map(|s| s.design().unwrap()).collect();
    let mut compared = 0;
    for (i, design) in designs.iter().enumerate() {
        let other = &designs[(i + 1) % designs.len()];
        compared += assert_like_scans(design, &Positions::of(design), other);
        // Built from another design: every position is checked, and a miss scans.
        compared += assert_like_scans(design, &Positions::of(other), other);

        // An element appended after the index was built (as a fix adds an NSG) is found.
        let mut grown = design.clone();
        grown.network_security_groups.push(NetworkSecurityGroup {
            name: "added-by-a-fix".into(),
            rules: Default::default(),
        });
        let at = Positions::of(design);
        assert_eq!(
            at.nsg(&grown, "added-by-a-fix"),
            Some(design.network_security_groups.len())
        );
        compared += assert_like_scans(&grown, &at, other);
    }
    assert!(compared > 500, "only {compared} lookups compared");
}
