//! The analysis worker's answers ([`vnetlab::view::background`]), carried as the worker carries
//! them (JSON), give the page exactly what computing on the page gives: the verified fixes and
//! every toggle's badge, on every preset. Answers for a design no longer shown are ignored. A
//! job asked to autosave answers first with the text the page would have stored. An imported
//! design's first job carries the parts the import worker wrote, unchanged, and answers alike.

use std::rc::Rc;

use vnetlab::model::Design;
use vnetlab::view::autosave::{self, MAX_AUTOSAVE_CHARS};
use vnetlab::view::background::{Answer, Job, Runner};
use vnetlab::view::design_text::{DesignParts, DesignText};
use vnetlab::view::evaluation::Evaluation;
use vnetlab::view::flip_cache::FlipCache;
use vnetlab::view::import_report::{import_outcome, ImportAnswer, InputFile};
use vnetlab::view::state::{apply, Action, AppState};
use vnetlab::view::toggle_sight::ToggleSight;

use crate::{all_presets, incompressible_text, preset, read_answer, read_parts, DLP};

/// Every answer of the job of `state`'s design, after a JSON round trip.
fn worker_answers(state: &AppState) -> Vec<Answer> {
    let job = Job {
        id: 7,
        design: DesignText::new(state.design.clone()),
        verify_fixes: state.evaluation.verifying(),
        toggles: state.pending_badges(&ToggleSight::Everything),
        autosave: None,
    };
    run(job)
}

/// Every answer of `job`, each after a JSON round trip; the job's design crosses as it is
/// handed on, in parts (the page sends their bytes), read as the worker reads them.
fn run(job: Job) -> Vec<Answer> {
    let id = job.id;
    let job: Job<DesignParts> = job.map_design(|design| design.written().into_owned());
    let job: Job<DesignParts> =
        serde_json::from_str(&serde_json::to_string(&job).unwrap()).unwrap();
    let job = job.map_design(|parts| read_parts(&parts));
    let mut runner = Runner::new(job);
    std::iter::from_fn(|| runner.step())
        .map(|answer| {
            assert_eq!(answer.job(), id);
            serde_json::from_str(&serde_json::to_string(&answer).unwrap()).unwrap()
        })
        .collect()
}

/// What a reader sees of an evaluation: everything but the identity of its pending analysis.
fn assert_same_evaluation(worker: &Evaluation, page: &Evaluation, what: &str) {
    assert_eq!(worker.results, page.results, "{what}: results");
    assert_eq!(worker.analysed, page.analysed, "{what}: analysed design");
    assert_eq!(worker.diagnostics, page.diagnostics, "{what}: diagnostics");
    assert_eq!(
        worker.undetermined, page.undetermined,
        "{what}: undetermined"
    );
    assert_eq!(worker.compliance, page.compliance, "{what}: compliance");
    assert_eq!(worker.verifying(), page.verifying(), "{what}: verifying");
}

#[test]
fn the_workers_evaluation_differs_from_the_pages_only_by_leaving_the_diagnostics_out() {
    let designs = all_presets()
        .into_iter()
        .chain([("workshop flipped", flipped_workshop())]);
    for (id, design) in designs {
        let page = Evaluation::unverified(&design);
        let worker = Evaluation::unverified_flows(&design);
        assert!(worker.diagnostics.is_empty(), "{id}");
        let page = Evaluation {
            diagnostics: Vec::new(),
            ..page.with_fixes()
        };
        assert_same_evaluation(&worker.with_fixes(), &page, id);
    }
}

/// The workshop design with its first applicable toggle flipped: a design no preset has.
fn flipped_workshop() -> Design {
    let state = AppState::new(preset("workshop"), "workshop", false);
    let toggle = state
        .toggles
        .iter()
        .find(|row| row.on.is_some())
        .unwrap()
        .id;
    (*apply(state, Action::Flip(toggle.to_string())).design).clone()
}

#[test]
fn worker_answers_give_the_fixes_and_badges_the_page_computes_on_every_preset() {
    for (id, design) in all_presets() {
        let start = AppState::new(design, id, false);
        let on_page = apply(start.clone(), Action::VerifyFixes).with_all_badges();
        let answers = worker_answers(&start);
        assert_eq!(
            answers.len(),
            usize::from(start.evaluation.verifying())
                + start.pending_badges(&ToggleSight::Everything).len(),
            "{id}: one answer per step"
        );
        let from_worker = answers.into_iter().fold(start.clone(), |state, answer| {
            let design = state.design.clone();
            apply(
                state,
                Action::Background {
                    design,
                    answers: vec![answer],
                },
            )
        });
        assert_same_evaluation(&from_worker.evaluation, &on_page.evaluation, id);
        assert!(!from_worker.evaluation.verifying(), "{id}: fixes verified");
        assert!(!from_worker.badge_pending(), "{id}: every badge in");
        for (worker_row, page_row) in from_worker.toggles.iter().zip(on_page.toggles.iter()) {
            let what = format!("{id}: toggle {}", page_row.id);
            assert_eq!(worker_row.on, page_row.on, "{what}");
            assert_eq!(worker_row.badge, page_row.badge, "{what}");
            assert!(
                worker_row.flipped.is_none(),
                "{what}: only the badge crosses"
            );
        }
    }
}

#[test]
fn answers_for_a_design_no_longer_shown_change_nothing() {
    let start = AppState::new(preset(DLP), DLP, false);
    let answers = worker_answers(&start);
    assert!(answers.len() > 1, "the DLP preset has badges to compute");
    // The same design's content, but another change: the worker's answer is stale.
    let elsewhere = Rc::new(vnetlab::model::Design::clone(&start.design));
    for answer in answers {
        let after = apply(
            start.clone(),
            Action::Background {
                design: elsewhere.clone(),
                answers: vec![answer],
            },
        );
        assert_eq!(after, start);
    }
}

#[test]
fn a_flip_after_worker_badges_is_evaluated_on_the_page_and_its_fixes_verified() {
    let start = AppState::new(preset(DLP), DLP, false);
    // All answers in one action, as the page hands over what it gathered.
    let answers = worker_answers(&start);
    let design = start.design.clone();
    let with_badges = apply(start, Action::Background { design, answers });
    assert!(!with_badges.badge_pending());
    let flipped = apply(with_badges, Action::Flip("sep-attached".to_string()));
    assert!(
        flipped.evaluation.verifying(),
        "the SEP detached opens paths whose fixes are still to verify"
    );
    let verified = apply(flipped, Action::VerifyFixes);
    let expected = Evaluation::of(&verified.design);
    assert_same_evaluation(&verified.evaluation, &expected, "flipped SEP");
    assert!(
        verified
            .evaluation
            .results
            .iter()
            .any(|r| !r.fixes.is_empty()),
        "the open paths have verified fixes"
    );
}

#[test]
fn a_stopped_flip_cache_prepares_no_more_for_that_design_and_keeps_what_it_has() {
    let start = AppState::new(preset(DLP), DLP, false);
    let mut cache = FlipCache::default();
    assert!(cache.prepare_next(&start.design, &start.toggles, &ToggleSight::Everything));
    let first = start
        .toggles
        .iter()
        .find(|row| row.on.is_some())
        .expect("a toggle applies");
    cache.stop(&start.design);
    assert!(!cache.prepare_next(&start.design, &start.toggles, &ToggleSight::Everything));
    assert!(cache.get(&start.design, first.id).is_some());
    // Another design starts afresh.
    let other = Rc::new((*start.design).clone());
    assert!(cache.prepare_next(&other, &start.toggles, &ToggleSight::Everything));
}

#[test]
fn flips_are_prepared_only_for_the_toggles_in_sight() {
    let start = AppState::new(preset(DLP), DLP, false);
    let mut cache = FlipCache::default();
    assert!(
        !cache.prepare_next(&start.design, &start.toggles, &ToggleSight::nothing()),
        "an embed shows no toggles: nothing to prepare"
    );
    let applicable = start.pending_badges(&ToggleSight::Everything);
    let sight = ToggleSight::Only([applicable[2].clone()].into_iter().collect());
    assert!(cache.prepare_next(&start.design, &start.toggles, &sight));
    assert!(!cache.prepare_next(&start.design, &start.toggles, &sight));
    assert!(cache.get(&start.design, &applicable[2]).is_some());
    assert!(cache.get(&start.design, &applicable[0]).is_none());
}

#[test]
fn flips_prepared_while_idle_give_what_flipping_computes_and_only_for_their_design() {
    for (id, design) in all_presets() {
        let start = AppState::new(design, id, false);
        let mut cache = FlipCache::default();
        let mut steps = 0;
        while cache.prepare_next(&start.design, &start.toggles, &ToggleSight::Everything) {
            steps += 1;
        }
        let applicable: Vec<_> = start.toggles.iter().filter(|r| r.on.is_some()).collect();
        assert_eq!(
            steps,
            applicable.len(),
            "{id}: one step per applicable toggle"
        );
        for row in applicable {
            let what = format!("{id}, {}", row.id);
            let evaluation = cache.get(&start.design, row.id).expect(&what);
            let prepared = apply(
                start.clone(),
                Action::FlipPrepared {
                    toggle: row.id.to_string(),
                    design: start.design.clone(),
                    evaluation,
                },
            );
            let flipped = apply(start.clone(), Action::Flip(row.id.to_string()));
            assert_eq!(prepared.design, flipped.design, "{what}");
            assert_same_evaluation(&prepared.evaluation, &flipped.evaluation, &what);
            assert_eq!(prepared.last_change, flipped.last_change, "{what}");
        }
    }
    let start = AppState::new(preset(DLP), DLP, false);
    let mut cache = FlipCache::default();
    cache.prepare_next(&start.design, &start.toggles, &ToggleSight::Everything);
    let same_content = Rc::new((*start.design).clone());
    assert!(
        cache.get(&same_content, "sep-attached").is_none(),
        "another design (by identity) has no prepared flips"
    );
}

#[test]
fn a_flip_prepared_for_a_design_no_longer_shown_is_evaluated_anew() {
    let start = AppState::new(preset(DLP), DLP, false);
    let mut cache = FlipCache::default();
    while cache.prepare_next(&start.design, &start.toggles, &ToggleSight::Everything) {}
    let stale = cache.get(&start.design, "sep-attached").unwrap();
    let edited = apply(start.clone(), Action::Flip("storage-public-access".into()));
    let prepared = apply(
        edited.clone(),
        Action::FlipPrepared {
            toggle: "sep-attached".into(),
            design: start.design.clone(),
            evaluation: stale,
        },
    );
    let flipped = apply(edited, Action::Flip("sep-attached".into()));
    assert_same_evaluation(
        &prepared.evaluation,
        &flipped.evaluation,
        "stale prepared flip",
    );
}

#[test]
fn a_job_asked_to_autosave_answers_first_with_the_text_that_restores_its_design() {
    for (id, design) in all_presets() {
        let state = AppState::new(design, id, false);
        let job = Job {
            id: 3,
            design: DesignText::new(state.design.clone()),
            verify_fixes: state.evaluation.verifying(),
            toggles: state.pending_badges(&ToggleSight::Everything),
            autosave: Some(id.to_string()),
        };
        let answers = run(job);
        assert_eq!(
            answers.len(),
            1 + worker_answers(&state).len(),
            "{id}: one more step"
        );
        let Answer::Autosave { text: Ok(text), .. } = &answers[0] else {
            panic!(
                "{id}: the first answer is the autosave text: {:?}",
                answers[0]
            );
        };
        assert_eq!(
            Ok(text.clone()),
            autosave::encode_within_ceiling(&state.design, id)
        );
        let restored = autosave::decode(text).expect("the autosave opens");
        assert_eq!(restored.scenario, id);
        assert_eq!(
            restored.design, *state.design,
            "{id}: the design comes back"
        );
        assert!(
            answers[1..]
                .iter()
                .all(|a| !matches!(a, Answer::Autosave { .. })),
            "{id}: one autosave answer"
        );
    }
}

#[test]
fn a_design_past_the_autosave_ceiling_answers_with_its_length() {
    let mut design: Design = preset(DLP);
    design.description = incompressible_text(MAX_AUTOSAVE_CHARS * 3 / 2);
    let job = Job {
        id: 4,
        design: DesignText::new(Rc::new(design)),
        verify_fixes: false,
        toggles: Vec::new(),
        autosave: Some(DLP.to_string()),
    };
    match run(job).as_slice() {
        [Answer::Autosave {
            text: Err(chars), ..
        }] => assert!(*chars > MAX_AUTOSAVE_CHARS),
        other => panic!("expected the autosave's length alone, got {other:?}"),
    }
}

/// The import worker's outcome as the page reads it: written to JSON and read back.
fn imported_on_the_page(text: &str) -> AppState {
    let file = InputFile {
        name: "design.json".into(),
        text: text.into(),
    };
    let written =
        serde_json::to_string(&import_outcome(&[file]).written()).expect("outcome serializes");
    let answer: ImportAnswer = serde_json::from_str(&written).expect("answer deserializes");
    let outcome = read_answer(answer);
    apply(
        AppState::new(preset(DLP), DLP, false),
        Action::Imported {
            outcome: Box::new(outcome),
            evaluation: None,
        },
    )
}

#[test]
fn an_imported_designs_job_carries_the_import_workers_parts_and_answers_alike() {
    for (id, design) in all_presets() {
        let text = serde_json::to_string(&design).expect("preset serializes");
        let state = imported_on_the_page(&text);
        assert_eq!(*state.design, design, "{id}: the import opened the design");
        let carried = state
            .design_text
            .as_ref()
            .and_then(|t| t.text_of(&state.design))
            .unwrap_or_else(|| panic!("{id}: the page keeps the imported design's parts"));
        assert_eq!(
            *carried,
            DesignParts::write(design.clone()),
            "{id}: the parts are the import worker's"
        );
        let job = Job {
            id: 7,
            design: DesignText {
                design: state.design.clone(),
                text: Some(carried.clone()),
            },
            verify_fixes: state.evaluation.verifying(),
            toggles: state.pending_badges(&ToggleSight::Everything),
            autosave: None,
        };
        assert_eq!(
            *job.design.written(),
            *carried,
            "{id}: the job carries the worker's parts as written"
        );
        assert_eq!(run(job), worker_answers(&state), "{id}: the same answers");
    }
}

#[test]
fn a_changed_design_is_written_afresh_not_sent_as_the_imported_text() {
    let text = serde_json::to_string(&preset(DLP)).expect("preset serializes");
    let state = imported_on_the_page(&text);
    assert!(state.design_text.is_some());
    let changed = apply(state, Action::Flip("sep-attached".to_string()));
    let text_of_changed = changed
        .design_text
        .as_ref()
        .and_then(|t| t.text_of(&changed.design));
    assert!(
        text_of_changed.is_none(),
        "the flipped design still carried the imported text"
    );
}
