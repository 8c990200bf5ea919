//! Property tests: random Virtual Network Manager security admin rules, NSG rules, user-defined
//! routes and flows, evaluated by the engine and by a deliberately simple brute-force reference
//! evaluator written from the documentation. Any disagreement is a bug in one of them.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use proptest::prelude::*;
use serde_json::json;
use vnetlab::engine::{Step, Verdict};
use vnetlab::model::Protocol;

use super::support::{engine, trace};

const SOURCE: Ipv4Addr = Ipv4Addr::new(10, 0, 1, 4);
const DESTINATIONS: [Ipv4Addr; 5] = [
    Ipv4Addr::new(10, 0, 2, 4),
    Ipv4Addr::new(10, 0, 1, 5),
    Ipv4Addr::new(203, 0, 113, 5),
    Ipv4Addr::new(172, 20, 0, 1),
    Ipv4Addr::new(10, 5, 0, 1),
];
const ADDRESSES: [&str; 7] = [
    "*",
    "10.0.1.0/24",
    "10.0.0.0/16",
    "203.0.113.0/24",
    "172.16.0.0/12",
    "VirtualNetwork",
    "Internet",
];
const ROUTE_PREFIXES: [&str; 6] = [
    "0.0.0.0/0",
    "10.0.0.0/8",
    "10.0.2.0/24",
    "203.0.113.0/24",
    "172.16.0.0/12",
    "10.0.0.0/16",
];
const NEXT_HOPS: [&str; 3] = ["VnetLocal", "Internet", "None"];

#[derive(Debug, Clone)]
struct Rule {
    priority: u32,
    allow: bool,
    protocol: Protocol,
    source: &'static str,
    destination: &'static str,
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
        0..ADDRESSES.len(),
        0..ADDRESSES.len(),
        440u16..446,
        0u16..3,
    )
        .prop_map(|(priority, allow, protocol, s, d, first, span)| Rule {
            priority,
            allow,
            protocol,
            source: ADDRESSES[s],
            destination: ADDRESSES[d],
            ports: (first, first + span),
        })
}

/// Security admin rule access: Allow (the NSGs decide), AlwaysAllow (the NSGs are skipped),
/// Deny ("Security admin rules in Azure Virtual Network Manager").
const ADMIN_ACCESS: [&str; 3] = ["Allow", "AlwaysAllow", "Deny"];

fn admin_rule_strategy() -> impl Strategy<Value = (Rule, usize)> {
    (rule_strategy(), 0..ADMIN_ACCESS.len()).prop_map(|(mut rule, access)| {
        rule.priority = rule.priority % 50 + 1;
        (rule, access)
    })
}

fn rule_matches(
    rule: &Rule,
    destination: Ipv4Addr,
    protocol: Protocol,
    port: u16,
    virtual_network: &[Ipv4Net],
) -> bool {
    (rule.protocol == Protocol::Any || rule.protocol == protocol)
        && rule.ports.0 <= port
        && port <= rule.ports.1
        && address_matches(rule.source, SOURCE, virtual_network)
        && address_matches(rule.destination, destination, virtual_network)
}

/// The first admin rule by priority that matches: its access and name.
fn reference_admin(
    admin: &[(Rule, usize)],
    destination: Ipv4Addr,
    protocol: Protocol,
    port: u16,
    virtual_network: &[Ipv4Net],
) -> Option<(&'static str, String)> {
    let mut sorted: Vec<(usize, &(Rule, usize))> = admin.iter().enumerate().collect();
    sorted.sort_by_key(|(_, (rule, _))| rule.priority);
    sorted
        .into_iter()
        .find(|(_, (rule, _))| rule_matches(rule, destination, protocol, port, virtual_network))
        .map(|(i, (_, access))| (ADMIN_ACCESS[*access], format!("a{i}")))
}

fn in_any(ip: Ipv4Addr, prefixes: &[Ipv4Net]) -> bool {
    prefixes.iter().any(|p| p.contains(&ip))
}

fn is_public(ip: Ipv4Addr) -> bool {
    !(ip.is_private() || ip.octets()[0] == 100 && (64..128).contains(&ip.octets()[1]))
}

/// The documentation's NSG semantics, written as plainly as possible.
fn address_matches(entry: &str, ip: Ipv4Addr, virtual_network: &[Ipv4Net]) -> bool {
    match entry {
        "*" => true,
        "VirtualNetwork" => in_any(ip, virtual_network),
        "Internet" => is_public(ip) && !"10.0.0.0/16".parse::<Ipv4Net>().unwrap().contains(&ip),
        prefix => prefix.parse::<Ipv4Net>().unwrap().contains(&ip),
    }
}

fn reference_nsg(
    rules: &[Rule],
    destination: Ipv4Addr,
    protocol: Protocol,
    port: u16,
    virtual_network: &[Ipv4Net],
) -> (bool, String) {
    let default = |priority, allow, source, destination| Rule {
        priority,
        allow,
        protocol: Protocol::Any,
        source,
        destination,
        ports: (0, 65535),
    };
    let mut sorted: Vec<(String, Rule)> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (format!("r{i}"), r.clone()))
        .collect();
    sorted.push((
        "AllowVnetOutBound".into(),
        default(65000, true, "VirtualNetwork", "VirtualNetwork"),
    ));
    sorted.push((
        "AllowInternetOutBound".into(),
        default(65001, true, "*", "Internet"),
    ));
    sorted.push(("DenyAllOutBound".into(), default(65500, false, "*", "*")));
    sorted.sort_by_key(|(_, r)| r.priority);
    for (name, rule) in sorted {
        let protocol_ok = rule.protocol == Protocol::Any || rule.protocol == protocol;
        let port_ok = rule.ports.0 <= port && port <= rule.ports.1;
        if protocol_ok
            && port_ok
            && address_matches(rule.source, SOURCE, virtual_network)
            && address_matches(rule.destination, destination, virtual_network)
        {
            return (rule.allow, name);
        }
    }
    unreachable!("DenyAllOutBound matches everything in this test")
}

/// Longest prefix match over system routes and UDRs; a UDR wins a tie.
fn reference_route(udrs: &[(usize, usize)], destination: Ipv4Addr) -> &'static str {
    let default_udr = udrs.iter().any(|&(p, _)| ROUTE_PREFIXES[p] == "0.0.0.0/0");
    let mut routes: Vec<(Ipv4Net, u8, &str)> = vec![
        ("10.0.0.0/16".parse().unwrap(), 0, "VnetLocal"),
        ("0.0.0.0/0".parse().unwrap(), 0, "Internet"),
    ];
    if !default_udr {
        for reserved in [
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
            "100.64.0.0/10",
        ] {
            routes.push((reserved.parse().unwrap(), 0, "None"));
        }
    }
    for &(p, h) in udrs {
        routes.push((ROUTE_PREFIXES[p].parse().unwrap(), 1, NEXT_HOPS[h]));
    }
    routes
        .into_iter()
        .filter(|(net, _, _)| net.contains(&destination))
        .max_by_key(|(net, user, _)| (net.prefix_len(), *user))
        .map(|(_, _, hop)| hop)
        .unwrap()
}

/// The verdict, the deciding NSG rule (none when the NSGs were skipped or not reached) and the
/// admin rule that matched.
type Reference = (Verdict, Option<String>, Option<String>);

fn reference_verdict(
    admin: &[(Rule, usize)],
    rules: &[Rule],
    udrs: &[(usize, usize)],
    destination: Ipv4Addr,
    protocol: Protocol,
    port: u16,
) -> Reference {
    let mut virtual_network: Vec<Ipv4Net> = vec![
        "10.0.0.0/16".parse().unwrap(),
        "168.63.129.16/32".parse().unwrap(),
    ];
    virtual_network.extend(
        udrs.iter()
            .map(|&(p, _)| ROUTE_PREFIXES[p].parse::<Ipv4Net>().unwrap()),
    );
    let admin_match = reference_admin(admin, destination, protocol, port, &virtual_network);
    let admin_rule = admin_match.as_ref().map(|(_, name)| name.clone());
    let nsg_rule = match admin_match.as_ref().map(|(access, _)| *access) {
        Some("Deny") => return (Verdict::Blocked, None, admin_rule),
        Some("AlwaysAllow") => None,
        _ => {
            let (allowed, rule) =
                reference_nsg(rules, destination, protocol, port, &virtual_network);
            if !allowed {
                return (Verdict::Blocked, Some(rule), admin_rule);
            }
            Some(rule)
        }
    };
    let in_subnet = ["10.0.1.0/24", "10.0.2.0/24"]
        .iter()
        .any(|s| s.parse::<Ipv4Net>().unwrap().contains(&destination));
    let verdict = match reference_route(udrs, destination) {
        "None" => Verdict::NoRoute,
        "VnetLocal" if in_subnet => Verdict::Allowed,
        "Internet" if is_public(destination) => Verdict::Allowed,
        _ => Verdict::NoRoute,
    };
    (verdict, nsg_rule, admin_rule)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn engine_agrees_with_the_reference_evaluator(
        admin in proptest::collection::vec(admin_rule_strategy(), 0..4),
        rules in proptest::collection::vec(rule_strategy(), 0..8),
        udrs in proptest::collection::btree_map(0..ROUTE_PREFIXES.len(), 0..NEXT_HOPS.len(), 0..4),
        destination in 0..DESTINATIONS.len(),
        udp in any::<bool>(),
        port in 440u16..448,
    ) {
        let mut admin = admin;
        admin.sort_by_key(|(r, _)| r.priority);
        admin.dedup_by_key(|(r, _)| r.priority);
        let mut rules = rules;
        rules.sort_by_key(|r| r.priority);
        rules.dedup_by_key(|r| r.priority);
        let udrs: Vec<(usize, usize)> = udrs.into_iter().collect();
        let protocol = if udp { Protocol::Udp } else { Protocol::Tcp };
        let destination = DESTINATIONS[destination];

        let nsg_rules: Vec<serde_json::Value> = rules.iter().enumerate().map(|(i, r)| json!({
            "name": format!("r{i}"), "priority": r.priority, "direction": "Outbound",
            "access": if r.allow { "Allow" } else { "Deny" }, "protocol": r.protocol,
            "source": [r.source], "destination": [r.destination], "destination_ports": [format!("{}-{}", r.ports.0, r.ports.1)]
        })).collect();
        let admin_rules: Vec<serde_json::Value> = admin.iter().enumerate().map(|(i, (r, access))| json!({
            "name": format!("a{i}"), "priority": r.priority, "direction": "Outbound",
            "access": ADMIN_ACCESS[*access], "protocol": r.protocol,
            "source": [r.source], "destination": [r.destination], "destination_ports": [format!("{}-{}", r.ports.0, r.ports.1)]
        })).collect();
        let routes: Vec<serde_json::Value> = udrs.iter().map(|&(p, h)| json!({"name": format!("u{p}"), "address_prefix": ROUTE_PREFIXES[p], "next_hop_type": NEXT_HOPS[h]})).collect();
        let design = json!({
            "schema_version": 1, "name": "random",
            "virtual_networks": [{"name": "v", "region": "eastus", "address_space": ["10.0.0.0/16"], "subnets": [
                {"name": "a", "prefix": "10.0.1.0/24", "nsg": "nsg", "route_table": "rt"},
                {"name": "b", "prefix": "10.0.2.0/24"}
            ]}],
            "network_security_groups": [{"name": "nsg", "rules": nsg_rules}],
            "network_managers": [{"name": "avnm", "network_groups": [{"name": "g", "vnets": ["v"]}],
                "admin_rule_collections": [{"name": "c", "network_groups": ["g"], "rules": admin_rules}]}],
            "route_tables": [{"name": "rt", "routes": routes}],
            "computes": [
                {"name": "src", "kind": "virtual_machine", "nic": {"subnet": "v/a", "private_ip": SOURCE.to_string()}},
                {"name": "dst", "kind": "virtual_machine", "nic": {"subnet": "v/b", "private_ip": "10.0.2.4"}}
            ]
        });
        let engine = engine(&design);
        let actual = trace(&engine, "src", &destination.to_string(), protocol, Some(port));
        let expected = reference_verdict(&admin, &rules, &udrs, destination, protocol, port);
        let (verdict, nsg_rule, admin_rule) = expected.clone();
        prop_assert_eq!(actual.verdict, verdict, "reason: {}", actual.reason);
        let rule_at = |step| actual.hops.iter().rev().filter(|h| h.step == step).find_map(|h| h.rule.as_ref()).map(|r| r.name.clone());
        prop_assert_eq!(rule_at(Step::NsgOutbound), nsg_rule);
        prop_assert_eq!(rule_at(Step::AdminRule), admin_rule);
        // Every port the engine says it treated alike has the same answer in the reference.
        let alike = actual.alike_ports.expect("a TCP or UDP flow has a port span");
        prop_assert!(alike.contains(port));
        let near_first = alike.first..=alike.last.min(alike.first.saturating_add(20));
        let near_last = alike.last.saturating_sub(20).max(alike.first)..=alike.last;
        for other in near_first.chain(near_last) {
            prop_assert_eq!(
                reference_verdict(&admin, &rules, &udrs, destination, protocol, other),
                expected.clone(),
                "port {} is in the span {:?} of port {}", other, alike, port
            );
        }
    }
}
