//! `vnetlab flows`: every required flow of the AML catalogue, bound to the design and traced.
//! The `--json` shape is a stable contract.

use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use crate::analysis::required::{self, RequiredFlow};
use crate::analysis::synthetic::prepare;
use crate::engine::Engine;

use super::input::InputArgs;
use super::trace::{hops_json, HopJson};

#[derive(Debug, Args)]
pub struct FlowsArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Print the flows as a JSON array.
    #[arg(long)]
    json: bool,
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

pub fn run(args: FlowsArgs) -> Result<ExitCode, String> {
    let loaded = args.input.load()?;
    let prepared = prepare(&loaded.design);
    let flows = required::evaluate(&Engine::new(&prepared.design));
    if args.json {
        let json: Vec<FlowJson> = flows.iter().map(to_json).collect();
        say!(
            "{}",
            serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?
        );
        return Ok(ExitCode::SUCCESS);
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
    let failing = flows
        .iter()
        .filter(|f| !f.passes() && !f.entry.required_when.is_optional())
        .count();
    say!(
        "{} required flow(s), {failing} failing (optional flows excluded)",
        flows.len()
    );
    Ok(ExitCode::SUCCESS)
}
