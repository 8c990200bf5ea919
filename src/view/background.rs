//! The work a design change leaves for after its repaint, as it runs off the page's thread:
//! verifying the open paths' fixes, then evaluating every toggle's flipped design for its
//! badge. The page sends one [`Job`] per change; the analysis worker (`ui::analysis_worker`)
//! runs it with a [`Runner`], one [`Answer`] per step, yielding between steps so that a newer
//! job replaces an older one at the next step. Without a worker the page computes the same
//! answers itself ([`Action::VerifyFixes`](super::state::Action::VerifyFixes),
//! [`Action::ComputeBadges`](super::state::Action::ComputeBadges)); the reducer takes either.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::analysis::analyse_unverified;
use crate::model::Design;

use super::evaluation::{verified_results, Evaluation, FlowResult};
use super::toggles;

/// What a change leaves to compute for `design`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Numbers the page's jobs: answers name the job they belong to.
    pub id: u64,
    pub design: Rc<Design>,
    /// The open paths' fixes are still to verify.
    pub verify_fixes: bool,
    /// The toggles whose badges are missing, in the design panel's order.
    pub toggles: Vec<String>,
}

/// One step's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// Every flow of the job's design, the exfiltration paths with their verified fixes.
    FixesVerified { job: u64, results: Vec<FlowResult> },
    /// The toggle's flipped design, evaluated (fixes not verified); `None` when the toggle
    /// cannot flip the design.
    Badge {
        job: u64,
        toggle: String,
        flipped: Option<Evaluation>,
    },
}

impl Answer {
    pub fn job(&self) -> u64 {
        match self {
            Answer::FixesVerified { job, .. } | Answer::Badge { job, .. } => *job,
        }
    }
}

/// Runs one job a step at a time: the fixes first, then one badge per step.
#[derive(Debug)]
pub struct Runner {
    job: Job,
    fixes_left: bool,
    next_toggle: usize,
}

impl Runner {
    pub fn new(job: Job) -> Self {
        Runner {
            fixes_left: job.verify_fixes,
            job,
            next_toggle: 0,
        }
    }

    /// The next step's answer; `None` once the job is done.
    pub fn step(&mut self) -> Option<Answer> {
        let job = self.job.id;
        if std::mem::take(&mut self.fixes_left) {
            let results = verified_results(&analyse_unverified(&self.job.design));
            return Some(Answer::FixesVerified { job, results });
        }
        let toggle = self.job.toggles.get(self.next_toggle)?.clone();
        self.next_toggle += 1;
        let flipped = toggles::find(&toggle)
            .and_then(|found| found.flip(&self.job.design))
            .map(|flipped| Evaluation::unverified(&flipped));
        Some(Answer::Badge {
            job,
            toggle,
            flipped,
        })
    }
}
