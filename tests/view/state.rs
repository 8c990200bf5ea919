//! The reducer: toggles recompute with a diff, undo/redo, selection and step-through, failed
//! imports keep the design, startup from a share link or the autosave.

use vnetlab::view::autosave;
use vnetlab::view::share::encode_fragment;
use vnetlab::view::startup::{ShareChoice, Startup};
use vnetlab::view::state::{apply, Action, AppState};
use vnetlab::view::toggle_sight::ToggleSight;
use vnetlab::view::toggles;

use crate::{all_presets, import_text, preset, DLP};

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
    let flipped = (0..toggles::all().len()).fold(flipped, |state, _| compute_first(state, 1));
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

/// After a flip every other toggle's badge keeps its earlier prediction (shown dimmed) until it
/// is worked out again; the flipped toggle's old sentence was about the other direction, so it
/// has none.
#[test]
fn a_flip_keeps_the_other_badges_as_earlier_until_worked_out() {
    for (id, design) in all_presets() {
        let state = AppState::new(design, id, false).with_all_badges();
        for toggle in state.toggles.iter().filter(|t| t.on.is_some()) {
            let flipped = apply(state.clone(), Action::Flip(toggle.id.into()));
            for (before, after) in state.toggles.iter().zip(flipped.toggles.iter()) {
                let what = format!("{id}, {} flipped: {}", toggle.id, before.id);
                assert_eq!(after.badge, None, "{what}: worked out again");
                let kept = after.on.is_some() && before.on == after.on;
                assert_eq!(after.earlier, before.badge.filter(|_| kept), "{what}");
            }
            assert!(
                flipped.toggles.iter().any(|t| t.earlier.is_some()),
                "{id}: {}",
                toggle.id
            );
            let worked_out = flipped.with_all_badges();
            assert!(worked_out
                .toggles
                .iter()
                .all(|t| t.on.is_none() || t.badge.is_some()));
        }
    }
}

#[test]
fn opening_an_unrelated_design_keeps_no_earlier_badge() {
    let state = dlp_state();
    assert!(state.toggles.iter().any(|t| t.badge.is_some()));
    let text = serde_json::to_string(&preset("workshop")).unwrap();
    let imported = import_text(state, text, "design.json");
    assert!(imported.error.is_none(), "{:?}", imported.error);
    assert!(imported
        .toggles
        .iter()
        .all(|t| t.earlier.is_none() && t.badge.is_none()));
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
    let state = import_text(state, "{ not json", "bad.json");
    assert_eq!(state.design, design);
    assert!(state.error.as_deref().unwrap().contains("bad.json"));
    let state = apply(state, Action::DismissError);
    assert_eq!(state.error, None);
    let json = serde_json::to_string(&preset("workshop")).unwrap();
    let state = import_text(state, json, "w.json");
    assert_eq!(state.design.name, "workshop");
    assert_eq!(state.scenario, "");
}

#[test]
fn startup_prefers_the_share_link_then_the_autosave() {
    let shared = preset("workshop");
    let fragment = format!("#{}", encode_fragment(&shared));
    let saved = autosave::encode(&preset(DLP), DLP);
    let same = autosave::encode(&shared, "");
    let state = AppState::start(Startup {
        fragment: Some(&fragment),
        autosave: Some(&same),
        ..Startup::default()
    });
    assert_eq!(
        *state.design, shared,
        "an autosave of the same design does not ask"
    );
    assert!(state.share_conflict.is_none());
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

/// A share link of the workshop over an autosave of the DLP preset.
fn conflicted() -> AppState {
    let fragment = format!("#{}", encode_fragment(&preset("workshop")));
    let saved = autosave::encode(&preset(DLP), DLP);
    AppState::start(Startup {
        fragment: Some(&fragment),
        autosave: Some(&saved),
        ..Startup::default()
    })
}

#[test]
fn a_share_link_over_a_different_autosave_asks_and_keeps_mine_until_answered() {
    let state = conflicted();
    assert_eq!(
        *state.design,
        preset(DLP),
        "mine stays on screen while asking"
    );
    let conflict = state.share_conflict.clone().expect("the link asks");
    assert_eq!(*conflict.shared, preset("workshop"));
    let question = conflict.question(&state.design);
    assert!(question.contains("“workshop”"), "{question}");
    assert!(
        question.contains(&format!("“{}”", state.design.name)),
        "{question}"
    );
    let mut renamed = preset("workshop");
    renamed.description.push('.');
    assert!(conflict
        .question(&renamed)
        .contains("a different version of “workshop”"));

    let kept = apply(
        state.clone(),
        Action::ResolveShareConflict(ShareChoice::KeepMine),
    );
    assert_eq!(*kept.design, preset(DLP));
    assert!(kept.share_conflict.is_none());
    assert!(!kept.can_undo());

    let opened = apply(
        state.clone(),
        Action::ResolveShareConflict(ShareChoice::OpenShared),
    );
    assert_eq!(*opened.design, preset("workshop"));
    assert!(opened.share_conflict.is_none());
    assert!(!opened.can_undo(), "a fresh history");

    let both = apply(
        state,
        Action::ResolveShareConflict(ShareChoice::OpenSharedKeepMine),
    );
    assert_eq!(*both.design, preset("workshop"));
    assert!(both.share_conflict.is_none());
    let undone = apply(both, Action::Undo);
    assert_eq!(*undone.design, preset(DLP), "mine is one undo step away");

    let pasted = format!("#{}", encode_fragment(&preset("workshop")));
    let replaced = apply(conflicted(), Action::OpenShareLink(pasted));
    assert!(
        replaced.share_conflict.is_none(),
        "a newer link answers the old question"
    );
    assert!(
        replaced.can_undo(),
        "a pasted link keeps mine as an undo step"
    );
}

#[test]
fn a_damaged_autosave_starts_the_default_preset_without_a_banner() {
    // ui keeps the damaged text aside and offers it for download; the state does not repeat it.
    let state = AppState::start(Startup {
        fragment: None,
        autosave: Some("{\"format\":\"vnetlab-autosave\",\"version\":9}"),
        ..Startup::default()
    });
    assert_eq!(
        state.scenario,
        vnetlab::view::scenarios::default_preset().id
    );
    assert!(state.error.is_none());
}

#[test]
fn a_restored_design_with_validation_errors_says_so() {
    let mut design = preset(DLP);
    design.virtual_networks[0].subnets[0].nsg = Some("missing".to_string());
    let saved = autosave::encode(&design, "");
    let state = AppState::start(Startup {
        fragment: None,
        autosave: Some(&saved),
        ..Startup::default()
    });
    assert_eq!(*state.design, design, "restored as it was");
    let note = state.error.expect("a note");
    assert!(
        note.starts_with("The autosaved design has 1 validation error(s)"),
        "{note}"
    );
    assert!(note.contains("missing"), "{note}");
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
    let badges = compute_first(flipped, 1);
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
        state = compute_first(state, 1);
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

#[test]
fn a_hostile_template_dropped_on_the_page_stops_on_the_budget_and_keeps_the_design() {
    let mut variables = serde_json::Map::new();
    variables.insert("v0".to_string(), serde_json::json!("x".repeat(1024)));
    for i in 1..18 {
        variables.insert(
            format!("v{i}"),
            serde_json::json!(format!(
                "[concat(variables('v{p}'), variables('v{p}'))]",
                p = i - 1
            )),
        );
    }
    let template = serde_json::json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "variables": variables,
        "resources": [{ "type": "Microsoft.Network/networkSecurityGroups", "name": "nsg",
            "apiVersion": "2023-05-01", "tags": { "x": "[variables('v17')]" } }]
    });
    let state = dlp_state();
    let after = import_text(state.clone(), template.to_string(), "doubling.json");
    assert_eq!(after.design, state.design, "the design is kept");
    let error = after.error.expect("the banner says why");
    assert!(
        error.contains("the evaluation budget is exhausted"),
        "{error}"
    );
    assert!(error.contains("doubling.json: $.variables.v13"), "{error}");
}

#[test]
fn a_new_state_shows_its_paths_first_and_verifies_their_fixes_after_the_first_paint() {
    let design = toggles::find("sep-attached")
        .unwrap()
        .flip(&preset(DLP))
        .unwrap();
    let state = AppState::new(design, "", false);
    assert!(state.evaluation.open_exfiltration_paths() > 0);
    assert!(
        state.evaluation.verifying(),
        "fixes wait for the first paint"
    );
    let verified = apply(state, Action::VerifyFixes);
    assert!(!verified.evaluation.verifying());
    assert!(verified
        .evaluation
        .results
        .iter()
        .any(|r| !r.fixes.is_empty()));
}

/// The state after computing the first `count` missing badges, every toggle in sight.
fn compute_first(state: AppState, count: usize) -> AppState {
    let ids = state.pending_badges(&ToggleSight::Everything);
    apply(
        state,
        Action::ComputeBadges(ids.into_iter().take(count).collect()),
    )
}

#[test]
fn several_badges_can_be_computed_in_one_dispatch() {
    let state = AppState::new(preset(DLP), DLP, false);
    let applicable = state.toggles.iter().filter(|t| t.on.is_some()).count();
    let some = compute_first(state.clone(), 3);
    assert_eq!(
        some.toggles.iter().filter(|t| t.flipped.is_some()).count(),
        3
    );
    let all = compute_first(state.clone(), usize::MAX);
    assert!(!all.badge_pending());
    assert_eq!(
        all.toggles.iter().filter(|t| t.flipped.is_some()).count(),
        applicable
    );
    let none = apply(state, Action::ComputeBadges(Vec::new()));
    assert!(none.toggles.iter().all(|t| t.flipped.is_none()));
}

#[test]
fn only_the_toggles_in_sight_wait_for_a_badge() {
    let state = AppState::new(preset(DLP), DLP, false);
    let applicable: Vec<String> = state
        .toggles
        .iter()
        .filter(|t| t.on.is_some())
        .map(|t| t.id.to_string())
        .collect();
    assert_eq!(state.pending_badges(&ToggleSight::Everything), applicable);
    assert!(
        state.pending_badges(&ToggleSight::nothing()).is_empty(),
        "an embed shows no toggles, so it works out no badge"
    );
    let not_applicable = state.toggles.iter().find(|t| t.on.is_none()).unwrap().id;
    let in_sight = vec![applicable[1].clone(), not_applicable.to_string()];
    let sight = ToggleSight::Only(in_sight.iter().cloned().collect());
    assert_eq!(state.pending_badges(&sight), vec![applicable[1].clone()]);
    let computed = apply(state, Action::ComputeBadges(in_sight));
    let with_badge: Vec<&str> = computed
        .toggles
        .iter()
        .filter(|t| t.badge.is_some())
        .map(|t| t.id)
        .collect();
    assert_eq!(with_badge, vec![applicable[1].as_str()]);
    assert!(computed.pending_badges(&sight).is_empty());
    assert_eq!(
        computed.pending_badges(&ToggleSight::Everything).len(),
        applicable.len() - 1,
        "the others wait until they come into sight"
    );
}
