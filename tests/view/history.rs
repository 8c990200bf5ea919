//! Scenarios and history: loading a scenario starts a fresh history, "Last change" only
//! compares a design with its own previous state, a modified design can be reset to its
//! scenario, and undo across an import restores the scenario in the picker.

use vnetlab::view::state::{apply, Action, AppState};

use crate::{import_text, preset, DLP};

#[test]
fn loading_a_scenario_starts_a_fresh_history_without_a_last_change() {
    let state = AppState::new(preset(DLP), DLP, false);
    let state = apply(state, Action::Flip("sep-attached".into()));
    assert!(state.can_undo() && state.last_change.is_some());
    let revision = state.revision;
    let loaded = apply(state, Action::LoadPreset("vnet-default-nsg".into()));
    assert_eq!(loaded.scenario, "vnet-default-nsg");
    assert!(!loaded.can_undo() && !loaded.can_redo(), "a fresh history");
    assert_eq!(
        loaded.last_change, None,
        "no diff between unrelated designs"
    );
    assert!(loaded.closed_by_change.is_empty());
    assert!(loaded.revision > revision, "the UI sees a new design");
    assert!(
        loaded.evaluation.verifying(),
        "repaints before verifying fixes"
    );
    assert!(!loaded.modified());
    let undone = apply(loaded.clone(), Action::Undo);
    assert_eq!(undone.design, loaded.design, "undo does not cross the load");
}

#[test]
fn a_changed_design_is_marked_modified_and_reset_to_its_scenario_as_one_undoable_change() {
    let state = AppState::new(preset(DLP), DLP, false);
    assert!(!state.modified());
    let changed = apply(state, Action::Flip("sep-attached".into()));
    assert!(changed.modified());
    let reset = apply(changed.clone(), Action::ResetToScenario);
    assert!(!reset.modified());
    assert_eq!(*reset.design, preset(DLP));
    assert!(reset.last_change.is_some_and(|d| d.exfiltration_closed > 0));
    let undone = apply(reset, Action::Undo);
    assert_eq!(undone.design, changed.design);
    assert!(undone.modified());
    // Flipping back by hand is not a modification either.
    let back = apply(changed, Action::Flip("sep-attached".into()));
    assert!(!back.modified());
}

#[test]
fn an_import_is_undoable_but_never_compared_with_the_design_it_replaced() {
    let state = AppState::new(preset(DLP), DLP, false);
    let state = apply(state, Action::Flip("sep-attached".into()));
    let before = state.design.clone();
    let json = serde_json::to_string(&preset("workshop")).unwrap();
    let imported = import_text(state, json, "w.json");
    assert_eq!(imported.scenario, "");
    assert_eq!(imported.last_change, None);
    assert!(
        !imported.modified(),
        "an import has no scenario to differ from"
    );
    let undone = apply(imported, Action::Undo);
    assert_eq!(undone.design, before);
    assert_eq!(undone.scenario, DLP, "the picker shows the scenario again");
    assert!(undone.modified());
    assert_eq!(
        undone.last_change, None,
        "undo across the import compares nothing"
    );
    let redone = apply(undone, Action::Redo);
    assert_eq!(redone.design.name, "workshop");
    assert_eq!(redone.last_change, None);
    let undone_twice = apply(apply(redone, Action::Undo), Action::Undo);
    assert!(
        undone_twice.last_change.is_some(),
        "undoing the toggle compares the design with its own previous state"
    );
}
