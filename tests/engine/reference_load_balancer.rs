//! Property test: network virtual appliances behind an internal load balancer, with random NSG
//! rules on the appliances' NICs, a random load-balancing rule (HA ports or one TCP port) and
//! health probe (AllProbedDown or AllProbedUp), evaluated by the engine and by a brute-force reference written from the
//! documentation ("High availability ports overview": HA ports take every TCP and UDP flow;
//! "Azure Load Balancer health probes": a backend whose probe from 168.63.129.16 is blocked
//! gets no flow; "Network security groups": first match by priority, then the defaults
//! AllowVnetInBound, AllowAzureLoadBalancerInBound, DenyAllInBound). The flow either routes
//! through the frontend to a destination behind the appliances or addresses the frontend. The
//! engine follows the first healthy backend by name; the reference does the same.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use proptest::prelude::*;
use serde_json::{json, Value};
use vnetlab::engine::{Outcome, Step, Trace, Verdict};
use vnetlab::model::Protocol;

use super::support::{engine, trace};

const CLIENT: Ipv4Addr = Ipv4Addr::new(10, 0, 1, 4);
const PROBE_SOURCE: Ipv4Addr = Ipv4Addr::new(168, 63, 129, 16);
const DESTINATION: Ipv4Addr = Ipv4Addr::new(10, 1, 2, 4);
const NVAS: [(&str, Ipv4Addr); 2] = [
    ("nva-a", Ipv4Addr::new(10, 1, 1, 4)),
    ("nva-b", Ipv4Addr::new(10, 1, 1, 5)),
];
const SOURCES: [&str; 5] = [
    "*",
    "AzureLoadBalancer",
    "VirtualNetwork",
    "10.0.1.0/24",
    "168.63.129.16/32",
];
const PORT_STARTS: [u16; 4] = [22, 441, 443, 445];

#[derive(Debug, Clone)]
struct Rule {
    priority: u32,
    allow: bool,
    protocol: Protocol,
    source: &'static str,
    ports: (u16, u16),
}

fn rule_strategy() -> impl Strategy<Value = Rule> {
    (
        100u32..4096,
        any::<bool>(),
        prop_oneof![
            Just(Protocol::Tcp),
            Just(Protocol::Udp),
            Just(Protocol::Any)
        ],
        0..SOURCES.len(),
        0..PORT_STARTS.len(),
        0u16..3,
    )
        .prop_map(|(priority, allow, protocol, s, p, span)| Rule {
            priority,
            allow,
            protocol,
            source: SOURCES[s],
            ports: (PORT_STARTS[p], PORT_STARTS[p] + span),
        })
}

/// The load-balancing rule: HA ports, or TCP on one port.
#[derive(Debug, Clone, Copy)]
enum LbRule {
    HaPorts,
    Tcp(u16),
}

fn source_matches(entry: &str, ip: Ipv4Addr) -> bool {
    let virtual_network = ["10.0.0.0/16", "10.1.0.0/16", "168.63.129.16/32"];
    match entry {
        "*" => true,
        "AzureLoadBalancer" => ip == PROBE_SOURCE,
        "VirtualNetwork" => virtual_network
            .iter()
            .any(|p| p.parse::<Ipv4Net>().unwrap().contains(&ip)),
        prefix => prefix.parse::<Ipv4Net>().unwrap().contains(&ip),
    }
}

/// The first inbound rule of a NIC NSG (user rules, then the defaults) matching a packet from
/// `source` to a hub address: (allowed, rule name).
fn reference_inbound(
    rules: &[Rule],
    source: Ipv4Addr,
    protocol: Protocol,
    port: u16,
) -> (bool, String) {
    let mut sorted: Vec<(String, &Rule)> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("r{i}"), r))
        .collect();
    sorted.sort_by_key(|(_, r)| r.priority);
    for (name, rule) in sorted {
        let protocol_ok = rule.protocol == Protocol::Any || rule.protocol == protocol;
        if protocol_ok
            && rule.ports.0 <= port
            && port <= rule.ports.1
            && source_matches(rule.source, source)
        {
            return (rule.allow, name);
        }
    }
    // Defaults: the destination is in the hub VNet, so VirtualNetwork matches it.
    if source_matches("VirtualNetwork", source) {
        (true, "AllowVnetInBound".into())
    } else if source == PROBE_SOURCE {
        (true, "AllowAzureLoadBalancerInBound".into())
    } else {
        (false, "DenyAllInBound".into())
    }
}

/// (verdict, the backend chosen, the NSG rule of that backend that decided the flow).
type Reference = (Verdict, Option<&'static str>, Option<String>);

/// The health probe: its port and whether AllProbedUp sends flows to a pool probed down.
type Probe = Option<(u16, bool)>;

fn reference(
    nsgs: &[Vec<Rule>; 2],
    lb_rule: LbRule,
    probe: Probe,
    protocol: Protocol,
    port: u16,
) -> Reference {
    let taken = match lb_rule {
        LbRule::HaPorts => true,
        LbRule::Tcp(p) => protocol == Protocol::Tcp && port == p,
    };
    if !taken {
        return (Verdict::NoRoute, None, None);
    }
    let healthy = |i: usize| {
        probe.is_none_or(|(p, _)| reference_inbound(&nsgs[i], PROBE_SOURCE, Protocol::Tcp, p).0)
    };
    let all_probed_up = probe.is_some_and(|(_, up)| up);
    let chosen = (0..NVAS.len())
        .find(|&i| healthy(i))
        .or(all_probed_up.then_some(0));
    let Some(chosen) = chosen else {
        return (Verdict::NoRoute, None, None);
    };
    let (allowed, rule) = reference_inbound(&nsgs[chosen], CLIENT, protocol, port);
    let verdict = if allowed {
        Verdict::Allowed
    } else {
        Verdict::Blocked
    };
    (verdict, Some(NVAS[chosen].0), Some(rule))
}

fn nsg_json(name: &str, rules: &[Rule]) -> Value {
    let rules: Vec<Value> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({"name": format!("r{i}"), "priority": r.priority, "direction": "Inbound",
               "access": if r.allow { "Allow" } else { "Deny" }, "protocol": r.protocol,
               "source": [r.source], "destination": ["*"],
               "destination_ports": [format!("{}-{}", r.ports.0, r.ports.1)]})
        })
        .collect();
    json!({"name": name, "rules": rules})
}

fn design(nsgs: &[Vec<Rule>; 2], lb_rule: LbRule, probe: Probe) -> Value {
    let (protocol, port) = match lb_rule {
        LbRule::HaPorts => ("All", 0),
        LbRule::Tcp(p) => ("Tcp", p),
    };
    let mut rule = json!({"name": "lbr", "frontend": "fe", "backend_pool": "nvas",
        "protocol": protocol, "frontend_port": port, "backend_port": port});
    if probe.is_some() {
        rule["probe"] = json!("probe");
    }
    let probes: Vec<Value> = probe
        .map(|(p, up)| {
            let behaviour = if up { "AllProbedUp" } else { "AllProbedDown" };
            json!({"name": "probe", "protocol": "Tcp", "port": p, "no_healthy_backends": behaviour})
        })
        .into_iter()
        .collect();
    json!({
        "schema_version": 1, "name": "random-ilb",
        "virtual_networks": [
            {"name": "spoke", "region": "eastus", "address_space": ["10.0.0.0/16"],
             "subnets": [{"name": "a", "prefix": "10.0.1.0/24", "route_table": "rt"}]},
            {"name": "hub", "region": "eastus", "address_space": ["10.1.0.0/16"],
             "subnets": [{"name": "nva", "prefix": "10.1.1.0/24"}, {"name": "dst", "prefix": "10.1.2.0/24"}]}
        ],
        "peerings": [
            {"name": "s-h", "local_vnet": "spoke", "remote_vnet": "hub", "allow_forwarded_traffic": true},
            {"name": "h-s", "local_vnet": "hub", "remote_vnet": "spoke", "allow_forwarded_traffic": true}
        ],
        "network_security_groups": [nsg_json("nsg-a", &nsgs[0]), nsg_json("nsg-b", &nsgs[1])],
        "route_tables": [{"name": "rt", "routes": [{"name": "to-ilb", "address_prefix": "10.1.2.0/24",
            "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.1.1.10"}]}],
        "computes": [
            {"name": "client", "kind": "virtual_machine", "nic": {"subnet": "spoke/a", "private_ip": CLIENT.to_string()}},
            {"name": "nva-b", "kind": "network_virtual_appliance", "nic": {"subnet": "hub/nva", "private_ip": NVAS[1].1.to_string(), "nsg": "nsg-b", "ip_forwarding": true}},
            {"name": "nva-a", "kind": "network_virtual_appliance", "nic": {"subnet": "hub/nva", "private_ip": NVAS[0].1.to_string(), "nsg": "nsg-a", "ip_forwarding": true}},
            {"name": "dst", "kind": "virtual_machine", "nic": {"subnet": "hub/dst", "private_ip": DESTINATION.to_string()}}
        ],
        "load_balancers": [{"name": "ilb",
            "frontends": [{"name": "fe", "subnet": "hub/nva", "private_ip": "10.1.1.10"}],
            "backend_pools": [{"name": "nvas", "members": ["nva-b", "nva-a"]}],
            "probes": probes,
            "rules": [rule]}]
    })
}

/// What the engine's trace says: verdict, backend and the NIC NSG rule that decided the
/// forwarded packet at the chosen appliance.
fn observed(trace: &Trace) -> Reference {
    let backend = trace
        .hops
        .iter()
        .find(|h| h.step == Step::LoadBalancer && h.outcome == Outcome::Forward)
        .and_then(|h| {
            NVAS.iter()
                .map(|(name, _)| *name)
                .find(|name| h.reason.contains(&format!("backend {name} of")))
        });
    let rule = trace
        .hops
        .iter()
        .filter(|h| h.step == Step::NsgInbound && h.outcome != Outcome::Info)
        .find(|h| h.element == "nsg-a" || h.element == "nsg-b")
        .and_then(|h| h.rule.as_ref())
        .map(|r| r.name.clone());
    (trace.verdict, backend, rule)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn engine_agrees_with_the_reference_for_nvas_behind_a_load_balancer(
        nsg_a in proptest::collection::vec(rule_strategy(), 0..5),
        nsg_b in proptest::collection::vec(rule_strategy(), 0..5),
        ha_ports in any::<bool>(),
        lb_port in 442u16..446,
        probe in proptest::option::of((prop_oneof![Just(22u16), Just(443u16)], any::<bool>())),
        udp in any::<bool>(),
        port in 440u16..448,
        direct in any::<bool>(),
    ) {
        let dedup = |mut rules: Vec<Rule>| {
            rules.sort_by_key(|r| r.priority);
            rules.dedup_by_key(|r| r.priority);
            rules
        };
        let nsgs = [dedup(nsg_a), dedup(nsg_b)];
        let lb_rule = if ha_ports { LbRule::HaPorts } else { LbRule::Tcp(lb_port) };
        let protocol = if udp { Protocol::Udp } else { Protocol::Tcp };
        let engine = engine(&design(&nsgs, lb_rule, probe));
        // Through the frontend as the route's next hop, or to the frontend itself: the same
        // rule, health and backend NSG decide (the backend port equals the frontend port here).
        let to = if direct { "10.1.1.10" } else { "dst" };
        let actual = trace(&engine, "client", to, protocol, Some(port));
        let expected = reference(&nsgs, lb_rule, probe, protocol, port);
        prop_assert_eq!(observed(&actual), expected.clone(), "reason: {}", actual.reason);
        // Every port the engine treated alike gets the same answer from the reference.
        let alike = actual.alike_ports.expect("a TCP or UDP flow has a port span");
        prop_assert!(alike.contains(port));
        let near_first = alike.first..=alike.last.min(alike.first.saturating_add(20));
        let near_last = alike.last.saturating_sub(20).max(alike.first)..=alike.last;
        for other in near_first.chain(near_last) {
            prop_assert_eq!(
                reference(&nsgs, lb_rule, probe, protocol, other),
                expected.clone(),
                "port {} is in the span {:?} of port {}", other, alike, port
            );
        }
    }
}
