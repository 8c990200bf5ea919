//! Engine benchmarks (`cargo bench --bench engine`): design compilation and per-trace time on a
//! workshop-size design and on a generated large one (100 VNets × 10 subnets, 1,000 NSGs × 100
//! rules), and per-flow trace and verdict-only time on the IL5 scenario's required flows.
//! Figures are printed, and recorded in README.md; they are targets, not test gates.

use std::hint::black_box;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use serde_json::Value;
use vnetlab::analysis::{required, scenarios, synthetic};
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget};
use vnetlab::model::{Design, Protocol};

mod generated;
use generated::large_design;

/// A secured AML workspace as run in workshops (also the parity fixture of the test tiers).
const WORKSHOP: &str = include_str!("../tests/fixtures/workshop.json");

fn workshop_flows() -> Vec<Flow> {
    let element = |name: &str| FlowTarget::Element(name.to_string());
    let from_ci = |target, protocol, port| {
        Flow::new(
            FlowSource::Element("ci".into()),
            target,
            protocol,
            Some(port),
        )
    };
    vec![
        from_ci(element("wsstorage"), Protocol::Tcp, 443),
        from_ci(element("roguestorage"), Protocol::Tcp, 443),
        from_ci(element("entra"), Protocol::Tcp, 443),
        from_ci(element("aml"), Protocol::Udp, 5831),
        from_ci(element("ws"), Protocol::Tcp, 443),
        from_ci(element("kv"), Protocol::Tcp, 443),
        from_ci(FlowTarget::Fqdn("pypi.org".into()), Protocol::Tcp, 443),
        from_ci(element("internet-host"), Protocol::Tcp, 22),
        Flow::new(
            FlowSource::Element("aml".into()),
            element("ci"),
            Protocol::Tcp,
            Some(44224),
        ),
        Flow::new(
            FlowSource::Element("cluster".into()),
            element("ci"),
            Protocol::Tcp,
            Some(22),
        ),
    ]
}

fn large_flows() -> Vec<Flow> {
    (0..100u32)
        .step_by(7)
        .flat_map(|v| {
            let source = FlowSource::Element(format!("vm{v}"));
            let peer = format!("vm{}", (v + 1) % 100);
            [
                Flow::new(
                    source.clone(),
                    FlowTarget::Element("internet-host".into()),
                    Protocol::Tcp,
                    Some(443),
                ),
                Flow::new(
                    source.clone(),
                    FlowTarget::Element(peer),
                    Protocol::Tcp,
                    Some(22),
                ),
                Flow::new(
                    source,
                    FlowTarget::Address(Ipv4Addr::new(203, 0, 7, 9)),
                    Protocol::Tcp,
                    Some(1007),
                ),
            ]
        })
        .collect()
}

/// Runs `work` repeatedly for about `budget` and returns the mean time per call.
fn mean_time(budget: Duration, mut work: impl FnMut()) -> (Duration, u32) {
    work();
    let start = Instant::now();
    let mut runs = 0u32;
    while start.elapsed() < budget || runs < 3 {
        work();
        runs += 1;
    }
    (start.elapsed() / runs, runs)
}

fn bench(name: &str, design: Value, flows: &[Flow]) {
    let design: Design = serde_json::from_value(design).expect("benchmark design parses");
    let (compile, compile_runs) = mean_time(Duration::from_secs(2), || {
        black_box(Engine::new(black_box(&design)));
    });
    let engine = Engine::new(&design);
    let errors: Vec<_> = engine
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:?}");
    let (per_batch, runs) = mean_time(Duration::from_secs(2), || {
        for flow in flows {
            black_box(engine.trace(black_box(flow)).expect("flow traces"));
        }
    });
    let per_trace = per_batch / flows.len() as u32;
    println!("{name:<10} compile {:>10.1} µs ({compile_runs} runs)   trace {:>8.2} µs/flow ({} flows × {runs} runs)", compile.as_secs_f64() * 1e6, per_trace.as_secs_f64() * 1e6, flows.len());
}

/// Per-flow time of a full trace and of the verdict alone on a scenario's required flows (the
/// exfiltration search and fix verification ask for verdicts only).
fn bench_required(scenario: &str) {
    let scenario = scenarios::all()
        .into_iter()
        .find(|s| s.name == scenario)
        .expect("built-in scenario");
    let design: Design = serde_json::from_str(scenario.json).expect("scenario parses");
    let engine = Engine::new(&synthetic::prepare(&design).design);
    let flows: Vec<Flow> = required::bind_all(engine.design())
        .into_iter()
        .map(|(_, _, flow)| flow)
        .collect();
    let per_flow = |work: &dyn Fn(&Flow)| {
        let (per_batch, runs) = mean_time(Duration::from_secs(2), || flows.iter().for_each(work));
        ((per_batch / flows.len() as u32).as_secs_f64() * 1e6, runs)
    };
    let (trace, trace_runs) = per_flow(&|flow| {
        black_box(engine.trace(black_box(flow)).ok());
    });
    let (verdict, verdict_runs) = per_flow(&|flow| {
        black_box(engine.verdict(black_box(flow)).ok());
    });
    println!(
        "{:<10} required flows: trace {trace:>6.2} µs/flow ({trace_runs} runs)   verdict {verdict:>6.2} µs/flow ({verdict_runs} runs), {} flows",
        scenario.name,
        flows.len()
    );
}

fn main() {
    bench(
        "workshop",
        serde_json::from_str(WORKSHOP).expect("fixture is JSON"),
        &workshop_flows(),
    );
    bench("large", large_design(), &large_flows());
    bench_required("il5-us-gov");
}
