//! The reducer's cost of a toggle flip (`cargo bench --bench reducer`): what the main thread
//! computes before rendering when the user flips the first applicable toggle of each scenario —
//! with the flipped design's evaluation already computed for its badge (the usual case) and
//! without (a flip before the badge is in). The wasm build runs this at 1.2–2.5× native. Medians,
//! printed and recorded in README.md.

use std::hint::black_box;
use std::time::{Duration, Instant};

use vnetlab::view::scenarios::presets;
use vnetlab::view::state::{apply, Action, AppState};

fn median_ms(budget: Duration, mut work: impl FnMut()) -> f64 {
    work();
    let start = Instant::now();
    let mut times = Vec::new();
    while start.elapsed() < budget || times.len() < 5 {
        let run = Instant::now();
        work();
        times.push(run.elapsed());
    }
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e3
}

fn main() {
    println!("{:<32} {:>12} {:>12}", "preset", "cached (ms)", "cold (ms)");
    for preset in presets() {
        let design = preset.design().expect("presets load");
        let cold = AppState::new(design, preset.id, false);
        let Some(toggle) = cold.toggles.iter().find(|t| t.on.is_some()).map(|t| t.id) else {
            continue;
        };
        let warm = cold.clone().with_all_badges();
        let flip = || Action::Flip(toggle.to_string());
        let cached = median_ms(Duration::from_millis(700), || {
            black_box(apply(warm.clone(), flip()));
        });
        let uncached = median_ms(Duration::from_millis(700), || {
            black_box(apply(cold.clone(), flip()));
        });
        println!("{:<32} {cached:>12.3} {uncached:>12.3}", preset.id);
    }
}
