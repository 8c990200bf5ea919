//! The built-in presets of the scenario picker: the workshop fixture and the analysis's
//! scenarios (`static/examples/*.json`, embedded by `analysis::scenarios`). Every preset is
//! compiled into the wasm with `include_str!`: the app never fetches one at run time.

use crate::import::load_design;
use crate::model::Design;

/// One preset: a stable id, a title for the picker and the design JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// What the design sets out to achieve.
    pub intent: &'static str,
    /// Limitations and conflicts between the documents the preset surfaces.
    pub notes: &'static [&'static str],
    pub json: &'static str,
}

const WORKSHOP: Preset = Preset {
    id: "workshop",
    title: "Workshop: NSG lockdown, firewall, storage endpoint + policy",
    intent: "A secured AML workspace as run in workshops.",
    notes: &[],
    json: include_str!("../../tests/fixtures/workshop.json"),
};

/// Every preset, the default first.
pub fn presets() -> Vec<Preset> {
    let analysis = crate::analysis::scenarios::all()
        .into_iter()
        .map(|scenario| Preset {
            id: scenario.name,
            title: scenario.title,
            intent: scenario.intent,
            notes: scenario.notes,
            json: scenario.json,
        });
    std::iter::once(WORKSHOP).chain(analysis).collect()
}

/// The preset the app opens with when nothing was saved or shared.
pub fn default_preset() -> Preset {
    WORKSHOP
}

pub fn find(id: &str) -> Option<Preset> {
    presets().into_iter().find(|preset| preset.id == id)
}

impl Preset {
    /// The preset's design; presets are tested to load, so an error names a broken build.
    pub fn design(&self) -> Result<Design, String> {
        load_design(self.json, self.id)
            .map(|loaded| loaded.design)
            .map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_loads_and_ids_are_unique() {
        let presets = presets();
        for preset in &presets {
            preset.design().unwrap();
            assert_eq!(find(preset.id), Some(*preset));
        }
        let mut ids: Vec<_> = presets.iter().map(|preset| preset.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), presets.len());
    }
}
