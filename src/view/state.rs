//! The application state and its single reducer, `apply(AppState, Action) -> AppState`: every
//! change the UI can make (load a preset, import, open a share link, flip a toggle, edit,
//! select and step through a flow, filter, undo/redo, errors). Each design change re-evaluates
//! the design, recomputes every toggle's diff badge and records what the change did.

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::model::Design;

use super::background::Answer;
use super::design_text::DesignText;
use super::diagram::default_collapsed;
use super::diff::Diff;
use super::edit::FieldError;
use super::edit::{apply_edit, Edit};
use super::evaluation::{Evaluation, FlowResult};
use super::flows::FlowKind;
use super::flows::FlowQuestion;
use super::import_report::{ImportOutcome, ImportReport, InputFile};
use super::lab::session::{LabSession, Progress};
use super::lab::{self, Lab};
use super::scenarios;
use super::share;
use super::startup::{self, ShareChoice, ShareConflict};
use super::toggle_sight::ToggleSight;
use super::toggles;
use super::trace_form::{TraceForm, TRACED_KEPT};
use super::trace_rows::deciding_hop;
use crate::analysis::required::trace_or_unsupported;
use crate::engine::Engine;

/// How many designs undo remembers.
const UNDO_DEPTH: usize = 100;

/// One toggle as the design panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToggleRow {
    pub id: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    /// `None`: the toggle does not apply to this design.
    pub on: Option<bool>,
    /// What flipping it would change; `None` until computed (after the repaint of a change,
    /// see [`Action::ComputeBadges`] and [`Action::Background`]) or when the toggle does not
    /// apply.
    pub badge: Option<Diff>,
    /// The badge before the last change, shown dimmed until `badge` is computed, so a flip
    /// does not replace every badge's text twice. `None` for a toggle the change flipped (its
    /// old sentence was about the other direction) and after an unrelated design is opened.
    pub earlier: Option<Diff>,
    /// The flipped design's evaluation when the page computed the badge itself, reused when
    /// the toggle is flipped (the worker sends only the badge).
    pub flipped: Option<Rc<Evaluation>>,
}

/// The flows panel's filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowFilter {
    pub text: String,
    pub problems_only: bool,
}

impl FlowFilter {
    /// Whether the filter admits a result; the text is lowercased once, not per row.
    pub fn admits(&self) -> impl Fn(&FlowResult) -> bool + '_ {
        let text = self.text.trim().to_lowercase();
        move |result| {
            (!self.problems_only || result.status().is_problem())
                && (text.is_empty() || result.question.label.to_lowercase().contains(&text))
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub design: Rc<Design>,
    /// The preset the design came from; empty for imported or shared designs.
    pub scenario: String,
    pub evaluation: Rc<Evaluation>,
    pub toggles: Rc<Vec<ToggleRow>>,
    /// Counts design changes, so the UI can run an effect once per change.
    pub revision: u64,
    /// The selected flow's question id.
    pub selected: Option<String>,
    /// The step-through cursor: index of the current hop of the selected flow.
    pub step: usize,
    /// Play is on: the UI's timer dispatches [`Action::Tick`] until the cursor reaches the
    /// deciding hop.
    pub playing: bool,
    pub filter: FlowFilter,
    pub undo: Vec<HistoryEntry>,
    pub redo: Vec<HistoryEntry>,
    /// The loaded scenario's design, to say whether the design was modified and to reset it;
    /// `None` for imported or shared designs.
    pub origin: Option<Rc<Design>>,
    /// What the last design change did to the flows.
    pub last_change: Option<Diff>,
    /// The exfiltration paths the last design change closed, with their now-blocked traces:
    /// listed as "closed by your change" until the next change.
    pub closed_by_change: Rc<Vec<FlowResult>>,
    /// The trace form as typed, and its field messages after the last Trace.
    pub trace_form: TraceForm,
    pub trace_form_errors: Vec<FieldError>,
    /// The flows traced with the form, most recent first, traced again on every change.
    pub traced: Rc<Vec<FlowResult>>,
    /// How many flows the form traced (numbers their ids).
    pub traced_count: usize,
    /// The "How to read this" panel was dismissed.
    pub help_dismissed: bool,
    /// The diagram's collapsed VNets and groups; `None`: the design's opening default
    /// ([`default_collapsed`](super::diagram::default_collapsed)). Kept here so that the SVG
    /// export draws what the screen shows.
    pub diagram_collapsed: Option<BTreeSet<String>>,
    /// The lab in progress (exercise mode), if any.
    pub lab: Option<Rc<LabSession>>,
    /// The error banner; dismissable.
    pub error: Option<String>,
    /// The last import's summary and diagnostics (or why it failed), shown until the next one.
    pub import_report: Option<Rc<ImportReport>>,
    /// The files the import module is importing, until its outcome arrives.
    pub importing: Option<String>,
    /// Embed mode: no editing.
    pub read_only: bool,
    /// A share link waiting for the user's choice because it would replace a different
    /// autosaved design.
    pub share_conflict: Option<ShareConflict>,
    /// The design's JSON text while the design is the one an import read from it, for the
    /// analysis worker's first job to carry as is.
    pub design_text: Option<DesignText>,
}

/// A design undo or redo can go back to, with the scenario it belongs to (restored in the
/// picker).
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub design: Rc<Design>,
    pub scenario: String,
    pub origin: Option<Rc<Design>>,
    /// The step between this entry and the next state loaded an unrelated design (an import
    /// or a share link), so "Last change" does not compare the two.
    pub unrelated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Loads a scenario with a fresh history (undo starts from it).
    LoadPreset(String),
    /// Goes back to the loaded scenario's design, as one undoable change.
    ResetToScenario,
    /// Files (named) sent to the import module.
    Importing(String),
    /// What the import module made of files dropped or picked together: a design, Azure JSON
    /// or an ARM template (optionally with its parameters file), a Terraform configuration, or
    /// one lab file. `evaluation` is the imported design's, when the page computed it in a
    /// task of its own before (else it is computed here).
    Imported {
        outcome: Box<ImportOutcome>,
        evaluation: Option<Rc<Evaluation>>,
    },
    /// A URL fragment carrying a share link.
    OpenShareLink(String),
    /// The answer to the question a share link asked at startup ([`ShareConflict`]).
    ResolveShareConflict(ShareChoice),
    Flip(String),
    Edit(Edit),
    Select(Option<String>),
    StepNext,
    StepBack,
    /// Starts playing the selected trace from its first hop (or from the cursor when it is
    /// before the deciding hop).
    Play,
    Pause,
    /// One step of Play: the cursor moves on and Play stops on the deciding hop.
    Tick,
    SetFilter(FlowFilter),
    Undo,
    Redo,
    /// Applies fix number `fix` of the exfiltration path `path` to the design, as one
    /// undoable edit.
    ApplyFix {
        path: String,
        fix: usize,
    },
    /// Verifies the fixes of the exfiltration paths, which a change shows as "verifying fixes…"
    /// until the UI dispatches this after the change itself has been painted.
    VerifyFixes,
    /// Computes the missing badges of these toggles (verifying fixes first if still
    /// pending): one analysis each, so the UI dispatches it after the change itself has been
    /// painted, for the toggles in sight ([`ToggleSight`]), as many as keep the task short.
    ComputeBadges(Vec<String>),
    /// Flips `toggle` with the flip's `evaluation` prepared for `design`
    /// ([`FlipCache`](super::flip_cache::FlipCache)); evaluated anew if `design` is no longer
    /// the one shown (compared by identity).
    FlipPrepared {
        toggle: String,
        design: Rc<Design>,
        evaluation: Rc<Evaluation>,
    },
    /// The analysis worker's answers for `design` ([`Answer`]), in the order given: ignored
    /// unless `design` is still the one shown (compared by identity).
    Background {
        design: Rc<Design>,
        answers: Vec<Answer>,
    },
    SetTraceForm(TraceForm),
    /// Traces the form's flow on the design (as `vnetlab trace`), or shows the field errors.
    TraceFlow,
    /// Shows (`true`) or dismisses the "How to read this" panel.
    ShowHelp(bool),
    /// Sets which VNets and groups the diagram draws collapsed.
    SetDiagramCollapsed(Option<BTreeSet<String>>),
    /// Collapses the diagram's VNet or group `key`, or expands it if it is collapsed (from the
    /// design's opening state when nothing was chosen yet).
    ToggleCollapsed(String),
    /// Starts a lab: its starting design with a fresh history, in exercise mode.
    OpenLab(Box<Lab>),
    /// Leaves exercise mode; the design stays.
    LeaveLab,
    /// Reveals the lab's next hint.
    ShowHint,
    /// Brings back the hints seen in this lab before (its saved progress).
    RestoreLabProgress(Progress),
    /// Shows which goals hold (the goals are checked live; Check says so out loud).
    CheckLab,
    /// Puts the lab's starting design back, as one undoable change.
    ResetLab,
    /// Applies the next step of the lab's reference solution, as one undoable change.
    ShowSolutionStep,
    ShowError(String),
    DismissError,
}

impl AppState {
    /// A fresh state showing `design`. Like any change, it shows the required flows and the
    /// open paths first; their fixes are verified after the first paint
    /// ([`Action::VerifyFixes`]).
    pub fn new(design: Design, scenario: &str, read_only: bool) -> Self {
        let evaluation = Rc::new(Evaluation::unverified(&design));
        AppState::showing(design, scenario, read_only, evaluation)
    }

    /// A fresh state (no history, no last change) showing `design` with its `evaluation`;
    /// the toggles' badges are computed later ([`Action::ComputeBadges`]).
    fn showing(
        design: Design,
        scenario: &str,
        read_only: bool,
        evaluation: Rc<Evaluation>,
    ) -> Self {
        let toggles = Rc::new(toggle_rows(&design));
        let origin = scenarios::find(scenario)
            .and_then(|preset| preset.design().ok())
            .map(Rc::new);
        AppState {
            design: Rc::new(design),
            scenario: scenario.to_string(),
            evaluation,
            toggles,
            revision: 0,
            selected: None,
            step: 0,
            playing: false,
            filter: FlowFilter::default(),
            undo: Vec::new(),
            redo: Vec::new(),
            origin,
            last_change: None,
            closed_by_change: Rc::default(),
            trace_form: TraceForm::default(),
            trace_form_errors: Vec::new(),
            traced: Rc::default(),
            traced_count: 0,
            help_dismissed: false,
            diagram_collapsed: None,
            lab: None,
            error: None,
            import_report: None,
            importing: None,
            read_only,
            share_conflict: None,
            design_text: None,
        }
    }

    /// The selected flow: one of the evaluation's, or a path the last change closed.
    pub fn selected_result(&self) -> Option<&FlowResult> {
        let id = self.selected.as_deref()?;
        self.evaluation.find(id).or_else(|| {
            self.closed_by_change
                .iter()
                .chain(self.traced.iter())
                .find(|path| path.question.id == id)
        })
    }

    /// What the diagram draws: the evaluation's flows plus the paths the last change closed
    /// (with their now-blocked traces) and the flows traced with the form. The evaluation
    /// itself when there are none, so nothing is copied on most changes.
    pub fn drawn_evaluation(&self) -> Rc<Evaluation> {
        if self.closed_by_change.is_empty() && self.traced.is_empty() {
            return self.evaluation.clone();
        }
        let extra = self.closed_by_change.iter().chain(self.traced.iter());
        let mut drawn = Evaluation::clone(&self.evaluation);
        drawn.results.extend(extra.cloned());
        Rc::new(drawn)
    }

    /// The hop that decided the selected flow's trace ([`deciding_hop`]).
    pub fn deciding_hop(&self) -> Option<usize> {
        deciding_hop(&self.selected_result()?.trace)
    }

    /// The paths the last change closed that the filter admits.
    pub fn visible_closed_paths(&self) -> impl Iterator<Item = &FlowResult> {
        let admits = self.filter.admits();
        self.closed_by_change
            .iter()
            .filter(move |result| admits(result))
    }

    /// The results of `kind` the filter admits.
    pub fn visible(&self, kind: FlowKind) -> impl Iterator<Item = &FlowResult> {
        let admits = self.filter.admits();
        self.evaluation
            .of_kind(kind)
            .filter(move |result| admits(result))
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Whether the design differs from the scenario it was loaded from.
    pub fn modified(&self) -> bool {
        self.origin
            .as_deref()
            .is_some_and(|origin| origin != self.design.as_ref())
    }

    /// The current design as a history entry.
    fn snapshot(&self, unrelated: bool) -> HistoryEntry {
        HistoryEntry {
            design: self.design.clone(),
            scenario: self.scenario.clone(),
            origin: self.origin.clone(),
            unrelated,
        }
    }

    /// Shows `entry` (popped from undo or redo) and pushes the current design on `pushed`.
    fn travel(mut self, entry: HistoryEntry, to_redo: bool) -> Self {
        let current = self.snapshot(entry.unrelated);
        if to_redo {
            self.redo.push(current);
        } else {
            self.undo.push(current);
        }
        self.design = entry.design;
        self.scenario = entry.scenario;
        self.origin = entry.origin;
        let state = self.reevaluate();
        if entry.unrelated {
            state.forgetting_the_change()
        } else {
            state
        }
    }

    /// No "Last change", no closed paths and no earlier badges: the design shown is unrelated
    /// to the previous one.
    fn forgetting_the_change(mut self) -> Self {
        for row in Rc::make_mut(&mut self.toggles) {
            row.earlier = None;
        }
        AppState {
            last_change: None,
            closed_by_change: Rc::default(),
            ..self
        }
    }

    /// Shows `design` as a new undoable change.
    fn commit(self, design: Design) -> Self {
        let evaluation = Rc::new(Evaluation::unverified(&design));
        self.commit_evaluated(design, evaluation, false)
    }

    /// Shows `design`, unrelated to the current one (imported or shared), as an undoable step
    /// that reports no "Last change"; `evaluation` is the design's, when it is already known.
    pub(super) fn open_unrelated(self, design: Design, evaluation: Option<Rc<Evaluation>>) -> Self {
        let evaluation = evaluation.unwrap_or_else(|| Rc::new(Evaluation::unverified(&design)));
        let state = self.commit_evaluated(design, evaluation, true);
        AppState {
            scenario: String::new(),
            origin: None,
            ..state
        }
        .forgetting_the_change()
    }

    /// [`AppState::commit`] with the new design's evaluation already computed.
    fn commit_evaluated(
        mut self,
        design: Design,
        evaluation: Rc<Evaluation>,
        unrelated: bool,
    ) -> Self {
        let locked = self.lab.as_ref().filter(|_| !unrelated);
        if let Some(name) = locked.and_then(|lab| lab.locked_change(&self.design, &design)) {
            return self.with_error(format!("{name} is locked in this lab"));
        }
        if unrelated {
            self.lab = None;
        }
        if let Some(session) = &mut self.lab {
            Rc::make_mut(session).progress.checked = false;
        }
        let previous = self.snapshot(unrelated);
        self.design = Rc::new(design);
        self.design_text = None;
        self.undo.push(previous);
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.reevaluated(evaluation)
    }

    fn reevaluate(self) -> Self {
        let evaluation = Rc::new(Evaluation::unverified(&self.design));
        self.reevaluated(evaluation)
    }

    /// Shows `evaluation`, the evaluation of the (changed) design.
    fn reevaluated(mut self, evaluation: Rc<Evaluation>) -> Self {
        self.last_change = Some(Diff::between(&self.evaluation, &evaluation));
        self.closed_by_change = Rc::new(evaluation.closed_since(&self.evaluation));
        if !self.traced.is_empty() {
            let engine = Engine::new(&self.design);
            let traced = self.traced.iter().map(|result| FlowResult {
                trace: trace_or_unsupported(&engine, &result.question.flow),
                ..result.clone()
            });
            self.traced = Rc::new(traced.collect());
        }
        self.toggles = Rc::new(toggle_rows_after_change(&self.design, &self.toggles));
        self.evaluation = evaluation;
        self.revision += 1;
        self.playing = false;
        match self.selected_result().map(|r| r.trace.hops.len()) {
            Some(hops) => self.step = self.step.min(hops.saturating_sub(1)),
            None => {
                self.selected = None;
                self.step = 0;
            }
        }
        self
    }

    /// The evaluation with its fixes verified (unchanged if they already are).
    fn with_fixes(mut self) -> Self {
        if self.evaluation.verifying() {
            let evaluation = Rc::unwrap_or_clone(self.evaluation);
            self.evaluation = Rc::new(evaluation.with_fixes());
        }
        self
    }

    /// The lab session with `change` made to its progress.
    fn with_lab_progress(mut self, change: impl FnOnce(&Lab, &mut Progress)) -> Self {
        if let Some(session) = &mut self.lab {
            let session = Rc::make_mut(session);
            change(&session.lab, &mut session.progress);
        }
        self
    }

    /// A lab is in progress and its answers (fixes, toggle badges) are still hidden.
    pub fn answers_hidden(&self) -> bool {
        self.lab
            .as_ref()
            .is_some_and(|session| !session.reveals_answers())
    }

    /// A toggle that applies to the design but has no badge yet.
    pub fn badge_pending(&self) -> bool {
        self.toggles
            .iter()
            .any(|row| row.on.is_some() && row.badge.is_none())
    }

    /// Every badge computed at once (for the tests' and benchmarks' whole picture).
    pub fn with_all_badges(self) -> Self {
        let every = self.pending_badges(&ToggleSight::Everything);
        self.with_badges(&every)
    }

    /// The badges of the toggles named `ids` computed, those still missing.
    fn with_badges(self, ids: &[String]) -> Self {
        ids.iter()
            .fold(self, |state, id| state.with_missing_badge(id))
    }

    /// The toggles in `sight` whose badges are missing, in order.
    pub fn pending_badges(&self, sight: &ToggleSight) -> Vec<String> {
        self.toggles
            .iter()
            .filter(|row| row.on.is_some() && row.badge.is_none() && sight.shows(row.id))
            .map(|row| row.id.to_string())
            .collect()
    }

    /// Toggle `id`'s badge computed if it is missing; a toggle that cannot flip the design is
    /// marked as not applying, so the badge is never missing again.
    fn with_missing_badge(self, id: &str) -> Self {
        let pending = self
            .toggles
            .iter()
            .position(|row| row.id == id && row.on.is_some() && row.badge.is_none());
        let Some(index) = pending else {
            return self;
        };
        let flipped = toggles::find(self.toggles[index].id)
            .and_then(|toggle| toggle.flip(&self.design))
            .map(|flipped| Evaluation::unverified(&flipped));
        self.with_badge(index, flipped)
    }

    /// The state with a worker's answer for its design.
    fn with_answer(self, answer: Answer) -> Self {
        match answer {
            Answer::FixesVerified { fixes, .. } if self.evaluation.verifying() => {
                let mut state = self;
                let evaluation = Rc::unwrap_or_clone(state.evaluation);
                state.evaluation = Rc::new(evaluation.with_verified(fixes));
                state
            }
            Answer::FixesVerified { .. } | Answer::Autosave { .. } => self,
            Answer::Badge { toggle, badge, .. } => {
                let mut state = self;
                let pending = state
                    .toggles
                    .iter()
                    .position(|row| row.id == toggle && row.on.is_some() && row.badge.is_none());
                if let Some(index) = pending {
                    state.set_badge(index, badge, None);
                }
                state
            }
        }
    }

    /// The badge of toggle row `index` from its flipped design's evaluation (`None`: the
    /// toggle does not apply), which a flip of it reuses.
    fn with_badge(mut self, index: usize, flipped: Option<Evaluation>) -> Self {
        let badge = flipped.as_ref().map(|f| Diff::between(&self.evaluation, f));
        self.set_badge(index, badge, flipped.map(Rc::new));
        self
    }

    /// Sets toggle row `index`'s badge (`None`: the toggle cannot flip the design, so it does
    /// not apply) and the flipped evaluation to reuse, if any.
    fn set_badge(&mut self, index: usize, badge: Option<Diff>, flipped: Option<Rc<Evaluation>>) {
        let row = &mut Rc::make_mut(&mut self.toggles)[index];
        row.badge = badge;
        if badge.is_none() {
            row.on = None;
        }
        row.flipped = flipped;
    }

    fn with_error(mut self, message: impl Into<String>) -> Self {
        self.error = Some(message.into());
        self
    }
}

/// The toggle rows, their badges not computed yet.
fn toggle_rows(design: &Design) -> Vec<ToggleRow> {
    toggles::all()
        .iter()
        .map(|toggle| ToggleRow {
            id: toggle.id,
            label: toggle.label,
            help: toggle.help,
            on: toggle.state(design),
            badge: None,
            earlier: None,
            flipped: None,
        })
        .collect()
}

/// The toggle rows of a changed design, each toggle the change left as it was with its badge
/// before the change as `earlier`.
fn toggle_rows_after_change(design: &Design, before: &[ToggleRow]) -> Vec<ToggleRow> {
    let mut rows = toggle_rows(design);
    for row in rows.iter_mut().filter(|row| row.on.is_some()) {
        row.earlier = before
            .iter()
            .find(|old| old.id == row.id && old.on == row.on)
            .and_then(|old| old.badge.or(old.earlier));
    }
    rows
}

/// The design with toggle `id` flipped, shown with `evaluated` (its evaluation computed
/// earlier) or evaluated now.
fn flip(state: AppState, id: &str, evaluated: Option<Rc<Evaluation>>) -> AppState {
    let flipped = toggles::find(id).and_then(|toggle| toggle.flip(&state.design));
    match (flipped, evaluated) {
        (Some(design), Some(evaluation)) => state.commit_evaluated(design, evaluation, false),
        (Some(design), None) => state.commit(design),
        (None, _) => state.with_error(format!("the toggle {id} does not apply to this design")),
    }
}

/// Applies the lab's next reference-solution step to the design.
fn show_solution_step(state: AppState) -> AppState {
    let Some(session) = state.lab.clone() else {
        return state;
    };
    let shown = session.progress.solution_shown;
    let Some(step) = session.lab.solution.get(shown) else {
        return state;
    };
    match step.step.apply(&state.design) {
        Ok(design) => state
            .commit(design)
            .with_lab_progress(|_, progress| progress.solution_shown = shown + 1),
        Err(error) => state.with_error(format!("solution step {}: {error}", shown + 1)),
    }
}

/// Opens a dropped or picked lab file; a broken one is reported and the lab in progress kept.
fn open_lab_file(state: AppState, file: &InputFile) -> AppState {
    match lab::parse(&file.text, &file.name) {
        Ok(lab) => apply(state, Action::OpenLab(Box::new(lab))),
        Err(error) => state.with_error(format!("the lab file could not be opened: {error}")),
    }
}

/// Opens an import's design (with its `evaluation`, when known); on failure the design is
/// kept and the banner and report say why.
fn imported(
    state: AppState,
    outcome: ImportOutcome,
    evaluation: Option<Rc<Evaluation>>,
) -> AppState {
    match outcome {
        ImportOutcome::Imported { design, report } => {
            let revision = state.revision;
            let opened = AppState {
                import_report: Some(Rc::new(report)),
                selected: None,
                step: 0,
                ..state
            }
            .open_unrelated(Rc::unwrap_or_clone(design.design), evaluation);
            // The text spells the opened design only if it was opened.
            let design_text = (opened.revision != revision).then(|| DesignText {
                design: opened.design.clone(),
                text: design.text,
            });
            AppState {
                design_text,
                ..opened
            }
        }
        ImportOutcome::Lab(file) => open_lab_file(state, &file),
        ImportOutcome::Failed(report) => {
            let message = format!(
                "import failed, the current design is unchanged: {}",
                report.error.clone().unwrap_or_default()
            );
            AppState {
                import_report: Some(Rc::new(report)),
                ..state
            }
            .with_error(message)
        }
    }
}

/// Traces the trace form's flow and opens it at the top of the traced flows; bad input leaves
/// a message beside its field.
fn trace_form_flow(state: AppState) -> AppState {
    let traced = state.trace_form.resolve(&state.design).and_then(|flow| {
        Engine::new(&state.design)
            .trace(&flow)
            .map_err(|error| vec![state.trace_form.engine_error(&error)])
    });
    match traced {
        Ok(trace) => {
            let number = state.traced_count + 1;
            let result = FlowResult {
                question: FlowQuestion::traced(trace.flow.clone(), number),
                trace,
                fixes: Vec::new(),
            };
            let selected = Some(result.question.id.clone());
            let traced = std::iter::once(result)
                .chain(state.traced.iter().cloned())
                .take(TRACED_KEPT)
                .collect();
            AppState {
                traced: Rc::new(traced),
                traced_count: number,
                trace_form_errors: Vec::new(),
                selected,
                step: 0,
                playing: false,
                ..state
            }
        }
        Err(trace_form_errors) => AppState {
            trace_form_errors,
            ..state
        },
    }
}

/// The reducer: the state after `action`.
pub fn apply(state: AppState, action: Action) -> AppState {
    match action {
        Action::LoadPreset(id) => match scenarios::find(&id).map(|p| p.design()) {
            Some(Ok(design)) => {
                // Repaints before fixes and badges are computed, like any change.
                let evaluation = Rc::new(Evaluation::unverified(&design));
                AppState {
                    revision: state.revision + 1,
                    filter: state.filter,
                    help_dismissed: state.help_dismissed,
                    ..AppState::showing(design, &id, state.read_only, evaluation)
                }
            }
            Some(Err(error)) => state.with_error(error),
            None => state.with_error(format!("there is no preset named {id}")),
        },
        Action::Importing(names) => AppState {
            importing: Some(names),
            ..state
        },
        Action::Imported {
            outcome,
            evaluation,
        } => imported(
            AppState {
                importing: None,
                ..state
            },
            *outcome,
            evaluation,
        ),
        Action::OpenShareLink(fragment) => match share::decode_fragment(&fragment) {
            Ok(loaded) => {
                let note = startup::validation_note("The shared design", &loaded);
                AppState {
                    error: note,
                    share_conflict: None,
                    ..state.open_unrelated(loaded.design, None)
                }
            }
            Err(error) => state.with_error(error.to_string()),
        },
        Action::ResolveShareConflict(choice) => startup::resolve(state, choice),
        Action::Flip(id) => {
            let cached = state
                .toggles
                .iter()
                .find(|row| row.id == id)
                .and_then(|row| row.flipped.clone());
            flip(state, &id, cached)
        }
        Action::FlipPrepared {
            toggle,
            design,
            evaluation,
        } => {
            let prepared = Rc::ptr_eq(&design, &state.design).then_some(evaluation);
            flip(state, &toggle, prepared)
        }
        Action::Edit(_) if state.read_only => state,
        Action::Edit(edit) => match apply_edit(&state.design, &edit) {
            Ok(design) => state.commit(design),
            Err(error) => state.with_error(error),
        },
        Action::Select(selected) => AppState {
            selected,
            step: 0,
            playing: false,
            ..state
        },
        Action::StepNext => {
            let hops = state.selected_result().map_or(0, |r| r.trace.hops.len());
            AppState {
                step: (state.step + 1).min(hops.saturating_sub(1)),
                playing: false,
                ..state
            }
        }
        Action::StepBack => AppState {
            step: state.step.saturating_sub(1),
            playing: false,
            ..state
        },
        Action::Play => match state.deciding_hop() {
            Some(deciding) if deciding > 0 => AppState {
                step: if state.step >= deciding {
                    0
                } else {
                    state.step
                },
                playing: true,
                ..state
            },
            _ => state,
        },
        Action::Pause => AppState {
            playing: false,
            ..state
        },
        Action::Tick if !state.playing => state,
        Action::Tick => {
            let deciding = state.deciding_hop().unwrap_or(0);
            let step = (state.step + 1).min(deciding);
            AppState {
                step,
                playing: step < deciding,
                ..state
            }
        }
        Action::SetFilter(filter) => AppState { filter, ..state },
        Action::Undo => {
            let mut state = state;
            match state.undo.pop() {
                Some(previous) => state.travel(previous, true),
                None => state,
            }
        }
        Action::Redo => {
            let mut state = state;
            match state.redo.pop() {
                Some(next) => state.travel(next, false),
                None => state,
            }
        }
        Action::ResetToScenario if state.read_only || !state.modified() => state,
        Action::ResetToScenario => match state.origin.clone() {
            Some(origin) => state.commit(Design::clone(&origin)),
            None => state,
        },
        Action::ApplyFix { .. } if state.read_only => state,
        Action::ApplyFix { path, fix } => {
            let fix = state
                .evaluation
                .find(&path)
                .and_then(|result| result.fixes.get(fix))
                .map(|row| row.fix.clone());
            match fix.map(|fix| fix.apply(&state.design)) {
                Some(Some(design)) => state.commit(design),
                Some(None) => state.with_error("this fix no longer applies to the design"),
                None => state.with_error(format!("there is no such fix for {path}")),
            }
        }
        Action::VerifyFixes => state.with_fixes(),
        Action::ComputeBadges(ids) => state.with_fixes().with_badges(&ids),
        Action::Background { design, .. } if !Rc::ptr_eq(&design, &state.design) => state,
        Action::Background { answers, .. } => {
            answers.into_iter().fold(state, AppState::with_answer)
        }
        Action::SetTraceForm(trace_form) => AppState {
            trace_form,
            ..state
        },
        Action::TraceFlow => trace_form_flow(state),
        Action::ShowHelp(shown) => AppState {
            help_dismissed: !shown,
            ..state
        },
        Action::SetDiagramCollapsed(diagram_collapsed) => AppState {
            diagram_collapsed,
            ..state
        },
        Action::ToggleCollapsed(key) => {
            let mut collapsed = state
                .diagram_collapsed
                .clone()
                .unwrap_or_else(|| default_collapsed(&state.evaluation.analysed));
            if !collapsed.remove(&key) {
                collapsed.insert(key);
            }
            AppState {
                diagram_collapsed: Some(collapsed),
                ..state
            }
        }
        Action::OpenLab(lab) => match LabSession::open(*lab) {
            Ok((session, design)) => {
                let evaluation = Rc::new(Evaluation::unverified(&design));
                AppState {
                    revision: state.revision + 1,
                    help_dismissed: state.help_dismissed,
                    lab: Some(Rc::new(session)),
                    ..AppState::showing(design, "", state.read_only, evaluation)
                }
            }
            Err(error) => state.with_error(error),
        },
        Action::LeaveLab => AppState { lab: None, ..state },
        Action::ShowHint => state.with_lab_progress(|lab, progress| {
            progress.hints_shown = (progress.hints_shown + 1).min(lab.hints.len());
        }),
        Action::CheckLab => state.with_lab_progress(|_, progress| progress.checked = true),
        Action::RestoreLabProgress(saved) => state.with_lab_progress(|lab, progress| {
            progress.hints_shown = progress
                .hints_shown
                .max(saved.hints_shown.min(lab.hints.len()));
        }),
        Action::ResetLab => match state.lab.clone() {
            Some(session) => state.commit((*session.start).clone()),
            None => state,
        },
        Action::ShowSolutionStep => show_solution_step(state),
        Action::ShowError(message) => state.with_error(message),
        Action::DismissError => AppState {
            error: None,
            ..state
        },
    }
}
