//! `vnetlab trace`: one flow, hop by hop. The `--json` shape is a stable contract. With
//! `--expect reachable|unreachable` it is a gate on that one flow.

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::engine::query::flow_between;
use crate::engine::{Engine, Hop, Trace, Verdict};
use crate::model::Protocol;

use super::checked::{load_valid, ValidityArgs};
use super::format::{Format, FormatArgs};
use super::input::InputArgs;
use super::outcome::Outcome;
use super::output::document;
use super::Stop;

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
    /// Gate on the verdict: exit 1 when the flow is not as expected, 2 when its verdict is
    /// unsupported.
    #[arg(long, value_enum)]
    expect: Option<Expectation>,
    #[command(flatten)]
    validity: ValidityArgs,
    #[command(flatten)]
    format: FormatArgs,
}

/// What `--expect` asks of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Expectation {
    /// The verdict is `allowed`.
    Reachable,
    /// The verdict is `blocked`, `no-route` or `unresolved`.
    Unreachable,
}

/// The outcome of `--expect` for `verdict`; no expectation always passes.
fn expected(expectation: Option<Expectation>, verdict: Verdict) -> Outcome {
    let Some(expectation) = expectation else {
        return Outcome::Passed;
    };
    let reachable = verdict == Verdict::Allowed;
    let failed = match expectation {
        Expectation::Reachable => !reachable,
        Expectation::Unreachable => reachable,
    };
    Outcome::of_gate(
        failed && verdict != Verdict::Unsupported,
        verdict == Verdict::Unsupported,
        false,
    )
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

/// One hop as one line, for reports: `step element outcome [rule priority] reason`.
pub(super) fn hop_line(hop: &Hop) -> String {
    let rule = hop
        .rule
        .as_ref()
        .map_or(String::new(), |r| match r.priority {
            Some(priority) => format!(" [{} {priority}]", r.name),
            None => format!(" [{}]", r.name),
        });
    format!(
        "{} {} {}{rule}: {}",
        hop.step.as_str(),
        hop.element,
        hop.outcome.as_str(),
        hop.reason
    )
}

pub fn run(args: TraceArgs) -> Result<Outcome, Stop> {
    let format = args.format.format();
    if format.report().is_some() {
        return Err("trace prints text or JSON; the report formats belong to flows, exfil, diff, check and validate".into());
    }
    let loaded = load_valid("trace", &args.input, &args.validity, format)?.loaded;
    let protocol: Protocol = args.proto.parse().map_err(|e| format!("--proto: {e}"))?;
    let engine = Engine::new(&loaded.design);
    let flow = flow_between(&loaded.design, &args.from, &args.to, protocol, args.port);
    let trace = engine
        .trace(&flow)
        .map_err(|e| format!("{}: {e}", args.input.input))?;
    let outcome = expected(args.expect, trace.verdict);
    if format == Format::Json {
        document(&serde_json::to_string_pretty(&to_json(&trace)).map_err(|e| e.to_string())?);
        return Ok(outcome);
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
    Ok(outcome)
}
