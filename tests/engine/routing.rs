//! Routing: system routes, UDR longest-prefix match and precedence, next hop types, service-tag
//! routes, service endpoint routes, private endpoint /32s, peering and gateways.

use serde_json::json;
use vnetlab::engine::{Step, Verdict};

use super::support::{
    base, engine, expect, expect_decided, expect_stopped_at, nsg_rule, push, rules_at, set, tcp,
};

fn with_route_table(routes: serde_json::Value) -> serde_json::Value {
    let mut design = base();
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/route_table",
        json!("rt-training"),
    );
    set(
        &mut design,
        "/route_tables",
        json!([{"name": "rt-training", "routes": routes}]),
    );
    design
}

fn with_firewall(mut design: serde_json::Value) -> serde_json::Value {
    set(
        &mut design,
        "/firewalls",
        json!([{"name": "fw", "subnet": "vnet/AzureFirewallSubnet", "private_ip": "10.0.3.4", "public_ip": "20.0.0.1",
        "rule_collections": [{"type": "network", "name": "allow-all", "priority": 100, "action": "Allow",
            "rules": [{"name": "any", "protocols": ["Any"], "sources": ["*"], "destinations": ["*"], "destination_ports": ["*"]}]}]}]),
    );
    design
}

fn default_to_firewall() -> serde_json::Value {
    json!({"name": "default-to-fw", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.0.3.4"})
}

#[test]
fn udr_longest_prefix_match_and_next_hop_types() {
    let cases = [
        (
            json!([default_to_firewall()]),
            "internet-host",
            Verdict::Allowed,
            "default-to-fw",
        ),
        (
            json!([default_to_firewall(), {"name": "direct", "address_prefix": "203.0.113.0/24", "next_hop_type": "Internet"}]),
            "internet-host",
            Verdict::Allowed,
            "direct",
        ),
        (
            json!([default_to_firewall(), {"name": "blackhole", "address_prefix": "203.0.113.10/32", "next_hop_type": "None"}]),
            "internet-host",
            Verdict::NoRoute,
            "blackhole",
        ),
        (
            json!([{"name": "no-gateway", "address_prefix": "203.0.113.0/24", "next_hop_type": "VirtualNetworkGateway"}]),
            "internet-host",
            Verdict::NoRoute,
            "no-gateway",
        ),
        (
            json!([{"name": "bad-appliance", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.0.1.5"}]),
            "internet-host",
            Verdict::NoRoute,
            "bad-appliance",
        ),
    ];
    for (routes, destination, verdict, route) in cases {
        let design = with_firewall(with_route_table(routes));
        expect(
            &tcp(&engine(&design), "ci", destination, 443),
            verdict,
            Step::Route,
            route,
        );
    }
}

#[test]
fn a_default_udr_sends_rfc1918_to_the_appliance_instead_of_dropping() {
    let mut open = base();
    set(
        &mut open,
        "/network_security_groups/0/rules",
        json!([nsg_rule(
            "AllowAllOut",
            100,
            "Outbound",
            "Allow",
            "*",
            ["*", "*", "*"]
        )]),
    );
    expect(
        &tcp(&engine(&open), "ci", "172.31.0.100", 80),
        Verdict::NoRoute,
        Step::Route,
        "reserved range 172.16.0.0/12 (next hop None)",
    );
    let mut design = with_firewall(with_route_table(json!([default_to_firewall()])));
    set(
        &mut design,
        "/network_security_groups/0/rules",
        json!([nsg_rule(
            "AllowAllOut",
            100,
            "Outbound",
            "Allow",
            "*",
            ["*", "*", "*"]
        )]),
    );
    let trace = tcp(&engine(&design), "ci", "172.31.0.100", 80);
    assert!(
        trace.passed_through(Step::FirewallNetwork),
        "{:?}",
        trace.hops
    );
}

#[test]
fn service_tag_routes_send_aml_traffic_around_the_firewall() {
    let design = with_firewall(with_route_table(
        json!([default_to_firewall(), {"name": "aml-direct", "address_prefix": "AzureMachineLearning", "next_hop_type": "Internet"}]),
    ));
    let engine = engine(&design);
    let trace = tcp(&engine, "ci", "aml", 443);
    expect(&trace, Verdict::Allowed, Step::Route, "aml-direct");
    assert!(!trace.passed_through(Step::FirewallNetwork));
    expect(
        &tcp(&engine, "ci", "entra", 443),
        Verdict::Allowed,
        Step::Route,
        "default-to-fw",
    );
}

#[test]
fn service_endpoint_routes_bypass_forced_tunnelling_only_in_their_subnet() {
    let mut design = with_firewall(with_route_table(json!([default_to_firewall()])));
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/service_endpoints",
        json!(["Microsoft.Storage"]),
    );
    let engine = engine(&design);
    let trace = tcp(&engine, "ci", "wsstorage", 443);
    assert_eq!(trace.verdict, Verdict::Allowed);
    assert!(
        trace.passed_through(Step::ServiceEndpoint) && !trace.passed_through(Step::FirewallNetwork),
        "{:?}",
        trace.hops
    );
    // Another region is outside Microsoft.Storage's scope: it follows the default route.
    let far = tcp(&engine, "ci", "farstorage", 443);
    expect(&far, Verdict::Allowed, Step::Route, "default-to-fw");
    assert!(!far.passed_through(Step::ServiceEndpoint));
}

#[test]
fn service_endpoint_beats_a_udr_on_the_same_tag_prefix_by_option() {
    let mut design = with_firewall(with_route_table(
        json!([{"name": "storage-to-fw", "address_prefix": "Storage.EastUS", "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.0.3.4"}]),
    ));
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/service_endpoints",
        json!(["Microsoft.Storage"]),
    );
    let trace = tcp(&engine(&design), "ci", "wsstorage", 443);
    assert!(
        trace.passed_through(Step::ServiceEndpoint),
        "{:?}",
        trace.hops
    );
    assert!(
        trace
            .hops
            .iter()
            .any(|h| h.reason.contains("storage-to-fw")),
        "the conflict is flagged"
    );
    set(
        &mut design,
        "/options",
        json!({"service_endpoint_beats_udr": false}),
    );
    expect(
        &tcp(&engine(&design), "ci", "wsstorage", 443),
        Verdict::Allowed,
        Step::Route,
        "storage-to-fw",
    );
}

#[test]
fn storage_global_endpoint_and_paired_scope_widen_the_route() {
    let mut design = base();
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/service_endpoints",
        json!(["Microsoft.Storage.Global"]),
    );
    assert!(tcp(&engine(&design), "ci", "farstorage", 443).passed_through(Step::ServiceEndpoint));
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/service_endpoints",
        json!(["Microsoft.Storage"]),
    );
    assert!(!tcp(&engine(&design), "ci", "farstorage", 443).passed_through(Step::ServiceEndpoint));
    set(
        &mut design,
        "/options",
        json!({"storage_endpoint_scope": "same_region_and_paired"}),
    );
    assert!(
        tcp(&engine(&design), "ci", "farstorage", 443).passed_through(Step::ServiceEndpoint),
        "westus is eastus's pair"
    );
}

fn with_private_endpoint(mut design: serde_json::Value) -> serde_json::Value {
    set(
        &mut design,
        "/private_endpoints",
        json!([{"name": "pe-blob", "subnet": "vnet/pe", "private_ip": "10.0.2.4", "target": "wsstorage", "sub_resource": "blob", "dns_zones": ["privatelink.blob.core.windows.net"]}]),
    );
    set(
        &mut design,
        "/private_dns_zones",
        json!([{"name": "privatelink.blob.core.windows.net", "vnet_links": ["vnet"]}]),
    );
    design
}

#[test]
fn private_endpoint_routes_beat_default_udrs_unless_invalidated() {
    let design = with_firewall(with_private_endpoint(with_route_table(json!([
        default_to_firewall()
    ]))));
    let trace = tcp(&engine(&design), "ci", "wsstorage", 443);
    expect(
        &trace,
        Verdict::Allowed,
        Step::Route,
        "private endpoint pe-blob (10.0.2.4/32)",
    );

    // A /16 UDR invalidates the /32 only when the endpoint subnet applies route tables.
    let routes = json!([default_to_firewall(), {"name": "vnet-to-fw", "address_prefix": "10.0.0.0/16", "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.0.3.4"}]);
    let mut design = with_firewall(with_private_endpoint(with_route_table(routes)));
    expect(
        &tcp(&engine(&design), "ci", "wsstorage", 443),
        Verdict::Allowed,
        Step::Route,
        "private endpoint pe-blob (10.0.2.4/32)",
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/1/private_endpoint_network_policies",
        json!("RouteTableEnabled"),
    );
    let trace = tcp(&engine(&design), "ci", "wsstorage", 443);
    assert!(
        trace.passed_through(Step::FirewallNetwork),
        "{:?}",
        trace.hops
    );
    assert_eq!(trace.verdict, Verdict::Allowed, "{}", trace.reason);
}

fn two_peered_vnets() -> serde_json::Value {
    let mut design = base();
    push(
        &mut design,
        "/virtual_networks",
        json!({"name": "spoke", "region": "eastus", "address_space": ["10.1.0.0/16"], "subnets": [{"name": "app", "prefix": "10.1.0.0/24"}]}),
    );
    push(
        &mut design,
        "/computes",
        json!({"name": "spoke-vm", "kind": "virtual_machine", "nic": {"subnet": "spoke/app", "private_ip": "10.1.0.4"}}),
    );
    set(
        &mut design,
        "/peerings",
        json!([
            {"name": "hub-to-spoke", "local_vnet": "vnet", "remote_vnet": "spoke"},
            {"name": "spoke-to-hub", "local_vnet": "spoke", "remote_vnet": "vnet"}
        ]),
    );
    design
}

#[test]
fn peering_carries_traffic_only_when_connected_and_allowed() {
    let design = two_peered_vnets();
    let trace = tcp(&engine(&design), "ci", "spoke-vm", 22);
    expect(&trace, Verdict::Allowed, Step::Peering, "hub-to-spoke");

    let mut one_way = design.clone();
    set(
        &mut one_way,
        "/peerings",
        json!([{"name": "hub-to-spoke", "local_vnet": "vnet", "remote_vnet": "spoke"}]),
    );
    let engine_one_way = engine(&one_way);
    assert!(engine_one_way
        .diagnostics()
        .iter()
        .any(|d| d.message.contains("no reverse peering")));
    // Not connected: the spoke is neither VirtualNetwork nor Internet for the NSG.
    expect_decided(
        &tcp(&engine_one_way, "ci", "spoke-vm", 22),
        Verdict::Blocked,
        Step::NsgOutbound,
        "DenyAllOutBound",
    );

    let mut denied = design;
    set(
        &mut denied,
        "/peerings/0/allow_virtual_network_access",
        json!(false),
    );
    expect_decided(
        &tcp(&engine(&denied), "ci", "spoke-vm", 22),
        Verdict::Blocked,
        Step::NsgOutbound,
        "DenyAllOutBound",
    );
    set(
        &mut denied,
        "/network_security_groups/0/rules",
        json!([nsg_rule(
            "AllowSpoke",
            100,
            "Outbound",
            "Allow",
            "*",
            ["*", "10.1.0.0/16", "*"]
        )]),
    );
    expect(
        &tcp(&engine(&denied), "ci", "spoke-vm", 22),
        Verdict::Blocked,
        Step::Peering,
        "hub-to-spoke",
    );
}

#[test]
fn forwarded_traffic_needs_the_receiving_peerings_permission() {
    let mut design = with_firewall(two_peered_vnets());
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/route_table",
        json!("rt-training"),
    );
    set(
        &mut design,
        "/route_tables",
        json!([{"name": "rt-training", "routes": [{"name": "spoke-via-fw", "address_prefix": "10.1.0.0/16", "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.0.3.4"}]}]),
    );
    expect(
        &tcp(&engine(&design), "ci", "spoke-vm", 22),
        Verdict::Blocked,
        Step::Peering,
        "spoke-to-hub",
    );
    set(
        &mut design,
        "/peerings/1/allow_forwarded_traffic",
        json!(true),
    );
    let trace = tcp(&engine(&design), "ci", "spoke-vm", 22);
    assert!(trace.passed_through(Step::FirewallNetwork));
    // The firewall forwards 10/8 traffic without SNAT and the spoke replies directly: asymmetric.
    expect_stopped_at(&trace, Verdict::Blocked, Step::Route);
    assert!(trace.reason.contains("asymmetric"), "{}", trace.reason);
}

#[test]
fn on_premises_clients_arrive_through_the_gateway() {
    let mut design = base();
    set(
        &mut design,
        "/gateways",
        json!([{"name": "vpn", "vnet": "vnet", "on_premises_prefixes": ["192.168.10.0/24"]}]),
    );
    set(
        &mut design,
        "/external_hosts",
        json!([{"name": "laptop", "kind": "on_premises", "ip": "192.168.10.20"}]),
    );
    let engine = engine(&design);
    expect(
        &tcp(&engine, "laptop", "ci", 22),
        Verdict::Allowed,
        Step::NsgInbound,
        "AllowVnetInBound",
    );
    expect(
        &tcp(&engine, "ci", "laptop", 22),
        Verdict::Allowed,
        Step::Route,
        "gateway vpn to 192.168.10.0/24",
    );
}

#[test]
fn outbound_needs_an_egress_method() {
    let mut design = base();
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/default_outbound_access",
        json!(false),
    );
    expect_stopped_at(
        &tcp(&engine(&design), "ci", "internet-host", 443),
        Verdict::NoRoute,
        Step::InternetEgress,
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/nat_gateway_ip",
        json!("20.1.1.1"),
    );
    assert_eq!(
        tcp(&engine(&design), "ci", "internet-host", 443).verdict,
        Verdict::Allowed
    );
}

#[test]
fn firewall_snat_symmetry_for_aml_inbound_with_forced_tunnelling() {
    let mut design = with_firewall(with_route_table(json!([default_to_firewall()])));
    set(&mut design, "/computes/0/nic/public_ip", json!("52.1.1.4"));
    set(
        &mut design,
        "/network_security_groups/0/rules",
        json!([nsg_rule(
            "AML",
            130,
            "Inbound",
            "Allow",
            "Tcp",
            ["AzureMachineLearning", "VirtualNetwork", "44224"]
        )]),
    );
    let trace = tcp(&engine(&design), "aml", "ci", 44224);
    expect_stopped_at(&trace, Verdict::Blocked, Step::Route);
    push(
        &mut design,
        "/route_tables/0/routes",
        json!({"name": "aml-internet", "address_prefix": "AzureMachineLearning", "next_hop_type": "Internet"}),
    );
    expect(
        &tcp(&engine(&design), "aml", "ci", 44224),
        Verdict::Allowed,
        Step::NsgInbound,
        "AML",
    );
}

/// Microsoft Learn, "Virtual network traffic routing", service tags for user-defined routes:
/// on the same prefix length a regional tag beats its top-level tag, which beats
/// `AzureCloud.<region>`, then `AzureCloud` — and the trace says why the winner won
/// (issue 12, defect 7).
#[test]
fn a_tie_between_tag_routes_says_why_the_winner_won_virtual_networks_udr_overview() {
    let route = |name: &str, tag: &str, next_hop: &str| json!({"name": name, "address_prefix": tag, "next_hop_type": next_hop});
    let cases = [
        (
            json!([
                route("regional", "Storage.EastUS", "Internet"),
                route("top", "Storage", "None")
            ]),
            "regional",
            "Storage.EastUS ranks above Storage",
        ),
        (
            json!([
                route("top", "Storage", "None"),
                route("regional", "Storage.EastUS", "Internet")
            ]),
            "regional",
            "Storage.EastUS ranks above Storage",
        ),
    ];
    for (routes, winner, words) in cases {
        let trace = tcp(&engine(&with_route_table(routes)), "ci", "wsstorage", 443);
        assert!(
            rules_at(&trace, Step::Route).contains(&winner.to_string()),
            "{winner}: {:?}",
            trace.hops
        );
        assert!(
            trace
                .hops
                .iter()
                .any(|h| h.step == Step::Route && h.reason.contains(words)),
            "{winner}: the trace says why: {:?}",
            trace.hops
        );
    }
}
