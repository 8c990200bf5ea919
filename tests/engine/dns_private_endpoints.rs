//! Private endpoints and private DNS: resolution through linked zones, NXDOMAIN, fallback,
//! approval state, sub-resources, protocols and network policies.

use serde_json::{json, Value};
use vnetlab::engine::{Step, Verdict};
use vnetlab::model::Protocol;

use super::support::{
    base, engine, expect, expect_decided, expect_stopped_at, nsg_rule, push, set, tcp, trace,
};

/// Workspace storage reachable only privately, through a blob endpoint registered in a zone.
fn private_storage(linked: bool) -> Value {
    let mut design = base();
    set(
        &mut design,
        "/resources/0/public_network_access",
        json!("Disabled"),
    );
    set(
        &mut design,
        "/private_endpoints",
        json!([{"name": "pe-blob", "subnet": "vnet/pe", "private_ip": "10.0.2.4", "target": "wsstorage", "sub_resource": "blob", "dns_zones": ["privatelink.blob.core.windows.net"]}]),
    );
    let links = if linked { json!(["vnet"]) } else { json!([]) };
    set(
        &mut design,
        "/private_dns_zones",
        json!([{"name": "privatelink.blob.core.windows.net", "vnet_links": links}]),
    );
    design
}

#[test]
fn a_linked_zone_resolves_to_the_endpoint_and_bypasses_the_public_firewall() {
    let trace = tcp(&engine(&private_storage(true)), "ci", "wsstorage", 443);
    expect(&trace, Verdict::Allowed, Step::Dns, "wsstorage");
    expect(
        &trace,
        Verdict::Allowed,
        Step::StorageFirewall,
        "private endpoint",
    );
    assert!(trace.passed_through(Step::PrivateEndpoint));
}

#[test]
fn an_unlinked_zone_leaves_the_public_endpoint() {
    let trace = tcp(
        &engine(&private_storage(false)),
        "ci",
        "wsstorage.blob.core.windows.net",
        443,
    );
    expect_decided(
        &trace,
        Verdict::Blocked,
        Step::StorageFirewall,
        "publicNetworkAccess: Disabled",
    );
}

#[test]
fn a_linked_zone_without_the_record_is_nxdomain_unless_it_falls_back() {
    let mut design = private_storage(true);
    set(&mut design, "/private_endpoints/0/dns_zones", json!([]));
    let trace = tcp(&engine(&design), "ci", "wsstorage", 443);
    expect_stopped_at(&trace, Verdict::Unresolved, Step::Dns);
    set(
        &mut design,
        "/private_dns_zones/0/fallback_to_internet",
        json!(true),
    );
    expect_decided(
        &tcp(&engine(&design), "ci", "wsstorage", 443),
        Verdict::Blocked,
        Step::StorageFirewall,
        "publicNetworkAccess: Disabled",
    );
}

#[test]
fn only_approved_tcp_connections_to_the_right_sub_resource_pass() {
    let mut pending = private_storage(true);
    set(
        &mut pending,
        "/private_endpoints/0/connection_state",
        json!("Pending"),
    );
    expect_decided(
        &tcp(&engine(&pending), "ci", "wsstorage", 443),
        Verdict::Blocked,
        Step::PrivateEndpoint,
        "pe-blob",
    );

    let mut design = private_storage(true);
    expect_decided(
        &trace(&engine(&design), "ci", "pe-blob", Protocol::Udp, Some(443)),
        Verdict::Blocked,
        Step::PrivateEndpoint,
        "pe-blob",
    );
    set(
        &mut design,
        "/options",
        json!({"private_endpoint_udp": true}),
    );
    assert_eq!(
        trace(&engine(&design), "ci", "pe-blob", Protocol::Udp, Some(443)).verdict,
        Verdict::Allowed
    );

    // A file record pointing at the blob endpoint: the endpoint serves blob only.
    let mut wrong = private_storage(true);
    push(
        &mut wrong,
        "/private_dns_zones",
        json!({"name": "privatelink.file.core.windows.net", "vnet_links": ["vnet"], "records": [{"name": "wsstorage", "ip": "10.0.2.4"}]}),
    );
    expect_decided(
        &tcp(
            &engine(&wrong),
            "ci",
            "wsstorage.file.core.windows.net",
            445,
        ),
        Verdict::Blocked,
        Step::PrivateEndpoint,
        "pe-blob",
    );
}

#[test]
fn endpoint_subnet_nsgs_apply_only_with_network_policies() {
    let mut design = private_storage(true);
    push(
        &mut design,
        "/network_security_groups",
        json!({"name": "nsg-pe", "rules": [nsg_rule("DenyTraining", 100, "Inbound", "Deny", "*", ["10.0.1.0/24", "*", "*"])]}),
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/1/nsg",
        json!("nsg-pe"),
    );
    assert_eq!(
        tcp(&engine(&design), "ci", "wsstorage", 443).verdict,
        Verdict::Allowed
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/1/private_endpoint_network_policies",
        json!("NetworkSecurityGroupEnabled"),
    );
    expect_decided(
        &tcp(&engine(&design), "ci", "wsstorage", 443),
        Verdict::Blocked,
        Step::NsgInbound,
        "DenyTraining",
    );
}

#[test]
fn workspace_public_access_disabled_needs_its_endpoint() {
    let mut design = base();
    set(
        &mut design,
        "/workspaces/0/public_network_access",
        json!("Disabled"),
    );
    expect_decided(
        &tcp(&engine(&design), "ci", "ws", 443),
        Verdict::Blocked,
        Step::WorkspaceAccess,
        "publicNetworkAccess: Disabled",
    );
    set(
        &mut design,
        "/private_endpoints",
        json!([{"name": "pe-ws", "subnet": "vnet/pe", "private_ip": "10.0.2.5", "target": "ws", "sub_resource": "amlworkspace", "dns_zones": ["privatelink.api.azureml.ms"]}]),
    );
    set(
        &mut design,
        "/private_dns_zones",
        json!([{"name": "privatelink.api.azureml.ms", "vnet_links": ["vnet"]}]),
    );
    expect(
        &tcp(&engine(&design), "ci", "ws", 443),
        Verdict::Allowed,
        Step::WorkspaceAccess,
        "private endpoint",
    );
}

#[test]
fn us_government_names_use_the_government_zones() {
    let mut design = private_storage(true);
    set(&mut design, "/cloud", json!("us_government"));
    set(
        &mut design,
        "/virtual_networks/0/region",
        json!("usgovvirginia"),
    );
    set(
        &mut design,
        "/private_endpoints/0/dns_zones",
        json!(["privatelink.blob.core.usgovcloudapi.net"]),
    );
    set(
        &mut design,
        "/private_dns_zones/0/name",
        json!("privatelink.blob.core.usgovcloudapi.net"),
    );
    let trace = tcp(
        &engine(&design),
        "ci",
        "wsstorage.blob.core.usgovcloudapi.net",
        443,
    );
    expect(
        &trace,
        Verdict::Allowed,
        Step::StorageFirewall,
        "private endpoint",
    );
}
