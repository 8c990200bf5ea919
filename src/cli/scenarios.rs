//! `vnetlab scenarios` (list the built-in scenarios) and `vnetlab scenario NAME -o FILE`
//! (write one scenario's design).

use std::fs;
use std::process::ExitCode;

use clap::Args;

use crate::analysis::scenarios::{all, find};

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

pub fn list(_: ScenariosArgs) -> Result<ExitCode, String> {
    for scenario in all() {
        say!("{:<32} {}", scenario.name, scenario.title);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn write(args: ScenarioArgs) -> Result<ExitCode, String> {
    let scenario = find(&args.name).ok_or_else(|| {
        let names: Vec<&str> = all().iter().map(|s| s.name).collect();
        format!("no scenario `{}` (known: {})", args.name, names.join(", "))
    })?;
    match args.output {
        Some(path) => fs::write(&path, scenario.json).map_err(|e| format!("{path}: {e}"))?,
        None => crate::cli::write_out(format_args!("{}", scenario.json)),
    }
    Ok(ExitCode::SUCCESS)
}
