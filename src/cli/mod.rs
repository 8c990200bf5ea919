//! The native command-line interface (`vnetlab`): argument parsing and output formatting over
//! the library. Native only: it reads files and writes to the terminal.

use std::process::ExitCode;

use clap::Parser;

/// Simulate Azure network designs for Azure Machine Learning workspaces.
#[derive(Debug, Parser)]
#[command(name = "vnetlab", version, about)]
struct Cli {}

/// Parses the process arguments and runs the chosen subcommand.
pub fn run() -> ExitCode {
    let _cli = Cli::parse();
    ExitCode::SUCCESS
}
