//! `vnetlab check`: the IL5 compliance checks (seed 004 Steps B and G) and the curated
//! environment registry check. Exits 1 when a check fails.

use clap::Args;
use serde::Serialize;

use crate::analysis::compliance::checks;

use super::checked::{load_valid, ValidityArgs};
use super::format::{Format, FormatArgs};
use super::input::InputArgs;
use super::order;
use super::outcome::Outcome;
use super::output::document;
use super::report::{diagnostic_items, element_path, emit, Item, Report, Status, COMPLIANCE_CHECK};
use super::Stop;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    validity: ValidityArgs,
    #[command(flatten)]
    format: FormatArgs,
}

#[derive(Debug, Serialize)]
struct CheckJson<'a> {
    policy: &'static str,
    definition_id: Option<&'static str>,
    resource: &'a str,
    passed: bool,
    why: &'a str,
}

pub fn run(args: CheckArgs) -> Result<Outcome, Stop> {
    let format = args.format.format();
    let checked = load_valid("check", &args.input, &args.validity, format)?;
    let mut results = checks(&checked.loaded.design);
    order::compliance_checks(&mut results);
    let outcome = if results.iter().all(|c| c.passed) {
        Outcome::Passed
    } else {
        Outcome::Failed
    };
    if let Some(report_format) = format.report() {
        let file = &args.input.input;
        let mut items = diagnostic_items(file, &checked.diagnostics);
        items.extend(results.iter().map(|check| Item {
            rule: &COMPLIANCE_CHECK,
            status: if check.passed {
                Status::Passed
            } else {
                Status::Failed
            },
            title: format!("{} on {}", check.policy, check.resource),
            message: format!("{}: {} — {}", check.resource, check.policy, check.why),
            file: file.clone(),
            path: element_path(&checked.loaded, &check.resource),
            element: Some(check.resource.clone()),
            fixes: Vec::new(),
            trace: Vec::new(),
        }));
        let report = Report {
            command: "check",
            inputs: vec![file.clone()],
            items,
        };
        emit(report_format, &report);
        return Ok(outcome);
    }
    if format == Format::Json {
        let json: Vec<CheckJson> = results
            .iter()
            .map(|c| CheckJson {
                policy: c.policy,
                definition_id: c.definition_id,
                resource: &c.resource,
                passed: c.passed,
                why: &c.why,
            })
            .collect();
        document(&serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?);
    } else {
        for check in &results {
            let id = check.definition_id.unwrap_or("-");
            let status = if check.passed { "pass" } else { "FAIL" };
            say!(
                "{status} {}: {} [{id}] — {}",
                check.resource,
                check.policy,
                check.why
            );
        }
    }
    Ok(outcome)
}
