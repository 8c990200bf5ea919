//! Native tests of the view-model (`vnetlab::view`): layout, toggles, state and undo/redo,
//! share links and autosave, editing, the report and the SVG export. One binary.

mod autosave;
mod background;
mod design_parts;
mod edit;
mod embed;
mod export;
mod first_screen;
mod fixes;
mod flows;
mod history;
#[path = "../../benches/hub_spoke.rs"]
#[allow(dead_code)]
mod hub_spoke;
mod import;
mod layout;
mod load_balancer;
mod network_manager;
mod perimeter;
mod policy;
mod state;
mod toggles;
mod trace;
mod trace_form;

use std::rc::Rc;

use vnetlab::model::Design;
use vnetlab::view::design_text::{DesignParts, DesignText, PartsReader};
use vnetlab::view::edit::{Edit, FieldError};
use vnetlab::view::evaluation::Evaluation;
use vnetlab::view::import_report::{import_outcome, ImportAnswer, ImportOutcome, InputFile};
use vnetlab::view::scenarios::{find, presets};
use vnetlab::view::state::{apply, Action, AppState};
use vnetlab::view::top_level::TopLevel;

/// Each field error as (field, message).
pub fn fields(errors: Vec<FieldError>) -> Vec<(&'static str, String)> {
    errors.into_iter().map(|e| (e.field, e.message)).collect()
}

/// Applies `change` and asserts it was refused with a message containing `needle`, the design
/// unchanged.
#[track_caller]
pub fn assert_refused(state: AppState, change: impl Into<Edit>, needle: &str) -> AppState {
    let design = state.design.clone();
    let after = apply(state, Action::Edit(change.into()));
    assert_eq!(after.design, design, "the design is not changed");
    let error = after.error.clone().expect("the refusal is explained");
    assert!(error.contains(needle), "{error}");
    after
}

/// Files dropped or picked, as the page takes them: the import module reads them and the
/// reducer applies its outcome (a lab file opens as a lab), with the design's evaluation
/// given or computed by the reducer alike.
pub fn import(state: AppState, files: Vec<InputFile>) -> AppState {
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    let importing = apply(state, Action::Importing(names.join(", ")));
    assert_eq!(
        importing.importing.as_deref(),
        Some(names.join(", ").as_str())
    );
    let outcome = import_outcome(&files);
    // The page analyses an imported design in a task of its own before the reducer opens it.
    let evaluation = outcome
        .design()
        .map(|design| Rc::new(Evaluation::unverified(design)));
    let imported = apply(
        importing.clone(),
        Action::Imported {
            outcome: Box::new(outcome.clone()),
            evaluation: None,
        },
    );
    assert_eq!(imported.importing, None, "the outcome ends the import");
    let opened_with_evaluation = apply(
        importing,
        Action::Imported {
            outcome: Box::new(outcome),
            evaluation,
        },
    );
    // Evaluations pending fix verification are equal only to themselves (by identity).
    let given = &opened_with_evaluation.evaluation;
    assert!(
        given.results == imported.evaluation.results
            && given.verifying() == imported.evaluation.verifying(),
        "the evaluation given is the one the reducer would compute"
    );
    let alike = AppState {
        evaluation: imported.evaluation.clone(),
        ..opened_with_evaluation
    };
    assert!(alike == imported, "the page opens the design alike");
    imported
}

/// One file, named `name`, imported as the page imports it ([`import`]).
pub fn import_text(state: AppState, text: impl Into<String>, name: &str) -> AppState {
    let file = InputFile {
        name: name.to_string(),
        text: text.into(),
    };
    import(state, vec![file])
}

/// Whether the import would open `text` as a lab ([`TopLevel::is_lab`]).
pub fn is_lab_file(text: &str) -> bool {
    TopLevel::of(text).is_some_and(|members| members.is_lab())
}

/// Whether the import would take `text` as an ARM parameters file
/// ([`TopLevel::is_parameters`]).
pub fn is_parameters_file(text: &str) -> bool {
    TopLevel::of(text).is_some_and(|members| members.is_parameters())
}

/// The design of a preset by id.
pub fn preset(id: &str) -> Design {
    find(id)
        .expect("preset exists")
        .design()
        .expect("preset loads")
}

/// Every preset's design.
pub fn all_presets() -> Vec<(&'static str, Design)> {
    presets()
        .into_iter()
        .map(|p| (p.id, p.design().expect("preset loads")))
        .collect()
}

/// The DLP preset: SEP with the AML alias, NSG rules.
pub const DLP: &str = "dlp-sep-nsg";
mod labs;

/// `chars` letters drawn by a linear congruential generator: text deflate cannot shrink enough
/// to fit the autosave's ceiling.
pub fn incompressible_text(chars: usize) -> String {
    let mut state = 7u64;
    (0..chars)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            char::from(b'a' + (state >> 59) as u8 % 26)
        })
        .collect()
}

/// A design's parts read as the page reads them, a part at a time; the reader keeps them.
pub fn read_parts(parts: &DesignParts) -> DesignText {
    let mut reader = PartsReader::new(parts.head.clone()).expect("the head reads");
    for part in &parts.parts {
        reader.read(part.clone()).expect("every part reads");
    }
    reader.finish()
}

/// An import module's answer as the page reads it: its design read from the parts.
pub fn read_answer(answer: ImportAnswer) -> ImportOutcome {
    answer.map_design(|parts| read_parts(&parts))
}
