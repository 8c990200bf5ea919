//! `vnetlab import`: load an ARM template (or any input `load_template` reads), print what it
//! produced — element counts, ignored resource types, diagnostics, expressions that could not
//! be evaluated — and optionally write the design JSON. Exits 1 when there are errors.

use std::fs;
use std::process::ExitCode;

use clap::Args;

use super::input::InputArgs;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Write the imported design (vnetlab design JSON) to this file.
    #[arg(short = 'o', long = "output", value_name = "design.json")]
    output: Option<String>,
}

pub fn run(args: ImportArgs) -> Result<ExitCode, String> {
    let loaded = args.input.load()?;
    let summary = &loaded.summary;
    say!("{}: {:?}", args.input.input, loaded.format);
    say!("elements:");
    if summary.elements.is_empty() {
        say!("  (none)");
    }
    for (element_type, count) in &summary.elements {
        say!("  {element_type:<36} {count}");
    }
    if !summary.ignored.is_empty() {
        say!("ignored:");
        for (what, count) in &summary.ignored {
            say!("  {what:<36} {count}");
        }
    }
    if !summary.unevaluated.is_empty() {
        say!("not evaluated ({}):", summary.unevaluated.len());
        for item in &summary.unevaluated {
            say!("  {}: `{}`: {}", item.path, item.expression, item.reason);
        }
    }
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    if !loaded.diagnostics.is_empty() {
        say!("diagnostics:");
        for diagnostic in &loaded.diagnostics {
            say!("  {diagnostic}");
        }
    }
    say!(
        "{errors} error(s), {} warning(s)",
        loaded.diagnostics.len() - errors
    );
    if let Some(path) = &args.output {
        let json = serde_json::to_string_pretty(&loaded.design).map_err(|e| e.to_string())?;
        fs::write(path, json + "\n").map_err(|e| format!("{path}: {e}"))?;
        say!("design written to {path}");
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
