//! A design evaluated for display: [`analysis::analyse`](crate::analysis::analyse) gives the
//! required flows and the exhaustive exfiltration search; this module turns them into flow
//! results with a display status, keeps the fixes of every open path, and adds the engine's
//! diagnostics. Recomputed on every design change (toggle, edit, import). Flow results are
//! serializable: the analysis worker sends verified ones ([`super::background`]).

use crate::model::sorting;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::analysis::compliance::{checks, ComplianceCheck};
use crate::analysis::fixes::Fix;
use crate::analysis::required::trace_or_unsupported;
use crate::analysis::{
    analyse_unverified, analyse_unverified_on, verify_fixes, Analysis, Unverified,
};
use crate::engine::{Engine, Trace, Verdict};
use crate::model::{Design, Diagnostic};

use super::diagram::names::display_name;
use super::flows::{FlowKind, FlowQuestion};
use super::trace_rows::verdict_badge;

/// A change that closes an exfiltration path, and the required flows it would break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixRow {
    pub description: String,
    /// The labels of the required flows the fix breaks (`ci-notebook → … tcp/443`).
    pub breaks: Vec<String>,
    /// The change itself, applied by [`Action::ApplyFix`](super::state::Action::ApplyFix).
    pub fix: Fix,
}

/// Verified fixes by flow id ([`Evaluation::verified_fixes`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedFixes(pub Vec<(String, Vec<FixRow>)>);

/// One flow with its trace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowResult {
    pub question: FlowQuestion,
    pub trace: Trace,
    /// For exfiltration paths: every verified change that closes it.
    pub fixes: Vec<FixRow>,
}

/// How a result reads for the design's owner: the badge of a flow row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// A required or optional flow that passes.
    Passes,
    /// A required or optional flow that does not pass.
    Fails,
    /// An exfiltration path that is open (the flow reaches the sink).
    ExfiltrationOpen,
    /// An exfiltration path that is closed.
    ExfiltrationClosed,
}

impl Status {
    /// The icon shown next to the text (colour is never the only signal).
    pub fn icon(self) -> &'static str {
        match self {
            Status::Passes | Status::ExfiltrationClosed => "✓",
            Status::Fails | Status::ExfiltrationOpen => "✗",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Status::Passes => "passes",
            Status::Fails => "fails",
            Status::ExfiltrationOpen => "open",
            Status::ExfiltrationClosed => "closed",
        }
    }

    /// Whether the status needs attention (a broken required flow, an open exfiltration path).
    pub fn is_problem(self) -> bool {
        matches!(self, Status::Fails | Status::ExfiltrationOpen)
    }

    /// The CSS class of the status.
    pub fn class(self) -> &'static str {
        match self {
            Status::Passes | Status::ExfiltrationClosed => "good",
            Status::Fails => "bad",
            Status::ExfiltrationOpen => "exfil",
        }
    }
}

impl FlowResult {
    pub fn allowed(&self) -> bool {
        self.trace.verdict == Verdict::Allowed
    }

    pub fn status(&self) -> Status {
        match (self.question.kind, self.allowed()) {
            (FlowKind::Exfiltration, true) => Status::ExfiltrationOpen,
            (FlowKind::Exfiltration, false) => Status::ExfiltrationClosed,
            (_, true) => Status::Passes,
            (_, false) => Status::Fails,
        }
    }

    /// The verdict as a flow row says it, next to the path's sentence: "✗ open" for an
    /// exfiltration path, the trace's verdict otherwise.
    pub fn row_verdict(&self) -> String {
        let (icon, _, words) = self.verdict_line();
        match self.question.kind {
            FlowKind::Exfiltration if self.allowed() => format!("{icon} open"),
            FlowKind::Exfiltration => format!("{icon} closed by your change"),
            _ => format!("{icon} {words}"),
        }
    }

    /// The verdict as the trace says it: icon, CSS class and words. An open
    /// exfiltration path reads as the danger it is ("✗ open — data can leave to an attacker's
    /// storage account in your region"), never as an allowed flow.
    pub fn verdict_line(&self) -> (&'static str, &'static str, String) {
        match self.status() {
            Status::ExfiltrationOpen => {
                let danger = self.question.danger.as_deref().unwrap_or("an attacker");
                ("✗", "exfil", format!("open — data can leave to {danger}"))
            }
            Status::ExfiltrationClosed => (
                "✓",
                "good",
                format!("closed by your change — {}", self.trace.verdict),
            ),
            _ => {
                let (icon, class) = verdict_badge(self.trace.verdict);
                (icon, class, self.trace.verdict.to_string())
            }
        }
    }
}

/// Every flow of a design, traced.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evaluation {
    /// The design as analysed: the input plus the analysis's synthetic endpoints (attacker
    /// sinks, platform services), which the diagram draws.
    pub analysed: Rc<Design>,
    pub results: Vec<FlowResult>,
    /// Validation and compilation diagnostics of the input design, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Exfiltration paths the engine could not decide (reported, never guessed).
    pub undetermined: Vec<UndeterminedRow>,
    /// The IL5 policy checks of the design's control-plane settings.
    pub compliance: Vec<ComplianceCheck>,
    /// Set until the exfiltration paths' fixes are verified ([`Evaluation::with_fixes`]).
    pub pending: Option<PendingFixes>,
}

/// The analysis whose fixes are still to verify (compared by identity).
#[derive(Debug, Clone)]
pub struct PendingFixes(Rc<Unverified>);

impl PartialEq for PendingFixes {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A path the analysis could not decide, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndeterminedRow {
    pub label: String,
    pub kind: String,
    pub reason: String,
}

impl Evaluation {
    /// The design evaluated, fixes verified.
    pub fn of(design: &Design) -> Self {
        Self::unverified(design).with_fixes()
    }

    /// The design evaluated without verifying fixes: every path's fixes are empty and
    /// [`Evaluation::verifying`] is true until [`Evaluation::with_fixes`].
    pub fn unverified(design: &Design) -> Self {
        let compiled = Engine::new(design);
        Self::of_unverified(
            design,
            analyse_unverified_on(&compiled),
            compiled.diagnostics().to_vec(),
        )
    }

    /// [`Evaluation::unverified`] without the design's diagnostics (left empty), which take a
    /// compile of the design of their own (the analysis compiles the design with its
    /// synthetic endpoints, and skips validation): for the analysis worker, whose answers are
    /// verified fixes and badge counts, never diagnostics.
    pub fn unverified_flows(design: &Design) -> Self {
        Self::of_unverified(design, analyse_unverified(design), Vec::new())
    }

    /// The evaluation of `design` from its `unverified` analysis and `diagnostics`.
    fn of_unverified(
        design: &Design,
        unverified: Unverified,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        let results = results(&unverified.analysis);
        let undetermined = unverified
            .analysis
            .exfiltration
            .undetermined
            .iter()
            .map(|u| UndeterminedRow {
                label: format!(
                    "{} → {} {}/{}",
                    u.source,
                    u.sink,
                    u.protocol,
                    u.ports.map_or_else(|| "any".to_string(), |p| p.to_string())
                ),
                kind: u.kind.as_str().to_string(),
                reason: u.reason.clone(),
            })
            .collect();
        let verifying = !unverified.analysis.exfiltration.findings.is_empty();
        Evaluation {
            analysed: Rc::new(unverified.analysis.prepared.design.clone()),
            results,
            diagnostics,
            undetermined,
            compliance: checks(design),
            pending: verifying.then(|| PendingFixes(Rc::new(unverified))),
        }
    }

    /// Whether the exfiltration paths' fixes are still being verified.
    pub fn verifying(&self) -> bool {
        self.pending.is_some()
    }

    /// This evaluation with every exfiltration path's verified fixes.
    pub fn with_fixes(self) -> Self {
        let Some(PendingFixes(unverified)) = &self.pending else {
            return self;
        };
        let results = verified_results(unverified);
        Evaluation {
            results,
            pending: None,
            ..self
        }
    }

    /// The exfiltration paths' verified fixes, by flow id: what the analysis worker sends
    /// back, since the page has the flows and their traces already.
    pub fn verified_fixes(&self) -> VerifiedFixes {
        VerifiedFixes(
            self.results
                .iter()
                .filter(|result| !result.fixes.is_empty())
                .map(|result| (result.question.id.clone(), result.fixes.clone()))
                .collect(),
        )
    }

    /// Whether the diagram draws `self` as it draws `other`: the same analysed design (by
    /// identity) and the same flows with the same traces. Fixes are not drawn, so an
    /// evaluation whose fixes were just verified draws like the unverified one, and the page
    /// need not lay the diagram out again.
    pub fn draws_like(&self, other: &Evaluation) -> bool {
        Rc::ptr_eq(&self.analysed, &other.analysed)
            && self.results.len() == other.results.len()
            && self
                .results
                .iter()
                .zip(&other.results)
                .all(|(a, b)| a.question == b.question && a.trace == b.trace)
    }

    /// This evaluation with its paths' `fixes`, verified by the worker on the same design.
    pub fn with_verified(mut self, fixes: VerifiedFixes) -> Self {
        let mut by_id: BTreeMap<String, Vec<FixRow>> = fixes.0.into_iter().collect();
        for result in &mut self.results {
            result.fixes = by_id.remove(&result.question.id).unwrap_or_default();
        }
        Evaluation {
            pending: None,
            ..self
        }
    }

    /// The exfiltration paths open in `previous` that this evaluation no longer lists (a change
    /// closed them), each traced again on this design: the now-blocked trace, kept on screen
    /// as "closed by your change".
    pub fn closed_since(&self, previous: &Evaluation) -> Vec<FlowResult> {
        let closed: Vec<&FlowResult> = previous
            .of_kind(FlowKind::Exfiltration)
            .filter(|path| path.allowed() && self.find(&path.question.id).is_none())
            .collect();
        if closed.is_empty() {
            return Vec::new();
        }
        let engine = Engine::new(&self.analysed);
        closed
            .into_iter()
            .map(|path| FlowResult {
                question: path.question.closed(),
                trace: trace_or_unsupported(&engine, &path.question.flow),
                fixes: Vec::new(),
            })
            .collect()
    }

    pub fn find(&self, id: &str) -> Option<&FlowResult> {
        self.results.iter().find(|result| result.question.id == id)
    }

    pub fn of_kind(&self, kind: FlowKind) -> impl Iterator<Item = &FlowResult> {
        self.results
            .iter()
            .filter(move |result| result.question.kind == kind)
    }

    pub fn open_exfiltration_paths(&self) -> usize {
        self.results
            .iter()
            .filter(|result| result.status() == Status::ExfiltrationOpen)
            .count()
    }

    pub fn broken_required_flows(&self) -> usize {
        self.of_kind(FlowKind::Required)
            .filter(|result| !result.allowed())
            .count()
    }
}

/// The flow results of `unverified` with every exfiltration path's verified fixes.
fn verified_results(unverified: &Unverified) -> Vec<FlowResult> {
    results(&verify_fixes(unverified))
}

/// The flow results of `analysis`: required and optional flows, then exfiltration paths.
fn results(analysis: &Analysis) -> Vec<FlowResult> {
    let design = &analysis.prepared.design;
    let name_of = |name: &str| display_name(design, name);
    let required: Vec<FlowResult> = analysis
        .required
        .iter()
        .map(|flow| FlowResult {
            question: FlowQuestion::required(flow, &name_of),
            trace: flow.trace.clone(),
            fixes: Vec::new(),
        })
        .collect();
    let label_of = |key: &String| {
        required
            .iter()
            .find(|r| &r.question.id == key)
            .map_or_else(|| key.clone(), |r| r.question.label.clone())
    };
    let exfiltration = analysis
        .exfiltration
        .findings
        .iter()
        .map(|finding| FlowResult {
            question: FlowQuestion::exfiltration(finding, &name_of),
            trace: finding.trace.clone(),
            fixes: finding
                .fixes
                .iter()
                .map(|fix| FixRow {
                    description: fix.fix.describe(),
                    breaks: fix.breaks.iter().map(label_of).collect(),
                    fix: fix.fix.clone(),
                })
                .collect(),
        });
    let exfiltration: Vec<FlowResult> = exfiltration.collect();
    let mut results: Vec<FlowResult> = required.into_iter().chain(exfiltration).collect();
    sorting::sort_by_key(&mut results, |result| result.question.kind);
    results
}
