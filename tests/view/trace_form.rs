//! The trace form: bad input gets a message beside its field and changes nothing; a good one
//! traces the flow exactly as `vnetlab trace` resolves the same words, opens it, and lists it
//! (most recent first) in the traced flows, traced again after each change.

use vnetlab::engine::query::flow_between;
use vnetlab::engine::Engine;
use vnetlab::model::Protocol;
use vnetlab::view::state::{apply, Action, AppState};
use vnetlab::view::trace_form::{network_watcher, TraceForm};

use crate::preset;

fn form(from: &str, to: &str, protocol: &str, port: &str) -> TraceForm {
    TraceForm {
        from: from.into(),
        to: to.into(),
        protocol: protocol.into(),
        port: port.into(),
    }
}

fn traced(state: AppState, form: TraceForm) -> AppState {
    apply(apply(state, Action::SetTraceForm(form)), Action::TraceFlow)
}

fn workshop() -> AppState {
    AppState::new(preset("workshop"), "workshop", false)
}

#[test]
fn bad_input_is_named_beside_its_field() {
    let cases = [
        (form("", "roguestorage", "tcp", "443"), "from", "choose"),
        (
            form("nowhere", "roguestorage", "tcp", "443"),
            "from",
            "no element named `nowhere`",
        ),
        (form("ci", "", "tcp", "443"), "to", "give an element"),
        (
            form("ci", "nothing", "tcp", "443"),
            "to",
            "`nothing` is not an element",
        ),
        (
            form("ci", "roguestorage", "sctp", "443"),
            "protocol",
            "`sctp`",
        ),
        (
            form("ci", "roguestorage", "tcp", "70000"),
            "port",
            "0 to 65535",
        ),
        (
            form("ci", "roguestorage", "icmp", "443"),
            "port",
            "ICMP has no ports",
        ),
    ];
    for (form, field, words) in cases {
        let state = traced(workshop(), form.clone());
        assert!(state.traced.is_empty(), "{form:?} traces nothing");
        assert_eq!(state.selected, None);
        let messages: Vec<_> = state
            .trace_form_errors
            .iter()
            .filter(|e| e.field == field)
            .collect();
        assert!(
            messages.iter().any(|e| e.message.contains(words)),
            "{form:?}: {:?}",
            state.trace_form_errors
        );
    }
}

#[test]
fn a_traced_flow_is_the_clis_trace_and_opens_with_network_watcher_words() {
    let state = traced(workshop(), form("ci", "roguestorage", "tcp", "443"));
    assert!(state.trace_form_errors.is_empty());
    let result = state.selected_result().expect("the traced flow is open");
    let design = preset("workshop");
    let cli = Engine::new(&design)
        .trace(&flow_between(
            &design,
            "ci",
            "roguestorage",
            Protocol::Tcp,
            Some(443),
        ))
        .unwrap();
    assert_eq!(result.trace, cli, "the same trace as `vnetlab trace`");
    assert_eq!(result.question.label, "ci → roguestorage tcp/443");
    let tools: Vec<&str> = network_watcher(&result.trace)
        .iter()
        .map(|line| line.tool)
        .collect();
    assert_eq!(tools, ["IP flow verify", "Next hop", "NSG diagnostics"]);
    let verify = &network_watcher(&result.trace)[0].text;
    assert!(
        verify.starts_with(if cli.verdict == vnetlab::engine::Verdict::Allowed {
            "Access: Allow"
        } else {
            "Access: Deny"
        })
    );
}

#[test]
fn traced_flows_are_listed_most_recent_first_and_follow_the_design() {
    let state = traced(workshop(), form("ci", "roguestorage", "tcp", "443"));
    let state = traced(state, form("ci", "pypi.org", "tcp", "443"));
    let labels: Vec<&str> = state
        .traced
        .iter()
        .map(|r| r.question.label.as_str())
        .collect();
    assert_eq!(
        labels,
        ["ci → pypi.org tcp/443", "ci → roguestorage tcp/443"]
    );
    let first = state.traced[1].question.id.clone();
    let reopened = apply(state, Action::Select(Some(first.clone())));
    assert_eq!(
        reopened
            .selected_result()
            .map(|r| r.question.label.as_str()),
        Some("ci → roguestorage tcp/443")
    );
    let changed = apply(reopened, Action::Flip("compute-public-ip".into()));
    let design = changed.design.clone();
    let again = Engine::new(&design)
        .trace(&changed.traced[1].question.flow)
        .unwrap();
    assert_eq!(
        changed.traced[1].trace, again,
        "traced again on the changed design"
    );
    assert_eq!(changed.selected.as_deref(), Some(first.as_str()));
}

/// A load balancer is a destination the form offers, not a source.
#[test]
fn load_balancers_are_offered_as_destinations_only() {
    let text = std::fs::read_to_string("tests/fixtures/load-balancers.json").expect("fixture");
    let design: vnetlab::model::Design = serde_json::from_str(&text).expect("fixture JSON");
    let destinations = vnetlab::view::trace_form::destination_choices(&design);
    let sources = vnetlab::view::trace_form::source_choices(&design);
    for lb in ["ilb", "plb"] {
        assert!(
            destinations.iter().any(|d| d == lb),
            "{lb} in {destinations:?}"
        );
        assert!(!sources.iter().any(|s| s == lb), "{lb} in {sources:?}");
    }
}
