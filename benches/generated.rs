//! The generated large design shared by the benchmarks: 100 VNets × 10 subnets, each VNet
//! peered with the next, 1,000 NSGs × 100 rules, one VM per VNet.

use serde_json::{json, Value};

/// 100 VNets × 10 subnets, each VNet peered with the next; 1,000 NSGs of 100 rules each.
pub fn large_design() -> Value {
    let mut vnets = Vec::new();
    let mut peerings = Vec::new();
    let mut computes = Vec::new();
    for v in 0..100u32 {
        let (a, b) = (10 + v / 50, (v % 50) * 4);
        let subnets: Vec<Value> = (0..10u32)
            .map(|s| json!({"name": format!("s{s}"), "prefix": format!("{a}.{b}.{s}.0/24"), "nsg": format!("nsg-{v}-{s}")}))
            .collect();
        vnets.push(json!({"name": format!("vnet{v}"), "region": "eastus", "address_space": [format!("{a}.{b}.0.0/16")], "subnets": subnets}));
        computes.push(json!({"name": format!("vm{v}"), "kind": "virtual_machine", "nic": {"subnet": format!("vnet{v}/s0"), "private_ip": format!("{a}.{b}.0.4")}}));
        if v > 0 {
            let previous = format!("vnet{}", v - 1);
            peerings.push(json!({"name": format!("p{v}a"), "local_vnet": format!("vnet{v}"), "remote_vnet": previous}));
            peerings.push(json!({"name": format!("p{v}b"), "local_vnet": previous, "remote_vnet": format!("vnet{v}")}));
        }
    }
    let nsgs: Vec<Value> = (0..1000u32)
        .map(|n| {
            let rules: Vec<Value> = (0..100u32)
                .map(|r| {
                    let direction = if r % 2 == 0 { "Outbound" } else { "Inbound" };
                    json!({"name": format!("r{r}"), "priority": 100 + r * 10, "direction": direction, "access": if r % 7 == 0 { "Deny" } else { "Allow" },
                           "protocol": "Tcp", "source": [format!("10.{}.0.0/16", r % 200)], "destination": [format!("203.0.{}.0/24", r % 250)], "destination_ports": [format!("{}", 1000 + r)]})
                })
                .collect();
            json!({"name": format!("nsg-{}-{}", n / 10, n % 10), "rules": rules})
        })
        .collect();
    json!({"schema_version": 1, "name": "large", "virtual_networks": vnets, "peerings": peerings, "network_security_groups": nsgs, "computes": computes,
           "external_hosts": [{"name": "internet-host", "kind": "internet", "ip": "203.0.113.10"}]})
}
