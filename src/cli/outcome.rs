//! What a run of `vnetlab` concluded, and the exit code that says it. The codes mean the same
//! for every subcommand (README "Exit codes"):
//!
//! - 0: checked and passed;
//! - 1: checked and a gate condition failed;
//! - 2: could not check — bad input, validation errors, an internal error, or an undetermined
//!   result (unsupported verdict, undetermined path) where a gate asked for a definite answer.
//!
//! When a gate both failed and met undetermined results, it failed (1): the answer is known
//! whatever the undetermined ones hold.

use std::process::ExitCode;

/// The conclusion of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    CouldNotCheck,
}

impl Outcome {
    /// The outcome of a gate: failed when a condition failed; could not check when results
    /// were undetermined and the caller did not allow them; passed otherwise.
    pub fn of_gate(failed: bool, undetermined: bool, allow_undetermined: bool) -> Outcome {
        if failed {
            Outcome::Failed
        } else if undetermined && !allow_undetermined {
            Outcome::CouldNotCheck
        } else {
            Outcome::Passed
        }
    }

    pub fn code(self) -> u8 {
        match self {
            Outcome::Passed => 0,
            Outcome::Failed => 1,
            Outcome::CouldNotCheck => 2,
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        ExitCode::from(outcome.code())
    }
}
