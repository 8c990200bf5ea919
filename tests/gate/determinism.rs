//! Deterministic output: the same design with every array shuffled (a fixed seed per run)
//! prints the same bytes — findings, fixes, hops, `breaks`, flows and checks are ordered by
//! stable keys, never by where an element sits in the input.

use serde_json::Value;

use super::support::*;

/// A small deterministic generator (64-bit LCG, Knuth's constants): no dependency, and the
/// same shuffles on every run.
struct Shuffler(u64);

impl Shuffler {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % bound as u64) as usize
    }

    /// Shuffles every array in `value`, at every depth (Fisher-Yates).
    fn shuffle(&mut self, value: &mut Value) {
        match value {
            Value::Array(items) => {
                for index in (1..items.len()).rev() {
                    let other = self.below(index + 1);
                    items.swap(index, other);
                }
                items.iter_mut().for_each(|item| self.shuffle(item));
            }
            Value::Object(members) => members.values_mut().for_each(|item| self.shuffle(item)),
            _ => {}
        }
    }
}

fn designs() -> Vec<String> {
    let mut paths: Vec<String> = std::fs::read_dir("static/examples")
        .expect("examples")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| path.to_str().expect("utf-8").to_string())
        .collect();
    paths.sort();
    paths.push(WORKSHOP.to_string());
    paths
}

/// Every analysing subcommand's output. (`validate` is left out: its JSON paths name array
/// positions, so they move with the elements by design.)
const COMMANDS: [&[&str]; 5] = [
    &["exfil", "--json"],
    &["exfil"],
    &["flows", "--json"],
    &["check", "--json"],
    &[
        "check-intents",
        "tests/fixtures/generic-intents.json",
        "--json",
    ],
];

fn output_of(command: &[&str], design: &str) -> (i32, Vec<u8>) {
    let mut args = vec![command[0], design];
    args.extend(&command[1..]);
    let output = vnetlab(&args);
    (code(&output), output.stdout)
}

/// Shuffles per design; each uses its own seeds, fixed so a failure reproduces.
const SEEDS: [u64; 3] = [0x5eed, 0xc0ffee, 0xfeed_f00d];

#[test]
fn shuffled_arrays_print_the_same_bytes() {
    let scratch = Scratch::new("shuffled");
    let designs = designs();
    assert!(designs.len() >= 9, "{designs:?}");
    let mut differences = Vec::new();
    for (number, design) in designs.iter().enumerate() {
        let outputs: Vec<(i32, Vec<u8>)> = COMMANDS
            .iter()
            .map(|command| output_of(command, design))
            .collect();
        for seed in SEEDS {
            let mut shuffler = Shuffler(seed + number as u64);
            let mut shuffled = read_json(design);
            shuffler.shuffle(&mut shuffled);
            let copy = scratch.file(
                &format!("shuffled-{number}-{seed:x}.json"),
                &serde_json::to_string_pretty(&shuffled).expect("json"),
            );
            assert_ne!(read_json(&copy), read_json(design), "{design} was shuffled");
            for (command, (code, original)) in COMMANDS.iter().zip(&outputs) {
                let (shuffled_code, shuffled) = output_of(command, &copy);
                if (code, original) != (&shuffled_code, &shuffled) {
                    differences.push(format!(
                        "{command:?} {design}, seed {seed:x} (exit {code} / {shuffled_code}): {}",
                        first_difference(original, &shuffled)
                    ));
                }
            }
            // And the diff of the two sees no change at all.
            let diff = vnetlab(&["diff", design, &copy, "--json", "--fail-on-regression"]);
            let changes: Value = serde_json::from_slice(&diff.stdout).expect("diff JSON");
            for list in ["changed", "broken", "repaired", "opened", "closed"] {
                if changes[list].as_array().is_none_or(|l| !l.is_empty()) {
                    differences.push(format!(
                        "diff {design}, seed {seed:x}: {list} {}",
                        changes[list]
                    ));
                }
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// The first differing line of two outputs, for the failure message.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map_or(
            "(one output is a prefix of the other)".to_string(),
            |(n, (x, y))| format!("line {}:\n  before: {x}\n  after:  {y}", n + 1),
        )
}
