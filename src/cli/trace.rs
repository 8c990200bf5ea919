//! `vnetlab trace`: one flow, hop by hop. The `--json` shape is a stable contract.

use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use crate::engine::query::flow_between;
use crate::engine::{Engine, Hop, Trace};
use crate::model::Protocol;

use super::input::InputArgs;

#[derive(Debug, Args)]
pub struct TraceArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Source: an element name (compute, subnet as vnet/subnet, workspace, service, external
    /// host) or an IPv4 address.
    #[arg(long = "from", value_name = "SRC")]
    from: String,
    /// Destination: an element name, an IPv4 address or an FQDN (resolved from the source).
    #[arg(long = "to", value_name = "DST")]
    to: String,
    /// tcp, udp, icmp or any.
    #[arg(long = "proto", default_value = "tcp")]
    proto: String,
    /// Destination port; omitted means "some port", matched only by rules open to every port.
    #[arg(long)]
    port: Option<u16>,
    /// Print the trace as one JSON object.
    #[arg(long)]
    json: bool,
}

/// The stable JSON shape of a trace.
#[derive(Debug, Serialize)]
struct TraceJson<'a> {
    verdict: &'static str,
    reason: &'a str,
    decided_by: Option<DecidedByJson<'a>>,
    /// The destination ports that get this same trace, as `first-last`.
    alike_ports: Option<String>,
    hops: Vec<HopJson<'a>>,
}

#[derive(Debug, Serialize)]
struct DecidedByJson<'a> {
    element: &'a str,
    rule: Option<&'a str>,
}

/// The stable JSON shape of one hop, shared by every subcommand that prints hops.
#[derive(Debug, Serialize)]
pub(super) struct HopJson<'a> {
    step: &'static str,
    element: &'a str,
    outcome: &'static str,
    rule: Option<&'a str>,
    priority: Option<u32>,
    reason: &'a str,
}

fn to_json(trace: &Trace) -> TraceJson<'_> {
    TraceJson {
        verdict: trace.verdict.as_str(),
        reason: &trace.reason,
        decided_by: trace.decided_by.as_ref().map(|hop| DecidedByJson {
            element: &hop.element,
            rule: hop.rule.as_ref().map(|r| r.name.as_str()),
        }),
        alike_ports: trace.alike_ports.map(|ports| ports.to_string()),
        hops: hops_json(&trace.hops),
    }
}

/// `hops` in the stable JSON shape.
pub(super) fn hops_json(hops: &[Hop]) -> Vec<HopJson<'_>> {
    hops.iter()
        .map(|hop| HopJson {
            step: hop.step.as_str(),
            element: &hop.element,
            outcome: hop.outcome.as_str(),
            rule: hop.rule.as_ref().map(|r| r.name.as_str()),
            priority: hop.rule.as_ref().and_then(|r| r.priority),
            reason: &hop.reason,
        })
        .collect()
}

pub fn run(args: TraceArgs) -> Result<ExitCode, String> {
    let loaded = args.input.load()?;
    let protocol: Protocol = args.proto.parse().map_err(|e| format!("--proto: {e}"))?;
    let engine = Engine::new(&loaded.design);
    let flow = flow_between(&loaded.design, &args.from, &args.to, protocol, args.port);
    let trace = engine
        .trace(&flow)
        .map_err(|e| format!("{}: {e}", args.input.input))?;
    if args.json {
        say!(
            "{}",
            serde_json::to_string_pretty(&to_json(&trace)).map_err(|e| e.to_string())?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let port = args.port.map_or(String::new(), |p| format!(":{p}"));
    say!("{} → {} {}{port}", args.from, args.to, protocol);
    say!("verdict: {} — {}", trace.verdict, trace.reason);
    if let Some(hop) = &trace.decided_by {
        let rule = hop
            .rule
            .as_ref()
            .map_or(String::new(), |r| format!(" / {}", r.name));
        say!("decided by: {}{rule}", hop.element);
    }
    if let Some(ports) = trace.alike_ports {
        say!("same trace for destination ports {ports}");
    }
    for (index, hop) in trace.hops.iter().enumerate() {
        let rule = hop
            .rule
            .as_ref()
            .map_or(String::new(), |r| match r.priority {
                Some(priority) => format!(" [{} {priority}]", r.name),
                None => format!(" [{}]", r.name),
            });
        say!(
            "{:>3}. {:<22} {:<28} {:<11}{rule} {}",
            index + 1,
            hop.step.as_str(),
            hop.element,
            hop.outcome.as_str(),
            hop.reason
        );
    }
    let warnings = engine
        .diagnostics()
        .iter()
        .filter(|d| !d.is_error())
        .count();
    let errors = engine.diagnostics().len() - warnings;
    if errors + warnings > 0 {
        say!(
            "design diagnostics: {errors} error(s), {warnings} warning(s) (see `vnetlab validate`)"
        );
    }
    Ok(ExitCode::SUCCESS)
}
