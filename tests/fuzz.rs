//! Seeded, deterministic mutation fuzzing of every real input the project has: the ARM
//! templates and their parameters files (`../shared/fixtures/arm`), Azure's REST API examples
//! (`../shared/fixtures/rest`), the design files (`static/examples`, `tests/fixtures`) and
//! the Terraform quickstarts (`../shared/fixtures/terraform`, text-level mutations).
//! Each case mutates one input a few times — structure-aware (a value replaced by a hostile
//! expression, a wrong type, a long string; a member deleted; an item duplicated; a value
//! moved elsewhere) or byte-level (a cut, an insertion; the input concatenated with a mutated
//! copy of itself) — and loads it within a small
//! evaluation budget. Every case must: not panic; fail only with an error naming a location;
//! give every diagnostic a location — for converted inputs (ARM, REST), in the user's file —;
//! stay within the budget; and, when a design loads, compile.
//! The cases are fixed by the seed, so a failure names a case that reproduces every time.
#![cfg(not(target_arch = "wasm32"))]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde_json::Value;
use vnetlab::engine::Engine;
use vnetlab::import::{
    load_template, EvaluationLimits, InputFormat, LoadError, Loaded, TemplateInputs,
};

const SEED: u64 = 0x5eed_0f15;
/// Mutated cases per input.
const CASES_PER_INPUT: u64 = 48;
/// A budget 50 times the largest fixture's use (3,302 steps), small enough that no case is
/// slow in a debug build.
const FUZZ_STEPS: u64 = 200_000;

/// splitmix64: a tiny deterministic generator, so cases do not depend on a crate's stream.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One input to mutate: the file, its text, and for a template its parameters file.
struct Input {
    path: String,
    text: String,
    parameters: Option<(String, String)>,
}

fn json_files(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries =
            std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn corpus() -> Vec<Input> {
    let mut inputs = Vec::new();
    for file in json_files(Path::new("../shared/fixtures/arm")) {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name == "azuredeploy.json" {
            inputs.push(Input {
                path: file.display().to_string(),
                text: read(&file),
                parameters: None,
            });
        } else {
            // A parameters file is fuzzed together with its (unchanged) template.
            let template = file.with_file_name("azuredeploy.json");
            inputs.push(Input {
                path: template.display().to_string(),
                text: read(&template),
                parameters: Some((file.display().to_string(), read(&file))),
            });
        }
    }
    for folder in [
        "static/examples",
        "tests/fixtures",
        "../shared/fixtures/rest",
    ] {
        for file in json_files(Path::new(folder)) {
            inputs.push(Input {
                path: file.display().to_string(),
                text: read(&file),
                parameters: None,
            });
        }
    }
    inputs
}

/// Values that have broken evaluators: doubling, amplification, nested loops, bad syntax,
/// wrong types inside expressions, unknown names, and plain bad values.
const HOSTILE_STRINGS: [&str; 16] = [
    "[concat(variables('x'), variables('x'))]",
    "[reduce(range(0, 64), 'ab', lambda('t', 'i', concat(lambdaVariables('t'), lambdaVariables('t'))))]",
    "[map(range(0, 8000), lambda('i', range(0, 8000)))]",
    "[replace(replace(string(range(0, 8000)), ',', string(range(0, 8000))), '1', string(range(0, 8000)))]",
    "[sort(range(0, 8000), lambda('a', 'b', less(lambdaVariables('b'), lambdaVariables('a'))))]",
    "[parameters('missing')]",
    "[variables('missing')]",
    "[reference('nowhere').properties.x]",
    "[concat(",
    "[[escaped",
    "[add('a', 1)]",
    "[copyIndex()]",
    "[json('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]')]",
    "10.0.0.0/33",
    "",
    "*",
];

fn hostile_value(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => Value::from(rng.next() as i64),
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::Null,
        3 => Value::Array(Vec::new()),
        4 => serde_json::json!({ "unexpected": [1, "two", null] }),
        5 => Value::String("x".repeat(200_000)),
        _ => Value::String(rng.pick(&HOSTILE_STRINGS).to_string()),
    }
}

/// JSON pointers of every value in `value`.
fn pointers(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![(String::new(), value)];
    while let Some((pointer, value)) = pending.pop() {
        match value {
            Value::Array(items) => pending.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (format!("{pointer}/{i}"), item)),
            ),
            Value::Object(object) => pending.extend(object.iter().map(|(key, item)| {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                (format!("{pointer}/{escaped}"), item)
            })),
            _ => {}
        }
        found.push(pointer);
    }
    found.sort();
    found
}

/// `pointer`'s parent and last segment.
fn split_pointer(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, last.replace("~1", "/").replace("~0", "~")))
}

/// One structure-aware mutation of `document`.
fn mutate(document: &mut Value, rng: &mut Rng) {
    let all = pointers(document);
    let target = rng.pick(&all).clone();
    match rng.below(5) {
        0 | 1 => {
            if let Some(slot) = document.pointer_mut(&target) {
                *slot = hostile_value(rng);
            }
        }
        2 => {
            let Some((parent, last)) = split_pointer(&target) else {
                return;
            };
            match document.pointer_mut(parent) {
                Some(Value::Object(object)) => {
                    object.remove(&last);
                }
                Some(Value::Array(items)) => {
                    if let Ok(index) = last.parse::<usize>() {
                        if index < items.len() {
                            let copy = items[index].clone();
                            items.insert(index, copy);
                        }
                    }
                }
                _ => {}
            }
        }
        3 => {
            let donor = rng.pick(&all).clone();
            let moved = document.pointer(&donor).cloned();
            if let (Some(moved), Some(slot)) = (moved, document.pointer_mut(&target)) {
                if pointers(&moved).len() < 2_000 {
                    *slot = moved;
                }
            }
        }
        _ => {
            let Some((parent, last)) = split_pointer(&target) else {
                return;
            };
            if let Some(Value::Object(object)) = document.pointer_mut(parent) {
                if let Some(value) = object.remove(&last) {
                    object.insert(format!("[concat('{last}')]"), value);
                }
            }
        }
    }
}

/// A byte-level mutation: a cut and an insertion at one place.
fn mutate_bytes(text: &str, rng: &mut Rng) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let at = rng.below(bytes.len());
    let end = (at + rng.below(48)).min(bytes.len());
    let inserts: [&[u8]; 6] = [b"", b"[", b"]}", b"\"", b"{\"a\":", b"\\u00"];
    bytes.splice(at..end, rng.pick(&inserts).iter().copied());
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The mutated text of `input` for case `case`, and whether the parameters file was mutated.
fn mutated(input: &Input, rng: &mut Rng) -> (String, Option<(String, String)>) {
    let mutate_text = |text: &str, rng: &mut Rng| -> String {
        match rng.below(12) {
            0 | 1 => return mutate_bytes(text, rng),
            // Concatenated documents: the input twice, the second one mutated.
            2 => return format!("{text}\n{}", mutate_bytes(text, rng)),
            _ => {}
        }
        let Ok(mut document) = serde_json::from_str::<Value>(text) else {
            return mutate_bytes(text, rng);
        };
        for _ in 0..=rng.below(3) {
            mutate(&mut document, rng);
        }
        document.to_string()
    };
    match &input.parameters {
        Some((name, text)) => (
            input.text.clone(),
            Some((name.clone(), mutate_text(text, rng))),
        ),
        None => (mutate_text(&input.text, rng), None),
    }
}

/// Whether an error says where the problem is.
fn located(error: &LoadError) -> bool {
    error
        .path
        .as_deref()
        .is_some_and(|path| path.starts_with('$'))
        || error.line.is_some()
}

/// Whether `location` is in `file` (`file: $…` or `file, document N: $…`).
fn in_file(location: &str, file: &str) -> bool {
    location.strip_prefix(file).is_some_and(|rest| {
        rest.starts_with(": $")
            || rest
                .strip_prefix(", document ")
                .and_then(|rest| rest.split_once(": $"))
                .is_some_and(|(number, _)| number.parse::<usize>().is_ok())
    })
}

/// `files` are the user's files (the input and its parameters file).
fn check(
    label: &str,
    files: &[&str],
    result: &Result<Loaded, LoadError>,
    limits: EvaluationLimits,
) {
    match result {
        Err(error) => {
            assert!(
                located(error),
                "{label}: an error without a location: {error}"
            );
            if let Some(exceeded) = &error.budget {
                assert!(
                    exceeded.usage.steps <= limits.steps,
                    "{label}: {exceeded:?}"
                );
                assert!(
                    exceeded.usage.bytes <= limits.bytes,
                    "{label}: {exceeded:?}"
                );
            }
            assert!(
                error.to_string().len() < 2_000,
                "{label}: an overlong error"
            );
        }
        Ok(loaded) => {
            for diagnostic in &loaded.diagnostics {
                assert!(
                    diagnostic.path.contains('$') || diagnostic.path.contains("--param"),
                    "{label}: a diagnostic without a location: {diagnostic}"
                );
                assert!(
                    diagnostic.message.len() < 2_000,
                    "{label}: an overlong message at {}: {}…{}",
                    diagnostic.path,
                    diagnostic.message.get(..100).unwrap_or_default(),
                    diagnostic
                        .message
                        .get(diagnostic.message.len() - 100..)
                        .unwrap_or_default()
                );
            }
            if loaded.format != InputFormat::Design {
                for diagnostic in &loaded.diagnostics {
                    assert!(
                        files.iter().any(|file| in_file(&diagnostic.path, file)),
                        "{label}: a diagnostic of a converted input outside the user's files: {diagnostic}"
                    );
                }
            }
            if let Some(usage) = loaded.summary.evaluation {
                assert!(usage.steps <= limits.steps, "{label}: {usage:?}");
                assert!(usage.bytes <= limits.bytes, "{label}: {usage:?}");
            }
            let engine = Engine::new(&loaded.design);
            let _ = engine.diagnostics();
        }
    }
}

#[test]
fn mutated_fixtures_never_panic_always_locate_errors_and_stay_in_budget() {
    let limits = EvaluationLimits::with_max_steps(FUZZ_STEPS);
    let inputs = corpus();
    assert!(
        inputs.len() > 50,
        "the corpus is missing fixtures: {}",
        inputs.len()
    );
    let mut budget_stops = 0;
    let mut loaded_designs = 0;
    for (number, input) in inputs.iter().enumerate() {
        for case in 0..CASES_PER_INPUT {
            let mut rng = Rng(SEED ^ (number as u64) << 16 ^ case);
            let (text, parameters_file) = mutated(input, &mut rng);
            let label = format!("{} case {case}", input.path);
            let template_inputs = TemplateInputs {
                parameters_file,
                limits,
                ..TemplateInputs::default()
            };
            let result = catch_unwind(AssertUnwindSafe(|| {
                let result = load_template(&text, &input.path, &template_inputs);
                let mut files = vec![input.path.as_str()];
                files.extend(
                    template_inputs
                        .parameters_file
                        .as_ref()
                        .map(|(name, _)| name.as_str()),
                );
                check(&label, &files, &result, limits);
                result
            }))
            .unwrap_or_else(|_| panic!("{label} panicked"));
            match &result {
                Err(error) if error.budget.is_some() => budget_stops += 1,
                Ok(_) => loaded_designs += 1,
                Err(_) => {}
            }
            if case == 0 {
                let again = load_template(&text, &input.path, &template_inputs);
                assert_eq!(
                    again
                        .as_ref()
                        .map(|l| l.summary.evaluation)
                        .map_err(ToString::to_string),
                    result
                        .as_ref()
                        .map(|l| l.summary.evaluation)
                        .map_err(ToString::to_string),
                    "{label}: the same input evaluated differently"
                );
            }
        }
    }
    eprintln!("{loaded_designs} loaded, {budget_stops} stopped by the budget");
    // The mutations reach evaluation: some cases load, and some spend the budget.
    assert!(loaded_designs > 100, "only {loaded_designs} cases loaded");
    assert!(
        budget_stops > 5,
        "only {budget_stops} cases reached the budget"
    );
}

/// Snippets spliced into Terraform files: unbalanced syntax, references to nothing, huge
/// counts, self references, splats and functions on the wrong types.
const HCL_INSERTS: [&str; 14] = [
    "",
    "{",
    "}\n",
    "\"${",
    "count = 100000000\n",
    "for_each = var.nothing\n",
    "name = local.loop\n",
    "x = azurerm_subnet.missing[*].id\n",
    "[for a in range(1000000) : a]",
    "cidrsubnet(\"10.0.0.0/8\", -4, 99)",
    "dynamic \"security_rule\" {\n for_each = 7\n content {}\n}\n",
    "locals {\n loop = local.loop\n}\n",
    "module \"m\" {\n source = \"./\"\n}\n",
    "format(\"%999999999d\", 1)",
];

/// Every Terraform quickstart folder, one file mutated per case (spliced snippets, cuts,
/// duplicated lines): loading never panics, an error names its file, every diagnostic has a
/// location, and the budget holds.
#[test]
fn mutated_terraform_never_panics_and_always_locates_problems() {
    use vnetlab::import::{load_terraform, SourceFile, TerraformInputs};
    let root = Path::new("../shared/fixtures/terraform");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("terraform fixtures")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    assert!(folders.len() >= 10, "{folders:?}");
    let limits = EvaluationLimits::with_max_steps(FUZZ_STEPS);
    let mut loaded_designs = 0;
    for (number, folder) in folders.iter().enumerate() {
        let files = vnetlab::cli::read_terraform_folder(folder).expect("folder");
        let tf: Vec<usize> = (0..files.len())
            .filter(|&i| files[i].path.ends_with(".tf"))
            .collect();
        for case in 0..24u64 {
            let mut rng = Rng(SEED ^ ((number as u64) << 20) ^ case);
            let mut mutated: Vec<SourceFile> = files.clone();
            let target = *rng.pick(&tf);
            let text = &mutated[target].text;
            let mut chars: Vec<char> = text.chars().collect();
            let at = rng.below(chars.len());
            let end = (at + rng.below(40)).min(chars.len());
            let insert: Vec<char> = rng.pick(&HCL_INSERTS).chars().collect();
            chars.splice(at..end, insert);
            mutated[target].text = chars.into_iter().collect();
            let label = format!("{} case {case}", folder.display());
            let inputs = TerraformInputs {
                limits,
                ..TerraformInputs::default()
            };
            let result = catch_unwind(AssertUnwindSafe(|| load_terraform(&mutated, "tf", &inputs)))
                .unwrap_or_else(|_| panic!("{label} panicked"));
            match result {
                Ok(loaded) => {
                    loaded_designs += 1;
                    for diagnostic in &loaded.diagnostics {
                        assert!(
                            !diagnostic.path.is_empty(),
                            "{label}: {diagnostic} has no location"
                        );
                    }
                    let usage = loaded.summary.evaluation.expect("usage");
                    assert!(
                        usage.steps <= limits.steps && usage.bytes <= limits.bytes,
                        "{label}"
                    );
                }
                Err(error) => assert!(
                    error.budget.is_some()
                        || (error.source.ends_with(".tf") && error.line.is_some()),
                    "{label}: {error} names no place"
                ),
            }
        }
    }
    // Some mutations keep the syntax valid and reach evaluation.
    assert!(loaded_designs > 30, "only {loaded_designs} cases loaded");
}
