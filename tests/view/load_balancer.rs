//! The load balancer editor and the firewall's additional public IPs and explicit proxy through
//! the reducer: each form's draft parses into the edit the editor dispatches, the traced flows
//! follow (a spoke routed to an internal load balancer's frontend reaches a healthy NVA, a probe
//! its NSG blocks drops the flow; a DNAT rule on an added public IP; the explicit proxy's ports),
//! every edit is one undo step, and bad input names its field or is refused with the
//! validator's message, the design untouched.
//!
//! Microsoft Learn: "Azure Load Balancer components" (learn.microsoft.com/azure/load-balancer/components:
//! frontends, pools, rules, probes), "High availability ports overview"
//! (…/load-balancer/load-balancer-ha-ports-overview), "Azure Load Balancer health probes"
//! (…/load-balancer/load-balancer-custom-probe-overview: probes from 168.63.129.16, the
//! AzureLoadBalancer tag), "Outbound rules" (…/load-balancer/outbound-rules), "Deploy an Azure
//! Firewall with multiple public IP addresses" (…/firewall/deploy-multi-public-ip-powershell),
//! "Azure Firewall Explicit proxy" (…/firewall/explicit-proxy).

use serde_json::json;
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget, Step, Trace, Verdict};
use vnetlab::model::{Design, LoadBalancerProtocol, NoHealthyBackends, Protocol};
use vnetlab::view::edit::{Edit, ElementKind, FieldError};
use vnetlab::view::forms::{
    ExplicitProxyDraft, FrontendDraft, LbRuleDraft, NatRuleDraft, OutboundRuleDraft, PoolDraft,
    ProbeDraft, PublicIpsDraft, HA_PORTS,
};
use vnetlab::view::lb_edit::{LbPart, LoadBalancerEdit};
use vnetlab::view::policy_edit::{nat_destination_warning, CollectionRef, PolicyEdit, RuleOwner};
use vnetlab::view::state::{apply, Action, AppState};

/// A spoke (`web`) whose 0.0.0.0/0 goes to 10.1.1.10 in the hub, where two forwarding NVAs
/// (10.1.1.4, 10.1.1.5) sit behind NSG `nsg-nva`, which denies the load balancer's probes on
/// TCP 8080; a second spoke holds `db`. No load balancer yet.
fn nva_hub() -> Design {
    let peering = |name: &str, local: &str, remote: &str| json!({"name": name, "local_vnet": local, "remote_vnet": remote, "allow_forwarded_traffic": true});
    let nva = |name: &str, ip: &str| {
        json!({"name": name, "kind": "network_virtual_appliance",
               "nic": {"subnet": "hub/nva", "private_ip": ip, "nsg": "nsg-nva", "ip_forwarding": true}})
    };
    serde_json::from_value(json!({
        "schema_version": 1, "name": "nva hub",
        "virtual_networks": [
            {"name": "spoke", "region": "eastus", "address_space": ["10.0.0.0/16"],
             "subnets": [{"name": "app", "prefix": "10.0.1.0/24", "route_table": "rt"}]},
            {"name": "hub", "region": "eastus", "address_space": ["10.1.0.0/16"],
             "subnets": [{"name": "nva", "prefix": "10.1.1.0/24"}]},
            {"name": "spoke2", "region": "eastus", "address_space": ["10.2.0.0/16"],
             "subnets": [{"name": "app", "prefix": "10.2.1.0/24"}]}
        ],
        "peerings": [peering("s-h", "spoke", "hub"), peering("h-s", "hub", "spoke"),
                     peering("s2-h", "spoke2", "hub"), peering("h-s2", "hub", "spoke2")],
        "route_tables": [{"name": "rt", "routes": [{"name": "default", "address_prefix": "0.0.0.0/0",
            "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.1.1.10"}]}],
        "network_security_groups": [{"name": "nsg-nva", "rules": [
            {"name": "deny-probe-8080", "priority": 100, "direction": "Inbound", "access": "Deny",
             "protocol": "Tcp", "source": ["AzureLoadBalancer"], "destination": ["*"], "destination_ports": ["8080"]}
        ]}],
        "computes": [
            {"name": "web", "kind": "virtual_machine", "nic": {"subnet": "spoke/app", "private_ip": "10.0.1.4"}},
            nva("nva", "10.1.1.4"),
            nva("nva2", "10.1.1.5"),
            {"name": "db", "kind": "virtual_machine", "nic": {"subnet": "spoke2/app", "private_ip": "10.2.1.4"}}
        ]
    }))
    .expect("the test design parses")
}

fn lb_edit(state: AppState, edit: LoadBalancerEdit) -> AppState {
    let state = apply(state, Action::Edit(Edit::LoadBalancer(edit)));
    assert_eq!(state.error, None, "the edit is applied");
    state
}

fn policy_edit(state: AppState, edit: PolicyEdit) -> AppState {
    let state = apply(state, Action::Edit(Edit::Policy(edit)));
    assert_eq!(state.error, None, "the edit is applied");
    state
}

/// TCP from `from` to `to` (an element or an address) at `port`.
fn trace(design: &Design, from: &str, to: &str, port: u16) -> Trace {
    let target = match to.parse() {
        Ok(address) => FlowTarget::Address(address),
        Err(_) if to.contains('.') => FlowTarget::Fqdn(to.into()),
        Err(_) => FlowTarget::Element(to.into()),
    };
    Engine::new(design)
        .trace(&Flow::new(
            FlowSource::Element(from.into()),
            target,
            Protocol::Tcp,
            Some(port),
        ))
        .expect("the flow traces")
}

fn dump(trace: &Trace) -> String {
    serde_json::to_string_pretty(&trace.hops).unwrap_or_default()
}

/// The messages of `field`.
fn messages(errors: &[FieldError], field: &str) -> String {
    errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Builds the internal load balancer in front of the NVAs with the editor's drafts:
/// "+ load balancer" in hub/nva, the frontend moved to the routes' next hop, a pool of both
/// NVAs, a TCP 22 probe and the HA ports rule the rule form offers.
fn with_ilb(state: AppState) -> AppState {
    let state = lb_edit(
        state,
        LoadBalancerEdit::Add {
            subnet: "hub/nva".into(),
        },
    );
    let lb = state.design.load_balancers[0].clone();
    assert_eq!(lb.name, "ilb");
    assert_eq!(
        lb.frontends[0].private_ip,
        Some("10.1.1.6".parse().unwrap()),
        "the new frontend takes the subnet's first free address (after the NVAs)"
    );
    let frontend = FrontendDraft {
        private_ip: "10.1.1.10".into(),
        ..FrontendDraft::of(&lb.frontends[0])
    }
    .parse(&state.design, &lb, Some(0))
    .expect("the frontend parses");
    let state = lb_edit(
        state,
        LoadBalancerEdit::SetFrontend {
            lb: "ilb".into(),
            index: Some(0),
            frontend,
        },
    );
    let lb = state.design.load_balancers[0].clone();
    let pool = PoolDraft {
        members: "nva, nva2".into(),
        ..PoolDraft::new_pool(&lb)
    }
    .parse(&state.design, &lb, None)
    .expect("the pool parses");
    let state = lb_edit(
        state,
        LoadBalancerEdit::SetPool {
            lb: "ilb".into(),
            index: None,
            pool,
        },
    );
    let lb = state.design.load_balancers[0].clone();
    let probe = ProbeDraft::new_probe(&lb)
        .parse(&lb, None)
        .expect("the probe parses");
    let state = lb_edit(
        state,
        LoadBalancerEdit::SetProbe {
            lb: "ilb".into(),
            index: None,
            probe,
        },
    );
    let lb = state.design.load_balancers[0].clone();
    let draft = LbRuleDraft::new_rule(&lb);
    assert!(
        draft.is_ha_ports(),
        "an internal load balancer's new rule is HA ports"
    );
    let rule = draft.parse(&lb, None).expect("the rule parses");
    assert!(rule.is_ha_ports());
    assert_eq!(
        (
            rule.frontend.as_str(),
            rule.backend_pool.as_str(),
            rule.probe.as_deref()
        ),
        ("frontend", "pool", Some("probe"))
    );
    lb_edit(
        state,
        LoadBalancerEdit::SetRule {
            lb: "ilb".into(),
            index: None,
            rule,
        },
    )
}

#[test]
fn an_internal_load_balancer_built_with_the_forms_carries_the_routed_flow_with_undo() {
    let state = AppState::new(nva_hub(), "", false);
    let before = trace(&state.design, "web", "db", 443);
    assert_ne!(before.verdict, Verdict::Allowed, "{}", dump(&before));

    let state = with_ilb(state);
    let through = trace(&state.design, "web", "db", 443);
    assert_eq!(through.verdict, Verdict::Allowed, "{}", dump(&through));
    assert!(
        through
            .hops
            .iter()
            .any(|h| h.step == Step::LoadBalancer && h.reason.contains("load balancer ilb")),
        "a hop names the load balancer: {}",
        dump(&through)
    );

    // The probe moved to 8080, which nsg-nva denies: no member is healthy, the flow is dropped.
    let lb = state.design.load_balancers[0].clone();
    let probe = ProbeDraft {
        port: "8080".into(),
        ..ProbeDraft::of(&lb.probes[0])
    }
    .parse(&lb, Some(0))
    .expect("the probe parses");
    let state = lb_edit(
        state,
        LoadBalancerEdit::SetProbe {
            lb: "ilb".into(),
            index: Some(0),
            probe,
        },
    );
    let unhealthy = trace(&state.design, "web", "db", 443);
    assert_eq!(unhealthy.verdict, Verdict::NoRoute, "{}", dump(&unhealthy));
    assert!(
        unhealthy.reason.contains("no healthy backend"),
        "{}",
        unhealthy.reason
    );
    // AllProbedUp: with every probe failing, the members still take new flows.
    let lb = state.design.load_balancers[0].clone();
    let probe = ProbeDraft {
        no_healthy_backends: "AllProbedUp".into(),
        ..ProbeDraft::of(&lb.probes[0])
    }
    .parse(&lb, Some(0))
    .unwrap();
    assert_eq!(probe.no_healthy_backends, NoHealthyBackends::AllProbedUp);
    let probed_up = lb_edit(
        state.clone(),
        LoadBalancerEdit::SetProbe {
            lb: "ilb".into(),
            index: Some(0),
            probe,
        },
    );
    assert_eq!(
        trace(&probed_up.design, "web", "db", 443).verdict,
        Verdict::Allowed
    );

    // One undo step takes the probe back to port 22.
    let undone = apply(state.clone(), Action::Undo);
    assert_eq!(undone.design.load_balancers[0].probes[0].port, 22);
    assert_eq!(
        trace(&undone.design, "web", "db", 443).verdict,
        Verdict::Allowed
    );

    // Removing the load balancer (the element tree's ✕) leaves the route with nowhere to go.
    let removed = apply(
        undone,
        Action::Edit(Edit::Remove {
            kind: ElementKind::LoadBalancer,
            name: "ilb".into(),
        }),
    );
    assert_eq!(*removed.design, nva_hub());
    let after = trace(&removed.design, "web", "db", 443);
    assert_eq!(
        after.verdict,
        before.verdict,
        "{}\n{}",
        dump(&before),
        dump(&after)
    );
}

#[test]
fn a_port_rule_forwards_only_its_protocol_and_port() {
    let state = with_ilb(AppState::new(nva_hub(), "", false));
    let lb = state.design.load_balancers[0].clone();
    let rule = LbRuleDraft {
        protocol: "Tcp".into(),
        frontend_port: "443".into(),
        backend_port: "443".into(),
        ..LbRuleDraft::of(&lb.rules[0])
    }
    .parse(&lb, Some(0))
    .expect("the rule parses");
    assert_eq!(
        (rule.protocol, rule.frontend_port, rule.backend_port),
        (LoadBalancerProtocol::Tcp, 443, 443)
    );
    let state = lb_edit(
        state,
        LoadBalancerEdit::SetRule {
            lb: "ilb".into(),
            index: Some(0),
            rule,
        },
    );
    assert_eq!(
        trace(&state.design, "web", "db", 443).verdict,
        Verdict::Allowed
    );
    let other_port = trace(&state.design, "web", "db", 22);
    assert_ne!(
        other_port.verdict,
        Verdict::Allowed,
        "{}",
        dump(&other_port)
    );
}

#[test]
fn renaming_a_part_follows_into_the_rules_and_removing_a_used_part_is_refused() {
    let state = with_ilb(AppState::new(nva_hub(), "", false));
    let lb = state.design.load_balancers[0].clone();
    let renamed = |pool: &str, probe: &str, frontend: &str| {
        let rule = &state.design.load_balancers[0].rules[0];
        (
            rule.backend_pool == pool,
            rule.probe.as_deref() == Some(probe),
            rule.frontend == frontend,
        )
    };
    assert_eq!(renamed("pool", "probe", "frontend"), (true, true, true));
    let pool = PoolDraft {
        name: "appliances".into(),
        ..PoolDraft::of(&lb.backend_pools[0])
    }
    .parse(&state.design, &lb, Some(0))
    .unwrap();
    let state = lb_edit(
        state,
        LoadBalancerEdit::SetPool {
            lb: "ilb".into(),
            index: Some(0),
            pool,
        },
    );
    let probe = ProbeDraft {
        name: "ssh".into(),
        ..ProbeDraft::of(&lb.probes[0])
    }
    .parse(&lb, Some(0))
    .unwrap();
    let state = lb_edit(
        state,
        LoadBalancerEdit::SetProbe {
            lb: "ilb".into(),
            index: Some(0),
            probe,
        },
    );
    let frontend = FrontendDraft {
        name: "fe".into(),
        ..FrontendDraft::of(&lb.frontends[0])
    }
    .parse(&state.design, &lb, Some(0))
    .unwrap();
    let state = lb_edit(
        state,
        LoadBalancerEdit::SetFrontend {
            lb: "ilb".into(),
            index: Some(0),
            frontend,
        },
    );
    let rule = &state.design.load_balancers[0].rules[0];
    assert_eq!(
        (
            rule.backend_pool.as_str(),
            rule.probe.as_deref(),
            rule.frontend.as_str()
        ),
        ("appliances", Some("ssh"), "fe")
    );
    assert_eq!(
        trace(&state.design, "web", "db", 443).verdict,
        Verdict::Allowed
    );

    // The pool is used by the rule: removing it is refused with the validator's message.
    for (part, needle) in [
        (LbPart::BackendPool, "appliances"),
        (LbPart::Frontend, "fe"),
    ] {
        let design = state.design.clone();
        let refused = apply(
            state.clone(),
            Action::Edit(Edit::LoadBalancer(LoadBalancerEdit::RemovePart {
                lb: "ilb".into(),
                part,
                index: 0,
            })),
        );
        assert_eq!(refused.design, design, "{part:?}: the design is kept");
        let error = refused.error.expect("the refusal is explained");
        assert!(
            error.contains("not applied") && error.contains(needle),
            "{part:?}: {error}"
        );
    }
    // The rule removed first, the pool goes too.
    let state = lb_edit(
        state,
        LoadBalancerEdit::RemovePart {
            lb: "ilb".into(),
            part: LbPart::Rule,
            index: 0,
        },
    );
    let state = lb_edit(
        state,
        LoadBalancerEdit::RemovePart {
            lb: "ilb".into(),
            part: LbPart::BackendPool,
            index: 0,
        },
    );
    assert!(state.design.load_balancers[0].backend_pools.is_empty());
    let missing = apply(
        state,
        Action::Edit(Edit::LoadBalancer(LoadBalancerEdit::RemovePart {
            lb: "ilb".into(),
            part: LbPart::Rule,
            index: 3,
        })),
    );
    assert_eq!(
        missing.error.as_deref(),
        Some("ilb has no such load-balancing rule")
    );
}

#[test]
fn removing_a_compute_takes_it_out_of_its_pools() {
    let state = with_ilb(AppState::new(nva_hub(), "", false));
    let state = apply(
        state,
        Action::Edit(Edit::Remove {
            kind: ElementKind::Compute,
            name: "nva".into(),
        }),
    );
    assert_eq!(state.error, None);
    assert_eq!(
        state.design.load_balancers[0].backend_pools[0].members,
        vec!["nva2".to_string()]
    );
    assert!(
        vnetlab::model::validate(&state.design)
            .iter()
            .all(|d| !d.is_error()),
        "no dangling member"
    );
}

#[test]
fn load_balancer_drafts_name_each_bad_field() {
    let state = with_ilb(AppState::new(nva_hub(), "", false));
    let design = &state.design;
    let lb = &design.load_balancers[0];
    let frontend = |private_ip: &str, public_ip: &str, subnet: &str| {
        FrontendDraft {
            name: "second".into(),
            subnet: subnet.into(),
            private_ip: private_ip.into(),
            public_ip: public_ip.into(),
        }
        .parse(design, lb, None)
        .expect_err("refused")
    };
    // (case, errors, field, message)
    let cases: Vec<(&str, Vec<FieldError>, &str, &str)> = vec![
        (
            "outside its subnet",
            frontend("10.2.1.9", "", "hub/nva"),
            "private_ip",
            "10.2.1.9 is not in subnet hub/nva (10.1.1.0/24)",
        ),
        (
            "not an address",
            frontend("10.1.1.x", "", "hub/nva"),
            "private_ip",
            "`10.1.1.x` is not an IPv4 address",
        ),
        (
            "unknown subnet",
            frontend("10.1.1.9", "", "hub/gone"),
            "subnet",
            "`hub/gone` is not a subnet of the design",
        ),
        (
            "both kinds",
            frontend("10.1.1.9", "52.1.1.1", "hub/nva"),
            "public_ip",
            "not both",
        ),
        (
            "neither",
            frontend("", "", "hub/nva"),
            "private_ip",
            "give the frontend's private IP",
        ),
        (
            "private public IP",
            frontend("", "10.9.9.9", ""),
            "public_ip",
            "10.9.9.9 is not a public address",
        ),
        (
            "a taken name",
            FrontendDraft {
                name: "frontend".into(),
                ..FrontendDraft::new_frontend(design, lb)
            }
            .parse(design, lb, None)
            .unwrap_err(),
            "name",
            "another frontend is already named `frontend`",
        ),
        (
            "unknown member",
            PoolDraft {
                name: "p2".into(),
                members: "nva, ghost".into(),
            }
            .parse(design, lb, None)
            .unwrap_err(),
            "members",
            "`ghost` is not a compute of the design",
        ),
        (
            "probe port 0",
            ProbeDraft {
                port: "0".into(),
                ..ProbeDraft::new_probe(lb)
            }
            .parse(lb, None)
            .unwrap_err(),
            "port",
            "the probe port is a number from 1 to 65535 (`0`)",
        ),
        (
            "probe protocol",
            ProbeDraft {
                protocol: "icmp".into(),
                ..ProbeDraft::new_probe(lb)
            }
            .parse(lb, None)
            .unwrap_err(),
            "protocol",
            "Tcp, Http or Https",
        ),
        (
            "rule port out of range",
            LbRuleDraft {
                protocol: "Udp".into(),
                frontend_port: "70000".into(),
                ..LbRuleDraft::new_rule(lb)
            }
            .parse(lb, None)
            .unwrap_err(),
            "frontend_port",
            "the frontend port is a number from 1 to 65535 (`70000`)",
        ),
        (
            "rule on a missing frontend",
            LbRuleDraft {
                frontend: "nope".into(),
                ..LbRuleDraft::new_rule(lb)
            }
            .parse(lb, None)
            .unwrap_err(),
            "frontend",
            "`nope` is not a frontend of ilb",
        ),
        (
            "rule with an unknown probe",
            LbRuleDraft {
                probe: "http".into(),
                ..LbRuleDraft::new_rule(lb)
            }
            .parse(lb, None)
            .unwrap_err(),
            "probe",
            "`http` is not a health probe of ilb",
        ),
        (
            "outbound rule on an internal load balancer",
            OutboundRuleDraft::new_rule(lb).parse(lb, None).unwrap_err(),
            "name",
            "outbound rules exist only on public load balancers",
        ),
    ];
    for (case, errors, field, needle) in cases {
        let message = messages(&errors, field);
        assert!(message.contains(needle), "{case}: {field}: {errors:?}");
    }
    // A rule without a probe is written `none`.
    let rule = LbRuleDraft {
        probe: "none".into(),
        ..LbRuleDraft::new_rule(lb)
    }
    .parse(lb, None)
    .unwrap();
    assert_eq!(rule.probe, None);
    assert_eq!(LbRuleDraft::of(&rule).probe, "none");
    assert_eq!(LbRuleDraft::of(&rule).protocol, HA_PORTS);
}

/// A public load balancer (imported: the editor creates internal ones) in front of `web`.
fn with_public_lb() -> AppState {
    let mut design = nva_hub();
    design.load_balancers = serde_json::from_value(json!([{"name": "lb-public",
        "frontends": [{"name": "pip", "public_ip": "52.1.1.1"}, {"name": "pip2", "public_ip": "52.1.1.2"}],
        "backend_pools": [{"name": "web", "members": ["web"]}]}]))
    .unwrap();
    design.route_tables.clear();
    for subnet in design
        .virtual_networks
        .iter_mut()
        .flat_map(|v| v.subnets.iter_mut())
    {
        subnet.route_table = None;
        subnet.default_outbound_access = false;
    }
    AppState::new(design, "", false)
}

#[test]
fn a_public_load_balancers_outbound_rule_gives_its_pool_an_internet_identity() {
    let state = with_public_lb();
    let before = trace(&state.design, "web", "203.0.113.10", 443);
    assert!(
        !before.hops.iter().any(|h| h.reason.contains("lb-public")),
        "{}",
        dump(&before)
    );
    let lb = state.design.load_balancers[0].clone();
    let rule = OutboundRuleDraft {
        frontends: "pip2".into(),
        protocol: "Tcp".into(),
        ..OutboundRuleDraft::new_rule(&lb)
    }
    .parse(&lb, None)
    .expect("the outbound rule parses");
    let state = lb_edit(
        state,
        LoadBalancerEdit::SetOutboundRule {
            lb: "lb-public".into(),
            index: None,
            rule,
        },
    );
    let after = trace(&state.design, "web", "203.0.113.10", 443);
    assert_ne!(after, before);
    let egress = after
        .hops
        .iter()
        .find(|h| h.step == Step::InternetEgress)
        .unwrap_or_else(|| panic!("an egress hop: {}", dump(&after)));
    assert!(
        egress.reason.contains("lb-public") && egress.reason.contains("52.1.1.2"),
        "{}",
        egress.reason
    );
    // HA ports are for internal load balancers only; a frontend that is not a frontend is named.
    let lb = state.design.load_balancers[0].clone();
    let errors = LbRuleDraft {
        protocol: HA_PORTS.into(),
        ..LbRuleDraft::new_rule(&lb)
    }
    .parse(&lb, None)
    .unwrap_err();
    assert!(messages(&errors, "protocol").contains("only on internal load balancers"));
    let errors = OutboundRuleDraft {
        frontends: "pip, nope".into(),
        ..OutboundRuleDraft::new_rule(&lb)
    }
    .parse(&lb, None)
    .unwrap_err();
    assert_eq!(
        messages(&errors, "frontends"),
        "`nope` is not a frontend of lb-public"
    );
}

/// The workshop design's firewall `fw` (public IP 20.0.0.1) with a DNAT collection holding a
/// rule from `destination`:2222 to the training subnet's SSH, which its NSG admits.
fn workshop_with_dnat(destination: &str) -> AppState {
    let state = AppState::new(crate::preset("workshop"), "workshop", false);
    let ssh = serde_json::from_value(json!({
        "name": "ssh-from-fw", "priority": 200, "direction": "Inbound", "access": "Allow",
        "protocol": "Tcp", "source": ["10.0.3.0/26"], "destination_ports": ["22"]
    }))
    .unwrap();
    let state = apply(
        state,
        Action::Edit(Edit::SetNsgRule {
            nsg: "nsg-training".into(),
            index: None,
            rule: ssh,
        }),
    );
    let owner = RuleOwner::Firewall("fw".into());
    let state = policy_edit(
        state,
        PolicyEdit::AddNatCollection {
            owner: owner.clone(),
        },
    );
    let index = state.design.firewalls[0].rule_collections.len() - 1;
    let rule = NatRuleDraft {
        destination_address: destination.into(),
        ..NatRuleDraft::new_rule(None)
    }
    .parse()
    .unwrap();
    policy_edit(
        state,
        PolicyEdit::SetNatRule {
            at: CollectionRef { owner, index },
            index: None,
            rule,
        },
    )
}

#[test]
fn an_additional_public_ip_takes_dnat_traffic_and_bad_addresses_are_named() {
    let state = workshop_with_dnat("20.0.0.2");
    let owner = RuleOwner::Firewall("fw".into());
    let to_second_ip = |state: &AppState| {
        Engine::new(&state.design)
            .trace(&Flow::new(
                FlowSource::Element("internet-host".into()),
                FlowTarget::Address("20.0.0.2".parse().unwrap()),
                Protocol::Tcp,
                Some(2222),
            ))
            .unwrap()
    };
    assert!(nat_destination_warning(&state.design, &owner, "20.0.0.2".parse().unwrap()).is_some());
    // Not a public IP of the firewall: an internet address like any other, no DNAT.
    let before = to_second_ip(&state);
    assert!(
        !before.hops.iter().any(|h| h.step == Step::FirewallDnat),
        "{}",
        dump(&before)
    );

    let firewall = state.design.firewalls[0].clone();
    let additional = PublicIpsDraft {
        additional_public_ips: "20.0.0.2, 20.0.0.3".into(),
    }
    .parse(&firewall)
    .expect("the addresses parse");
    let state = policy_edit(
        state,
        PolicyEdit::SetFirewallPublicIps {
            firewall: "fw".into(),
            additional,
        },
    );
    assert_eq!(
        PublicIpsDraft::of(&state.design.firewalls[0]).additional_public_ips,
        "20.0.0.2, 20.0.0.3"
    );
    assert_eq!(
        nat_destination_warning(&state.design, &owner, "20.0.0.2".parse().unwrap()),
        None
    );
    let after = to_second_ip(&state);
    assert_eq!(after.verdict, Verdict::Allowed, "{}", dump(&after));
    assert!(
        after.hops.iter().any(|h| h.step == Step::FirewallDnat
            && h.rule.as_ref().is_some_and(|r| r.name == "dnat-ssh")
            && h.reason.contains("on 20.0.0.2")),
        "{}",
        dump(&after)
    );
    let undone = apply(state, Action::Undo);
    assert!(undone.design.firewalls[0].additional_public_ips.is_empty());

    // (typed, message)
    let cases = [
        ("20.0.0.x", "`20.0.0.x` is not an IPv4 address"),
        ("10.0.0.9", "10.0.0.9 is not a public address"),
        (
            "20.0.0.1",
            "20.0.0.1 is already the firewall's first public IP",
        ),
        ("20.0.0.5, 20.0.0.5", "20.0.0.5 is listed twice"),
    ];
    for (typed, needle) in cases {
        let errors = PublicIpsDraft {
            additional_public_ips: typed.into(),
        }
        .parse(&firewall)
        .expect_err("refused");
        assert!(
            messages(&errors, "additional_public_ips").contains(needle),
            "{typed}: {errors:?}"
        );
    }
    assert_eq!(
        PublicIpsDraft::default().parse(&firewall),
        Ok(Vec::new()),
        "an empty list removes them all"
    );
}

/// The engine test's explicit proxy design (`tests/engine/firewall_features.rs`) with the
/// policy's proxy off: `ci` is configured to use `fw`'s proxy, the policy allows pypi.org over
/// HTTPS by an application rule and denies everything by a network rule.
/// `state` with the explicit proxy of [`proxy_design`]'s policy turned on, at its default
/// ports, through the settings form's draft.
fn with_proxy_enabled(state: AppState) -> AppState {
    let proxy = ExplicitProxyDraft {
        enabled: true,
        ..ExplicitProxyDraft::of(None)
    }
    .parse()
    .expect("the proxy parses");
    policy_edit(
        state,
        PolicyEdit::SetExplicitProxy {
            policy: "policy".into(),
            proxy,
        },
    )
}

fn proxy_design() -> Design {
    serde_json::from_value(json!({
        "schema_version": 1, "name": "proxy",
        "virtual_networks": [{"name": "vnet", "region": "eastus", "address_space": ["10.0.0.0/16"],
            "subnets": [{"name": "training", "prefix": "10.0.1.0/24"},
                        {"name": "AzureFirewallSubnet", "prefix": "10.0.3.0/26"}]}],
        "firewalls": [{"name": "fw", "subnet": "vnet/AzureFirewallSubnet", "private_ip": "10.0.3.4",
                       "public_ip": "20.0.0.1", "policy": "policy"}],
        "firewall_policies": [{"name": "policy", "rule_collection_groups": [{"name": "g", "priority": 100,
            "rule_collections": [
                {"type": "network", "name": "deny-all", "priority": 100, "action": "Deny",
                 "rules": [{"name": "nothing", "protocols": ["Any"], "sources": ["*"], "destinations": ["*"], "destination_ports": ["*"]}]},
                {"type": "application", "name": "web", "priority": 200, "action": "Allow",
                 "rules": [{"name": "allow-pypi", "sources": ["*"], "protocols": [{"protocol": "https", "port": 443}],
                            "target_fqdns": ["pypi.org"]}]}]}]}],
        "computes": [{"name": "ci", "kind": "virtual_machine", "explicit_proxy": "fw",
                      "nic": {"subnet": "vnet/training", "private_ip": "10.0.1.4"}}],
        "external_hosts": [{"name": "internet-host", "kind": "internet", "ip": "203.0.113.10", "fqdns": ["pypi.org"]}]
    }))
    .expect("the test design parses")
}

/// A compute's own proxy setting (Microsoft Learn, "Azure Firewall Explicit proxy": clients
/// are configured to send to the proxy, no UDR needed): set to none, ci's request goes
/// straight out and no application rule is met; back to fw, the proxy's application rule
/// decides; a name that is no firewall is refused, the design kept.
#[test]
fn a_computes_explicit_proxy_is_chosen_among_the_firewalls_or_none() {
    let state = with_proxy_enabled(AppState::new(proxy_design(), "", false));
    let set = |state: AppState, firewall: Option<&str>| {
        apply(
            state,
            Action::Edit(Edit::SetComputeProxy {
                compute: "ci".into(),
                firewall: firewall.map(str::to_string),
            }),
        )
    };
    let names_the_proxy_rule = |trace: &Trace| {
        trace
            .hops
            .iter()
            .any(|h| h.rule.as_ref().is_some_and(|r| r.name == "allow-pypi"))
    };
    let proxied = trace(&state.design, "ci", "pypi.org", 443);
    assert!(names_the_proxy_rule(&proxied), "{}", dump(&proxied));

    let direct_state = set(state, None);
    assert_eq!(direct_state.error, None);
    assert_eq!(direct_state.design.computes[0].explicit_proxy, None);
    let direct = trace(&direct_state.design, "ci", "pypi.org", 443);
    assert!(!names_the_proxy_rule(&direct), "{}", dump(&direct));
    assert!(!direct
        .hops
        .iter()
        .any(|h| h.reason.starts_with("explicit proxy:")));

    let refused = set(direct_state.clone(), Some("no-such-firewall"));
    let message = refused.error.clone().expect("refused");
    assert!(
        message.contains("is not a firewall of the design"),
        "{message}"
    );
    assert_eq!(refused.design, direct_state.design, "the design is kept");

    let back = set(direct_state, Some("fw"));
    assert_eq!(back.error, None);
    assert!(names_the_proxy_rule(&trace(
        &back.design,
        "ci",
        "pypi.org",
        443
    )));
    let undone = apply(back, Action::Undo);
    assert_eq!(undone.design.computes[0].explicit_proxy, None);
}

#[test]
fn the_explicit_proxy_is_turned_on_its_ports_set_and_bad_ports_named() {
    let state = AppState::new(proxy_design(), "", false);
    let off = trace(&state.design, "ci", "pypi.org", 443);
    assert_eq!(off.verdict, Verdict::Blocked, "{}", dump(&off));
    assert!(
        off.reason.contains("does not enable the explicit proxy"),
        "{}",
        off.reason
    );

    assert!(!ExplicitProxyDraft::of(None).enabled);
    let state = with_proxy_enabled(state);
    let on = trace(&state.design, "ci", "pypi.org", 443);
    assert_eq!(on.verdict, Verdict::Allowed, "{}", dump(&on));
    let proxy_hop = |trace: &Trace| {
        trace
            .hops
            .iter()
            .find(|h| h.reason.starts_with("explicit proxy:"))
            .map(|h| h.reason.clone())
            .unwrap_or_default()
    };
    assert!(proxy_hop(&on).contains("10.0.3.4:8443"), "{}", dump(&on));

    let policy = &state.design.firewall_policies[0];
    let proxy = ExplicitProxyDraft {
        https_port: "9443".into(),
        ..ExplicitProxyDraft::of(policy.explicit_proxy.as_ref())
    }
    .parse()
    .unwrap();
    let state = policy_edit(
        state,
        PolicyEdit::SetExplicitProxy {
            policy: "policy".into(),
            proxy,
        },
    );
    assert!(proxy_hop(&trace(&state.design, "ci", "pypi.org", 443)).contains("10.0.3.4:9443"));
    let undone = apply(state.clone(), Action::Undo);
    assert!(proxy_hop(&trace(&undone.design, "ci", "pypi.org", 443)).contains("10.0.3.4:8443"));

    // Off again: the draft of a disabled proxy parses to no proxy.
    let off_again = ExplicitProxyDraft {
        enabled: false,
        ..ExplicitProxyDraft::of(state.design.firewall_policies[0].explicit_proxy.as_ref())
    };
    assert_eq!(off_again.parse(), Ok(None));

    // (http, https, field, message)
    let cases = [
        (
            "8080",
            "8080",
            "https_port",
            "the HTTP and HTTPS ports must differ",
        ),
        (
            "0",
            "8443",
            "http_port",
            "the HTTP port is a number from 1 to 64000 (`0`)",
        ),
        (
            "8080",
            "64001",
            "https_port",
            "the HTTPS port is a number from 1 to 64000 (`64001`)",
        ),
        ("", "", "http_port", "needs an HTTP or an HTTPS port"),
    ];
    for (http, https, field, needle) in cases {
        let errors = ExplicitProxyDraft {
            enabled: true,
            http_port: http.into(),
            https_port: https.into(),
        }
        .parse()
        .expect_err("refused");
        assert!(
            messages(&errors, field).contains(needle),
            "{http}/{https}: {errors:?}"
        );
    }
}
