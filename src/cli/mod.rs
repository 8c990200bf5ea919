//! The native command-line interface (`vnetlab`): argument parsing, file reading and output
//! formatting over the library. Native only: the one place (with `ui`) that does I/O.

/// `println!` for the CLI's output: a closed stdout (`vnetlab … | head`) ends the program
/// quietly with success, as Unix tools do, instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod check;
mod diff;
mod exfil;
mod flows;
mod import;
mod input;
mod lab;
mod scenarios;
mod trace;
mod validate;

use std::fmt;
use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// List the built-in scenarios.
    Scenarios(scenarios::ScenariosArgs),
    /// Write a built-in scenario's design.
    Scenario(scenarios::ScenarioArgs),
    /// List the built-in workshop labs.
    Labs(lab::LabsArgs),
    /// Grade a design against a workshop lab's goals (`lab check LAB DESIGN`).
    Lab(lab::LabArgs),
}

/// Exit code for input the CLI cannot use (unreadable file, bad JSON, unknown element).
pub(crate) const EXIT_BAD_INPUT: u8 = 2;

/// Parses the process arguments and runs the chosen subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Trace(args) => trace::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Import(args) => import::run(args),
        Command::Flows(args) => flows::run(args),
        Command::Exfil(args) => exfil::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Check(args) => check::run(args),
        Command::Scenarios(args) => scenarios::list(args),
        Command::Scenario(args) => scenarios::write(args),
        Command::Labs(args) => lab::list(args),
        Command::Lab(args) => lab::run(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("vnetlab: {message}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// Writes CLI output to stdout; see [`say!`].
pub(crate) fn write_out(text: fmt::Arguments<'_>) {
    if let Err(error) = std::io::stdout().lock().write_fmt(text) {
        if error.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("vnetlab: cannot write the output: {error}");
        std::process::exit(1);
    }
}
