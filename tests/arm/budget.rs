//! The evaluation budget: every fixture stays far inside it; every reproducer of issue 15
//! (doubling chains, amplification, nested loops, 800 × 800 copies) stops with an error naming
//! the JSON path, the expression, the limit and `--max-evaluation-steps`, asserted through the
//! budget's own counters; `sort` is O(n log n).

use super::*;
use vnetlab::import::{BudgetMeasure, EvaluationLimits, EvaluationUsage, LoadError};

const HEADROOM: u64 = 10;

#[test]
fn every_fixture_uses_at_most_a_tenth_of_the_default_budget() {
    let limits = EvaluationLimits::default();
    let mut most = EvaluationUsage::default();
    for (folder, parameter_files, overrides, _) in fixtures() {
        let mut runs: Vec<FixtureRun> = vec![(None, &overrides)];
        runs.extend(parameter_files.iter().map(|file| (Some(*file), &[][..])));
        for (file, overrides) in runs {
            let loaded = import(folder, file, overrides);
            let usage = loaded
                .summary
                .evaluation
                .unwrap_or_else(|| panic!("{folder}: no evaluation counters"));
            assert!(usage.steps > 0, "{folder}: nothing counted");
            most = EvaluationUsage {
                steps: most.steps.max(usage.steps),
                bytes: most.bytes.max(usage.bytes),
                elements: most.elements.max(usage.elements),
                depth: most.depth.max(usage.depth),
            };
        }
    }
    assert!(
        most.steps * HEADROOM <= limits.steps,
        "{most:?} vs {limits:?}"
    );
    assert!(
        most.bytes * HEADROOM <= limits.bytes,
        "{most:?} vs {limits:?}"
    );
    assert!(
        most.elements * HEADROOM <= limits.elements,
        "{most:?} vs {limits:?}"
    );
    assert!(
        most.depth * HEADROOM <= limits.depth,
        "{most:?} vs {limits:?}"
    );
}

/// A template whose NSG carries `expression` in a tag, with `variables`.
fn tagged(expression: &str, variables: Value) -> Value {
    template(
        json!([{
            "type": "Microsoft.Network/networkSecurityGroups",
            "apiVersion": "2023-05-01",
            "name": "nsg",
            "location": "eastus",
            "tags": { "probe": expression },
            "properties": { "securityRules": [] }
        }]),
        json!({ "variables": variables }),
    )
}

fn budget_error(template: &Value) -> LoadError {
    match load_template(&template.to_string(), "t.json", &TemplateInputs::default()) {
        Ok(loaded) => panic!(
            "expected the budget to stop the evaluation, but it used {:?}",
            loaded.summary.evaluation
        ),
        Err(error) => error,
    }
}

/// The error names the path, the expression, the limit and the flag, and the counters show
/// the evaluation stopped within the default limits.
fn assert_stopped(error: &LoadError, measure: BudgetMeasure, path: &str, expression: &str) {
    let limits = EvaluationLimits::default();
    let exceeded = error
        .budget
        .as_ref()
        .unwrap_or_else(|| panic!("not a budget error: {error}"));
    assert_eq!(exceeded.measure, measure, "{error}");
    assert_eq!(error.path.as_deref(), Some(path), "{error}");
    assert!(exceeded.expression.contains(expression), "{error}");
    let text = error.to_string();
    assert!(text.starts_with(&format!("t.json: {path}: ")), "{text}");
    assert!(text.contains(&exceeded.limit.to_string()), "{text}");
    assert!(text.contains("--max-evaluation-steps"), "{text}");
    assert!(text.len() < 600, "the message quotes too much: {text}");
    let usage = exceeded.usage;
    assert!(usage.steps <= limits.steps, "{usage:?}");
    assert!(usage.bytes <= limits.bytes, "{usage:?}");
    assert!(usage.elements <= limits.elements, "{usage:?}");
}

#[test]
fn a_concat_doubling_chain_of_18_variables_stops_on_bytes() {
    let mut variables = serde_json::Map::new();
    variables.insert("v0".to_string(), json!("x".repeat(1024)));
    for i in 1..18 {
        variables.insert(
            format!("v{i}"),
            json!(format!(
                "[concat(variables('v{p}'), variables('v{p}'))]",
                p = i - 1
            )),
        );
    }
    let error = budget_error(&tagged("[variables('v17')]", Value::Object(variables)));
    assert_stopped(
        &error,
        BudgetMeasure::Bytes,
        "$.variables.v13",
        "concat(variables('v12')",
    );
}

#[test]
fn a_reduce_doubling_stops_on_bytes() {
    let error = budget_error(&tagged(
        "[reduce(range(0, 64), 'ab', lambda('text', 'i', concat(lambdaVariables('text'), lambdaVariables('text'))))]",
        json!({}),
    ));
    assert_stopped(
        &error,
        BudgetMeasure::Bytes,
        "$.resources[0].tags.probe",
        "reduce(",
    );
}

#[test]
fn nested_replace_amplification_stops_before_building_the_string() {
    let error = budget_error(&tagged(
        "[replace(replace(replace(replace(variables('a'), 'a', variables('a')), 'a', variables('a')), 'a', variables('a')), 'a', variables('a'))]",
        json!({ "a": "a".repeat(200) }),
    ));
    assert_stopped(
        &error,
        BudgetMeasure::Bytes,
        "$.resources[0].tags.probe",
        "replace(",
    );
    // Refused before it was built: the accepted values stay small.
    let usage = error.budget.expect("budget").usage;
    assert!(usage.bytes < 16 * 1024 * 1024, "{usage:?}");
}

#[test]
fn a_map_of_range_8000_over_range_8000_stops_on_bytes() {
    let error = budget_error(&tagged(
        "[map(range(0, 8000), lambda('i', range(0, 8000)))]",
        json!({}),
    ));
    assert_stopped(
        &error,
        BudgetMeasure::Bytes,
        "$.resources[0].tags.probe",
        "map(range",
    );
}

#[test]
fn eight_hundred_nsgs_each_copying_800_rules_stop() {
    let template = template(
        json!([{
            "type": "Microsoft.Network/networkSecurityGroups",
            "apiVersion": "2023-05-01",
            "name": "[concat('nsg', copyIndex())]",
            "location": "eastus",
            "copy": { "name": "nsgs", "count": 800 },
            "properties": {
                "copy": [{
                    "name": "securityRules",
                    "count": 800,
                    "input": {
                        "name": "[concat('rule', copyIndex('securityRules'))]",
                        "properties": {
                            "priority": "[add(100, copyIndex('securityRules'))]",
                            "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                            "sourceAddressPrefix": "*", "sourcePortRange": "*",
                            "destinationAddressPrefix": "*", "destinationPortRange": "443"
                        }
                    }
                }]
            }
        }]),
        json!({}),
    );
    let error = budget_error(&template);
    let exceeded = error.budget.clone().expect("a budget error");
    assert!(
        error
            .path
            .as_deref()
            .is_some_and(|path| path.starts_with("$.resources[0].properties")),
        "{error}"
    );
    assert_stopped(
        &error,
        exceeded.measure,
        error.path.as_deref().unwrap_or_default(),
        "",
    );
}

#[test]
fn definitions_nested_deeper_than_the_limit_stop_on_depth() {
    let mut variables = serde_json::Map::new();
    variables.insert("v0".to_string(), json!("end"));
    for i in 1..200 {
        variables.insert(format!("v{i}"), json!(format!("[variables('v{}')]", i - 1)));
    }
    let error = budget_error(&tagged("[variables('v199')]", Value::Object(variables)));
    let exceeded = error.budget.clone().expect("a budget error");
    assert_eq!(exceeded.measure, BudgetMeasure::Depth, "{error}");
    assert_eq!(exceeded.usage.depth, EvaluationLimits::default().depth + 1);
    assert!(
        error.to_string().contains("nested more than 64 deep"),
        "{error}"
    );
    // 63 variables under the resource reach the limit exactly.
    let mut within = serde_json::Map::new();
    within.insert("v0".to_string(), json!("end"));
    for i in 1..63 {
        within.insert(format!("v{i}"), json!(format!("[variables('v{}')]", i - 1)));
    }
    let loaded = load(&tagged("[variables('v62')]", Value::Object(within)));
    assert_eq!(loaded.summary.evaluation.map(|usage| usage.depth), Some(64));
}

#[test]
fn sorting_8000_items_takes_n_log_n_comparisons() {
    let loaded = load(&tagged(
        "[string(sort(map(range(0, 8000), lambda('i', sub(7999, lambdaVariables('i')))), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b')))))]",
        json!({}),
    ));
    // The tag is imported nowhere, so read the counters: 8000 × log2(8000) ≈ 104,000
    // comparisons of a few steps each; an insertion sort needs 32 million.
    let usage = loaded.summary.evaluation.expect("counters");
    assert!(usage.steps < 2_000_000, "{usage:?}");
    assert!(usage.steps > 8000 * 13, "{usage:?}");
}

#[test]
fn sort_orders_stably_by_the_lambda() {
    let (description, loaded) = description_of(&with_description(
        "[string(sort(createArray(3, 1, 2, 1), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b')))))]",
        json!({}),
    ));
    assert!(errors(&loaded).is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(description, "[1,1,2,3]");
}

#[test]
fn a_larger_budget_lets_a_stopped_template_finish() {
    let doubling = tagged(
        "[reduce(range(0, 16), 'ab', lambda('text', 'i', concat(lambdaVariables('text'), lambdaVariables('text'))))]",
        json!({}),
    );
    let text = doubling.to_string();
    let small = TemplateInputs {
        limits: EvaluationLimits::with_max_steps(10_000),
        ..TemplateInputs::default()
    };
    let error = load_template(&text, "t.json", &small).expect_err("10,000 steps are too few");
    assert_eq!(error.budget.map(|b| b.measure), Some(BudgetMeasure::Bytes));
    let loaded = load_template(&text, "t.json", &TemplateInputs::default()).expect("fits");
    assert!(loaded
        .summary
        .evaluation
        .is_some_and(|usage| usage.bytes > 160_000));
}

#[test]
fn cli_names_the_flag_and_the_flag_raises_the_budget() {
    let path = std::env::temp_dir().join(format!("vnetlab-budget-{}.json", std::process::id()));
    let doubling = tagged(
        "[reduce(range(0, 16), 'ab', lambda('text', 'i', concat(lambdaVariables('text'), lambdaVariables('text'))))]",
        json!({}),
    );
    std::fs::write(&path, doubling.to_string()).expect("temp file");
    let file = path.display().to_string();
    let stopped = vnetlab(&["import", &file, "--max-evaluation-steps", "10000"]);
    let stderr = String::from_utf8_lossy(&stopped.stderr);
    assert_eq!(stopped.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("$.resources[0].tags.probe"), "{stderr}");
    assert!(stderr.contains("--max-evaluation-steps"), "{stderr}");
    let finished = vnetlab(&["import", &file]);
    assert!(
        finished.status.success(),
        "{}",
        String::from_utf8_lossy(&finished.stderr)
    );
    let _ = std::fs::remove_file(&path);
}
