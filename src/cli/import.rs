//! `vnetlab import`: load an ARM template (or any input `load_template` reads), print what it
//! produced — element counts, ignored resource types, diagnostics, expressions that could not
//! be evaluated — and optionally write the design JSON. Exits 2 when the import has errors;
//! then `-o` writes nothing unless `--force`, and it always writes atomically.

use clap::Args;

use crate::import::design_text;

use super::checked::diagnostics_of;
use super::input::InputArgs;
use super::outcome::Outcome;
use super::output::write_file_atomically;
use super::Stop;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Write the imported design (vnetlab design JSON) to this file; nothing is written when
    /// the import has errors, unless `--force`.
    #[arg(short = 'o', long = "output", value_name = "design.json")]
    output: Option<String>,
    /// Write the design even when the import has errors (the exit code is still 2).
    #[arg(long)]
    force: bool,
}

pub fn run(args: ImportArgs) -> Result<Outcome, Stop> {
    let loaded = args.input.load()?;
    let diagnostics = diagnostics_of(&loaded, &args.input.input);
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
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if !diagnostics.is_empty() {
        say!("diagnostics:");
        for diagnostic in &diagnostics {
            say!("  {diagnostic}");
        }
    }
    say!(
        "{errors} error(s), {} warning(s)",
        diagnostics.len() - errors
    );
    if let Some(path) = &args.output {
        if errors > 0 && !args.force {
            say!("{path} not written: the import has errors (--force writes it anyway)");
        } else {
            write_file_atomically(path, &design_text(&loaded.design))?;
            say!("design written to {path}");
        }
    }
    Ok(if errors > 0 {
        Outcome::CouldNotCheck
    } else {
        Outcome::Passed
    })
}
