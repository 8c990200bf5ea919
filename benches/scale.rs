//! Enterprise-scale benchmark (`cargo bench --bench scale`): the generated hub-spoke design of
//! `hub_spoke.rs` at N = 10, 30 and 100 spokes (`cargo bench --bench scale -- 300 1000` runs
//! the sizes given instead). Per size, medians of up to five runs (fewer when a run is slow),
//! in CPU time of the benchmark's thread (`/proc/thread-self/schedstat`, so that other
//! processes on a shared machine do not count; wall-clock time where that file is missing):
//!
//! - load: the design JSON text parsed and checked as the CLI loads it (`import::load_input`);
//! - validate: load plus compilation with its diagnostics (what `vnetlab validate` does);
//! - flows: the required flows (prepare, compile, evaluate: `vnetlab flows` after loading);
//! - search: the full analysis without fix verification (`analyse_unverified`);
//! - analysis: the full analysis (required flows, exhaustive exfiltration, fix verification);
//! - peak RSS: the process's resident high-water mark over that size's runs (Linux only; the
//!   mark is reset before each size through `/proc/self/clear_refs`).
//!
//! `--compile-only` skips the search and the full analysis (for sizes where they are slow).
//! `--vms K` adds K virtual machines beside the AML computes of every workspace spoke
//! (`hub_spoke_with_vms`) and times the exfiltration search with alike sources searched once
//! against every source searched on its own.
//! `cargo bench --bench scale -- --write DIR 10 100` writes `DIR/hub-spoke-N.json` for each size
//! instead, for the CLI (`vnetlab validate|flows|exfil`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use vnetlab::analysis::exfil::{search_sources, SourceGrouping};
use vnetlab::analysis::fix_verification::FixEvaluator;
use vnetlab::analysis::{analyse, analyse_unverified, ports, required, synthetic};
use vnetlab::engine::Engine;
use vnetlab::import::load_input;

#[allow(dead_code)] // `hub_spoke` is the tests' entry; this benchmark takes the VMs too
mod hub_spoke;

/// The CLI's allocator, so that each phase costs here what it costs in `vnetlab`.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// CPU time this thread has run, when the kernel says (Linux).
fn thread_cpu_time() -> Option<Duration> {
    let schedstat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds = schedstat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanoseconds))
}

/// The time `work` takes: CPU time of this thread, or wall-clock time.
fn time(work: &mut impl FnMut()) -> Duration {
    let (cpu, wall) = (thread_cpu_time(), Instant::now());
    work();
    match (cpu, thread_cpu_time()) {
        (Some(before), Some(after)) => after - before,
        _ => wall.elapsed(),
    }
}

/// Each sample runs `work` this long at least: the kernel counts a thread's CPU time in
/// scheduler ticks (4 ms here), so a 40 ms phase timed once is off by up to 10 %.
const SAMPLE: Duration = Duration::from_millis(250);

/// The median time of one run of `work`, over up to five samples, stopping early once 3 s
/// have been spent; a sample repeats `work` until it has lasted [`SAMPLE`].
fn median(mut work: impl FnMut()) -> Duration {
    let first = time(&mut work);
    let repeats = (SAMPLE.as_secs_f64() / first.as_secs_f64().max(1e-6)).ceil() as u32;
    // A first run long enough to be a sample is one.
    let mut times = if repeats == 1 {
        vec![first]
    } else {
        Vec::new()
    };
    let start = Instant::now();
    while times.len() < 5 && (times.is_empty() || start.elapsed() < Duration::from_secs(3)) {
        let sample = time(&mut || (0..repeats).for_each(|_| work()));
        times.push(sample / repeats);
    }
    times.sort();
    times[times.len() / 2]
}

/// Resets the resident high-water mark; false where that is not possible.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn show(time: Duration) -> String {
    let ms = time.as_secs_f64() * 1e3;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1e3)
    } else {
        format!("{ms:.1} ms")
    }
}

fn bench(spokes: u32, vms: u32, compile_only: bool) {
    let text = serde_json::to_string(&hub_spoke::hub_spoke_with_vms(spokes, vms))
        .expect("design serialises");
    let resettable = reset_peak();
    let load = median(|| {
        black_box(load_input(black_box(&text), "hub-spoke.json").expect("generated design loads"));
    });
    let loaded = load_input(&text, "hub-spoke.json").expect("generated design loads");
    let design = loaded.design;
    let validate = median(|| {
        let loaded = load_input(black_box(&text), "hub-spoke.json").expect("loads");
        black_box(Engine::new(&loaded.design).diagnostics().len());
    });
    let errors = Engine::new(&design)
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .count();
    assert_eq!(errors, 0, "the generated design is valid");
    let flows = median(|| {
        let prepared = synthetic::prepare(black_box(&design));
        black_box(required::evaluate(&Engine::from_design(prepared.design)));
    });
    let peak = || {
        peak_rss_mb()
            .filter(|_| resettable)
            .map_or("n/a".to_string(), |mb| format!("{mb:.0} MB"))
    };
    let compiled = format!(
        "N={spokes:<5} load {:>9}  validate {:>9}  flows {:>9}",
        show(load),
        show(validate),
        show(flows)
    );
    if compile_only {
        println!("{compiled}  peak RSS {:>7}", peak());
        return;
    }
    let search = median(|| {
        black_box(analyse_unverified(black_box(&design)));
    });
    let grouping_times = (vms > 0).then(|| {
        let classes = ports::port_classes(&[&design]);
        let engine = Engine::without_diagnostics(synthetic::prepare(&design).design);
        let required = required::evaluate(&engine);
        let search = |grouping| {
            median(|| {
                let mut fixes = FixEvaluator::new(&required);
                black_box(search_sources(&engine, &classes, &mut fixes, grouping));
            })
        };
        let (when_it_pays, alike, alone) = (
            search(SourceGrouping::AlikeWhenItPays),
            search(SourceGrouping::Alike),
            search(SourceGrouping::EachOnItsOwn),
        );
        format!(
            "  exfil search: {} as analysed / {} alike sources once / {} each on its own",
            show(when_it_pays),
            show(alike),
            show(alone)
        )
    });
    let analysis = median(|| {
        black_box(analyse(black_box(&design)));
    });
    let result = analyse(&design);
    let findings = &result.exfiltration.findings;
    println!(
        "{compiled}  search {:>9}  analysis {:>9}  peak RSS {:>7}  ({} required flows, {} paths, {} flows in paths, {} verified fixes)",
        show(search),
        show(analysis),
        peak(),
        result.required.len(),
        findings.len(),
        findings.iter().map(|f| f.flows.len()).sum::<usize>(),
        findings.iter().map(|f| f.fixes.len()).sum::<usize>(),
    );
    if let Some(line) = grouping_times {
        println!("{line}");
    }
}

/// The value given after `flag`.
fn flag_value<'a>(args: &'a [String], flag: &str) -> Option<&'a String> {
    let position = args.iter().position(|a| a == flag)?;
    Some(
        args.get(position + 1)
            .unwrap_or_else(|| panic!("{flag} takes a value")),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let vms: u32 =
        flag_value(&args, "--vms").map_or(0, |v| v.parse().expect("--vms takes a count"));
    let sizes: Vec<u32> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| *i == 0 || args[i - 1] != "--vms")
        .filter_map(|(_, a)| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10, 30, 100]
    } else {
        sizes
    };
    let write_to = flag_value(&args, "--write");
    for spokes in sizes {
        match write_to {
            Some(dir) => {
                let path = match vms {
                    0 => format!("{dir}/hub-spoke-{spokes}.json"),
                    _ => format!("{dir}/hub-spoke-{spokes}-vms-{vms}.json"),
                };
                let text =
                    serde_json::to_string_pretty(&hub_spoke::hub_spoke_with_vms(spokes, vms))
                        .expect("design serialises");
                std::fs::create_dir_all(dir).expect("output directory can be created");
                std::fs::write(&path, text).expect("design file can be written");
                println!("wrote {path}");
            }
            None => bench(spokes, vms, args.iter().any(|a| a == "--compile-only")),
        }
    }
}
