//! Native tests of the view-model (`vnetlab::view`): layout, toggles, state and undo/redo,
//! share links and autosave, editing, the report and the SVG export. One binary.

mod background;
mod edit;
mod embed;
mod export;
mod first_screen;
mod fixes;
mod flows;
mod history;
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

use vnetlab::model::Design;
use vnetlab::view::scenarios::{find, presets};

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
