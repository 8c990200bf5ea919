//! Azure Firewall: DNAT → network → application whatever the priorities, group and parent
//! order, application rules only for HTTP(S)/MSSQL with SNI, wildcards, IP groups, default
//! deny, and the firewall subnet's own routes and endpoints after the firewall.

use serde_json::{json, Value};
use vnetlab::engine::{Step, Verdict};
use vnetlab::model::Protocol;

use super::support::{
    base, engine, expect, expect_decided, expect_stopped_at, push, set, tcp, trace,
};

/// The base design with all training traffic forced through firewall `fw` using `policy`.
pub(super) fn forced_through(policy: Value) -> Value {
    let mut design = base();
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/route_table",
        json!("rt"),
    );
    set(
        &mut design,
        "/route_tables",
        json!([{"name": "rt", "routes": [{"name": "default-to-fw", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.0.3.4"}]}]),
    );
    set(
        &mut design,
        "/firewalls",
        json!([{"name": "fw", "subnet": "vnet/AzureFirewallSubnet", "private_ip": "10.0.3.4", "public_ip": "20.0.0.1", "policy": "policy"}]),
    );
    let mut policy = policy;
    policy["name"] = json!("policy");
    set(&mut design, "/firewall_policies", json!([policy]));
    design
}

pub(super) fn group(name: &str, priority: u32, collections: Value) -> Value {
    json!({"name": name, "priority": priority, "rule_collections": collections})
}

pub(super) fn network(name: &str, priority: u32, action: &str, rules: Value) -> Value {
    json!({"type": "network", "name": name, "priority": priority, "action": action, "rules": rules})
}

pub(super) fn application(name: &str, priority: u32, action: &str, rules: Value) -> Value {
    json!({"type": "application", "name": name, "priority": priority, "action": action, "rules": rules})
}

pub(super) fn https_rule(name: &str, fqdns: &[&str]) -> Value {
    json!({"name": name, "sources": ["10.0.0.0/16"], "protocols": [{"protocol": "https", "port": 443}], "target_fqdns": fqdns})
}

#[test]
fn network_rules_run_before_application_rules_whatever_the_priorities() {
    let design = forced_through(json!({"rule_collection_groups": [group("g", 100, json!([
        application("deny-pypi", 100, "Deny", json!([https_rule("deny-pypi", &["pypi.org"])])),
        network("allow-web", 65000, "Allow", json!([{"name": "web", "protocols": ["Tcp"], "sources": ["*"], "destinations": ["*"], "destination_ports": ["443"]}]))
    ]))]}));
    expect_decided(
        &tcp(&engine(&design), "ci", "pypi.org", 443),
        Verdict::Allowed,
        Step::FirewallNetwork,
        "web",
    );
}

#[test]
fn application_rules_match_sni_with_wildcards_and_need_a_name() {
    let design = forced_through(json!({"rule_collection_groups": [group("g", 100, json!([
        application("packages", 200, "Allow", json!([https_rule("pypi", &["pypi.org", "*.pythonhosted.org"])]))
    ]))]}));
    let engine = engine(&design);
    expect(
        &tcp(&engine, "ci", "pypi.org", 443),
        Verdict::Allowed,
        Step::FirewallApplication,
        "pypi",
    );
    expect(
        &tcp(&engine, "ci", "files.pythonhosted.org", 443),
        Verdict::Allowed,
        Step::FirewallApplication,
        "pypi",
    );
    let by_address = tcp(&engine, "ci", "203.0.113.10", 443);
    expect_decided(
        &by_address,
        Verdict::Blocked,
        Step::FirewallDefault,
        "default deny",
    );
    assert!(by_address.reason.contains("SNI"), "{}", by_address.reason);
    // Wrong port, and UDP: application rules never apply.
    expect_decided(
        &tcp(&engine, "ci", "pypi.org", 8443),
        Verdict::Blocked,
        Step::FirewallDefault,
        "default deny",
    );
    let udp = trace(&engine, "ci", "pypi.org", Protocol::Udp, Some(443));
    expect_decided(
        &udp,
        Verdict::Blocked,
        Step::FirewallDefault,
        "default deny",
    );
}

#[test]
fn groups_run_by_priority_and_parent_policies_first() {
    let child_allow = group(
        "child-group",
        100,
        json!([network(
            "allow",
            100,
            "Allow",
            json!([{"name": "allow-all", "protocols": ["Any"], "sources": ["*"], "destinations": ["*"], "destination_ports": ["*"]}])
        )]),
    );
    let deny = |group_name: &str, priority| {
        group(
            group_name,
            priority,
            json!([network(
                "deny",
                100,
                "Deny",
                json!([{"name": "deny-internet-host", "protocols": ["Any"], "sources": ["*"], "destinations": ["203.0.113.10"], "destination_ports": ["*"]}])
            )]),
        )
    };
    // Same policy: group priority decides.
    let design = forced_through(
        json!({"rule_collection_groups": [child_allow.clone(), deny("later", 500)]}),
    );
    expect(
        &tcp(&engine(&design), "ci", "internet-host", 443),
        Verdict::Allowed,
        Step::FirewallNetwork,
        "allow-all",
    );
    // A parent's groups always come first, whatever the priorities.
    let mut design =
        forced_through(json!({"parent": "base-policy", "rule_collection_groups": [child_allow]}));
    push(
        &mut design,
        "/firewall_policies",
        json!({"name": "base-policy", "rule_collection_groups": [deny("parent-group", 60000)]}),
    );
    expect_decided(
        &tcp(&engine(&design), "ci", "internet-host", 443),
        Verdict::Blocked,
        Step::FirewallNetwork,
        "deny-internet-host",
    );
}

#[test]
fn ip_groups_and_service_tags_in_network_rules() {
    let mut design = forced_through(json!({"rule_collection_groups": [group("g", 100, json!([
        network("aml", 100, "Allow", json!([
            {"name": "aml-udp", "protocols": ["Udp"], "source_ip_groups": ["training"], "destinations": ["AzureMachineLearning"], "destination_ports": ["5831"]}
        ]))
    ]))]}));
    set(
        &mut design,
        "/ip_groups",
        json!([{"name": "training", "prefixes": ["10.0.1.0/24"]}]),
    );
    let engine = engine(&design);
    expect(
        &trace(&engine, "ci", "aml", Protocol::Udp, Some(5831)),
        Verdict::Allowed,
        Step::FirewallNetwork,
        "aml-udp",
    );
    expect_decided(
        &trace(&engine, "ci", "entra", Protocol::Udp, Some(5831)),
        Verdict::Blocked,
        Step::FirewallDefault,
        "default deny",
    );
}

#[test]
fn virtual_tags_are_rejected_in_firewall_rules() {
    let design = forced_through(json!({"rule_collection_groups": [group("g", 100, json!([
        network("bad", 100, "Allow", json!([{"name": "internet", "protocols": ["Tcp"], "sources": ["*"], "destinations": ["Internet"], "destination_ports": ["443"]}]))
    ]))]}));
    let engine = engine(&design);
    assert!(
        engine
            .diagnostics()
            .iter()
            .any(|d| d.is_error() && d.message.contains("NSG-only")),
        "{:?}",
        engine.diagnostics()
    );
    assert_eq!(
        tcp(&engine, "ci", "internet-host", 443).verdict,
        Verdict::Unsupported
    );
}

#[test]
fn dnat_translates_inbound_to_the_firewall_public_ip() {
    let mut design = forced_through(json!({"rule_collection_groups": [group("dnat", 100, json!([
        {"type": "nat", "name": "ssh-in", "priority": 100, "rules": [{"name": "ssh-to-vm2", "protocols": ["Tcp"], "sources": ["*"], "destination_address": "20.0.0.1", "destination_ports": ["2222"], "translated_address": "10.0.1.5", "translated_port": 22}]}
    ]))]}));
    set(
        &mut design,
        "/network_security_groups/0/rules",
        json!([{"name": "ssh-from-fw", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "source": ["10.0.3.0/26"], "destination_ports": ["22"]}]),
    );
    let engine = engine(&design);
    let trace = tcp(&engine, "internet-host", "20.0.0.1", 2222);
    expect(&trace, Verdict::Allowed, Step::FirewallDnat, "ssh-to-vm2");
    expect_stopped_at(
        &tcp(&engine, "internet-host", "20.0.0.1", 3389),
        Verdict::Blocked,
        Step::FirewallDnat,
    );
}

#[test]
fn after_the_firewall_its_subnet_endpoints_apply_not_the_sources_policy() {
    // Compute subnet: storage endpoint + policy (workspace storage only), but the Storage route
    // goes to the firewall; the firewall subnet has its own storage endpoint and no policy.
    let mut design = forced_through(json!({"rule_collection_groups": [group("g", 100, json!([
        network("storage", 100, "Allow", json!([{"name": "storage-443", "protocols": ["Tcp"], "sources": ["*"], "destinations": ["Storage.EastUS"], "destination_ports": ["443"]}]))
    ]))]}));
    set(
        &mut design,
        "/options",
        json!({"service_endpoint_beats_udr": false}),
    );
    push(
        &mut design,
        "/route_tables/0/routes",
        json!({"name": "storage-to-fw", "address_prefix": "Storage.EastUS", "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.0.3.4"}),
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/service_endpoints",
        json!(["Microsoft.Storage"]),
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/service_endpoint_policies",
        json!(["sep"]),
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/2/service_endpoints",
        json!(["Microsoft.Storage"]),
    );
    set(
        &mut design,
        "/service_endpoint_policies",
        json!([{"name": "sep", "definitions": [{"name": "ws", "service": "Microsoft.Storage", "service_resources": ["wsstorage"]}]}]),
    );
    let trace = tcp(&engine(&design), "ci", "roguestorage", 443);
    assert_eq!(
        trace.verdict,
        Verdict::Allowed,
        "exfiltration through the firewall: {}",
        trace.reason
    );
    let endpoint_hop = trace
        .hops
        .iter()
        .find(|h| h.step == Step::ServiceEndpoint)
        .expect("service endpoint hop");
    assert_eq!(endpoint_hop.element, "vnet/AzureFirewallSubnet");
    assert!(!trace
        .hops
        .iter()
        .any(|h| h.step == Step::Sep && h.outcome == vnetlab::engine::Outcome::Deny));
}

#[test]
fn dnat_is_a_final_allow_unless_legacy_semantics_are_chosen() {
    let mut design = forced_through(json!({"rule_collection_groups": [
        group("dnat", 100, json!([
            {"type": "nat", "name": "ssh-in", "priority": 100, "rules": [{"name": "ssh-to-vm2", "protocols": ["Tcp"], "sources": ["*"], "destination_address": "20.0.0.1", "destination_ports": ["2222"], "translated_address": "10.0.1.5", "translated_port": 22}]}
        ])),
        group("network", 200, json!([network("deny-vm2", 100, "Deny", json!([{"name": "deny-vm2-ssh", "protocols": ["Tcp"], "sources": ["*"], "destinations": ["10.0.1.5"], "destination_ports": ["22"]}]))]))
    ]}));
    set(
        &mut design,
        "/network_security_groups/0/rules",
        json!([{"name": "ssh-from-fw", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "source": ["10.0.3.0/26"], "destination_ports": ["22"]}]),
    );
    let allowed = tcp(&engine(&design), "internet-host", "20.0.0.1", 2222);
    expect(&allowed, Verdict::Allowed, Step::FirewallDnat, "ssh-to-vm2");
    // Issue 12 defect 7: the trace names the network rule the DNAT match bypasses.
    assert!(
        allowed.hops.iter().any(|h| h.step == Step::FirewallNetwork
            && h.rule.as_ref().is_some_and(|r| r.name == "deny-vm2-ssh")
            && h.reason.contains("DNAT match is final")),
        "{:?}",
        allowed.hops
    );
    assert_eq!(
        allowed
            .decided_by
            .as_ref()
            .and_then(|h| h.rule.as_ref())
            .map(|r| r.name.as_str()),
        Some("ssh-to-vm2"),
        "the DNAT rule still decides"
    );
    set(
        &mut design,
        "/options",
        json!({"dnat_network_deny_applies": true}),
    );
    expect_decided(
        &tcp(&engine(&design), "internet-host", "20.0.0.1", 2222),
        Verdict::Blocked,
        Step::FirewallNetwork,
        "deny-vm2-ssh",
    );
}

#[test]
fn fqdn_tags_match_their_known_fqdns_and_unknown_tags_are_unsupported() {
    let rule = |tags: &[&str]| json!({"name": "tagged", "sources": ["*"], "protocols": [{"protocol": "https", "port": 443}], "fqdn_tags": tags});
    let design = forced_through(
        json!({"rule_collection_groups": [group("g", 100, json!([application("tags", 100, "Allow", json!([rule(&["AzureKubernetesService"])]))]))]}),
    );
    let mut with_mcr = design.clone();
    push(
        &mut with_mcr,
        "/external_hosts",
        json!({"name": "mcr", "kind": "internet", "ip": "204.79.197.219", "fqdns": ["mcr.microsoft.com"]}),
    );
    expect(
        &tcp(&engine(&with_mcr), "ci", "mcr.microsoft.com", 443),
        Verdict::Allowed,
        Step::FirewallApplication,
        "tagged",
    );
    expect_decided(
        &tcp(&engine(&design), "ci", "pypi.org", 443),
        Verdict::Blocked,
        Step::FirewallDefault,
        "default deny",
    );
    let unknown = forced_through(
        json!({"rule_collection_groups": [group("g", 100, json!([application("tags", 100, "Allow", json!([rule(&["NotARealTag"])]))]))]}),
    );
    let engine = engine(&unknown);
    assert!(engine
        .diagnostics()
        .iter()
        .any(|d| d.message.contains("NotARealTag")));
    assert_eq!(
        tcp(&engine, "ci", "pypi.org", 443).verdict,
        Verdict::Unsupported
    );
}
