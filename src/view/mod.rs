//! The view-model: everything the browser UI shows, computed from a design without yew, so it
//! compiles and is unit-tested natively. Azure semantics stay in `engine` (and `analysis`);
//! this layer only turns their results into display rows, diagram coordinates, toggles, diff
//! badges, undo/redo stacks and the text formats the UI saves or exports.
//!
//! `state::apply(AppState, Action) -> AppState` is the single reducer; `ui` wraps it in a
//! two-line `impl Reducible` and renders the fields of [`state::AppState`].

pub mod autosave;
pub mod background;
pub mod design_text;
pub mod diagram;
pub mod diff;
pub mod edit;
pub mod embed;
pub mod evaluation;
pub mod flip_cache;
pub mod flows;
pub mod forms;
pub mod import_report;
pub mod lab;
pub mod lb_edit;
pub mod list_window;
pub mod network_manager_edit;
pub mod options;
pub mod perimeter;
pub mod perimeter_edit;
pub mod policy_edit;
pub mod report;
pub mod scenarios;
pub mod share;
pub mod startup;
pub mod state;
pub mod svg;
pub mod toggle_sight;
pub mod toggles;
pub mod top_level;
pub mod trace_form;
pub mod trace_rows;
