//! Fixes you can apply: each verified fix is one undoable edit of the user's design that
//! closes its path; the closed path stays listed, with its now-blocked trace, until the next
//! change.

use vnetlab::engine::Verdict;
use vnetlab::view::evaluation::Evaluation;
use vnetlab::view::flows::FlowKind;
use vnetlab::view::state::{apply, Action, AppState};

use crate::{all_presets, preset, DLP};

/// The DLP preset with the SEP detached (two open paths to attacker storage), fixes verified.
fn dlp_without_sep() -> AppState {
    let state = AppState::new(preset(DLP), DLP, false);
    let state = apply(state, Action::Flip("sep-attached".into()));
    apply(state, Action::VerifyFixes)
}

fn first_open_path(state: &AppState) -> String {
    state
        .evaluation
        .of_kind(FlowKind::Exfiltration)
        .find(|path| !path.fixes.is_empty())
        .expect("an open path with fixes")
        .question
        .id
        .clone()
}

#[test]
fn applying_a_fix_is_one_undoable_edit_and_the_path_stays_listed_as_closed_with_a_blocked_trace() {
    let state = dlp_without_sep();
    let path = first_open_path(&state);
    let before = state.design.clone();
    let undo_depth = state.undo.len();
    let state = apply(state, Action::Select(Some(path.clone())));
    let state = apply(
        state,
        Action::ApplyFix {
            path: path.clone(),
            fix: 0,
        },
    );
    assert_eq!(state.error, None);
    assert_eq!(state.undo.len(), undo_depth + 1, "one undoable edit");
    assert!(state.evaluation.find(&path).is_none(), "the path is closed");
    let closed = state
        .closed_by_change
        .iter()
        .find(|p| p.question.id == path)
        .expect("the closed path stays listed");
    assert_ne!(closed.trace.verdict, Verdict::Allowed);
    assert!(!closed.trace.hops.is_empty(), "with its blocked trace");
    assert_eq!(closed.row_verdict(), "✓ closed by your change");
    assert!(closed
        .verdict_line()
        .2
        .starts_with("closed by your change — "));
    assert!(closed
        .question
        .purpose
        .starts_with("Closed by your change."));
    assert_eq!(
        state.selected_result().map(|r| &r.question.id),
        Some(&path),
        "the open trace now shows the blocked path"
    );

    let undone = apply(state.clone(), Action::Undo);
    assert_eq!(undone.design, before);
    assert!(undone.evaluation.find(&path).is_some_and(|p| p.allowed()));
    assert!(undone.closed_by_change.is_empty());

    let unrelated = apply(state, Action::Flip("compute-public-ip".into()));
    assert!(
        unrelated
            .closed_by_change
            .iter()
            .all(|p| p.question.id != path),
        "the next change forgets it"
    );
}

#[test]
fn what_a_fix_breaks_is_listed_by_flow_label() {
    let mut checked = 0;
    for (id, design) in all_presets() {
        let evaluation = Evaluation::of(&design);
        for path in evaluation.of_kind(FlowKind::Exfiltration) {
            for fix in &path.fixes {
                for broken in &fix.breaks {
                    assert!(
                        evaluation
                            .results
                            .iter()
                            .any(|r| &r.question.label == broken),
                        "{id}: {broken} is a flow label"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 0, "some fix breaks a required flow");
}

#[test]
fn every_verified_fix_applied_to_the_users_design_closes_its_path() {
    let mut applied = 0;
    for (id, design) in all_presets() {
        let state = apply(AppState::new(design, id, false), Action::VerifyFixes);
        for path in state.evaluation.of_kind(FlowKind::Exfiltration) {
            for (index, fix) in path.fixes.iter().enumerate() {
                let after = apply(
                    state.clone(),
                    Action::ApplyFix {
                        path: path.question.id.clone(),
                        fix: index,
                    },
                );
                assert_eq!(after.error, None, "{id}: {}", fix.description);
                assert!(
                    after.evaluation.find(&path.question.id).is_none(),
                    "{id}: {} closes {}",
                    fix.description,
                    path.question.label
                );
                applied += 1;
            }
        }
    }
    assert!(applied > 10, "{applied} fixes applied");
}

#[test]
fn an_embedded_page_does_not_apply_fixes() {
    let state = dlp_without_sep();
    let path = first_open_path(&state);
    let read_only = AppState {
        read_only: true,
        ..state
    };
    let after = apply(read_only.clone(), Action::ApplyFix { path, fix: 0 });
    assert_eq!(after.design, read_only.design);
}
