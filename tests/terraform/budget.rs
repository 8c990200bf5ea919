//! The evaluation budget (shared with ARM templates): the quickstarts fit it with room to
//! spare; inputs that would hang or exhaust memory stop with an error naming the file, line
//! and expression.

use vnetlab::import::{
    load_terraform, BudgetMeasure, EvaluationLimits, SourceFile, TerraformInputs,
};

use super::import_folder;

fn load(
    text: &str,
    limits: EvaluationLimits,
) -> Result<vnetlab::import::Loaded, vnetlab::import::LoadError> {
    let files = [SourceFile {
        path: "main.tf".into(),
        text: text.into(),
    }];
    load_terraform(
        &files,
        "test",
        &TerraformInputs {
            limits,
            ..TerraformInputs::default()
        },
    )
}

#[test]
fn the_quickstarts_use_a_small_part_of_the_default_budget() {
    let limits = EvaluationLimits::default();
    for folder in ["201-machine-learning-moderately-secure", "301-hub-spoke"] {
        let usage = import_folder(folder, &TerraformInputs::default())
            .summary
            .evaluation
            .expect("usage");
        assert!(usage.steps * 100 < limits.steps, "{folder}: {usage:?}");
        assert!(usage.bytes * 100 < limits.bytes, "{folder}: {usage:?}");
        assert!(
            usage.elements * 100 < limits.elements,
            "{folder}: {usage:?}"
        );
    }
}

#[test]
fn a_huge_count_stops_on_the_element_limit() {
    let text = r#"
resource "azurerm_network_security_group" "n" {
  count               = 100000000
  name                = "n${count.index}"
  location            = "eastus"
  resource_group_name = "rg"
}
"#;
    let error = load(text, EvaluationLimits::default()).unwrap_err();
    let budget = error.budget.expect("a budget error");
    assert_eq!(budget.measure, BudgetMeasure::Elements);
    assert!(budget.path.starts_with("main.tf:"), "{budget:?}");
}

#[test]
fn a_doubling_chain_stops_on_the_bytes_limit() {
    let mut text = String::from("locals {\n  l0 = \"xxxxxxxxxxxxxxxx\"\n");
    for i in 1..=40 {
        text.push_str(&format!(
            "  l{i} = \"${{local.l{}}}${{local.l{}}}\"\n",
            i - 1,
            i - 1
        ));
    }
    text.push_str("}\nresource \"azurerm_network_security_group\" \"n\" {\n  name = local.l40\n  location = \"eastus\"\n  resource_group_name = \"rg\"\n}\n");
    let error = load(&text, EvaluationLimits::default()).unwrap_err();
    assert_eq!(
        error.budget.expect("a budget error").measure,
        BudgetMeasure::Bytes
    );
}

#[test]
fn a_long_range_stops_on_its_size_before_it_is_built() {
    let text =
        "locals {\n  r = range(1000000000000)\n}\noutput \"o\" { value = length(local.r) }\n";
    let error = load(text, EvaluationLimits::default()).unwrap_err();
    assert_eq!(
        error.budget.expect("a budget error").measure,
        BudgetMeasure::Bytes
    );
}

#[test]
fn a_smaller_budget_stops_a_quickstart_and_says_how_to_raise_it() {
    let path = format!("{}/201-machine-learning-moderately-secure", super::FIXTURES);
    let files = vnetlab::cli::read_terraform_folder(std::path::Path::new(&path)).expect("folder");
    let inputs = TerraformInputs {
        limits: EvaluationLimits::with_max_steps(500),
        ..TerraformInputs::default()
    };
    let error = load_terraform(&files, "201", &inputs).unwrap_err();
    assert!(error.budget.is_some(), "{error}");
    assert!(
        error.to_string().contains("--max-evaluation-steps"),
        "{error}"
    );
}
