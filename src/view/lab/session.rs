//! Exercise mode: a lab in progress in the app. The goals are checked live on every change;
//! fixes and toggle badges (which give the answer away) stay hidden until the trainee has seen
//! every hint or shown the solution; locked elements refuse changes; progress (hints seen,
//! solution steps shown) survives a reload with the autosave.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::model::Design;
use crate::view::evaluation::Evaluation;

use super::changes::{changed_elements, touches};
use super::goal::GoalCheck;
use super::Lab;

/// The localStorage key of the lab in progress ([`LabSession::encode`]).
pub const STORAGE_KEY: &str = "vnetlab.lab";

/// The localStorage key of a lab's progress (hints seen), kept per lab so that opening another
/// lab and coming back keeps it.
pub fn progress_key(lab_id: &str) -> String {
    format!("vnetlab.lab-progress.{lab_id}")
}

#[derive(Debug, Clone, PartialEq)]
pub struct LabSession {
    pub lab: Rc<Lab>,
    /// The lab's starting design (Reset goes back to it; changes are counted from it).
    pub start: Rc<Design>,
    pub progress: Progress,
}

/// What the trainee has asked for so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub hints_shown: usize,
    /// How many steps of the reference solution "Show solution" has applied.
    pub solution_shown: usize,
    /// The trainee pressed Check since the last change.
    #[serde(skip)]
    pub checked: bool,
}

/// One goal as the panel lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalRow {
    pub text: String,
    pub check: GoalCheck,
}

/// The saved lab in progress: the lab itself (a trainer's file has no other copy) and the
/// progress.
#[derive(Serialize, Deserialize)]
struct Saved {
    lab: Lab,
    progress: Progress,
}

impl LabSession {
    /// A new session of `lab` and its starting design, or why the lab cannot start.
    pub fn open(lab: Lab) -> Result<(LabSession, Design), String> {
        let start = lab
            .start_design()
            .map_err(|(path, message)| format!("lab {}: {path}: {message}", lab.id))?;
        let session = LabSession {
            lab: Rc::new(lab),
            start: Rc::new(start.clone()),
            progress: Progress::default(),
        };
        Ok((session, start))
    }

    /// Every goal checked on `evaluation` of `current`.
    pub fn goals(&self, evaluation: &Evaluation, current: &Design) -> Vec<GoalRow> {
        self.lab
            .goals
            .iter()
            .map(|entry| GoalRow {
                text: entry.text.clone(),
                check: entry.goal.check(evaluation, &self.start, current),
            })
            .collect()
    }

    /// Fixes and toggle badges are shown: every hint seen, or the solution shown.
    pub fn reveals_answers(&self) -> bool {
        self.progress.solution_shown > 0 || self.progress.hints_shown >= self.lab.hints.len()
    }

    /// The first locked element a change from `before` to `after` touches.
    pub fn locked_change(&self, before: &Design, after: &Design) -> Option<String> {
        let changed = changed_elements(before, after);
        self.lab
            .locked
            .iter()
            .find(|name| changed.iter().any(|path| touches(path, name)))
            .cloned()
    }

    /// The lab and its progress, for localStorage.
    pub fn encode(&self) -> String {
        let saved = Saved {
            lab: (*self.lab).clone(),
            progress: self.progress.clone(),
        };
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// The session saved by [`encode`](Self::encode), over the autosaved `design`.
    pub fn decode(text: &str) -> Result<LabSession, String> {
        let saved: Saved = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let (session, _) = LabSession::open(saved.lab)?;
        Ok(LabSession {
            progress: saved.progress,
            ..session
        })
    }
}
