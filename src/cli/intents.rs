//! `vnetlab check-intents DESIGN INTENTS`: checks a design against a checked-in intents file
//! (`vnetlab.toml` or JSON; schema in README "Network intents"), each intent holding, failing with its
//! counter-example trace, or undetermined. Exit 1 when an intent fails, 2 when one is
//! undetermined (unless `--allow-undetermined`) or the intents file has an error, which is
//! named by JSON path.

use std::fs;

use clap::Args;
use serde::Serialize;

use crate::analysis::intents::{check, IntentFile, IntentResult, IntentStatus};
use crate::import::{json_path, tracked_segments};
use crate::model::Diagnostic;

use super::checked::{load_valid, report_refusal, ValidityArgs};
use super::format::{Format, FormatArgs};
use super::input::InputArgs;
use super::outcome::Outcome;
use super::output::document;
use super::report::{diagnostic_items, emit, Item, Report, Status, INTENT};
use super::trace::{hop_line, hops_json, HopJson};
use super::Stop;

#[derive(Debug, Args)]
pub struct IntentsArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The intents file: TOML (`vnetlab.toml`) or JSON.
    intents: String,
    /// Undetermined intents do not fail the gate.
    #[arg(long)]
    allow_undetermined: bool,
    #[command(flatten)]
    validity: ValidityArgs,
    #[command(flatten)]
    format: FormatArgs,
}

#[derive(Debug, Serialize)]
struct CounterExampleJson<'a> {
    from: &'a str,
    to: &'a str,
    proto: String,
    port: Option<u16>,
    verdict: &'static str,
    reason: &'a str,
    hops: Vec<HopJson<'a>>,
}

/// The stable JSON shape of one intent's result.
#[derive(Debug, Serialize)]
struct IntentJson<'a> {
    name: &'a str,
    kind: &'static str,
    status: &'static str,
    summary: &'a str,
    checked: usize,
    counter_example: Option<CounterExampleJson<'a>>,
}

fn status_name(status: IntentStatus) -> &'static str {
    match status {
        IntentStatus::Holds => "holds",
        IntentStatus::Fails => "fails",
        IntentStatus::Undetermined => "undetermined",
    }
}

fn to_json(result: &IntentResult) -> IntentJson<'_> {
    IntentJson {
        name: &result.name,
        kind: result.kind,
        status: status_name(result.status),
        summary: &result.summary,
        checked: result.checked,
        counter_example: result
            .counter_example
            .as_ref()
            .map(|example| CounterExampleJson {
                from: &example.from,
                to: &example.to,
                proto: example.trace.flow.protocol.to_string(),
                port: example.trace.flow.port,
                verdict: example.trace.verdict.as_str(),
                reason: &example.trace.reason,
                hops: hops_json(&example.trace.hops),
            }),
    }
}

/// Parses the intents file — TOML when its name ends in `.toml`, JSON otherwise; errors name
/// the JSON path (and, for JSON and TOML syntax, the line and column).
fn read_intents(path: &str) -> Result<IntentFile, Stop> {
    let text = fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    if path.ends_with(".toml") {
        let table: toml::Table = toml::from_str(&text).map_err(|error| {
            let start = error.span().map_or(0, |span| span.start).min(text.len());
            let line = text[..start].matches('\n').count() + 1;
            let column = start - text[..start].rfind('\n').map_or(0, |n| n + 1) + 1;
            let message = error.message().replace('\n', "; ");
            format!("{path}: line {line}, column {column}: {message}")
        })?;
        let value = serde_json::to_value(table).map_err(|e| format!("{path}: {e}"))?;
        return serde_path_to_error::deserialize(value).map_err(|error| {
            Stop::Message(format!(
                "{path}: {}: {}",
                json_path(&tracked_segments(error.path())),
                error.inner()
            ))
        });
    }
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let inner = error.inner();
        Stop::Message(format!(
            "{path}: {} (line {}, column {}): {inner}",
            json_path(&tracked_segments(error.path())),
            inner.line(),
            inner.column()
        ))
    })
}

pub fn run(args: IntentsArgs) -> Result<Outcome, Stop> {
    let format = args.format.format();
    let checked = load_valid("check-intents", &args.input, &args.validity, format)?;
    let results = read_intents(&args.intents)
        .and_then(|intents| {
            check(&checked.loaded.design, &intents)
                .map_err(|e| Stop::Message(format!("{}: {}: {}", args.intents, e.path, e.message)))
        })
        .inspect_err(|stop| {
            if let Stop::Message(message) = stop {
                let error = Diagnostic::error("intents", "$", message.clone());
                report_refusal("check-intents", &args.intents, format, &[error]);
            }
        })?;
    let count = |status| results.iter().filter(|r| r.status == status).count();
    let (holds, fails, undetermined) = (
        count(IntentStatus::Holds),
        count(IntentStatus::Fails),
        count(IntentStatus::Undetermined),
    );
    let outcome = Outcome::of_gate(fails > 0, undetermined > 0, args.allow_undetermined);
    if let Some(report_format) = format.report() {
        let mut items = diagnostic_items(&args.input.input, &checked.diagnostics);
        items.extend(results.iter().enumerate().map(|(index, result)| {
            Item {
                rule: &INTENT,
                status: match result.status {
                    IntentStatus::Holds => Status::Passed,
                    IntentStatus::Fails => Status::Failed,
                    IntentStatus::Undetermined => Status::Undetermined,
                },
                title: result.name.clone(),
                message: format!("{} ({}): {}", result.name, result.kind, result.summary),
                file: args.intents.clone(),
                path: Some(format!("$.intents[{index}]")),
                element: None,
                fixes: Vec::new(),
                trace: result
                    .counter_example
                    .iter()
                    .flat_map(|example| example.trace.hops.iter().map(hop_line))
                    .collect(),
            }
        }));
        let report = Report {
            command: "check-intents",
            inputs: vec![args.input.input.clone(), args.intents.clone()],
            items,
        };
        emit(report_format, &report);
        return Ok(outcome);
    }
    if format == Format::Json {
        let json: Vec<IntentJson> = results.iter().map(to_json).collect();
        document(&serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?);
        return Ok(outcome);
    }
    for result in &results {
        let mark = match result.status {
            IntentStatus::Holds => "✓ holds       ",
            IntentStatus::Fails => "✗ FAILS       ",
            IntentStatus::Undetermined => "? undetermined",
        };
        say!(
            "{mark} {} ({}): {}",
            result.name,
            result.kind,
            result.summary
        );
        if let Some(example) = &result.counter_example {
            let port = example
                .trace
                .flow
                .port
                .map_or(String::new(), |p| format!(" {p}"));
            say!(
                "    counter-example: {} → {} {}{port}: {} — {}",
                example.from,
                example.to,
                example.trace.flow.protocol,
                example.trace.verdict,
                example.trace.reason
            );
            for (step, hop) in example.trace.hops.iter().enumerate() {
                say!("    {:>3}. {}", step + 1, hop_line(hop));
            }
        }
    }
    say!(
        "{} intent(s): {holds} hold, {fails} fail, {undetermined} undetermined",
        results.len()
    );
    Ok(outcome)
}
