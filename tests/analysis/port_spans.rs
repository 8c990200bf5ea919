//! The engine's port spans (`Trace::alike_ports`) on every built-in scenario: each port of a
//! span gets the same trace as the traced port (verdict, reasons, hops, rules, span), so a
//! trace can stand for every flow it covers. The exfiltration
//! search and fix verification skip the ports of a span, so a span too wide would hide a path.

use vnetlab::analysis::{ports, scenarios, synthetic};
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget, Trace};
use vnetlab::model::{Design, Protocol};

#[test]
fn every_port_of_a_span_is_traced_like_the_port_that_produced_it() {
    let mut spans_checked = 0;
    let mut narrowed = 0;
    for scenario in scenarios::all() {
        let design: Design = serde_json::from_str(scenario.json).expect("scenario parses");
        let classes = ports::port_classes(&[&design]);
        let prepared = synthetic::prepare(&design).design;
        let engine = Engine::new(&prepared);
        let sources = prepared
            .computes
            .iter()
            .filter(|c| c.nic.is_some())
            .map(|c| c.name.clone());
        let targets: Vec<String> = prepared
            .services
            .iter()
            .map(|s| s.name.clone())
            .chain(prepared.resources.iter().map(|r| r.name.clone()))
            .chain(prepared.external_hosts.iter().map(|h| h.name.clone()))
            .chain(prepared.computes.iter().map(|c| c.name.clone()))
            .chain(prepared.workspaces.iter().map(|w| w.name.clone()))
            .collect();
        for source in sources {
            for target in &targets {
                for class in classes.iter().filter(|c| c.protocol != Protocol::Icmp) {
                    let flow = |port| {
                        Flow::new(
                            FlowSource::Element(source.clone()),
                            FlowTarget::Element(target.clone()),
                            class.protocol,
                            Some(port),
                        )
                    };
                    let port = class
                        .representative()
                        .expect("TCP and UDP classes have ports");
                    let Ok(traced) = engine.trace(&flow(port)) else {
                        continue;
                    };
                    let span = traced.alike_ports.expect("a flow with a port has a span");
                    assert!(span.contains(port), "{span:?} does not contain {port}");
                    narrowed += usize::from(span != vnetlab::model::PortRange::ANY);
                    let middle = ((u32::from(span.first) + u32::from(span.last)) / 2) as u16;
                    for other in [span.first, span.last, middle] {
                        let retraced = engine.trace(&flow(other)).expect("traced once");
                        let same = Trace {
                            flow: retraced.flow.clone(),
                            ..traced.clone()
                        };
                        assert_eq!(
                            retraced,
                            same,
                            "{}: {source} → {target} {} port {other} is in the span {span:?} of port {port}",
                            scenario.name,
                            class.protocol,
                        );
                    }
                    spans_checked += 1;
                }
            }
        }
    }
    assert!(spans_checked > 1000, "only {spans_checked} spans checked");
    assert!(
        narrowed > 100,
        "only {narrowed} spans narrowed: the walk records no port checks"
    );
}
