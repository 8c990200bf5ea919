//! The compiler's name indices (`Topology::vnet`, `subnet`, `route_table`,
//! `private_endpoints_in`) against plain linear searches of the design, on every scenario, the
//! generated hub-spoke design and a design with duplicate names (the first of a name wins, as a
//! linear search finds it).

use serde_json::json;
use vnetlab::analysis::scenarios;
use vnetlab::engine::Engine;
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
            {"name": "a", "region": "westus", "address_space": ["10.1.0.0/16"], "subnets": [{"name": "t", "prefix": "10.1.1.0/24"}]}],
        "route_tables": [{"name": "rt", "routes": []}, {"name": "rt", "routes": [{"name": "r", "address_prefix": "0.0.0.0/0", "next_hop_type": "None"}]}],
        "private_endpoints": [
            {"name": "pe1", "subnet": "a/t", "private_ip": "10.1.1.4", "target": "st", "sub_resource": "blob"},
            {"name": "pe2", "subnet": "a/s", "private_ip": "10.0.1.4", "target": "st", "sub_resource": "blob"},
            {"name": "pe3", "subnet": "nowhere", "private_ip": "10.0.1.5", "target": "st", "sub_resource": "blob"}],
        "resources": [{"name": "st", "kind": "storage_account", "region": "eastus"}]});
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
