//! The trace panel's view-model: the note saying which other ports a trace stands for.

use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget};
use vnetlab::model::Protocol;
use vnetlab::view::trace_rows::alike_ports_note;

use super::preset;

fn traced(to: &str, protocol: Protocol, port: Option<u16>) -> vnetlab::engine::Trace {
    let engine = Engine::new(&preset("vnet-default-nsg"));
    let flow = Flow::new(
        FlowSource::Element("ci-notebook".into()),
        FlowTarget::Element(to.into()),
        protocol,
        port,
    );
    engine.trace(&flow).expect("traceable")
}

#[test]
fn the_note_names_the_ports_a_trace_stands_for() {
    // Between two computes of the VNet only the Batch ports 29876-29877 take another path (an
    // extra note hop); the compute NSG's 44224 rule names another source, so it decides nothing.
    for port in [44224, 50000] {
        assert_eq!(
            alike_ports_note(&traced("cpu-cluster", Protocol::Tcp, Some(port))).as_deref(),
            Some("Same trace for TCP ports 29878-65535")
        );
    }
    assert_eq!(
        alike_ports_note(&traced("cpu-cluster", Protocol::Tcp, Some(443))).as_deref(),
        Some("Same trace for TCP ports 0-29875")
    );
    // ICMP has no ports, so nothing to note.
    assert_eq!(
        alike_ports_note(&traced("cpu-cluster", Protocol::Icmp, None)),
        None
    );
}
