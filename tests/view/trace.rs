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

mod stepping {
    use vnetlab::view::state::{apply, Action, AppState};
    use vnetlab::view::trace_rows::deciding_hop;

    use crate::{preset, DLP};

    /// The DLP preset with its first flow whose deciding hop is not the first.
    fn selected() -> (AppState, usize) {
        let state = AppState::new(preset(DLP), DLP, false);
        let (id, deciding) = state
            .evaluation
            .results
            .iter()
            .find_map(|r| {
                deciding_hop(&r.trace)
                    .filter(|&d| d >= 2 && d + 1 < r.trace.hops.len())
                    .map(|d| (r.question.id.clone(), d))
            })
            .expect("a flow decided before its last hop");
        (apply(state, Action::Select(Some(id))), deciding)
    }

    #[test]
    fn the_deciding_hop_is_the_hop_that_decided() {
        let (state, deciding) = selected();
        let trace = &state.selected_result().unwrap().trace;
        assert_eq!(Some(&trace.hops[deciding]), trace.decided_by.as_ref());
        assert_eq!(state.deciding_hop(), Some(deciding));
    }

    #[test]
    fn play_advances_one_hop_per_tick_and_stops_on_the_deciding_hop() {
        let (state, deciding) = selected();
        let mut state = apply(state, Action::Play);
        assert!(state.playing);
        for expected in 1..=deciding {
            state = apply(state, Action::Tick);
            assert_eq!(state.step, expected);
        }
        assert!(!state.playing, "stops on the deciding hop");
        let still = apply(state.clone(), Action::Tick);
        assert_eq!(still.step, deciding, "a late tick does nothing");
        // Play again from the deciding hop starts over; Pause and a step stop it.
        let again = apply(still, Action::Play);
        assert_eq!((again.step, again.playing), (0, true));
        let paused = apply(apply(again, Action::Tick), Action::Pause);
        assert_eq!((paused.step, paused.playing), (1, false));
        let stepped = apply(apply(paused, Action::Play), Action::StepNext);
        assert!(!stepped.playing);
    }
}
