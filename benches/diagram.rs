//! Diagram benchmarks (`cargo bench --bench diagram`): the layout (`view::diagram::layout`:
//! graph, placement, edges) of every built-in scenario at 1280×720's diagram width, expanded,
//! with a flow selected, and of the generated design cut to 50 VNets and whole (100 VNets,
//! 1,000 subnets), which open collapsed. The evaluation is computed once outside the timing:
//! this is what a repaint costs on top of it. Medians of many runs, printed and recorded in
//! README.md.

use std::hint::black_box;
use std::time::{Duration, Instant};

use vnetlab::analysis::scenarios;
use vnetlab::model::Design;
use vnetlab::view::diagram::{layout, LayoutOptions, Selection};
use vnetlab::view::evaluation::Evaluation;

mod generated;

/// The diagram's width in the app at 1280×720.
const WIDTH: i32 = 580;

fn median_time(budget: Duration, mut work: impl FnMut()) -> (Duration, usize) {
    work();
    let start = Instant::now();
    let mut times = Vec::new();
    while start.elapsed() < budget || times.len() < 5 {
        let run = Instant::now();
        work();
        times.push(run.elapsed());
    }
    times.sort();
    (times[times.len() / 2], times.len())
}

fn bench(name: &str, design: &Design) {
    let evaluation = Evaluation::unverified(design);
    let options = LayoutOptions::opening(&evaluation.analysed, WIDTH);
    let selection = evaluation.results.first().map(|r| Selection {
        flow_id: &r.question.id,
        step: 1,
    });
    let (time, runs) = median_time(Duration::from_secs(1), || {
        black_box(layout(
            &evaluation.analysed,
            &evaluation,
            selection,
            black_box(&options),
        ));
    });
    let scene = layout(&evaluation.analysed, &evaluation, selection, &options);
    println!(
        "{name:<32} {:>8.3} ms  ({} nodes, {} edges, {} flows, {} collapsed, {runs} runs)",
        time.as_secs_f64() * 1e3,
        scene.nodes.len(),
        scene.edges.len(),
        evaluation.results.len(),
        options.collapsed.len(),
    );
}

fn main() {
    for scenario in scenarios::all() {
        let design: Design = serde_json::from_str(scenario.json).expect("scenario parses");
        bench(scenario.name, &design);
    }
    let mut large: Design =
        serde_json::from_value(generated::large_design()).expect("generated design parses");
    let mut fifty = large.clone();
    fifty.virtual_networks.truncate(50);
    fifty.computes.truncate(50);
    fifty.peerings.retain(|p| {
        fifty
            .virtual_networks
            .iter()
            .any(|v| v.name == p.local_vnet)
            && fifty
                .virtual_networks
                .iter()
                .any(|v| v.name == p.remote_vnet)
    });
    bench("generated, 50 VNets", &fifty);
    large.name = "generated, 100 VNets".into();
    bench("generated, 100 VNets", &large);
}
