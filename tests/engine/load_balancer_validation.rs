//! Load balancer diagnostics (issue 12): unknown references inside a load balancer are errors
//! naming the element and JSON path; `validate` warns about routes to a frontend that cannot
//! carry the flow and about pools with no healthy member or with healthy members that differ.
//! Each test cites the Microsoft Learn page whose rule it asserts.

use serde_json::{json, Value};
use vnetlab::engine::Verdict;
use vnetlab::model::{validate, Design, Severity};

use super::load_balancer::{ha_ports, ilb_design, nic_nsg, outbound_design, DENY_PROBE};
use super::support::{engine, push, set, tcp};

/// Every diagnostic of `design` (validation and compilation): severity, path, message.
pub(super) fn diagnostics(design: &Value) -> Vec<(Severity, String, String)> {
    engine(design)
        .diagnostics()
        .iter()
        .map(|d| (d.severity, d.path.clone(), d.message.clone()))
        .collect()
}

/// Unknown references inside a load balancer are errors naming the element and JSON path;
/// HA ports only on internal load balancers ("High availability ports overview"); outbound
/// rules only on public ones ("Outbound rules Azure Load Balancer"); a load balancer is
/// internal or public by its frontends ("Azure Load Balancer components").
#[test]
fn load_balancer_validation_errors_name_the_path() {
    type Case = (fn(&mut Value), &'static str, &'static str);
    let cases: [Case; 8] = [
        (
            |d| set(d, "/load_balancers/0/rules/0/backend_pool", json!("ghost")),
            "$.load_balancers[0].rules[0].backend_pool",
            "backend pool `ghost`",
        ),
        (
            |d| set(d, "/load_balancers/0/rules/0/frontend", json!("ghost")),
            "$.load_balancers[0].rules[0].frontend",
            "frontend `ghost`",
        ),
        (
            |d| set(d, "/load_balancers/0/rules/0/probe", json!("ghost")),
            "$.load_balancers[0].rules[0].probe",
            "probe `ghost`",
        ),
        (
            |d| {
                set(
                    d,
                    "/load_balancers/0/backend_pools/0/members/0",
                    json!("ghost"),
                )
            },
            "$.load_balancers[0].backend_pools[0].members[0]",
            "compute `ghost`",
        ),
        (
            |d| {
                set(
                    d,
                    "/load_balancers/0/frontends/0/subnet",
                    json!("hub/ghost"),
                )
            },
            "$.load_balancers[0].frontends[0].subnet",
            "subnet `hub/ghost`",
        ),
        (
            |d| {
                push(
                    d,
                    "/load_balancers/0/frontends",
                    json!({"name": "pip", "public_ip": "52.0.0.1"}),
                )
            },
            "$.load_balancers[0].frontends",
            "internal (private frontends) or public",
        ),
        (
            |d| {
                set(
                    d,
                    "/load_balancers/0/outbound_rules",
                    json!([{"name": "o", "frontends": ["fe"], "backend_pool": "nvas", "protocol": "All"}]),
                )
            },
            "$.load_balancers[0].outbound_rules[0]",
            "only on public load balancers",
        ),
        (
            |d| set(d, "/load_balancers/0/rules/0/protocol", json!("Tcp")),
            "$.load_balancers[0].rules[0].frontend_port",
            "port 0 is only for an HA ports rule",
        ),
    ];
    for (edit, path, text) in cases {
        let mut design = ilb_design(ha_ports());
        edit(&mut design);
        let parsed: Design = serde_json::from_value(design).expect("parses");
        let found = validate(&parsed);
        assert!(
            found.iter().any(|d| d.severity == Severity::Error
                && d.path == path
                && d.message.contains(text)),
            "{path}: {found:#?}"
        );
    }
    let mut public = outbound_design("All");
    push(
        &mut public,
        "/load_balancers/0/rules",
        json!({"name": "ha", "frontend": "pip", "backend_pool": "vms", "protocol": "All", "frontend_port": 0, "backend_port": 0}),
    );
    let parsed: Design = serde_json::from_value(public).expect("parses");
    assert!(validate(&parsed)
        .iter()
        .any(|d| d.path == "$.load_balancers[0].rules[0].protocol"
            && d.message.contains("only on internal")));
}

/// `validate` warns about a route to a frontend that no HA ports rule serves, and about a pool
/// whose every member's health probe its NSGs block ("Azure Load Balancer health probes").
#[test]
fn load_balancer_warnings_route_without_rule_and_unhealthy_pool() {
    let route_path = "$.route_tables[0].routes[0].next_hop_ip";
    let found = diagnostics(&ilb_design(json!([])));
    assert!(
        found.iter().any(|(s, p, m)| *s == Severity::Warning
            && p == route_path
            && m.contains("which no load-balancing rule uses")),
        "{found:#?}"
    );
    let web = json!([{"name": "web", "frontend": "fe", "backend_pool": "nvas", "protocol": "Tcp", "frontend_port": 443, "backend_port": 443, "probe": "ssh"}]);
    let found = diagnostics(&ilb_design(web));
    assert!(
        found.iter().any(|(s, p, m)| *s == Severity::Warning
            && p == route_path
            && m.contains("no HA ports rule: only Tcp 443")),
        "{found:#?}"
    );
    let healthy = diagnostics(&ilb_design(ha_ports()));
    assert!(
        !healthy
            .iter()
            .any(|(_, p, _)| p.starts_with("$.load_balancers") || p == route_path),
        "{healthy:#?}"
    );

    let mut design = ilb_design(ha_ports());
    nic_nsg(&mut design, 2, "nsg-nva", DENY_PROBE());
    set(&mut design, "/computes/3/nic/nsg", json!("nsg-nva"));
    let found = diagnostics(&design);
    assert!(
        found.iter().any(|(s, p, m)| *s == Severity::Warning
            && p == "$.load_balancers[0].rules[0].backend_pool"
            && m.contains("no healthy member")
            && m.contains("nva, nva2")),
        "{found:#?}"
    );
}

/// "Virtual network traffic routing": a route to a frontend in an unpeered VNet is invalid,
/// and a backend without IP forwarding drops what it would forward; `validate` warns about both
/// at the route.
#[test]
fn validate_warns_about_an_unreachable_frontend_and_backends_without_forwarding() {
    let route_path = "$.route_tables[0].routes[0].next_hop_ip";
    let mut design = ilb_design(ha_ports());
    set(&mut design, "/peerings", json!([]));
    let found = diagnostics(&design);
    assert!(
        found.iter().any(|(s, p, m)| *s == Severity::Warning
            && p == route_path
            && m.contains("next hop 10.1.1.10 (ilb) is unreachable from vnet/training")),
        "{found:#?}"
    );
    let mut design = ilb_design(ha_ports());
    set(&mut design, "/computes/3/nic/ip_forwarding", json!(false));
    let found = diagnostics(&design);
    assert!(
        found.iter().any(|(s, p, m)| *s == Severity::Warning
            && p == route_path
            && m.contains("whose backends nva2 do not have IP forwarding")),
        "{found:#?}"
    );
    // The engine agrees: with nva unhealthy, nva2 is chosen and drops the transit packet.
    set(&mut design, "/computes/2/nic/nsg", json!("nsg-none"));
    push(
        &mut design,
        "/network_security_groups",
        json!({"name": "nsg-none", "rules": DENY_PROBE()}),
    );
    let trace = tcp(&engine(&design), "ci", "internet-host", 443);
    assert_eq!(trace.verdict, Verdict::NoRoute, "{}", trace.reason);
    assert!(
        trace.reason.contains("does not have IP forwarding"),
        "{}",
        trace.reason
    );
}

/// Azure spreads flows over every healthy member ("High availability ports overview": the
/// decision is made per flow on the 5-tuple); a trace follows the first by name, so `validate`
/// warns when the healthy members would not treat a packet alike.
#[test]
fn validate_warns_when_healthy_members_differ_ha_ports_overview() {
    let pool_path = "$.load_balancers[0].rules[0].backend_pool";
    let mut design = ilb_design(ha_ports());
    set(&mut design, "/computes/3/nic/snat", json!(true));
    let found = diagnostics(&design);
    assert!(
        found.iter().any(|(s, p, m)| *s == Severity::Warning
            && p == pool_path
            && m.contains("(nva | nva2)")
            && m.contains("follows only the first by name")),
        "{found:#?}"
    );
    // An unhealthy member never takes a flow: no warning although it differs.
    nic_nsg(&mut design, 3, "nsg-nva2", DENY_PROBE());
    let found = diagnostics(&design);
    assert!(!found.iter().any(|(_, p, _)| p == pool_path), "{found:#?}");
}
