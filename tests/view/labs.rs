//! Workshop labs: every built-in lab parses, starts from a design that fails at least one goal,
//! and its reference solution, applied step by step as the app's "Show solution" does, meets
//! every goal; bad lab files are named by JSON path; locked elements refuse changes; progress
//! survives the autosave.

use vnetlab::view::evaluation::Evaluation;
use vnetlab::view::lab::session::LabSession;
use vnetlab::view::lab::{built_in, built_in_files, built_in_headings, find, parse};
use vnetlab::view::state::{apply, Action, AppState};

use crate::is_lab_file;

fn goals_met(state: &AppState) -> Vec<(String, bool, String)> {
    let session = state.lab.as_ref().expect("a lab is open");
    let evaluation = Evaluation::of(&state.design);
    session
        .goals(&evaluation, &state.design)
        .into_iter()
        .map(|row| (row.text, row.check.met, row.check.detail))
        .collect()
}

#[test]
fn there_are_at_least_seven_built_in_labs_and_each_parses() {
    assert_eq!(
        built_in().len(),
        built_in_files().len(),
        "every file parses"
    );
    assert!(built_in().len() >= 7);
    let mut ids: Vec<String> = built_in().iter().map(|lab| lab.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), built_in().len(), "ids are unique");
}

/// The lab picker lists the headings read without the rest of each lab: the same labs, in
/// the same order, with the same titles; `find` reads the one lab asked for.
#[test]
fn the_headings_and_find_agree_with_the_full_labs() {
    let full: Vec<(String, String)> = built_in()
        .iter()
        .map(|lab| (lab.id.clone(), lab.title.clone()))
        .collect();
    let headings: Vec<(String, String)> = built_in_headings()
        .iter()
        .map(|heading| (heading.id.clone(), heading.title.clone()))
        .collect();
    assert_eq!(headings, full);
    for lab in built_in() {
        assert_eq!(find(&lab.id).as_ref(), Some(lab));
    }
    assert_eq!(find("no-such-lab"), None);
}

#[test]
fn every_lab_starts_unsolved_and_its_reference_solution_meets_every_goal() {
    assert!(!built_in().is_empty());
    for lab in built_in().iter().cloned() {
        let id = lab.id.clone();
        let steps = lab.solution.len();
        assert!(steps > 0, "{id}: a reference solution");
        assert!(!lab.hints.is_empty(), "{id}: hints");
        let state = apply(
            AppState::new(vnetlab::model::Design::new("blank"), "", false),
            Action::OpenLab(Box::new(lab)),
        );
        assert_eq!(state.error, None, "{id}");
        let start = goals_met(&state);
        assert!(
            start.iter().any(|(_, met, _)| !met),
            "{id}: the start fails a goal: {start:?}"
        );
        let session = state.lab.clone().unwrap();
        assert!(
            !session.reveals_answers(),
            "{id}: answers hidden at the start"
        );
        let mut state = state;
        for step in 0..steps {
            state = apply(state, Action::ShowSolutionStep);
            assert_eq!(state.error, None, "{id}: solution step {}", step + 1);
        }
        let end = goals_met(&state);
        assert!(
            end.iter().all(|(_, met, _)| *met),
            "{id}: the solution meets every goal: {end:?}"
        );
        assert!(state.lab.as_ref().unwrap().reveals_answers());
        let reset = apply(state, Action::ResetLab);
        assert_eq!(
            *reset.design, *session.start,
            "{id}: Reset restores the start"
        );
    }
}

#[test]
fn bad_lab_files_are_named_by_json_path() {
    let (_, text) = built_in_files()[0];
    let mut lab: serde_json::Value = serde_json::from_str(text).unwrap();
    let cases = [
        ("/goals/0/kind", serde_json::json!("teleport"), "$.goals[0]"),
        ("/goals", serde_json::json!([]), "$.goals"),
        (
            "/start/scenario",
            serde_json::json!("nowhere"),
            "$.start.scenario",
        ),
        ("/title", serde_json::json!(7), "$.title"),
    ];
    for (pointer, value, path) in cases {
        let original = lab.pointer(pointer).cloned().unwrap();
        *lab.pointer_mut(pointer).unwrap() = value;
        let error = parse(&lab.to_string(), "lab.json").expect_err(pointer);
        assert_eq!(error.path.as_deref(), Some(path), "{pointer}: {error}");
        assert!(error.to_string().starts_with("lab.json: "), "{error}");
        *lab.pointer_mut(pointer).unwrap() = original;
    }
    assert!(parse(&lab.to_string(), "lab.json").is_ok());
}

#[test]
fn hints_come_one_at_a_time_and_the_last_reveals_the_answers() {
    let lab = find("rogue-storage-sep").unwrap();
    let hints = lab.hints.len();
    let mut state = apply(
        AppState::new(vnetlab::model::Design::new("blank"), "", false),
        Action::OpenLab(Box::new(lab)),
    );
    for shown in 1..=hints + 1 {
        state = apply(state, Action::ShowHint);
        let progress = &state.lab.as_ref().unwrap().progress;
        assert_eq!(progress.hints_shown, shown.min(hints));
    }
    assert!(state.lab.as_ref().unwrap().reveals_answers());
}

#[test]
fn a_locked_element_refuses_changes_and_the_design_is_kept() {
    let lab = find("rogue-storage-sep").unwrap();
    let state = apply(
        AppState::new(vnetlab::model::Design::new("blank"), "", false),
        Action::OpenLab(Box::new(lab)),
    );
    let before = state.design.clone();
    // The NSG lockdown toggle rewrites the locked training-nsg.
    let state = apply(state, Action::Flip("nsg-outbound-lockdown".into()));
    let error = state.error.clone().expect("refused");
    assert!(error.contains("training-nsg is locked"), "{error}");
    assert_eq!(state.design, before);
    let state = apply(state, Action::Flip("sep-attached".into()));
    assert_ne!(state.design, before, "unlocked elements change");
}

#[test]
fn a_lab_in_progress_survives_a_reload() {
    let lab = find("private-dns").unwrap();
    let state = apply(
        AppState::new(vnetlab::model::Design::new("blank"), "", false),
        Action::OpenLab(Box::new(lab)),
    );
    let state = apply(state, Action::ShowHint);
    let saved = state.lab.as_ref().unwrap().encode();
    let restored = LabSession::decode(&saved).unwrap();
    assert_eq!(restored.lab, state.lab.as_ref().unwrap().lab);
    assert_eq!(restored.progress.hints_shown, 1);
    assert!(LabSession::decode("{").is_err());
}

#[test]
fn a_lab_link_and_an_imported_lab_file_open_the_lab() {
    use crate::import_text;
    use vnetlab::view::share::{decode_lab_fragment, encode_lab_fragment};
    use vnetlab::view::startup::Startup;
    let lab = find("frontdoor-fqdn").unwrap();
    let fragment = format!("#{}", encode_lab_fragment(&lab));
    assert_eq!(decode_lab_fragment(&fragment).unwrap(), lab);
    let state = AppState::start(Startup {
        fragment: Some(&fragment),
        ..Startup::default()
    });
    assert_eq!(state.error, None);
    assert_eq!(state.lab.as_ref().unwrap().lab.id, "frontdoor-fqdn");
    assert_eq!(*state.design, lab.start_design().unwrap());

    let (name, text) = built_in_files()[1];
    let opened = import_text(
        AppState::new(vnetlab::model::Design::new("blank"), "", false),
        text,
        name,
    );
    assert_eq!(opened.error, None);
    assert!(opened.lab.is_some(), "an imported lab file starts the lab");

    let broken = import_text(opened, r#"{"id": "x", "goals": 3}"#, "mine.json");
    let error = broken.error.expect("a bad lab file is reported");
    assert!(error.contains("mine.json: $.goals"), "{error}");
    assert!(broken.lab.is_some(), "and the lab in progress is kept");
}

#[test]
fn the_autosave_brings_back_the_lab_in_progress() {
    use vnetlab::view::autosave;
    use vnetlab::view::startup::Startup;
    let lab = find("private-dns").unwrap();
    let state = apply(
        AppState::new(vnetlab::model::Design::new("blank"), "", false),
        Action::OpenLab(Box::new(lab)),
    );
    let state = apply(state, Action::ShowHint);
    let saved = autosave::encode(&state.design, &state.scenario);
    let session = state.lab.as_ref().unwrap().encode();
    let restored = AppState::start(Startup {
        autosave: Some(&saved),
        lab: Some(&session),
        ..Startup::default()
    });
    assert_eq!(restored.design, state.design);
    let lab = restored.lab.expect("the lab is back");
    assert_eq!(lab.progress.hints_shown, 1);
}

#[test]
fn changes_are_counted_per_innermost_element_with_their_containers() {
    let lab = find("inbound-44224").unwrap();
    let start = lab.start_design().unwrap();
    let solved = lab.solution[0].step.apply(&start).unwrap();
    let changed = vnetlab::view::lab::changes::changed_elements(&start, &solved);
    assert_eq!(
        changed.into_iter().collect::<Vec<_>>(),
        ["training-nsg › AllowAzureMachineLearningInbound"]
    );
}

#[test]
fn a_blocked_goal_can_name_the_kind_of_control_that_blocks() {
    use vnetlab::view::lab::goal::{Expect, Goal};
    let design = vnetlab::view::scenarios::find("vnet-default-nsg")
        .unwrap()
        .design()
        .unwrap();
    let evaluation = Evaluation::of(&design);
    let blocked_by = |by: &str| Goal::RequiredFlow {
        entry: "inbound-aml-44224".into(),
        expect: Expect::Blocked,
        by: Some(by.into()),
    };
    assert!(
        blocked_by("nsg").check(&evaluation, &design, &design).met,
        "the default NSG drops it"
    );
    let by_firewall = blocked_by("firewall").check(&evaluation, &design, &design);
    assert!(!by_firewall.met);
    assert!(
        by_firewall.detail.contains("DenyAllInBound"),
        "{}",
        by_firewall.detail
    );
    let unknown = Goal::RequiredFlow {
        entry: "no-such-entry".into(),
        expect: Expect::Allowed,
        by: None,
    };
    assert!(
        !unknown.check(&evaluation, &design, &design).met,
        "a goal on a flow the design lacks fails"
    );
}

#[test]
fn a_trainer_makes_a_lab_from_the_current_design_and_its_problems() {
    use vnetlab::view::lab::maker::{candidate_goals, make, LabDraft};
    let design = vnetlab::view::toggles::find("sep-attached")
        .unwrap()
        .flip(&crate::preset(crate::DLP))
        .unwrap();
    let evaluation = Evaluation::of(&design);
    let goals = candidate_goals(&evaluation);
    let texts: Vec<&str> = goals.iter().map(|g| g.text.as_str()).collect();
    assert!(
        texts.contains(&"No open attacker storage same region path"),
        "{texts:?}"
    );
    let draft = LabDraft {
        title: "Close it! (SEP)".into(),
        task: "Close the storage path.".into(),
        hints: "look at the SEP\n\n  attach it  \n".into(),
        success: "Because.".into(),
    };
    assert!(
        make(&design, &LabDraft::default(), goals.clone()).is_err(),
        "a title is needed"
    );
    assert!(
        make(&design, &draft, Vec::new()).is_err(),
        "a goal is needed"
    );
    let lab = make(&design, &draft, goals).unwrap();
    assert_eq!(lab.id, "close-it-sep");
    assert_eq!(lab.hints, ["look at the SEP", "attach it"]);
    let file = serde_json::to_string_pretty(&lab).unwrap();
    let parsed = parse(&file, "exported.json").unwrap();
    assert_eq!(parsed, lab, "the exported file reads back");
    let (session, start) = LabSession::open(parsed).unwrap();
    assert_eq!(start, design);
    let rows = session.goals(&Evaluation::of(&start), &start);
    assert!(
        rows.iter().all(|row| !row.check.met),
        "every ticked problem is still there at the start"
    );
}

#[test]
fn a_lab_opened_again_gets_back_the_hints_seen_in_it() {
    use vnetlab::view::lab::session::Progress;
    let lab = find("private-dns").unwrap();
    let hints = lab.hints.len();
    let state = apply(
        AppState::new(vnetlab::model::Design::new("blank"), "", false),
        Action::OpenLab(Box::new(lab)),
    );
    let saved = Progress {
        hints_shown: 2,
        ..Progress::default()
    };
    let state = apply(state, Action::RestoreLabProgress(saved));
    assert_eq!(state.lab.as_ref().unwrap().progress.hints_shown, 2);
    let too_many = Progress {
        hints_shown: 99,
        ..Progress::default()
    };
    let state = apply(state, Action::RestoreLabProgress(too_many));
    assert_eq!(
        state.lab.as_ref().unwrap().progress.hints_shown,
        hints,
        "never past the last hint"
    );
    assert_eq!(
        vnetlab::view::lab::session::progress_key("private-dns"),
        "vnetlab.lab-progress.private-dns"
    );
}

/// A dropped file is a lab when it is a JSON object with `goals` and no `schema_version`:
/// decided from its top-level member names alone, as a whole JSON value decides it.
#[test]
fn a_lab_file_is_told_from_a_design_by_its_members() {
    let by_value = |text: &str| {
        serde_json::from_str::<serde_json::Value>(text).is_ok_and(|value| {
            value.get("goals").is_some() && value.get("schema_version").is_none()
        })
    };
    let design = serde_json::to_string(&crate::preset("workshop")).unwrap();
    let mut texts = vec![
        design.as_str(),
        r#"{"goals": null}"#,
        r#"{"goals": [], "schema_version": 1}"#,
        r#"[{"goals": []}]"#,
        r#"["goals", "schema_version"]"#,
        r#"{"nested": {"goals": []}}"#,
        "{ not json",
        "",
    ];
    texts.extend(built_in_files().iter().map(|(_, text)| *text));
    for text in &texts {
        assert_eq!(
            is_lab_file(text),
            by_value(text),
            "{}",
            &text[..text.len().min(60)]
        );
    }
    assert!(built_in_files().iter().all(|(_, text)| is_lab_file(text)));
    assert!(!is_lab_file(&design));
}
