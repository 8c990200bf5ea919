//! `vnetlab diff`: what changed between two designs — required flows broken or repaired,
//! verdict changes, exfiltration paths opened or closed.

use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use crate::analysis::diff::diff;

use super::input::InputArgs;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The design before the change (and the options applied to both).
    #[command(flatten)]
    before: InputArgs,
    /// The design after the change.
    after: String,
    /// Print the diff as one JSON object.
    #[arg(long)]
    json: bool,
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
}

pub fn run(args: DiffArgs) -> Result<ExitCode, String> {
    let before = args.before.load()?;
    let after_input = InputArgs {
        input: args.after,
        ..args.before
    };
    let after = after_input.load()?;
    let result = diff(&before.design, &after.design);
    if args.json {
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
        };
        say!(
            "{}",
            serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let show = |label: &str, keys: &[String]| {
        for key in keys {
            say!("{label:<9} {key}");
        }
    };
    show("broken", &result.broken);
    show("repaired", &result.repaired);
    show("opened", &result.opened);
    show("closed", &result.closed);
    for change in &result.changed {
        let verdict = |v: Option<crate::engine::Verdict>| v.map_or("not required", |v| v.as_str());
        say!(
            "changed   {}: {} → {}",
            change.key,
            verdict(change.before),
            verdict(change.after)
        );
    }
    say!(
        "{} broken, {} repaired, {} path(s) opened, {} closed",
        result.broken.len(),
        result.repaired.len(),
        result.opened.len(),
        result.closed.len()
    );
    Ok(ExitCode::SUCCESS)
}
