//! The work a design change leaves for after its repaint, as it runs off the page's thread:
//! packing the design for the autosave (when the page saves it), verifying the open paths'
//! fixes, then evaluating every toggle's flipped design for its badge. Only results cross back — the verified fixes by flow id and each badge's counts —,
//! never traces: a hub-spoke design's evaluation is megabytes of traces, which the page has
//! already; decoding them again took 50–85 ms of a 50-VNet page's task. The page sends one [`Job`] per change; the analysis worker (`ui::analysis_worker`)
//! runs it with a [`Runner`], one [`Answer`] per step, yielding between steps so that a newer
//! job replaces an older one at the next step. Without a worker the page computes the same
//! answers itself ([`Action::VerifyFixes`](super::state::Action::VerifyFixes),
//! [`Action::ComputeBadges`](super::state::Action::ComputeBadges)); the reducer takes either.

use serde::{Deserialize, Serialize};

use super::autosave;
use super::design_text::DesignText;
use super::diff::Diff;
use super::evaluation::{Evaluation, VerifiedFixes};
use super::toggles;

/// What a change leaves to compute for `design` (as the worker runs it; the page sends the
/// design in the form that crosses to the worker, `Job<PartsInTransit>` in `ui`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job<Design = DesignText> {
    /// Numbers the page's jobs: answers name the job they belong to.
    pub id: u64,
    /// Carried as the text an import read it from, when the page has it.
    pub design: Design,
    /// The open paths' fixes are still to verify.
    pub verify_fixes: bool,
    /// The toggles whose badges are missing, in the design panel's order.
    pub toggles: Vec<String>,
    /// The scenario to autosave the design under, when the page saves it: packing a large
    /// design for storage takes the page's thread for as long as its first analysis.
    #[serde(default)]
    pub autosave: Option<String>,
}

impl<Design> Job<Design> {
    /// The job with its design in another form.
    pub fn map_design<Changed>(self, change: impl FnOnce(Design) -> Changed) -> Job<Changed> {
        Job {
            id: self.id,
            design: change(self.design),
            verify_fixes: self.verify_fixes,
            toggles: self.toggles,
            autosave: self.autosave,
        }
    }
}

/// One step's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// The verified fixes of the job's exfiltration paths (the page has the flows).
    FixesVerified { job: u64, fixes: VerifiedFixes },
    /// What flipping the toggle would change; `None` when the toggle cannot flip the design.
    Badge {
        job: u64,
        toggle: String,
        badge: Option<Diff>,
    },
    /// The design's autosave text ([`autosave::encode_within_ceiling`]), or its length when it is
    /// past the ceiling; for the page to store, not for the app state.
    Autosave {
        job: u64,
        text: Result<String, usize>,
    },
}

impl Answer {
    pub fn job(&self) -> u64 {
        match self {
            Answer::FixesVerified { job, .. }
            | Answer::Badge { job, .. }
            | Answer::Autosave { job, .. } => *job,
        }
    }
}

/// Runs one job a step at a time: the autosave text first, then the fixes, then one badge
/// per step.
#[derive(Debug)]
pub struct Runner {
    job: Job,
    /// The job's design evaluated, once, for the fixes and as every badge's baseline.
    evaluation: Option<Evaluation>,
    fixes_left: bool,
    next_toggle: usize,
}

impl Runner {
    pub fn new(job: Job) -> Self {
        Runner {
            fixes_left: job.verify_fixes,
            job,
            evaluation: None,
            next_toggle: 0,
        }
    }

    /// The next step's answer; `None` once the job is done.
    pub fn step(&mut self) -> Option<Answer> {
        let job = self.job.id;
        let design = &self.job.design.design;
        if let Some(scenario) = self.job.autosave.take() {
            let text = autosave::encode_within_ceiling(design, &scenario);
            return Some(Answer::Autosave { job, text });
        }
        let evaluation = self
            .evaluation
            .get_or_insert_with(|| Evaluation::unverified_flows(design));
        if std::mem::take(&mut self.fixes_left) {
            *evaluation = std::mem::take(evaluation).with_fixes();
            let fixes = evaluation.verified_fixes();
            return Some(Answer::FixesVerified { job, fixes });
        }
        let toggle = self.job.toggles.get(self.next_toggle)?.clone();
        self.next_toggle += 1;
        let badge = toggles::find(&toggle)
            .and_then(|found| found.flip(design))
            .map(|flipped| Diff::between(evaluation, &Evaluation::unverified_flows(&flipped)));
        Some(Answer::Badge { job, toggle, badge })
    }
}
