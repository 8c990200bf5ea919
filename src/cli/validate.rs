//! `vnetlab validate`: every diagnostic of a design, from validation and compilation.

use std::process::ExitCode;

use clap::Args;

use crate::engine::Engine;

use super::input::InputArgs;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Print diagnostics as a JSON array.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ValidateArgs) -> Result<ExitCode, String> {
    let loaded = args.input.load()?;
    let engine = Engine::new(&loaded.design);
    // The loader already validated the design (with paths naming the file); add what only
    // compilation finds (service tags, routes, firewall rules).
    let mut diagnostics = loaded.diagnostics.clone();
    let compile_only: Vec<_> = engine
        .diagnostics()
        .iter()
        .filter(|d| {
            !loaded
                .diagnostics
                .iter()
                .any(|l| l.element == d.element && l.message == d.message)
        })
        .cloned()
        .collect();
    diagnostics.extend(compile_only);
    diagnostics.sort();
    if args.json {
        say!(
            "{}",
            serde_json::to_string_pretty(&diagnostics).map_err(|e| e.to_string())?
        );
    } else if diagnostics.is_empty() {
        say!("{}: no problems found", args.input.input);
    } else {
        for diagnostic in &diagnostics {
            say!("{diagnostic}");
        }
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if !args.json {
        say!(
            "{errors} error(s), {} warning(s)",
            diagnostics.len() - errors
        );
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
