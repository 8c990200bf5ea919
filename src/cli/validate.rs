//! `vnetlab validate`: every diagnostic of a design, from validation and compilation. Exits 0
//! when the design can be analysed (warnings allowed) and 2 when it has errors.

use clap::Args;

use super::checked::{diagnostics_of, load_reported};
use super::format::{Format, FormatArgs};
use super::input::InputArgs;
use super::outcome::Outcome;
use super::report::{diagnostic_items, emit, Report};
use super::Stop;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    format: FormatArgs,
}

pub fn run(args: ValidateArgs) -> Result<Outcome, Stop> {
    let format = args.format.format();
    let loaded = load_reported("validate", &args.input, format)?;
    let diagnostics = diagnostics_of(&loaded, &args.input.input);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    if let Some(report_format) = format.report() {
        let file = &args.input.input;
        let report = Report {
            command: "validate",
            inputs: vec![file.clone()],
            items: diagnostic_items(file, &diagnostics),
        };
        emit(report_format, &report);
    }
    match format {
        Format::Sarif | Format::Junit | Format::Markdown => {}
        Format::Json => super::output::document(
            &serde_json::to_string_pretty(&diagnostics).map_err(|e| e.to_string())?,
        ),
        Format::Text => {
            if diagnostics.is_empty() {
                say!("{}: no problems found", args.input.input);
            }
            for diagnostic in &diagnostics {
                say!("{diagnostic}");
            }
            say!(
                "{errors} error(s), {} warning(s)",
                diagnostics.len() - errors
            );
        }
    }
    Ok(if errors > 0 {
        Outcome::CouldNotCheck
    } else {
        Outcome::Passed
    })
}
