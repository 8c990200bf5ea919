//! The reducer: toggles recompute with a diff, undo/redo, selection and step-through, failed
//! imports keep the design, startup from a share link or the autosave.

use vnetlab::view::autosave;
use vnetlab::view::share::encode_fragment;
use vnetlab::view::state::{apply, Action, AppState, Startup};
use vnetlab::view::toggles;

use crate::{preset, DLP};

fn dlp_state() -> AppState {
    AppState::new(preset(DLP), DLP, false).with_all_badges()
}

#[test]
fn a_toggle_recomputes_and_records_what_changed_and_undo_redo_restore() {
    let state = dlp_state();
    let original = state.design.clone();
    let badge = state
        .toggles
        .iter()
        .find(|t| t.id == "sep-attached")
        .unwrap()
        .badge
        .unwrap();
    assert!(
        badge.exfiltration_opened > 0,
        "the badge predicts the opened paths: {badge:?}"
    );

    let flipped = apply(state, Action::Flip("sep-attached".into()));
    assert_eq!(flipped.last_change, Some(badge));
    assert!(
        flipped.toggles.iter().all(|t| t.badge.is_none()),
        "badges wait for the repaint"
    );
    let flipped =
        (0..toggles::all().len()).fold(flipped, |state, _| apply(state, Action::ComputeNextBadge));
    let back = flipped
        .toggles
        .iter()
        .find(|t| t.id == "sep-attached")
        .unwrap()
        .badge
        .unwrap();
    assert_eq!(back.exfiltration_closed, badge.exfiltration_opened);
    assert!(flipped.evaluation.open_exfiltration_paths() > 0);
    assert!(flipped.can_undo() && !flipped.can_redo());

    let undone = apply(flipped, Action::Undo);
    assert_eq!(undone.design, original);
    assert!(undone.can_redo());
    let redone = apply(undone, Action::Redo);
    assert_ne!(redone.design, original);
    let undone_by_redo = apply(
        apply(redone, Action::Undo),
        Action::Flip("compute-public-ip".into()),
    );
    assert!(!undone_by_redo.can_redo(), "a new change clears redo");
}

#[test]
fn step_through_moves_within_the_trace() {
    let state = dlp_state();
    let id = state.evaluation.results[0].question.id.clone();
    let hops = state.evaluation.results[0].trace.hops.len();
    let mut state = apply(state, Action::Select(Some(id)));
    assert_eq!(state.step, 0);
    for _ in 0..hops + 3 {
        state = apply(state, Action::StepNext);
    }
    assert_eq!(state.step, hops - 1);
    state = apply(state, Action::StepBack);
    assert_eq!(state.step, hops.saturating_sub(2));
}

#[test]
fn a_failed_import_keeps_the_design_and_shows_an_error() {
    let state = dlp_state();
    let design = state.design.clone();
    let state = apply(
        state,
        Action::Import {
            text: "{ not json".into(),
            source: "bad.json".into(),
        },
    );
    assert_eq!(state.design, design);
    assert!(state.error.as_deref().unwrap().contains("bad.json"));
    let state = apply(state, Action::DismissError);
    assert_eq!(state.error, None);
    let json = serde_json::to_string(&preset("workshop")).unwrap();
    let state = apply(
        state,
        Action::Import {
            text: json,
            source: "w.json".into(),
        },
    );
    assert_eq!(state.design.name, "workshop");
    assert_eq!(state.scenario, "");
}

#[test]
fn startup_prefers_the_share_link_then_the_autosave() {
    let shared = preset("workshop");
    let fragment = format!("#{}", encode_fragment(&shared));
    let saved = autosave::encode(&preset(DLP), DLP);
    let state = AppState::start(Startup {
        fragment: Some(&fragment),
        autosave: Some(&saved),
        ..Startup::default()
    });
    assert_eq!(*state.design, shared);
    let state = AppState::start(Startup {
        fragment: None,
        autosave: Some(&saved),
        ..Startup::default()
    });
    assert_eq!(state.scenario, DLP);
    let state = AppState::start(Startup {
        fragment: Some("#design=!!"),
        autosave: None,
        embed: true,
        ..Startup::default()
    });
    assert!(state.error.is_some(), "a broken link is reported");
    assert!(state.read_only);
    let state = apply(state, Action::Edit(vnetlab::view::edit::Edit::AddVnet));
    assert!(!state.can_undo(), "embed mode does not edit");
}

#[test]
fn a_change_repaints_before_fixes_are_verified_and_verification_matches_the_full_analysis() {
    let state = AppState::new(preset(DLP), DLP, false);
    let flipped = apply(state, Action::Flip("sep-attached".into()));
    assert!(flipped.evaluation.verifying(), "fixes wait for the repaint");
    assert!(flipped.evaluation.open_exfiltration_paths() > 0);
    assert!(flipped
        .evaluation
        .results
        .iter()
        .all(|r| r.fixes.is_empty()));
    let verified = apply(flipped.clone(), Action::VerifyFixes);
    assert!(!verified.evaluation.verifying());
    let full = vnetlab::analysis::analyse(&verified.design);
    for finding in &full.exfiltration.findings {
        let descriptions: Vec<String> = finding.fixes.iter().map(|f| f.fix.describe()).collect();
        let shown: Vec<String> = verified
            .evaluation
            .results
            .iter()
            .find(|r| {
                r.question.kind == vnetlab::view::flows::FlowKind::Exfiltration
                    && r.trace == finding.trace
            })
            .expect("the path is listed")
            .fixes
            .iter()
            .map(|f| f.description.clone())
            .collect();
        assert_eq!(shown, descriptions);
    }
    assert!(verified
        .evaluation
        .results
        .iter()
        .any(|r| !r.fixes.is_empty()));
    let badges = apply(flipped, Action::ComputeNextBadge);
    assert_eq!(badges.evaluation.results, verified.evaluation.results);
}

#[test]
fn badges_come_one_per_dispatch_until_none_is_pending() {
    let state = AppState::new(preset(DLP), DLP, false);
    let applicable = state.toggles.iter().filter(|t| t.on.is_some()).count();
    assert!(applicable > 1, "the DLP preset has several toggles");
    assert!(
        state.toggles.iter().all(|t| t.badge.is_none()),
        "a new state waits for the repaint"
    );
    let mut state = state;
    for computed in 1..=applicable {
        assert!(state.badge_pending());
        state = apply(state, Action::ComputeNextBadge);
        let with_badge = state.toggles.iter().filter(|t| t.flipped.is_some()).count();
        assert_eq!(with_badge, computed, "one more badge per dispatch");
    }
    assert!(!state.badge_pending());
    let all = AppState::new(preset(DLP), DLP, false).with_all_badges();
    let badges = |state: &AppState| -> Vec<_> {
        state
            .toggles
            .iter()
            .map(|t| (t.id, t.on, t.badge))
            .collect()
    };
    assert_eq!(badges(&state), badges(&all));
}

#[test]
fn how_to_read_this_stays_dismissed_when_the_page_remembers_it() {
    let fresh = AppState::start(Startup::default());
    assert!(!fresh.help_dismissed, "a first visit shows the help");
    let remembered = AppState::start(Startup {
        help_dismissed: true,
        ..Startup::default()
    });
    assert!(remembered.help_dismissed);
    let reopened = apply(remembered, Action::ShowHelp(true));
    assert!(!reopened.help_dismissed, "and it can be brought back");
}
