//! Load balancers (issue 12): an internal load balancer's frontend as the `VirtualAppliance`
//! next hop of highly available NVAs, its health probes from 168.63.129.16, and a public load
//! balancer's outbound rules as an egress identity. Each table cites the Microsoft Learn page
//! whose rule it asserts.

use serde_json::{json, Value};
use vnetlab::engine::{Step, Verdict};
use vnetlab::model::Protocol;

use super::hub_spoke::hub_spoke;
use super::load_balancer_validation::diagnostics;
use super::support::{engine, expect_decided, nsg_rule, push, set, tcp, trace};

/// The hub-spoke design whose spoke routes 0.0.0.0/0 to 10.1.1.10, the frontend `fe` of the
/// internal load balancer `ilb` in `hub/nva`; its pool `nvas` holds `nva` (10.1.1.4) and `nva2`
/// (10.1.1.5), both forwarding; `rules` are its load-balancing rules, probe `ssh` is TCP 22.
pub(super) fn ilb_design(rules: Value) -> Value {
    let mut design = hub_spoke("10.1.1.10");
    set(
        &mut design,
        "/peerings",
        json!([
            {"name": "spoke-to-hub", "local_vnet": "vnet", "remote_vnet": "hub", "allow_forwarded_traffic": true},
            {"name": "hub-to-spoke", "local_vnet": "hub", "remote_vnet": "vnet", "allow_forwarded_traffic": true}
        ]),
    );
    push(
        &mut design,
        "/computes",
        json!({"name": "nva2", "kind": "network_virtual_appliance",
               "nic": {"subnet": "hub/nva", "private_ip": "10.1.1.5", "public_ip": "20.0.0.10", "ip_forwarding": true}}),
    );
    set(
        &mut design,
        "/load_balancers",
        json!([{"name": "ilb",
            "frontends": [{"name": "fe", "subnet": "hub/nva", "private_ip": "10.1.1.10"}],
            "backend_pools": [{"name": "nvas", "members": ["nva2", "nva"]}],
            "probes": [{"name": "ssh", "protocol": "Tcp", "port": 22}],
            "rules": rules}]),
    );
    design
}

pub(super) fn ha_ports() -> Value {
    json!([{"name": "ha", "frontend": "fe", "backend_pool": "nvas", "protocol": "All",
            "frontend_port": 0, "backend_port": 0, "probe": "ssh"}])
}

/// Puts NSG `name` with `rules` on the NIC of compute `compute` (index in the design).
pub(super) fn nic_nsg(design: &mut Value, compute: usize, name: &str, rules: Value) {
    push(
        design,
        "/network_security_groups",
        json!({"name": name, "rules": rules}),
    );
    set(design, &format!("/computes/{compute}/nic/nsg"), json!(name));
}

pub(super) const DENY_PROBE: fn() -> Value = || {
    json!([nsg_rule(
        "deny-probe",
        100,
        "Inbound",
        "Deny",
        "*",
        ["AzureLoadBalancer", "*", "*"]
    )])
};

/// The load balancer hop that forwarded the flow.
pub(super) fn forwarded_to(trace: &vnetlab::engine::Trace) -> String {
    trace
        .hops
        .iter()
        .find(|h| h.step == Step::LoadBalancer && h.reason.contains("forwards to"))
        .map(|h| h.reason.clone())
        .unwrap_or_else(|| panic!("no forwarding hop; reason: {}", trace.reason))
}

/// Microsoft Learn, "High availability ports overview": an HA ports rule (protocol All, ports
/// 0) "balances all TCP and UDP flows, regardless of port number"; "Deploy highly available
/// NVAs": a UDR to the internal load balancer's frontend sends traffic to the healthy NVAs.
/// "Azure Load Balancer health probes": probes come from 168.63.129.16 and must not be blocked
/// for an instance to be up; an instance whose probe fails gets no new flows.
#[test]
fn ilb_next_hop_forwards_to_a_healthy_nva_ha_ports_overview_and_health_probes() {
    /// (probe-blocking NSG on nva, on nva2, protocol, port, verdict, backend chosen or the
    /// text of the drop)
    type Case = (bool, bool, Protocol, u16, Verdict, &'static str);
    let cases: [Case; 6] = [
        (
            false,
            false,
            Protocol::Tcp,
            443,
            Verdict::Allowed,
            "backend nva of",
        ),
        (
            false,
            false,
            Protocol::Udp,
            53,
            Verdict::Allowed,
            "backend nva of",
        ),
        (
            true,
            false,
            Protocol::Tcp,
            443,
            Verdict::Allowed,
            "backend nva2 of",
        ),
        (
            false,
            true,
            Protocol::Tcp,
            8080,
            Verdict::Allowed,
            "backend nva of",
        ),
        (
            true,
            true,
            Protocol::Tcp,
            443,
            Verdict::NoRoute,
            "no healthy backend",
        ),
        (
            false,
            false,
            Protocol::Icmp,
            0,
            Verdict::NoRoute,
            "no load-balancing rule for icmp",
        ),
    ];
    for (block_nva, block_nva2, protocol, port, verdict, text) in cases {
        let mut design = ilb_design(ha_ports());
        if block_nva {
            nic_nsg(&mut design, 2, "nsg-nva", DENY_PROBE());
        }
        if block_nva2 {
            nic_nsg(&mut design, 3, "nsg-nva2", DENY_PROBE());
        }
        let port = (protocol != Protocol::Icmp).then_some(port);
        let trace = trace(&engine(&design), "ci", "internet-host", protocol, port);
        let case = format!("{block_nva}/{block_nva2} {protocol} {port:?}");
        assert_eq!(trace.verdict, verdict, "{case}: {}", trace.reason);
        if verdict == Verdict::Allowed {
            assert!(
                forwarded_to(&trace).contains(text),
                "{case}: {}",
                forwarded_to(&trace)
            );
            let lb_hop = trace
                .hops
                .iter()
                .find(|h| h.step == Step::LoadBalancer && h.rule.is_some())
                .expect("rule hop");
            assert_eq!(
                lb_hop
                    .rule
                    .as_ref()
                    .map(|r| (r.name.as_str(), r.container.as_str())),
                Some(("ha", "ilb"))
            );
        } else {
            let decided = trace.decided_by.as_ref().expect("deciding hop");
            assert_eq!(decided.step, Step::LoadBalancer, "{case}");
            assert!(trace.reason.contains(text), "{case}: {}", trace.reason);
        }
    }
}

/// "Azure Load Balancer health probes": the probe is blocked by the NSG rule that denies
/// AzureLoadBalancer, and the trace says so, naming the rule and the NSG, so a fix can find it.
#[test]
fn a_blocked_probe_names_the_nsg_rule_and_drops_the_flow_health_probes() {
    let mut design = ilb_design(ha_ports());
    nic_nsg(&mut design, 2, "nsg-nva", DENY_PROBE());
    set(&mut design, "/computes/3/nic/nsg", json!("nsg-nva"));
    let trace = tcp(&engine(&design), "ci", "internet-host", 443);
    expect_decided(&trace, Verdict::NoRoute, Step::LoadBalancer, "ha");
    assert!(
        trace.reason.contains("blocked by nsg-nva rule deny-probe"),
        "{}",
        trace.reason
    );
    assert!(trace.hops.iter().any(|h| h.step == Step::NsgInbound
        && h.element == "nsg-nva"
        && h.rule.as_ref().is_some_and(|r| r.name == "deny-probe")));
    // The verdict-only walk agrees.
    let flow = trace.flow.clone();
    assert_eq!(
        engine(&design).verdict(&flow).map(|v| v.verdict),
        Ok(Verdict::NoRoute)
    );
}

/// "Network security groups" (service tags): AzureLoadBalancer is the health probe's source
/// only; client traffic through a load balancer keeps the client's address, so an NVA NSG that
/// lets in only AzureLoadBalancer keeps the NVA healthy and still blocks the client.
#[test]
fn client_traffic_through_the_ilb_is_not_azure_load_balancer_nsg_service_tags() {
    let mut design = ilb_design(ha_ports());
    let only_probes = json!([
        nsg_rule(
            "allow-probe",
            100,
            "Inbound",
            "Allow",
            "*",
            ["AzureLoadBalancer", "*", "*"]
        ),
        nsg_rule("deny-rest", 200, "Inbound", "Deny", "*", ["*", "*", "*"])
    ]);
    nic_nsg(&mut design, 2, "nsg-nva", only_probes);
    set(&mut design, "/computes/3/nic/nsg", json!("nsg-nva"));
    let trace = tcp(&engine(&design), "ci", "internet-host", 443);
    expect_decided(&trace, Verdict::Blocked, Step::NsgInbound, "deny-rest");
    assert!(forwarded_to(&trace).contains("the source stays 10.0.1.4"));
}

/// "High availability ports overview" / "Azure Load Balancer components": a rule that is not
/// HA ports takes only its protocol and frontend port; other flows routed to the frontend are
/// dropped. A rule without a probe takes every member as healthy.
#[test]
fn a_port_rule_takes_only_its_protocol_and_port_load_balancer_components() {
    let web = json!([{"name": "web", "frontend": "fe", "backend_pool": "nvas", "protocol": "Tcp",
                      "frontend_port": 443, "backend_port": 443}]);
    let cases: [(Protocol, u16, Verdict); 3] = [
        (Protocol::Tcp, 443, Verdict::Allowed),
        (Protocol::Tcp, 80, Verdict::NoRoute),
        (Protocol::Udp, 443, Verdict::NoRoute),
    ];
    for (protocol, port, verdict) in cases {
        let mut design = ilb_design(web.clone());
        let mut rules = DENY_PROBE();
        rules.as_array_mut().expect("rules").push(nsg_rule(
            "allow-rest",
            200,
            "Inbound",
            "Allow",
            "*",
            ["*", "*", "*"],
        ));
        nic_nsg(&mut design, 2, "nsg-nva", rules);
        let trace = trace(
            &engine(&design),
            "ci",
            "internet-host",
            protocol,
            Some(port),
        );
        assert_eq!(
            trace.verdict, verdict,
            "{protocol} {port}: {}",
            trace.reason
        );
        if verdict == Verdict::Allowed {
            // No probe: nva counts as healthy although its NSG denies AzureLoadBalancer.
            assert!(forwarded_to(&trace).contains("backend nva of"));
            assert_eq!(
                trace.alike_ports.map(|p| (p.first, p.last)),
                Some((443, 443))
            );
        } else {
            assert_eq!(
                trace.decided_by.as_ref().map(|h| h.step),
                Some(Step::LoadBalancer)
            );
            assert!(
                trace.reason.contains("no load-balancing rule"),
                "{}",
                trace.reason
            );
        }
    }
}

/// "Virtual network traffic routing": the frontend is a next hop like any other and needs
/// direct connectivity; after the load balancer the chosen NVA's SNAT setting decides what
/// the destination sees (issue 12, NVA behaviour).
#[test]
fn the_frontend_needs_a_peering_and_the_nva_snat_applies_udr_overview() {
    let mut design = ilb_design(ha_ports());
    set(&mut design, "/peerings", json!([]));
    let trace = tcp(&engine(&design), "ci", "internet-host", 443);
    assert_eq!(trace.verdict, Verdict::NoRoute, "{}", trace.reason);
    assert!(trace.reason.contains("not peered"), "{}", trace.reason);

    let mut design = ilb_design(ha_ports());
    set(&mut design, "/computes/2/nic/snat", json!(true));
    let trace = tcp(&engine(&design), "ci", "internet-host", 443);
    assert_eq!(trace.verdict, Verdict::Allowed, "{}", trace.reason);
    assert!(trace
        .hops
        .iter()
        .any(|h| h.step == Step::Appliance && h.element == "nva" && h.reason.contains("SNAT")));
}

/// The spoke `training` subnet without default outbound access, with VM `vm2` in the pool of
/// the public load balancer `plb` (frontend public IP 52.0.0.1) and its outbound rule `out`.
pub(super) fn outbound_design(protocol: &str) -> Value {
    let mut design = super::support::base();
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/default_outbound_access",
        json!(false),
    );
    set(
        &mut design,
        "/load_balancers",
        json!([{"name": "plb",
            "frontends": [{"name": "pip", "public_ip": "52.0.0.1"}],
            "backend_pools": [{"name": "vms", "members": ["vm2"]}],
            "outbound_rules": [{"name": "out", "frontends": ["pip"], "backend_pool": "vms", "protocol": protocol}]}]),
    );
    design
}

/// "Outbound rules Azure Load Balancer": outbound rules give the backend pool the frontends'
/// public IPs, only when the VM has no instance-level public IP; "Default outbound access in
/// Azure": a VM in the pool of a standard load balancer with outbound rules has explicit
/// outbound connectivity (no default outbound access); a NAT gateway takes precedence
/// ("Source Network Address Translation (SNAT) for outbound connections").
#[test]
fn outbound_rules_give_the_pool_an_egress_identity_outbound_rules() {
    /// (outbound rule protocol, flow protocol, extra setup, verdict, identity in the egress hop,
    /// the outbound rule named there)
    type Case = (
        &'static str,
        Protocol,
        fn(&mut Value),
        Verdict,
        &'static str,
        Option<&'static str>,
    );
    let nothing: fn(&mut Value) = |_| {};
    let instance_ip: fn(&mut Value) = |d| set(d, "/computes/1/nic/public_ip", json!("20.9.9.9"));
    let nat: fn(&mut Value) = |d| {
        set(
            d,
            "/virtual_networks/0/subnets/0/nat_gateway_ip",
            json!("20.8.8.8"),
        )
    };
    let default_on: fn(&mut Value) = |d| {
        set(
            d,
            "/virtual_networks/0/subnets/0/default_outbound_access",
            json!(true),
        )
    };
    let cases: [Case; 6] = [
        (
            "All",
            Protocol::Tcp,
            nothing,
            Verdict::Allowed,
            "public IP 52.0.0.1 of load balancer plb",
            Some("out"),
        ),
        (
            "Tcp",
            Protocol::Tcp,
            nothing,
            Verdict::Allowed,
            "public IP 52.0.0.1",
            Some("out"),
        ),
        ("Tcp", Protocol::Udp, default_on, Verdict::NoRoute, "", None),
        (
            "All",
            Protocol::Tcp,
            instance_ip,
            Verdict::Allowed,
            "public IP 20.9.9.9",
            None,
        ),
        (
            "All",
            Protocol::Tcp,
            nat,
            Verdict::Allowed,
            "public IP 20.8.8.8",
            None,
        ),
        (
            "Udp",
            Protocol::Udp,
            nothing,
            Verdict::Allowed,
            "public IP 52.0.0.1",
            Some("out"),
        ),
    ];
    for (rule_protocol, protocol, setup, verdict, identity, rule) in cases {
        let mut design = outbound_design(rule_protocol);
        setup(&mut design);
        let trace = trace(
            &engine(&design),
            "vm2",
            "internet-host",
            protocol,
            Some(443),
        );
        let case = format!("{rule_protocol} {protocol}");
        assert_eq!(trace.verdict, verdict, "{case}: {}", trace.reason);
        let egress = trace
            .hops
            .iter()
            .find(|h| h.step == Step::InternetEgress)
            .expect("egress hop");
        assert!(
            egress.reason.contains(identity),
            "{case}: {}",
            egress.reason
        );
        assert_eq!(
            egress.rule.as_ref().map(|r| r.name.as_str()),
            rule,
            "{case}"
        );
    }
    // The same VM outside the pool has no path from a subnet without default outbound access.
    let mut design = outbound_design("All");
    set(
        &mut design,
        "/load_balancers/0/backend_pools/0/members",
        json!([]),
    );
    let trace = tcp(&engine(&design), "vm2", "internet-host", 443);
    assert_eq!(trace.verdict, Verdict::NoRoute, "{}", trace.reason);
}

/// "Azure Load Balancer components" (load-balancing rules map a frontend IP and port to the
/// backend instances' IP and port) and `azure-semantics.md` §1 ("for load-balanced VMs, the
/// source is the originating client, not the load balancer. The destination is the VM's IP and
/// port, not the frontend"): a client addressing the frontend reaches the chosen backend at its
/// backend port, through the backend's NSGs, still as itself.
#[test]
fn a_client_addressing_the_frontend_reaches_the_backend_port_load_balancer_components() {
    let web = json!([{"name": "web", "frontend": "fe", "backend_pool": "nvas", "protocol": "Tcp",
                      "frontend_port": 443, "backend_port": 8443, "probe": "ssh"}]);
    let backend_nsg = |deny_8443: bool| {
        json!([
            nsg_rule(
                "web",
                100,
                "Inbound",
                if deny_8443 { "Deny" } else { "Allow" },
                "Tcp",
                ["10.0.1.0/24", "*", "8443"]
            ),
            nsg_rule("deny-443", 110, "Inbound", "Deny", "Tcp", ["*", "*", "443"])
        ])
    };
    /// (deny the backend port, destination, port, verdict, deciding step and rule)
    type Case = (bool, &'static str, u16, Verdict, Step, Option<&'static str>);
    let cases: [Case; 5] = [
        (
            false,
            "10.1.1.10",
            443,
            Verdict::Allowed,
            Step::NsgInbound,
            Some("web"),
        ),
        (
            false,
            "ilb",
            443,
            Verdict::Allowed,
            Step::NsgInbound,
            Some("web"),
        ),
        (
            true,
            "10.1.1.10",
            443,
            Verdict::Blocked,
            Step::NsgInbound,
            Some("web"),
        ),
        (
            false,
            "10.1.1.10",
            80,
            Verdict::NoRoute,
            Step::LoadBalancer,
            None,
        ),
        (
            false,
            "10.1.1.10",
            8443,
            Verdict::NoRoute,
            Step::LoadBalancer,
            None,
        ),
    ];
    for (deny, to, port, verdict, step, rule) in cases {
        let mut design = ilb_design(web.clone());
        nic_nsg(&mut design, 2, "nsg-nva", backend_nsg(deny));
        let trace = tcp(&engine(&design), "ci", to, port);
        let case = format!("{deny} {to}:{port}");
        assert_eq!(trace.verdict, verdict, "{case}: {}", trace.reason);
        let decided = trace.decided_by.as_ref().expect("deciding hop");
        assert_eq!(decided.step, step, "{case}: {}", trace.reason);
        assert_eq!(
            decided
                .rule
                .as_ref()
                .map(|r| r.name.as_str())
                .filter(|_| rule.is_some()),
            rule,
            "{case}"
        );
        if verdict == Verdict::Allowed {
            assert!(
                forwarded_to(&trace).contains("backend nva of")
                    && forwarded_to(&trace).contains("the source stays 10.0.1.4")
            );
            // The backend's NSG saw the backend port: its rule `web` on 8443 allowed it.
            assert!(trace.hops.iter().any(|h| h.step == Step::NsgInbound
                && h.element == "nsg-nva"
                && h.rule.as_ref().is_some_and(|r| r.name == "web")));
            assert_eq!(
                trace.alike_ports.map(|p| (p.first, p.last)),
                Some((443, 443))
            );
        }
    }
}

/// Inbound load balancing through a public load balancer is not modelled: a flow to its
/// frontend says so instead of treating the address as an unknown internet host; a load
/// balancer starts no flow.
#[test]
fn a_public_frontend_is_unsupported_and_a_load_balancer_is_no_source() {
    let design = outbound_design("All");
    let trace = tcp(&engine(&design), "vm2", "plb", 443);
    assert_eq!(trace.verdict, Verdict::Unsupported, "{}", trace.reason);
    assert_eq!(
        trace.decided_by.as_ref().map(|h| h.step),
        Some(Step::LoadBalancer)
    );
    assert!(
        trace.reason.contains("public load balancer plb"),
        "{}",
        trace.reason
    );
    let flow = vnetlab::engine::Flow::new(
        vnetlab::engine::FlowSource::Element("plb".into()),
        vnetlab::engine::FlowTarget::Element("vm2".into()),
        Protocol::Tcp,
        Some(22),
    );
    let error = engine(&design).trace(&flow).expect_err("not a source");
    assert!(error.to_string().contains("starts none"), "{error}");
}

/// The fixture `tests/fixtures/load-balancers.json` (also fuzzed): the spoke's internet traffic
/// goes through the internal load balancer to `nva2`, because `nva1`'s NSG blocks the probe;
/// `nva2` source-NATs it to its public IP; the worker leaves through the public load balancer's
/// outbound rule ("Deploy highly available NVAs", "Outbound rules Azure Load Balancer").
#[test]
fn the_load_balancer_fixture_routes_through_the_healthy_nva_deploy_highly_available_nvas() {
    let text = std::fs::read_to_string("tests/fixtures/load-balancers.json").expect("fixture");
    let design: Value = serde_json::from_str(&text).expect("fixture JSON");
    let engine = engine(&design);
    assert!(
        engine.diagnostics().is_empty(),
        "{:#?}",
        engine.diagnostics()
    );
    let through = tcp(&engine, "vm", "pypi", 443);
    assert_eq!(through.verdict, Verdict::Allowed, "{}", through.reason);
    assert!(forwarded_to(&through).contains("backend nva2 of"));
    let egress = through
        .hops
        .iter()
        .find(|h| h.step == Step::InternetEgress)
        .expect("egress");
    assert!(egress.reason.contains("20.0.0.2"), "{}", egress.reason);
    let worker = tcp(&engine, "worker", "pypi", 443);
    let egress = worker
        .hops
        .iter()
        .find(|h| h.step == Step::InternetEgress)
        .expect("egress");
    assert_eq!(
        egress
            .rule
            .as_ref()
            .map(|r| (r.container.as_str(), r.name.as_str())),
        Some(("plb", "egress"))
    );
}

/// Every array of the design reversed, and the load balancers get the same traces: rules,
/// members, frontends and outbound rules are chosen by name, never by position.
#[test]
fn load_balancer_traces_do_not_depend_on_array_order() {
    fn reversed(value: &Value) -> Value {
        match value {
            Value::Array(items) => Value::Array(items.iter().rev().map(reversed).collect()),
            Value::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), reversed(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let text = std::fs::read_to_string("tests/fixtures/load-balancers.json").expect("fixture");
    let mut design: Value = serde_json::from_str(&text).expect("fixture JSON");
    // Two healthy members, two frontends and two outbound frontends, so order could matter.
    set(&mut design, "/network_security_groups", json!([]));
    set(&mut design, "/computes/1/nic/nsg", Value::Null);
    push(
        &mut design,
        "/load_balancers/0/frontends",
        json!({"name": "fe2", "subnet": "hub/nva", "private_ip": "10.1.1.11"}),
    );
    push(
        &mut design,
        "/load_balancers/0/rules",
        json!({"name": "web", "frontend": "fe2", "backend_pool": "nvas", "protocol": "Tcp", "frontend_port": 443, "backend_port": 443, "probe": "ssh"}),
    );
    push(
        &mut design,
        "/load_balancers/1/frontends",
        json!({"name": "pip2", "public_ip": "52.0.0.2"}),
    );
    set(
        &mut design,
        "/load_balancers/1/outbound_rules/0/frontends",
        json!(["pip2", "pip"]),
    );
    let flows = [
        ("vm", "pypi"),
        ("worker", "pypi"),
        ("vm", "ilb"),
        ("vm", "10.1.1.11"),
    ];
    let traces = |design: &Value| -> Vec<String> {
        let engine = engine(design);
        flows
            .iter()
            .map(|(from, to)| serde_json::to_string(&tcp(&engine, from, to, 443)).expect("JSON"))
            .collect()
    };
    let forward = traces(&design);
    assert!(forward[0].contains("backend nva1 of"), "{}", forward[0]);
    assert!(forward[1].contains("52.0.0.1"), "{}", forward[1]);
    assert_eq!(forward, traces(&reversed(&design)));
}

/// `noHealthyBackendsBehavior` (ProbeNoHealthyBackendsBehavior, Azure network REST API
/// 2024-01-01): AllProbedDown (the default) sends no new flow to a pool whose every member is
/// probed down; AllProbedUp sends new flows to all of them, as a last resort.
#[test]
fn all_probed_up_sends_flows_to_a_pool_probed_down_probe_no_healthy_backends_behavior() {
    for (behaviour, verdict) in [
        ("AllProbedDown", Verdict::NoRoute),
        ("AllProbedUp", Verdict::Allowed),
    ] {
        let mut design = ilb_design(ha_ports());
        let mut rules = DENY_PROBE();
        rules.as_array_mut().expect("rules").push(nsg_rule(
            "allow-rest",
            200,
            "Inbound",
            "Allow",
            "*",
            ["*", "*", "*"],
        ));
        nic_nsg(&mut design, 2, "nsg-nva", rules);
        set(&mut design, "/computes/3/nic/nsg", json!("nsg-nva"));
        set(
            &mut design,
            "/load_balancers/0/probes/0/no_healthy_backends",
            json!(behaviour),
        );
        let trace = tcp(&engine(&design), "ci", "internet-host", 443);
        assert_eq!(trace.verdict, verdict, "{behaviour}: {}", trace.reason);
        if verdict == Verdict::Allowed {
            assert!(forwarded_to(&trace).contains("backend nva of"));
            assert!(trace
                .hops
                .iter()
                .any(|h| h.step == Step::LoadBalancer && h.reason.contains("AllProbedUp")));
        }
        let found = diagnostics(&design);
        assert!(
            found
                .iter()
                .any(|(_, p, m)| p == "$.load_balancers[0].rules[0].backend_pool"
                    && m.contains("no healthy member")
                    && m.contains(if verdict == Verdict::Allowed {
                        "AllProbedUp"
                    } else {
                        "forwards nothing"
                    })),
            "{found:#?}"
        );
    }
}
