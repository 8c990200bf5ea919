//! The compiler's name indices (`Topology::vnet`, `subnet`, `route_table`,
//! `private_endpoints_in`) and the walk's element indices (`Lookup`: elements by name and
//! address, the subnet holding an address) against plain linear searches of the design, on
//! every scenario, the generated hub-spoke design and a design with duplicate names, addresses
//! and overlapping subnets (the first in design order wins, as a linear search finds it).

use serde_json::json;
use vnetlab::analysis::scenarios;
use vnetlab::engine::{Engine, Lookup};
use vnetlab::model::Design;

#[path = "../../benches/hub_spoke.rs"]
#[allow(dead_code)]
mod hub_spoke;

fn designs() -> Vec<(String, Design)> {
    let mut designs: Vec<(String, Design)> = scenarios::all()
        .iter()
        .map(|s| (s.name.to_string(), s.design().expect("scenario parses")))
        .collect();
    let generated = serde_json::from_value(hub_spoke::hub_spoke(12)).expect("generated parses");
    designs.push(("hub-spoke-12".into(), generated));
    let duplicates = json!({"schema_version": 1, "name": "duplicates",
        "virtual_networks": [
            {"name": "a", "region": "eastus", "address_space": ["10.0.0.0/16"], "subnets": [{"name": "s", "prefix": "10.0.1.0/24", "route_table": "rt"}]},
            {"name": "a", "region": "westus", "address_space": ["10.1.0.0/16"], "subnets": [{"name": "t", "prefix": "10.1.1.0/24"}]},
            {"name": "b", "region": "westus", "address_space": ["10.0.0.0/8"], "subnets": [{"name": "wide", "prefix": "10.0.0.0/8"}, {"name": "narrow", "prefix": "10.0.1.0/25"}, {"name": "same", "prefix": "10.1.1.0/24"}]}],
        "route_tables": [{"name": "rt", "routes": []}, {"name": "rt", "routes": [{"name": "r", "address_prefix": "0.0.0.0/0", "next_hop_type": "None"}]}],
        "computes": [
            {"name": "vm", "kind": "virtual_machine", "nic": {"subnet": "a/s", "private_ip": "10.0.1.4", "public_ip": "20.0.0.1"}},
            {"name": "vm", "kind": "virtual_machine", "nic": {"subnet": "a/t", "private_ip": "10.1.1.5", "public_ip": "20.0.0.1"}},
            {"name": "other", "kind": "virtual_machine", "nic": {"subnet": "a/t", "private_ip": "10.1.1.5"}}],
        "peerings": [
            {"name": "a-b", "local_vnet": "a", "remote_vnet": "b"},
            {"name": "b-c", "local_vnet": "b", "remote_vnet": "c"},
            {"name": "c-b", "local_vnet": "c", "remote_vnet": "b"},
            {"name": "a-a", "local_vnet": "a", "remote_vnet": "a"},
            {"name": "a-d", "local_vnet": "a", "remote_vnet": "d"}],
        "private_endpoints": [
            {"name": "pe1", "subnet": "a/t", "private_ip": "10.1.1.4", "target": "st", "sub_resource": "blob"},
            {"name": "pe1", "subnet": "a/t", "private_ip": "10.1.1.6", "target": "ST2", "sub_resource": "blob"},
            {"name": "pe2", "subnet": "a/s", "private_ip": "10.0.1.4", "target": "st", "sub_resource": "blob"},
            {"name": "pe3", "subnet": "nowhere", "private_ip": "10.0.1.5", "target": "st", "sub_resource": "blob"}],
        "resources": [{"name": "st", "kind": "storage_account", "region": "eastus", "public_ip": "20.0.0.2"},
            {"name": "ST", "kind": "key_vault", "region": "eastus", "public_ip": "20.0.0.2"},
            {"name": "st", "kind": "container_registry", "region": "eastus"}]});
    designs.push((
        "duplicates".into(),
        serde_json::from_value(duplicates).expect("parses"),
    ));
    designs
}

#[test]
fn indexed_lookups_find_what_a_linear_search_finds() {
    for (name, design) in designs() {
        let engine = Engine::new(&design);
        let topology = engine.topology();
        let mut vnet_names: Vec<&str> = design
            .virtual_networks
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        vnet_names.push("missing");
        for vnet_name in &vnet_names {
            let linear = design
                .virtual_networks
                .iter()
                .find(|v| v.name == *vnet_name);
            assert_eq!(
                topology.vnet(&design, vnet_name).map(|v| v as *const _),
                linear.map(|v| v as *const _),
                "{name}: VNet {vnet_name}"
            );
            let endpoints: Vec<usize> = design
                .private_endpoints
                .iter()
                .enumerate()
                .filter(|(_, e)| e.subnet.split_once('/').map(|(v, _)| v) == Some(*vnet_name))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(
                topology.private_endpoints_in(vnet_name),
                endpoints.as_slice(),
                "{name}: endpoints in {vnet_name}"
            );
        }
        let mut subnet_ids: Vec<String> = design
            .virtual_networks
            .iter()
            .flat_map(|v| {
                v.subnets
                    .iter()
                    .map(move |s| format!("{}/{}", v.name, s.name))
            })
            .collect();
        subnet_ids.extend(design.private_endpoints.iter().map(|e| e.subnet.clone()));
        subnet_ids.push("a/missing".into());
        for id in &subnet_ids {
            let linear = id.split_once('/').and_then(|(v, s)| {
                let vnet = design.virtual_networks.iter().find(|x| x.name == v)?;
                Some((vnet, vnet.subnets.iter().find(|x| x.name == s)?))
            });
            assert_eq!(
                topology
                    .subnet(&design, id)
                    .map(|(v, s)| (v as *const _, s as *const _)),
                linear.map(|(v, s)| (v as *const _, s as *const _)),
                "{name}: subnet {id}"
            );
        }
        let mut table_names: Vec<&str> = design
            .route_tables
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        table_names.push("missing");
        for table in table_names {
            let linear = design
                .route_tables
                .iter()
                .enumerate()
                .find(|(_, t)| t.name == table);
            assert_eq!(
                topology
                    .route_table(&design, table)
                    .map(|(i, t)| (i, t as *const _)),
                linear.map(|(i, t)| (i, t as *const _)),
                "{name}: route table {table}"
            );
        }
    }
}

/// Names and case variants to look up: every name of the design, upper-cased, and a missing one.
fn probes<'d>(names: impl Iterator<Item = &'d str>) -> Vec<String> {
    let mut probes: Vec<String> = names
        .flat_map(|n| [n.to_string(), n.to_ascii_uppercase()])
        .collect();
    probes.push("missing".into());
    probes
}

#[test]
fn element_lookups_find_what_a_linear_search_finds() {
    for (name, design) in designs() {
        let lookup = Lookup::build(&design);
        for compute in probes(design.computes.iter().map(|c| c.name.as_str())) {
            let linear = design.computes.iter().position(|c| c.name == compute);
            assert_eq!(
                lookup.compute_named(&compute, |_| true),
                linear,
                "{name}: {compute}"
            );
            let with_nic = design
                .computes
                .iter()
                .position(|c| c.name == compute && c.nic.is_none());
            let accept = |i: usize| design.computes[i].nic.is_none();
            assert_eq!(
                lookup.compute_named(&compute, accept),
                with_nic,
                "{name}: {compute}"
            );
        }
        for endpoint in probes(design.private_endpoints.iter().map(|p| p.name.as_str())) {
            let linear = design
                .private_endpoints
                .iter()
                .position(|p| p.name == endpoint);
            assert_eq!(
                lookup.endpoint_named(&endpoint),
                linear,
                "{name}: {endpoint}"
            );
        }
        let targets = design.private_endpoints.iter().map(|p| p.target.as_str());
        let resources = design.resources.iter().map(|r| r.name.as_str());
        for target in probes(targets.chain(resources)) {
            let linear = design
                .private_endpoints
                .iter()
                .any(|p| p.target.eq_ignore_ascii_case(&target));
            assert_eq!(lookup.has_endpoint_to(&target), linear, "{name}: {target}");
            let exact = design.resources.iter().position(|r| r.name == target);
            assert_eq!(lookup.resource_named(&target), exact, "{name}: {target}");
            for kind in [None, Some(vnetlab::model::PaasKind::KeyVault)] {
                let accept = |i: usize| kind.is_none_or(|k| design.resources[i].kind == k);
                let folded = design
                    .resources
                    .iter()
                    .enumerate()
                    .position(|(i, r)| r.name.eq_ignore_ascii_case(&target) && accept(i));
                assert_eq!(
                    lookup.resource_named_folded(&target, accept),
                    folded,
                    "{name}: {target}"
                );
            }
        }
        let peered = design.peerings.iter().map(|p| p.local_vnet.as_str());
        for vnet in probes(peered.chain(design.virtual_networks.iter().map(|v| v.name.as_str()))) {
            let linear: Vec<usize> = design
                .peerings
                .iter()
                .enumerate()
                .filter(|(_, p)| (p.local_vnet == vnet) != (p.remote_vnet == vnet))
                .filter(|(_, p)| {
                    !design
                        .peerings
                        .iter()
                        .any(|r| r.local_vnet == p.remote_vnet && r.remote_vnet == p.local_vnet)
                })
                .map(|(i, _)| i)
                .collect();
            assert_eq!(
                lookup.one_sided_peerings(&vnet),
                linear.as_slice(),
                "{name}: {vnet}"
            );
        }
        for workspace in probes(design.workspaces.iter().map(|w| w.name.as_str())) {
            let linear = design.workspaces.iter().position(|w| w.name == workspace);
            assert_eq!(
                lookup.workspace_named(&workspace),
                linear,
                "{name}: {workspace}"
            );
            let folded = design
                .workspaces
                .iter()
                .position(|w| w.name.eq_ignore_ascii_case(&workspace));
            let indexed = lookup.workspace_named_folded(&workspace);
            assert_eq!(indexed, folded, "{name}: {workspace}");
        }
        let mut addresses: Vec<std::net::Ipv4Addr> =
            ["0.0.0.0", "8.8.8.8", "10.0.1.200", "255.255.255.255"]
                .iter()
                .map(|a| a.parse().expect("address"))
                .collect();
        for vnet in &design.virtual_networks {
            for subnet in &vnet.subnets {
                let first = u32::from(subnet.prefix.network());
                addresses.extend(
                    [first, first + 4, u32::from(subnet.prefix.broadcast())]
                        .map(std::net::Ipv4Addr::from),
                );
            }
        }
        for compute in &design.computes {
            addresses.extend(
                compute
                    .nic
                    .iter()
                    .flat_map(|n| [Some(n.private_ip), n.public_ip])
                    .flatten(),
            );
        }
        addresses.extend(design.private_endpoints.iter().map(|p| p.private_ip));
        addresses.extend(design.resources.iter().filter_map(|r| r.public_ip));
        for ip in addresses {
            let nic = |c: &vnetlab::model::Compute| c.nic.clone();
            let private = design
                .computes
                .iter()
                .position(|c| nic(c).is_some_and(|n| n.private_ip == ip));
            assert_eq!(lookup.compute_with_private_ip(ip), private, "{name}: {ip}");
            let public = design
                .computes
                .iter()
                .position(|c| nic(c).and_then(|n| n.public_ip) == Some(ip));
            assert_eq!(lookup.compute_with_public_ip(ip), public, "{name}: {ip}");
            let endpoint = design
                .private_endpoints
                .iter()
                .position(|p| p.private_ip == ip);
            assert_eq!(lookup.endpoint_with_ip(ip), endpoint, "{name}: {ip}");
            let resource = design
                .resources
                .iter()
                .position(|r| r.public_ip == Some(ip));
            assert_eq!(lookup.resource_with_public_ip(ip), resource, "{name}: {ip}");
            let subnet = design
                .virtual_networks
                .iter()
                .enumerate()
                .find_map(|(v, vnet)| {
                    let s = vnet.subnets.iter().position(|s| s.prefix.contains(&ip))?;
                    Some((v, s))
                });
            assert_eq!(
                lookup.subnet_containing(ip),
                subnet,
                "{name}: subnet holding {ip}"
            );
        }
    }
}
