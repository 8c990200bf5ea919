//! Every catalogue entry, instantiated on a design where it must pass and one where it must
//! fail; catalogue data sanity.

use serde_json::{json, Value};
use vnetlab::analysis::catalogue::{entry, Endpoint, CATALOGUE};
use vnetlab::analysis::required::evaluate;
use vnetlab::analysis::synthetic::prepare;
use vnetlab::engine::Engine;

use super::support::{design, scenario_json};

/// A design where every entry applies and passes: the default-NSG scenario without the subnet
/// NSG (the NIC NSG AML creates allows the inbound), an hbi workspace, a classic cluster, a
/// classic cluster without a public IP, a jump box, a VPN client, and private endpoints for the
/// workspace and its storage.
fn everything_open() -> Value {
    let mut d = scenario_json("vnet-default-nsg");
    d["virtual_networks"][0]["subnets"] = json!([
        {"name": "training", "prefix": "10.0.1.0/24"},
        {"name": "pe", "prefix": "10.0.2.0/24"},
        {"name": "GatewaySubnet", "prefix": "10.0.255.0/27"}
    ]);
    d["workspaces"][0]["hbi"] = json!(true);
    d["computes"][1]["node_communication"] = json!("classic");
    let computes = d["computes"].as_array_mut().unwrap();
    computes.push(json!(
        {"name": "jump-box", "kind": "jump_box", "nic": {"subnet": "aml-vnet/training", "private_ip": "10.0.1.10"}}
    ));
    computes.push(json!(
        {"name": "npip-cluster", "kind": "compute_cluster", "workspace": "aml-ws", "node_communication": "classic",
         "nic": {"subnet": "aml-vnet/training", "private_ip": "10.0.1.6", "nsg": "aml-compute-nsg"}}
    ));
    d["gateways"] =
        json!([{"name": "vpn", "vnet": "aml-vnet", "on_premises_prefixes": ["192.168.0.0/16"]}]);
    d["external_hosts"] =
        json!([{"name": "vpn-client", "kind": "on_premises", "ip": "192.168.1.10"}]);
    d["private_endpoints"] = json!([
        {"name": "pe-ws", "subnet": "aml-vnet/pe", "private_ip": "10.0.2.4", "target": "aml-ws", "sub_resource": "amlworkspace", "dns_zones": ["privatelink.api.azureml.ms"]},
        {"name": "pe-blob", "subnet": "aml-vnet/pe", "private_ip": "10.0.2.5", "target": "amlstorage", "sub_resource": "blob", "dns_zones": ["privatelink.blob.core.windows.net"]}
    ]);
    d["private_dns_zones"] = json!([
        {"name": "privatelink.api.azureml.ms", "vnet_links": ["aml-vnet"]},
        {"name": "privatelink.blob.core.windows.net", "vnet_links": ["aml-vnet"]}
    ]);
    d
}

/// The same design with every path shut: deny-all NSGs (applied to the private endpoints too)
/// and storage public access disabled (data profiling has no exception then).
fn everything_closed() -> Value {
    let mut d = everything_open();
    d["network_security_groups"].as_array_mut().unwrap().push(
        json!({"name": "deny-all", "rules": [
            {"name": "DenyAllOut", "priority": 100, "direction": "Outbound", "access": "Deny"},
            {"name": "DenyAllIn", "priority": 100, "direction": "Inbound", "access": "Deny"}
        ]}),
    );
    d["virtual_networks"][0]["subnets"][0]["nsg"] = json!("deny-all");
    d["virtual_networks"][0]["subnets"][1]["nsg"] = json!("deny-all");
    d["virtual_networks"][0]["subnets"][1]["private_endpoint_network_policies"] = json!("Enabled");
    d["resources"][0]["public_network_access"] = json!("Disabled");
    d
}

fn flows_by_entry(value: &Value) -> Vec<(&'static str, bool, String)> {
    let prepared = prepare(&design(value));
    let engine = Engine::new(&prepared.design);
    assert!(
        engine.diagnostics().iter().all(|d| !d.is_error()),
        "{:?}",
        engine.diagnostics()
    );
    evaluate(&engine)
        .into_iter()
        .map(|f| {
            (
                f.entry.id,
                f.passes(),
                format!("{}: {}", f.key(), f.trace.reason),
            )
        })
        .collect()
}

#[test]
fn every_entry_passes_where_the_network_is_open() {
    let flows = flows_by_entry(&everything_open());
    for entry in CATALOGUE {
        let mine: Vec<_> = flows.iter().filter(|(id, ..)| *id == entry.id).collect();
        assert!(!mine.is_empty(), "{} is not instantiated", entry.id);
        for (_, passes, what) in mine {
            assert!(passes, "{what}");
        }
    }
}

#[test]
fn every_entry_fails_where_the_network_is_shut() {
    let flows = flows_by_entry(&everything_closed());
    for entry in CATALOGUE {
        let mine: Vec<_> = flows.iter().filter(|(id, ..)| *id == entry.id).collect();
        assert!(!mine.is_empty(), "{} is not instantiated", entry.id);
        for (_, passes, what) in mine {
            assert!(!passes, "{what}");
        }
    }
}

#[test]
fn conditions_decide_which_entries_apply() {
    // Simplified node communication and no hbi: neither Batch inbound nor the Batch key vault.
    // Neither do the no-public-IP cluster's VNet and load-balancer inbound (seed 004 Step E).
    let mut d = everything_open();
    d["computes"][1]["node_communication"] = json!("simplified");
    d["computes"][3]["node_communication"] = json!("simplified");
    d["workspaces"][0]["hbi"] = json!(false);
    let ids: Vec<&str> = flows_by_entry(&d).into_iter().map(|(id, ..)| id).collect();
    for absent in [
        "inbound-batch-29876",
        "outbound-hbi-key-vault",
        "inbound-vnet-batch-no-public-ip",
        "inbound-load-balancer-no-public-ip",
    ] {
        assert!(!ids.contains(&absent), "{absent}");
    }
    // The legacy option brings the Batch inbound back: from BatchNodeManagement for the two
    // public-IP computes, from the VNet and the load balancer for the no-public-IP cluster.
    d["options"] = json!({"legacy_batch_inbound": true});
    let ids: Vec<&str> = flows_by_entry(&d).into_iter().map(|(id, ..)| id).collect();
    let count = |wanted: &str| ids.iter().filter(|id| **id == wanted).count();
    assert_eq!(count("inbound-batch-29876"), 4);
    assert_eq!(count("inbound-vnet-batch-no-public-ip"), 2);
    assert_eq!(count("inbound-load-balancer-no-public-ip"), 1);
    // VS Code reaches compute instances only: seven ports from each client to ci-notebook.
    assert_eq!(count("vscode-from-jump-box"), 7);
    assert_eq!(count("vscode-from-vpn-client"), 7);
}

#[test]
fn catalogue_data_is_consistent() {
    let mut ids: Vec<&str> = CATALOGUE.iter().map(|e| e.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), CATALOGUE.len(), "ids are unique");
    assert_eq!(
        entry("inbound-aml-44224").map(|e| e.ports),
        Some(&[44224u16][..])
    );
    assert!(entry("no-such-entry").is_none());
    for entry in CATALOGUE {
        assert!(
            entry
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is kebab-case",
            entry.id
        );
        assert!(
            entry.source_document.contains(".txt") || entry.source_document.contains("reference"),
            "{} cites a source",
            entry.id
        );
        assert!(!entry.ports.is_empty());
        // The seeds' rule: Storage and AzureFrontDoor.Frontend destinations are writable.
        let writable_class = matches!(entry.to, Endpoint::BatchStorage)
            || matches!(
                entry.to,
                Endpoint::ServiceTag {
                    tag: "AzureFrontDoor.Frontend",
                    ..
                }
            );
        assert_eq!(entry.writable_by_attacker, writable_class, "{}", entry.id);
    }
}
