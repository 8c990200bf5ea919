//! The generated enterprise hub-spoke design of issue #16, shared by `benches/scale.rs` and the
//! equivalence tests: N spokes peered both ways with a hub holding Azure Firewall with a policy;
//! every spoke subnet forced to the firewall by a 0.0.0.0/0 route; 10 subnets per spoke, each
//! with its own 100-rule NSG and one private endpoint (to a storage account of its own); an AML
//! workspace with a compute instance and a compute cluster in every 10th spoke (spokes 0, 10,
//! …), whose subnets 1–3 hold the workspace's, key vault's and registry's private endpoints;
//! optionally (`hub_spoke_with_vms`) virtual machines beside those computes.
//!
//! The design-size options are raised to fit. Addresses: the hub is 10.0.0.0/20 (firewall 10.0.0.4); spoke `i` is the /20 after it at
//! 10.0.0.0 + (i + 1) × 4096, subnet `s` its /24 number `s`; so up to 4,094 spokes fit in 10/8.

use serde_json::{json, Value};

/// Subnets per spoke.
pub const SUBNETS_PER_SPOKE: u32 = 10;
/// Rules per NSG.
pub const RULES_PER_NSG: u32 = 100;
/// A workspace every this many spokes.
pub const WORKSPACE_EVERY: u32 = 10;

const FIREWALL_IP: &str = "10.0.0.4";

/// The /24 of subnet `subnet` of spoke `spoke`, as (first octets "10.a.b", prefix).
fn subnet_base(spoke: u32, subnet: u32) -> String {
    let first = (spoke + 1) * 4096 + subnet * 256;
    format!("10.{}.{}", first >> 16, (first >> 8) & 0xff)
}

fn spoke_space(spoke: u32) -> String {
    format!("{}.0/20", subnet_base(spoke, 0))
}

fn nsg(spoke: u32, subnet: u32) -> Value {
    let rules: Vec<Value> = (0..RULES_PER_NSG)
        .map(|r| {
            let direction = if r % 2 == 0 { "Outbound" } else { "Inbound" };
            let access = if r % 7 == 0 { "Deny" } else { "Allow" };
            let (source, destination) = if direction == "Outbound" {
                (
                    format!("{}.0/24", subnet_base(spoke, subnet)),
                    format!("203.0.{}.0/24", r % 250),
                )
            } else {
                (
                    format!("10.{}.0.0/16", r % 64),
                    format!("{}.0/24", subnet_base(spoke, subnet)),
                )
            };
            json!({"name": format!("r{r}"), "priority": 100 + r * 10, "direction": direction, "access": access,
                   "protocol": "Tcp", "source": [source], "destination": [destination],
                   "destination_ports": [format!("{}", 1000 + r)]})
        })
        .collect();
    json!({"name": format!("nsg-{spoke}-{subnet}"), "rules": rules})
}

fn firewall_policy() -> Value {
    let network_rules = json!([
        {"name": "aml", "protocols": ["Tcp"], "sources": ["10.0.0.0/8"], "destinations": ["AzureMachineLearning"], "destination_ports": ["443", "8787", "18881"]},
        {"name": "entra-id", "protocols": ["Tcp"], "sources": ["10.0.0.0/8"], "destinations": ["AzureActiveDirectory"], "destination_ports": ["80", "443"]},
        {"name": "resource-manager", "protocols": ["Tcp"], "sources": ["10.0.0.0/8"], "destinations": ["AzureResourceManager"], "destination_ports": ["443"]},
        {"name": "storage", "protocols": ["Tcp"], "sources": ["10.0.0.0/8"], "destinations": ["Storage.EastUS"], "destination_ports": ["443"]},
        {"name": "registries", "protocols": ["Tcp"], "sources": ["10.0.0.0/8"], "destinations": ["AzureContainerRegistry.EastUS", "MicrosoftContainerRegistry.EastUS", "AzureFrontDoor.FirstParty"], "destination_ports": ["443"]},
        {"name": "key-vault", "protocols": ["Tcp"], "sources": ["10.0.0.0/8"], "destinations": ["AzureKeyVault.EastUS"], "destination_ports": ["443"]},
        {"name": "monitor", "protocols": ["Tcp"], "sources": ["10.0.0.0/8"], "destinations": ["AzureMonitor"], "destination_ports": ["443"]},
        {"name": "spoke-to-spoke", "protocols": ["Tcp"], "sources": ["10.0.0.0/8"], "destinations": ["10.0.0.0/8"], "destination_ports": ["443", "445"]},
    ]);
    let application_rules = json!([
        {"name": "graph", "sources": ["10.0.0.0/8"], "protocols": [{"protocol": "https", "port": 443}], "target_fqdns": ["graph.windows.net"]},
        {"name": "packages", "sources": ["10.0.0.0/8"], "protocols": [{"protocol": "https", "port": 443}],
         "target_fqdns": ["pypi.org", "*.pythonhosted.org", "anaconda.com", "*.anaconda.org"]},
    ]);
    json!({"name": "hub-fw-policy", "dns_proxy": true, "rule_collection_groups": [{"name": "platform", "priority": 100, "rule_collections": [
        {"type": "network", "name": "platform-network", "priority": 100, "action": "Allow", "rules": network_rules},
        {"type": "application", "name": "platform-fqdns", "priority": 200, "action": "Allow", "rules": application_rules},
    ]}]})
}

/// The private endpoint of subnet `subnet` of spoke `spoke` and the zone it registers in: the
/// workspace's, key vault's and registry's in subnets 1–3 of a workspace spoke, otherwise the
/// blob endpoint of the subnet's own storage account.
fn private_endpoint(spoke: u32, subnet: u32) -> Value {
    let workspace_spoke = spoke.is_multiple_of(WORKSPACE_EVERY);
    let (target, sub_resource, zone) = match subnet {
        1 if workspace_spoke => (
            format!("ws{spoke}"),
            "amlworkspace",
            "privatelink.api.azureml.ms",
        ),
        2 if workspace_spoke => (
            format!("kv{spoke}"),
            "vault",
            "privatelink.vaultcore.azure.net",
        ),
        3 if workspace_spoke => (format!("acr{spoke}"), "registry", "privatelink.azurecr.io"),
        _ => (
            format!("st{spoke}x{subnet}"),
            "blob",
            "privatelink.blob.core.windows.net",
        ),
    };
    json!({"name": format!("pe-{spoke}-{subnet}"), "subnet": format!("spoke{spoke}/s{subnet}"),
           "private_ip": format!("{}.4", subnet_base(spoke, subnet)), "target": target,
           "sub_resource": sub_resource, "dns_zones": [zone]})
}

/// The hub-spoke design with `spokes` spokes.
pub fn hub_spoke(spokes: u32) -> Value {
    hub_spoke_with_vms(spokes, 0)
}

/// The hub-spoke design with `spokes` spokes and `vms` virtual machines beside the AML
/// computes in subnet 0 of every workspace spoke (at .10, .11, …: up to 240).
pub fn hub_spoke_with_vms(spokes: u32, vms: u32) -> Value {
    let mut vnets = vec![
        json!({"name": "hub", "region": "eastus", "address_space": ["10.0.0.0/20"],
        "subnets": [{"name": "AzureFirewallSubnet", "prefix": "10.0.0.0/26"}]}),
    ];
    let (mut peerings, mut nsgs, mut route_tables, mut endpoints) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut resources, mut workspaces, mut computes) = (Vec::new(), Vec::new(), Vec::new());
    for spoke in 0..spokes {
        let name = format!("spoke{spoke}");
        let subnets: Vec<Value> = (0..SUBNETS_PER_SPOKE)
            .map(|s| json!({"name": format!("s{s}"), "prefix": format!("{}.0/24", subnet_base(spoke, s)),
                            "nsg": format!("nsg-{spoke}-{s}"), "route_table": format!("rt-{spoke}")}))
            .collect();
        vnets.push(json!({"name": name, "region": "eastus", "address_space": [spoke_space(spoke)], "subnets": subnets}));
        peerings.push(json!({"name": format!("hub-to-{name}"), "local_vnet": "hub", "remote_vnet": name, "allow_forwarded_traffic": true}));
        peerings.push(json!({"name": format!("{name}-to-hub"), "local_vnet": name, "remote_vnet": "hub", "allow_forwarded_traffic": true}));
        route_tables.push(json!({"name": format!("rt-{spoke}"), "routes": [
            {"name": "default-to-firewall", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_ip": FIREWALL_IP}]}));
        for subnet in 0..SUBNETS_PER_SPOKE {
            nsgs.push(nsg(spoke, subnet));
            endpoints.push(private_endpoint(spoke, subnet));
            if !spoke.is_multiple_of(WORKSPACE_EVERY) || !(1..=3).contains(&subnet) {
                resources.push(json!({"name": format!("st{spoke}x{subnet}"), "kind": "storage_account", "region": "eastus",
                                      "public_network_access": "Disabled"}));
            }
        }
        if spoke.is_multiple_of(WORKSPACE_EVERY) {
            resources.push(json!({"name": format!("kv{spoke}"), "kind": "key_vault", "region": "eastus", "public_network_access": "Disabled"}));
            resources.push(json!({"name": format!("acr{spoke}"), "kind": "container_registry", "region": "eastus", "public_network_access": "Disabled"}));
            workspaces.push(json!({"name": format!("ws{spoke}"), "region": "eastus", "storage_account": format!("st{spoke}x0"),
                                   "key_vault": format!("kv{spoke}"), "container_registry": format!("acr{spoke}"),
                                   "image_registry": "mcr.microsoft.com", "public_network_access": "Disabled"}));
            let base = subnet_base(spoke, 0);
            computes.push(json!({"name": format!("ci-{spoke}"), "kind": "compute_instance", "workspace": format!("ws{spoke}"),
                                 "nic": {"subnet": format!("{name}/s0"), "private_ip": format!("{base}.5")}}));
            computes.push(json!({"name": format!("cluster-{spoke}"), "kind": "compute_cluster", "workspace": format!("ws{spoke}"),
                                 "nic": {"subnet": format!("{name}/s0"), "private_ip": format!("{base}.6")}}));
            for vm in 0..vms.min(240) {
                computes.push(json!({"name": format!("vm-{spoke}-{vm}"), "kind": "virtual_machine",
                                     "nic": {"subnet": format!("{name}/s0"), "private_ip": format!("{base}.{}", 10 + vm)}}));
            }
        }
    }
    let linked: Vec<String> = std::iter::once("hub".to_string())
        .chain((0..spokes).map(|s| format!("spoke{s}")))
        .collect();
    let zones: Vec<Value> = [
        "privatelink.blob.core.windows.net",
        "privatelink.api.azureml.ms",
        "privatelink.vaultcore.azure.net",
        "privatelink.azurecr.io",
    ]
    .iter()
    .map(|zone| json!({"name": zone, "vnet_links": linked}))
    .collect();
    // The design is meant to be this large: the size limits are raised to fit it.
    let options =
        json!({"max_design_elements": 100 * (spokes + 1), "max_design_rules": 2000 * (spokes + 1)});
    json!({"schema_version": 1, "name": format!("hub-spoke-{spokes}"), "options": options,
           "description": format!("Generated hub-spoke design (benches/hub_spoke.rs): {spokes} spokes."),
           "virtual_networks": vnets, "peerings": peerings, "network_security_groups": nsgs, "route_tables": route_tables,
           "firewalls": [{"name": "hub-fw", "subnet": "hub/AzureFirewallSubnet", "private_ip": FIREWALL_IP,
                          "public_ip": "52.170.20.4", "policy": "hub-fw-policy"}],
           "firewall_policies": [firewall_policy()], "private_endpoints": endpoints, "private_dns_zones": zones,
           "resources": resources, "workspaces": workspaces, "computes": computes})
}
