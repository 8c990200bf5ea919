//! The native command-line interface (`vnetlab`): argument parsing, file reading and output
//! formatting over the library. Native only: the one place (with `ui`) that does I/O.

#[macro_use]
mod output;

mod check;
mod checked;
mod design_edit;
mod diff;
mod exfil;
mod flows;
mod format;
mod import;
mod input;
mod intents;
mod junit;
mod lab;
mod line_edit;
mod locate;
mod markdown;
mod order;
mod outcome;
mod report;
mod sarif;
mod scenarios;
mod trace;
mod validate;

pub use input::read_terraform_folder;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::model::Diagnostic;
use outcome::Outcome;
use output::{complain, output_failed};

/// Simulate Azure network designs for Azure Machine Learning workspaces.
#[derive(Debug, Parser)]
#[command(name = "vnetlab", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Trace one flow hop by hop and print the verdict and the deciding rule.
    Trace(trace::TraceArgs),
    /// Report every problem in a design (non-zero exit when there are errors).
    Validate(validate::ValidateArgs),
    /// Import an ARM template or Azure JSON: print what it holds and optionally write the
    /// design.
    Import(import::ImportArgs),
    /// Trace every required AML flow of the catalogue through the design.
    Flows(flows::FlowsArgs),
    /// Search every exfiltration path, with the fixes that close each one.
    Exfil(exfil::ExfilArgs),
    /// Compare two designs: required flows broken or repaired, paths opened or closed.
    Diff(diff::DiffArgs),
    /// Run the IL5 compliance checks (non-zero exit when one fails).
    Check(check::CheckArgs),
    /// Check the design against a network intents file (must / must not reach, only
    /// through, at most N open paths), with a counter-example trace for each failure.
    CheckIntents(intents::IntentsArgs),
    /// List the built-in scenarios.
    Scenarios(scenarios::ScenariosArgs),
    /// Write a built-in scenario's design.
    Scenario(scenarios::ScenarioArgs),
    /// List the built-in workshop labs.
    Labs(lab::LabsArgs),
    /// Grade a design against a workshop lab's goals (`lab check LAB DESIGN`).
    Lab(lab::LabArgs),
}

/// Why a subcommand stopped without a result: it could not check (exit 2).
#[derive(Debug)]
pub enum Stop {
    /// Input the CLI cannot use (unreadable file, bad JSON, unknown element), said in one line.
    Message(String),
    /// The input has validation errors and `--force` was not given.
    Invalid {
        source: String,
        diagnostics: Vec<Diagnostic>,
    },
}

impl From<String> for Stop {
    fn from(message: String) -> Stop {
        Stop::Message(message)
    }
}

impl From<&str> for Stop {
    fn from(message: &str) -> Stop {
        Stop::Message(message.to_string())
    }
}

impl Stop {
    /// Says why on stderr.
    fn report(&self) {
        match self {
            Stop::Message(message) => {
                // Each line escaped on its own: a message may list several problems.
                for (index, line) in message.lines().enumerate() {
                    let prefix = if index == 0 { "vnetlab: " } else { "" };
                    complain(&format!("{prefix}{line}"));
                }
            }
            Stop::Invalid {
                source,
                diagnostics,
            } => {
                for diagnostic in diagnostics {
                    complain(&format!("vnetlab: {diagnostic}"));
                }
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                complain(&format!(
                    "vnetlab: {source}: {errors} validation error(s), {} warning(s): not analysed (fix the errors, or --force to analyse anyway)",
                    diagnostics.len() - errors
                ));
            }
        }
    }
}

/// Parses the process arguments, runs the chosen subcommand and turns its [`Outcome`] into the
/// exit code. A panic is an internal error: it is reported and exits 2, never 0.
pub fn run() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        complain(&format!("vnetlab: internal error: {info}"));
        std::process::exit(i32::from(Outcome::CouldNotCheck.code()));
    }));
    let cli = Cli::parse_from(std::env::args_os().map(input::terraform_flag));
    let result = match cli.command {
        Command::Trace(args) => trace::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Import(args) => import::run(args),
        Command::Flows(args) => flows::run(args),
        Command::Exfil(args) => exfil::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Check(args) => check::run(args),
        Command::CheckIntents(args) => intents::run(args),
        Command::Scenarios(args) => scenarios::list(args),
        Command::Scenario(args) => scenarios::write(args),
        Command::Labs(args) => lab::list(args),
        Command::Lab(args) => lab::run(args),
    };
    let outcome = result.unwrap_or_else(|stop| {
        stop.report();
        Outcome::CouldNotCheck
    });
    // Output that could not be written (a full disk; not a closed pipe, where the reader
    // chose to stop) leaves the report incomplete, so a pass cannot be claimed.
    if outcome == Outcome::Passed && output_failed() {
        return Outcome::CouldNotCheck.into();
    }
    outcome.into()
}
