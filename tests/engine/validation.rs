//! Design validation: every problem is reported, with its element and JSON path.

use serde_json::json;
use vnetlab::model::{validate, Design};

use super::support::{base, engine, nsg_rule, push, set};

/// (change to the base design, JSON path of the expected diagnostic, words of its message, error?)
#[test]
fn each_problem_is_reported_where_it_is() {
    type Change = fn(&mut serde_json::Value);
    let cases: Vec<(Change, &str, &str, bool)> = vec![
        (
            |d| {
                set(
                    d,
                    "/virtual_networks/0/subnets/1/prefix",
                    json!("10.1.0.0/24"),
                )
            },
            "$.virtual_networks[0].subnets[1].prefix",
            "outside the VNet address space",
            true,
        ),
        (
            |d| {
                set(
                    d,
                    "/virtual_networks/0/subnets/1/prefix",
                    json!("10.0.1.128/25"),
                )
            },
            "$.virtual_networks[0].subnets[0].prefix",
            "overlaps subnet",
            true,
        ),
        (
            |d| {
                set(
                    d,
                    "/network_security_groups/0/rules",
                    json!([
                        nsg_rule("A", 100, "Outbound", "Allow", "*", ["*", "*", "*"]),
                        nsg_rule("B", 100, "Outbound", "Deny", "*", ["*", "*", "*"])
                    ]),
                )
            },
            "$.network_security_groups[0].rules[1].priority",
            "already used",
            true,
        ),
        (
            |d| {
                set(
                    d,
                    "/network_security_groups/0/rules",
                    json!([nsg_rule(
                        "A",
                        5000,
                        "Outbound",
                        "Allow",
                        "*",
                        ["*", "*", "*"]
                    )]),
                )
            },
            "$.network_security_groups[0].rules[0].priority",
            "outside 100-4096",
            true,
        ),
        (
            |d| set(d, "/virtual_networks/0/subnets/0/nsg", json!("missing-nsg")),
            "$.virtual_networks[0].subnets[0].nsg",
            "missing-nsg",
            true,
        ),
        (
            |d| set(d, "/computes/0/nic/private_ip", json!("10.0.1.1")),
            "$.computes[0].nic.private_ip",
            "reserves",
            true,
        ),
        (
            |d| set(d, "/computes/0/nic/subnet", json!("training")),
            "$.computes[0].nic.subnet",
            "vnet/subnet",
            true,
        ),
        (
            |d| set(d, "/computes/1/nic/private_ip", json!("10.0.1.4")),
            "$.computes[1].nic.private_ip",
            "already used",
            true,
        ),
        (
            |d| {
                set(
                    d,
                    "/route_tables",
                    json!([{"name": "rt", "routes": [{"name": "x", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.0.1.5"}]}]),
                )
            },
            "$.route_tables[0].routes[0].next_hop_ip",
            "neither an Azure Firewall, a NIC with IP forwarding nor an internal load balancer frontend",
            false,
        ),
        (
            |d| {
                push(
                    d,
                    "/private_endpoints",
                    json!({"name": "pe", "subnet": "vnet/pe", "private_ip": "10.0.2.4", "target": "wsstorage", "sub_resource": "vault"}),
                )
            },
            "$.private_endpoints[0].sub_resource",
            "not a sub-resource",
            true,
        ),
        (
            |d| set(d, "/schema_version", json!(2)),
            "$.schema_version",
            "not supported",
            true,
        ),
        (
            |d| set(d, "/computes/1/name", json!("vm2\r0 exfiltration path(s)")),
            "$.computes[1].name",
            "control characters",
            false,
        ),
        (
            |d| {
                set(
                    d,
                    "/virtual_networks/0/subnets/1/name",
                    json!("pe\u{1b}[2K"),
                )
            },
            "$.virtual_networks[0].subnets[1].name",
            "control characters",
            false,
        ),
        (
            |d| set(d, "/name", json!("base\u{202e}evil")),
            "$.name",
            "control characters",
            false,
        ),
    ];
    for (change, path, words, is_error) in cases {
        let mut design = base();
        change(&mut design);
        let design: Design = serde_json::from_value(design).expect("still parses");
        let diagnostics = validate(&design);
        assert!(
            diagnostics
                .iter()
                .any(|d| d.path == path && d.message.contains(words) && d.is_error() == is_error),
            "expected {words:?} at {path}; got {diagnostics:#?}"
        );
    }
}

#[test]
fn the_base_design_is_clean_and_all_problems_are_reported_together() {
    assert!(validate(&serde_json::from_value(base()).expect("parses")).is_empty());
    let mut design = base();
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/nsg",
        json!("missing-nsg"),
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/route_table",
        json!("missing-rt"),
    );
    set(
        &mut design,
        "/network_security_groups/0/rules",
        json!([nsg_rule(
            "Tag",
            100,
            "Outbound",
            "Allow",
            "*",
            ["*", "NotATag", "*"]
        )]),
    );
    let engine = engine(&design);
    let paths: Vec<&str> = engine
        .diagnostics()
        .iter()
        .map(|d| d.path.as_str())
        .collect();
    for expected in [
        "$.virtual_networks[0].subnets[0].nsg",
        "$.virtual_networks[0].subnets[0].route_table",
        "$.network_security_groups[0].rules[0].destination[0]",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
}

#[test]
fn dnat_rules_must_address_the_firewall_public_ip() {
    let mut design = base();
    set(
        &mut design,
        "/firewalls",
        json!([{"name": "fw", "subnet": "vnet/AzureFirewallSubnet", "private_ip": "10.0.3.4", "public_ip": "20.0.0.1",
        "rule_collections": [{"type": "nat", "name": "in", "priority": 100, "rules": [
            {"name": "right", "protocols": ["Tcp"], "destination_address": "20.0.0.1", "destination_ports": ["2222"], "translated_address": "10.0.1.5", "translated_port": 22},
            {"name": "wrong", "protocols": ["Tcp"], "destination_address": "20.0.0.9", "destination_ports": ["2223"], "translated_address": "10.0.1.5", "translated_port": 22}
        ]}]}]),
    );
    let design: Design = serde_json::from_value(design).expect("parses");
    let diagnostics = validate(&design);
    let flagged: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.message.contains("DNAT rule"))
        .map(|d| d.path.as_str())
        .collect();
    assert_eq!(
        flagged,
        ["$.firewalls[0].rule_collections[0].rules[1].destination_address"],
        "{diagnostics:#?}"
    );
}
