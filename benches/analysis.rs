//! Analysis benchmarks (`cargo bench --bench analysis`): the full analysis (required-flow
//! catalogue + exhaustive exfiltration search with fix evaluation) of every built-in scenario.
//! Printed, and recorded in README.md. (The generated large design is not analysed yet: its
//! fix evaluation exhausts memory, see README "Benchmarks".)

use std::hint::black_box;
use std::time::{Duration, Instant};

use vnetlab::analysis::{analyse, scenarios};
use vnetlab::model::Design;

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

fn bench(name: &str, design: &Design) {
    let analysis = analyse(design);
    let (time, runs) = mean_time(Duration::from_secs(2), || {
        black_box(analyse(black_box(design)));
    });
    println!(
        "{name:<32} {:>10.2} ms  ({} required flows, {} exfiltration paths, {runs} runs)",
        time.as_secs_f64() * 1e3,
        analysis.required.len(),
        analysis.exfiltration.findings.len()
    );
}

fn main() {
    for scenario in scenarios::all() {
        let design: Design = serde_json::from_str(scenario.json).expect("scenario parses");
        bench(scenario.name, &design);
    }
}
