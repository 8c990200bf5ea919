//! `vnetlab diff`: what changed between two designs — required flows broken or repaired,
//! verdict changes, exfiltration paths opened or closed. `--fail-on-regression` makes it a CI
//! gate: exit 1 when the change opens a path or breaks a required flow, 2 when the after design
//! leaves something undetermined (unless `--allow-undetermined`).

use clap::Args;
use serde::Serialize;

use crate::analysis::diff::{diff, DesignDiff};
use crate::engine::Verdict;
use crate::import::DEFAULT_MAX_EVALUATION_STEPS;

use super::checked::{load_valid, Checked, ValidityArgs};
use super::format::{Format, FormatArgs};
use super::input::InputArgs;
use super::outcome::Outcome;
use super::output::document;
use super::report::{
    diagnostic_items, element_path, emit, Item, Report, Rule, Status, BROKEN_FLOW, OPENED_PATH,
    UNDETERMINED_AFTER_CHANGE,
};
use super::Stop;

/// Two inputs: semantics options apply to both; template flags to one side each, so a
/// template's parameters never leak into the design it is compared with.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The design before the change (design, Azure JSON or ARM template).
    before: String,
    /// The design after the change (design, Azure JSON or ARM template).
    after: String,
    /// Override an evaluation option on both sides (see README "Semantics options").
    /// Repeatable.
    #[arg(long = "option", value_name = "NAME=VALUE")]
    options: Vec<String>,
    /// The after side's ARM parameters file.
    #[arg(long = "parameters", value_name = "P.json")]
    parameters: Option<String>,
    /// An after-side ARM parameter value, applied after `--parameters`. Repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// The after side's resource group region (ARM templates).
    #[arg(long = "location", value_name = "REGION")]
    location: Option<String>,
    /// The before side's ARM parameters file.
    #[arg(long = "before-parameters", value_name = "P.json")]
    before_parameters: Option<String>,
    /// A before-side ARM parameter value. Repeatable.
    #[arg(long = "before-param", value_name = "NAME=VALUE")]
    before_params: Vec<String>,
    /// The before side's resource group region (ARM templates).
    #[arg(long = "before-location", value_name = "REGION")]
    before_location: Option<String>,
    /// ARM templates, both sides: the evaluation budget in steps (see `import`).
    #[arg(long = "max-evaluation-steps", value_name = "N",
          default_value_t = DEFAULT_MAX_EVALUATION_STEPS)]
    max_evaluation_steps: u64,
    /// Exit 1 when the change opens an exfiltration path or breaks a required flow; 2 when
    /// the after design leaves a path or required flow undetermined.
    #[arg(long)]
    fail_on_regression: bool,
    /// With `--fail-on-regression`: undetermined results do not fail the gate.
    #[arg(long, requires = "fail_on_regression")]
    allow_undetermined: bool,
    #[command(flatten)]
    validity: ValidityArgs,
    #[command(flatten)]
    format: FormatArgs,
}

#[derive(Debug, Serialize)]
struct ChangeJson<'a> {
    key: &'a str,
    before: Option<&'static str>,
    after: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct DiffJson<'a> {
    changed: Vec<ChangeJson<'a>>,
    broken: &'a [String],
    repaired: &'a [String],
    opened: &'a [String],
    closed: &'a [String],
    undetermined: &'a [String],
}

impl DiffArgs {
    fn sides(&self) -> (InputArgs, InputArgs) {
        let before = InputArgs {
            input: self.before.clone(),
            options: self.options.clone(),
            parameters: self.before_parameters.clone(),
            params: self.before_params.clone(),
            location: self.before_location.clone(),
            max_evaluation_steps: self.max_evaluation_steps,
            variables: Vec::new(),
            variable_files: Vec::new(),
        };
        let after = InputArgs {
            input: self.after.clone(),
            options: self.options.clone(),
            parameters: self.parameters.clone(),
            params: self.params.clone(),
            location: self.location.clone(),
            max_evaluation_steps: self.max_evaluation_steps,
            variables: Vec::new(),
            variable_files: Vec::new(),
        };
        (before, after)
    }
}

/// The gate: a definite regression fails; a required flow broken into `unsupported` is
/// undetermined, as is anything the after design leaves undetermined.
fn gate(result: &DesignDiff, allow_undetermined: bool) -> Outcome {
    let definitely_broken = result.changed.iter().any(|change| {
        result.broken.contains(&change.key) && change.after != Some(Verdict::Unsupported)
    });
    Outcome::of_gate(
        definitely_broken || !result.opened.is_empty(),
        !result.undetermined.is_empty(),
        allow_undetermined,
    )
}

/// The report items, about the after input: opened paths and broken flows fail (a flow broken
/// into `unsupported` is undetermined), undetermined results are undetermined, repaired flows
/// and closed paths pass; both inputs' diagnostics come first.
fn report(before: (&str, &Checked), after: (&str, &Checked), result: &DesignDiff) -> Report {
    let mut items = diagnostic_items(before.0, &before.1.diagnostics);
    items.extend(diagnostic_items(after.0, &after.1.diagnostics));
    let item = |rule: &'static Rule, status: Status, key: &String, what: &str| {
        // Path keys start with their source element: `source -> sink (kind) proto ports`.
        let element = key.split_once(" -> ").map(|(source, _)| source.to_string());
        Item {
            rule,
            status,
            title: key.clone(),
            message: format!("{what}: {key}"),
            file: after.0.to_string(),
            path: element
                .as_deref()
                .and_then(|source| element_path(&after.1.loaded, source)),
            element,
            fixes: Vec::new(),
            trace: Vec::new(),
        }
    };
    for key in &result.opened {
        items.push(item(
            &OPENED_PATH,
            Status::Failed,
            key,
            "The change opens the exfiltration path",
        ));
    }
    for change in result
        .changed
        .iter()
        .filter(|c| result.broken.contains(&c.key))
    {
        let status = if change.after == Some(Verdict::Unsupported) {
            Status::Undetermined
        } else {
            Status::Failed
        };
        items.push(item(
            &BROKEN_FLOW,
            status,
            &change.key,
            "The change breaks the required flow",
        ));
    }
    for key in &result.undetermined {
        items.push(item(
            &UNDETERMINED_AFTER_CHANGE,
            Status::Undetermined,
            key,
            "After the change, vnetlab cannot decide",
        ));
    }
    for key in &result.repaired {
        items.push(item(
            &BROKEN_FLOW,
            Status::Passed,
            key,
            "The change repairs the required flow",
        ));
    }
    for key in &result.closed {
        items.push(item(
            &OPENED_PATH,
            Status::Passed,
            key,
            "The change closes the exfiltration path",
        ));
    }
    Report {
        command: "diff",
        inputs: vec![before.0.to_string(), after.0.to_string()],
        items,
    }
}

pub fn run(args: DiffArgs) -> Result<Outcome, Stop> {
    let format = args.format.format();
    let (before_input, after_input) = args.sides();
    let before = load_valid("diff", &before_input, &args.validity, format)?;
    let after = load_valid("diff", &after_input, &args.validity, format)?;
    let result = diff(&before.loaded.design, &after.loaded.design);
    let outcome = if args.fail_on_regression {
        gate(&result, args.allow_undetermined)
    } else {
        Outcome::Passed
    };
    if let Some(report_format) = format.report() {
        let sides = (
            (before_input.input.as_str(), &before),
            (after_input.input.as_str(), &after),
        );
        emit(report_format, &report(sides.0, sides.1, &result));
        return Ok(outcome);
    }
    if format == Format::Json {
        let json = DiffJson {
            changed: result
                .changed
                .iter()
                .map(|c| ChangeJson {
                    key: &c.key,
                    before: c.before.map(|v| v.as_str()),
                    after: c.after.map(|v| v.as_str()),
                })
                .collect(),
            broken: &result.broken,
            repaired: &result.repaired,
            opened: &result.opened,
            closed: &result.closed,
            undetermined: &result.undetermined,
        };
        document(&serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?);
        return Ok(outcome);
    }
    let show = |label: &str, keys: &[String]| {
        for key in keys {
            say!("{label:<12} {key}");
        }
    };
    show("broken", &result.broken);
    show("repaired", &result.repaired);
    show("opened", &result.opened);
    show("closed", &result.closed);
    show("undetermined", &result.undetermined);
    for change in &result.changed {
        let verdict = |v: Option<Verdict>| v.map_or("not required", |v| v.as_str());
        say!(
            "changed      {}: {} → {}",
            change.key,
            verdict(change.before),
            verdict(change.after)
        );
    }
    say!(
        "{} broken, {} repaired, {} path(s) opened, {} closed, {} undetermined",
        result.broken.len(),
        result.repaired.len(),
        result.opened.len(),
        result.closed.len(),
        result.undetermined.len()
    );
    Ok(outcome)
}
