//! The built-in presets of the scenario picker: the workshop fixture and the analysis's
//! scenarios (`static/examples/*.json`, embedded by `analysis::scenarios`). Every preset is
//! compiled into the wasm with `include_str!`: the app never fetches one at run time.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

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

/// Presets' designs as loaded, by id: the page loads a preset for the design and again for
/// the scenario it belongs to (what "modified" compares with), at start and at every pick.
static LOADED: Mutex<BTreeMap<&str, Design>> = Mutex::new(BTreeMap::new());

impl Preset {
    /// The preset's design, loaded (parsed and validated) once; presets are tested to load,
    /// so an error names a broken build.
    pub fn design(&self) -> Result<Design, String> {
        let loaded = |map: &BTreeMap<&str, Design>| map.get(self.id).cloned();
        if let Some(design) = loaded(&LOADED.lock().unwrap_or_else(PoisonError::into_inner)) {
            return Ok(design);
        }
        let design = load_design(self.json, self.id)
            .map(|loaded| loaded.design)
            .map_err(|error| error.to_string())?;
        LOADED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(self.id, design.clone());
        Ok(design)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_loads_and_ids_are_unique() {
        let presets = presets();
        for preset in &presets {
            let loaded = load_design(preset.json, preset.id).unwrap().design;
            assert!(preset.design().unwrap() == loaded);
            assert!(
                preset.design().unwrap() == loaded,
                "loaded again from the cache"
            );
            assert_eq!(find(preset.id), Some(*preset));
        }
        let mut ids: Vec<_> = presets.iter().map(|preset| preset.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), presets.len());
    }
}
