//! Analysis benchmarks (`cargo bench --bench analysis`): the full analysis (required-flow
//! catalogue + exhaustive exfiltration search with fix evaluation) of every built-in scenario
//! and of the generated large design (100 VNets × 10 subnets, 1,000 NSGs × 100 rules).
//! Printed, and recorded in README.md. `cargo bench --bench analysis -- NAME` runs only the
//! designs whose name contains NAME.

use std::hint::black_box;
use std::time::{Duration, Instant};

use vnetlab::analysis::{analyse, ports, scenarios};
use vnetlab::model::Design;

mod generated;

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
    let findings = &analysis.exfiltration.findings;
    println!(
        "{name:<32} {:>10.2} ms  ({} required flows, {} exfiltration paths, {} port classes, {} flows in paths, {} verified fixes, {runs} runs)",
        time.as_secs_f64() * 1e3,
        analysis.required.len(),
        findings.len(),
        ports::port_classes(&[design]).len(),
        findings.iter().map(|f| f.flows.len()).sum::<usize>(),
        findings.iter().map(|f| f.fixes.len()).sum::<usize>(),
    );
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    for scenario in scenarios::all() {
        if wanted(scenario.name) {
            let design: Design = serde_json::from_str(scenario.json).expect("scenario parses");
            bench(scenario.name, &design);
        }
    }
    if wanted("generated-large") {
        let design: Design =
            serde_json::from_value(generated::large_design()).expect("generated design parses");
        bench("generated-large", &design);
    }
}
