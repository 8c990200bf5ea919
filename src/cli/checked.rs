//! Validity first: every analysing subcommand loads its input through [`load_valid`], which
//! refuses a design with validation errors (exit 2, every error printed) unless `--force`, and
//! sums its warnings up in one line on stderr. An input that holds no network element — `[]`,
//! an effective-routes file, a design with nothing in it — is an error too: analysing it would
//! find nothing and pass.

use clap::Args;

use crate::engine::Engine;
use crate::import::{InputFormat, Loaded};
use crate::model::Diagnostic;

use super::format::Format;
use super::input::InputArgs;
use super::output::complain;
use super::report::{diagnostic_items, emit, Report};
use super::Stop;

#[derive(Debug, Args)]
pub struct ValidityArgs {
    /// Analyse even when the input has validation errors (they are still printed; the exit
    /// code is then the analysis's).
    #[arg(long)]
    force: bool,
}

/// Every diagnostic of a loaded input, sorted: the loader's (import and validation), what
/// only compilation finds (service tags, routes, firewall rules), and an error when the input
/// holds no network element.
pub fn diagnostics_of(loaded: &Loaded, source: &str) -> Vec<Diagnostic> {
    compiled_with_diagnostics(loaded, source).1
}

/// The loaded design compiled, and [`diagnostics_of`] it: compiled once, for the diagnostics
/// and then the analysis. A design file's validation diagnostics are the loader's already
/// (the same elements and messages, which the engine's would only repeat), so it is compiled
/// without validating it again.
fn compiled_with_diagnostics(loaded: &Loaded, source: &str) -> (Engine, Vec<Diagnostic>) {
    let engine = if loaded.format == InputFormat::Design {
        Engine::without_validation(&loaded.design)
    } else {
        Engine::new(&loaded.design)
    };
    let mut diagnostics = loaded.diagnostics.clone();
    let compile_only: Vec<Diagnostic> = engine
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
    if loaded.summary.elements.is_empty() {
        diagnostics.push(Diagnostic::error(
            "input",
            format!("{source}: $"),
            "the input holds no network element (no VNet, compute, resource or service), so there is nothing to check",
        ));
    }
    diagnostics.sort();
    (engine, diagnostics)
}

/// In a report format, `diagnostics` of `file` printed as the report of `command`.
pub fn report_refusal(
    command: &'static str,
    file: &str,
    format: Format,
    diagnostics: &[Diagnostic],
) {
    if let Some(report_format) = format.report() {
        let report = Report {
            command,
            inputs: vec![file.to_string()],
            items: diagnostic_items(file, diagnostics),
        };
        emit(report_format, &report);
    }
}

/// Loads `input`; in a report format a load error is also printed as that report.
pub fn load_reported(
    command: &'static str,
    input: &InputArgs,
    format: Format,
) -> Result<Loaded, Stop> {
    input.load().map_err(|message| {
        let error = Diagnostic::error("input", "$", message.clone());
        report_refusal(command, &input.input, format, &[error]);
        Stop::Message(message)
    })
}

/// A loaded input that may be analysed, with its diagnostics (warnings, and errors when
/// forced).
pub struct Checked {
    pub loaded: Loaded,
    pub diagnostics: Vec<Diagnostic>,
    /// The loaded design, compiled (for its diagnostics; analyses derive from it).
    pub engine: Engine,
}

/// Loads `input` for `command` and checks it is valid: errors refuse the analysis unless
/// `validity.force`. A refusal in a report format is also printed as that report (the load
/// error or the validation errors as its results), so CI shows why nothing was checked.
pub fn load_valid(
    command: &'static str,
    input: &InputArgs,
    validity: &ValidityArgs,
    format: Format,
) -> Result<Checked, Stop> {
    let loaded = load_reported(command, input, format)?;
    let (engine, diagnostics) = compiled_with_diagnostics(&loaded, &input.input);
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    let warnings = diagnostics.len() - errors.len();
    if !errors.is_empty() && !validity.force {
        report_refusal(command, &input.input, format, &diagnostics);
        return Err(Stop::Invalid {
            source: input.input.clone(),
            diagnostics,
        });
    }
    for error in &errors {
        complain(&format!("vnetlab: {error}"));
    }
    if !errors.is_empty() {
        complain(&format!(
            "vnetlab: {}: analysing despite {} validation error(s) (--force)",
            input.input,
            errors.len()
        ));
    }
    if warnings > 0 {
        complain(&format!(
            "vnetlab: {}: {warnings} warning(s) (see `vnetlab validate {}`)",
            input.input, input.input
        ));
    }
    Ok(Checked {
        loaded,
        diagnostics,
        engine,
    })
}
