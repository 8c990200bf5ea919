//! `vnetlab labs` (list the built-in workshop labs) and `vnetlab lab check LAB DESIGN` (grade a
//! trainee's design: each goal ✓/✗ with what the engine found; exit 0 only when every goal
//! holds, 1 when one does not, 2 when the lab or the design cannot be read or the design has
//! validation errors). LAB is a built-in lab's id or a lab file.

use std::fs;

use clap::{Args, Subcommand};

use crate::model::Severity;
use crate::view::evaluation::Evaluation;
use crate::view::lab::{self, Lab};

use super::input::InputArgs;
use super::outcome::Outcome;
use super::Stop;

#[derive(Debug, Args)]
pub struct LabsArgs {}

#[derive(Debug, Args)]
pub struct LabArgs {
    #[command(subcommand)]
    command: LabCommand,
}

#[derive(Debug, Subcommand)]
enum LabCommand {
    /// Check a design against a lab's goals.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// A built-in lab's id (see `vnetlab labs`) or a lab file.
    lab: String,
    #[command(flatten)]
    input: InputArgs,
}

pub fn list(_: LabsArgs) -> Result<Outcome, Stop> {
    for lab in lab::built_in() {
        say!("{:<20} {}", lab.id, lab.title);
    }
    Ok(Outcome::Passed)
}

pub fn run(args: LabArgs) -> Result<Outcome, Stop> {
    let LabCommand::Check(args) = args.command;
    let lab = read_lab(&args.lab)?;
    let start = lab
        .start_design()
        .map_err(|(path, message)| format!("{}: {path}: {message}", args.lab))?;
    let loaded = args.input.load()?;
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    if !errors.is_empty() {
        return Err(format!(
            "{} is not a valid design, so the lab cannot be checked:\n  {}",
            args.input.input,
            errors.join("\n  ")
        )
        .into());
    }
    let evaluation = Evaluation::unverified(&loaded.design);
    say!("{} — {}", lab.id, lab.title);
    let mut met = 0;
    for entry in &lab.goals {
        let check = entry.goal.check(&evaluation, &start, &loaded.design);
        met += usize::from(check.met);
        let mark = if check.met { "✓" } else { "✗" };
        say!("{mark} {} — {}", entry.text, check.detail);
    }
    say!("{met} of {} goals met", lab.goals.len());
    Ok(if met == lab.goals.len() {
        Outcome::Passed
    } else {
        Outcome::Failed
    })
}

fn read_lab(name: &str) -> Result<Lab, String> {
    if let Some(built_in) = lab::find(name) {
        return Ok(built_in);
    }
    let text = fs::read_to_string(name)
        .map_err(|e| format!("{name}: {e} (not a built-in lab either; see `vnetlab labs`)"))?;
    lab::parse(&text, name).map_err(|e| e.to_string())
}
