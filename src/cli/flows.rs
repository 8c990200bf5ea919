//! `vnetlab flows`: every required flow of the AML catalogue, bound to the design and traced.
//! The `--json` shape is a stable contract. `--fail-on-broken` makes it a CI gate.

use clap::Args;
use serde::Serialize;

use crate::analysis::prepare_compiled;
use crate::analysis::required::{self, RequiredFlow};
use crate::engine::Verdict;

use super::checked::{load_valid, ValidityArgs};
use super::format::{Format, FormatArgs};
use super::input::InputArgs;
use super::order;
use super::outcome::Outcome;
use super::output::document;
use super::report::{diagnostic_items, element_path, emit, Item, Report, Status, REQUIRED_FLOW};
use super::trace::{hop_line, hops_json, HopJson};
use super::Stop;

#[derive(Debug, Args)]
pub struct FlowsArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Exit 1 when a required (non-optional) flow does not pass, 2 when one is unsupported
    /// (undetermined) and `--allow-undetermined` is not given.
    #[arg(long)]
    fail_on_broken: bool,
    /// With `--fail-on-broken`: unsupported required flows do not fail the gate.
    #[arg(long, requires = "fail_on_broken")]
    allow_undetermined: bool,
    #[command(flatten)]
    validity: ValidityArgs,
    #[command(flatten)]
    format: FormatArgs,
}

/// The stable JSON shape of one required flow.
#[derive(Debug, Serialize)]
struct FlowJson<'a> {
    id: &'static str,
    key: String,
    source: &'a str,
    destination: &'a str,
    proto: String,
    port: Option<u16>,
    required_when: &'static str,
    optional: bool,
    writable_by_attacker: bool,
    source_document: &'static str,
    verdict: &'static str,
    reason: &'a str,
    hops: Vec<HopJson<'a>>,
}

fn to_json(flow: &RequiredFlow) -> FlowJson<'_> {
    FlowJson {
        id: flow.entry.id,
        key: flow.key(),
        source: &flow.source,
        destination: &flow.destination,
        proto: flow.flow.protocol.to_string(),
        port: flow.flow.port,
        required_when: flow.entry.required_when.describe(),
        optional: flow.entry.required_when.is_optional(),
        writable_by_attacker: flow.entry.writable_by_attacker,
        source_document: flow.entry.source_document,
        verdict: flow.trace.verdict.as_str(),
        reason: &flow.trace.reason,
        hops: hops_json(&flow.trace.hops),
    }
}

pub fn run(args: FlowsArgs) -> Result<Outcome, Stop> {
    let format = args.format.format();
    let checked = load_valid("flows", &args.input, &args.validity, format)?;
    let (prepared, _) = prepare_compiled(&checked.engine);
    let mut flows = required::evaluate(&prepared);
    order::required_flows(&mut flows);
    let gated: Vec<&RequiredFlow> = flows
        .iter()
        .filter(|f| !f.passes() && !f.entry.required_when.is_optional())
        .collect();
    let unsupported = gated
        .iter()
        .filter(|f| f.trace.verdict == Verdict::Unsupported)
        .count();
    let outcome = if args.fail_on_broken {
        Outcome::of_gate(
            gated.len() > unsupported,
            unsupported > 0,
            args.allow_undetermined,
        )
    } else {
        Outcome::Passed
    };
    if let Some(report_format) = format.report() {
        let file = &args.input.input;
        let mut items = diagnostic_items(file, &checked.diagnostics);
        items.extend(flows.iter().map(|flow| {
            let optional = flow.entry.required_when.is_optional();
            let status = match flow.trace.verdict {
                Verdict::Allowed => Status::Passed,
                _ if optional => Status::Warning,
                Verdict::Unsupported => Status::Undetermined,
                _ => Status::Failed,
            };
            Item {
                rule: &REQUIRED_FLOW,
                status,
                title: flow.key(),
                message: format!(
                    "{} → {}: {} — {}{}",
                    flow.key(),
                    flow.destination,
                    flow.trace.verdict,
                    flow.trace.reason,
                    if optional { " (optional)" } else { "" }
                ),
                file: file.clone(),
                path: element_path(&checked.loaded, &flow.source),
                element: Some(flow.source.clone()),
                fixes: Vec::new(),
                trace: flow.trace.hops.iter().map(hop_line).collect(),
            }
        }));
        let report = Report {
            command: "flows",
            inputs: vec![file.clone()],
            items,
        };
        emit(report_format, &report);
        return Ok(outcome);
    }
    if format == Format::Json {
        let json: Vec<FlowJson> = flows.iter().map(to_json).collect();
        document(&serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?);
        return Ok(outcome);
    }
    for flow in &flows {
        let optional = if flow.entry.required_when.is_optional() {
            " (optional)"
        } else {
            ""
        };
        say!(
            "{:<11} {:<48} → {} — {}{optional}",
            flow.trace.verdict.as_str(),
            flow.key(),
            flow.destination,
            flow.trace.reason
        );
    }
    say!(
        "{} required flow(s), {} failing, {unsupported} of them undetermined (optional flows excluded)",
        flows.len(),
        gated.len()
    );
    Ok(outcome)
}
