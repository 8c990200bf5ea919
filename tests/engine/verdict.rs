//! `Engine::verdict` against `Engine::trace` on every built-in scenario, from every compute,
//! service, external host and workspace to every element and FQDN: the verdict-only walk
//! records no text, so this checks that no decision depends on text being recorded (the
//! exfiltration search and fix verification ask for verdicts, the UI for traces).

use std::collections::BTreeSet;

use vnetlab::analysis::{scenarios, synthetic};
use vnetlab::engine::{paas_fqdn, Engine, Flow, FlowSource, FlowTarget, Verdict};
use vnetlab::model::{Design, PaasKind, Protocol};

const PORTS: [Option<u16>; 11] = [
    Some(22),
    Some(80),
    Some(443),
    Some(445),
    Some(1433),
    Some(5831),
    Some(8787),
    Some(29876),
    Some(44224),
    Some(50000),
    None,
];

/// Every element a flow can name as its destination, and the FQDNs of the design.
fn targets(design: &Design) -> Vec<FlowTarget> {
    let names = design
        .services
        .iter()
        .map(|s| &s.name)
        .chain(design.resources.iter().map(|r| &r.name))
        .chain(design.external_hosts.iter().map(|h| &h.name))
        .chain(design.computes.iter().map(|c| &c.name))
        .chain(design.workspaces.iter().map(|w| &w.name))
        .chain(design.private_endpoints.iter().map(|p| &p.name));
    let listed = design
        .services
        .iter()
        .flat_map(|s| &s.fqdns)
        .chain(design.external_hosts.iter().flat_map(|h| &h.fqdns))
        .flat_map(|fqdn| [fqdn.clone(), fqdn.replace('*', "any")]);
    let paas = design.resources.iter().flat_map(|r| {
        let subs: &[&str] = match r.kind {
            PaasKind::StorageAccount => &["blob", "file", "dfs"],
            PaasKind::KeyVault | PaasKind::ContainerRegistry => &[""],
        };
        subs.iter()
            .map(|sub| paas_fqdn(Some(r.kind), &r.name, sub, "", design.cloud))
    });
    let workspaces = design
        .workspaces
        .iter()
        .map(|w| paas_fqdn(None, &w.name, "amlworkspace", &w.region, design.cloud));
    names
        .cloned()
        .map(FlowTarget::Element)
        .chain(
            listed
                .chain(paas)
                .chain(workspaces)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(FlowTarget::Fqdn),
        )
        .collect()
}

#[test]
fn the_verdict_alone_is_the_verdict_and_port_span_of_the_trace() {
    let mut compared = 0;
    let mut verdicts = BTreeSet::new();
    for scenario in scenarios::all() {
        let design: Design = serde_json::from_str(scenario.json).expect("scenario parses");
        let prepared = synthetic::prepare(&design).design;
        let engine = Engine::new(&prepared);
        let targets = targets(&prepared);
        let sources = prepared
            .computes
            .iter()
            .filter(|c| c.nic.is_some())
            .map(|c| &c.name)
            .chain(prepared.services.iter().map(|s| &s.name))
            .chain(prepared.external_hosts.iter().map(|h| &h.name))
            .chain(prepared.workspaces.iter().map(|w| &w.name));
        for source in sources {
            for target in &targets {
                for protocol in [Protocol::Tcp, Protocol::Udp, Protocol::Icmp] {
                    for port in PORTS {
                        let flow = Flow::new(
                            FlowSource::Element(source.clone()),
                            target.clone(),
                            protocol,
                            port,
                        );
                        let traced = engine
                            .trace(&flow)
                            .map(|trace| (trace.verdict, trace.alike_ports));
                        let alone = engine
                            .verdict(&flow)
                            .map(|verdict| (verdict.verdict, verdict.alike_ports));
                        assert_eq!(alone, traced, "{}: {flow:?}", scenario.name);
                        if let Ok((verdict, _)) = traced {
                            verdicts.insert(verdict);
                        }
                        compared += 1;
                    }
                }
            }
        }
    }
    assert!(compared > 200_000, "only {compared} flows compared");
    let expected = BTreeSet::from([
        Verdict::Allowed,
        Verdict::Blocked,
        Verdict::NoRoute,
        Verdict::Unsupported,
    ]);
    assert!(
        verdicts.is_superset(&expected),
        "only {verdicts:?} occurred"
    );
}
