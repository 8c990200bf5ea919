//! `vnetlab scenarios` (list the built-in scenarios) and `vnetlab scenario NAME -o FILE`
//! (write one scenario's design).

use clap::Args;

use crate::analysis::scenarios::{all, find};

use super::outcome::Outcome;
use super::output::{document, write_file_atomically};
use super::Stop;

#[derive(Debug, Args)]
pub struct ScenariosArgs {}

#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// The scenario name (see `vnetlab scenarios`).
    name: String,
    /// Write the design to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<String>,
}

pub fn list(_: ScenariosArgs) -> Result<Outcome, Stop> {
    for scenario in all() {
        say!("{:<32} {}", scenario.name, scenario.title);
    }
    Ok(Outcome::Passed)
}

pub fn write(args: ScenarioArgs) -> Result<Outcome, Stop> {
    let scenario = find(&args.name).ok_or_else(|| {
        let names: Vec<&str> = all().iter().map(|s| s.name).collect();
        format!("no scenario `{}` (known: {})", args.name, names.join(", "))
    })?;
    match args.output {
        Some(path) => write_file_atomically(&path, scenario.json)?,
        None => document(scenario.json),
    }
    Ok(Outcome::Passed)
}
