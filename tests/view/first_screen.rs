//! The first screen explains itself: toggles say in plain words what flipping them would do,
//! and the "How to read this" panel can be dismissed and reopened.

use vnetlab::view::diff::{flip_sentence, Diff};
use vnetlab::view::state::{apply, Action, AppState};

use crate::{preset, DLP};

#[test]
fn a_toggle_says_what_turning_it_off_or_on_would_do() {
    let diff = Diff {
        flows_changed: 4,
        exfiltration_opened: 1,
        required_broken: 2,
        ..Diff::default()
    };
    assert_eq!(
        flip_sentence(true, Some(&diff)),
        "Turning this off would break 2 required flows and open 1 exfiltration path."
    );
    let repaired = Diff {
        flows_changed: 1,
        required_repaired: 1,
        ..Diff::default()
    };
    assert_eq!(
        flip_sentence(false, Some(&repaired)),
        "Turning this on would repair 1 required flow."
    );
    let quiet = Diff {
        flows_changed: 3,
        ..Diff::default()
    };
    assert_eq!(
        flip_sentence(true, Some(&quiet)),
        "Turning this off would change 3 flows, none of them a required flow or an exfiltration path."
    );
    assert_eq!(
        flip_sentence(true, Some(&Diff::default())),
        "Turning this off would change no flow."
    );
    assert!(flip_sentence(false, None).starts_with("Working out what turning this on"));
}

#[test]
fn the_dlp_sep_toggle_says_it_would_open_paths() {
    let state = AppState::new(preset(DLP), DLP, false).with_all_badges();
    let row = state
        .toggles
        .iter()
        .find(|t| t.id == "sep-attached")
        .unwrap();
    let sentence = flip_sentence(row.on.unwrap(), row.badge.as_ref());
    assert!(sentence.starts_with("Turning this off would"), "{sentence}");
    assert!(sentence.contains("open 2 exfiltration paths"), "{sentence}");
    assert!(!sentence.contains("flip"));
}

#[test]
fn how_to_read_is_dismissed_and_reopened_and_survives_a_scenario_load() {
    let state = AppState::new(preset(DLP), DLP, false);
    assert!(!state.help_dismissed, "shown on the first screen");
    let dismissed = apply(state, Action::ShowHelp(false));
    assert!(dismissed.help_dismissed);
    let loaded = apply(dismissed, Action::LoadPreset("workshop".into()));
    assert!(loaded.help_dismissed, "stays dismissed");
    assert!(!apply(loaded, Action::ShowHelp(true)).help_dismissed);
}
