//! Workshop labs: a starting design, a task in plain words, goal conditions the engine checks,
//! progressive hints, an explanation shown on success, locked elements and a reference solution
//! (`static/labs/*.json`, embedded; a trainer's own lab file is read the same way). Pure: the
//! browser's exercise mode ([`session`]) and `vnetlab lab check` use the same checks.

pub mod changes;
pub mod goal;
pub mod maker;
pub mod session;
pub mod step;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::import::{parse_typed, LoadError};
use crate::model::{validate, Design, Severity};

use super::scenarios;
use goal::Goal;
use step::{apply_steps, Step};

/// One lab, as its file says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    /// Stable id (the progress key, `vnetlab lab check` output).
    pub id: String,
    pub title: String,
    /// Which seed document and section the lab teaches.
    pub story: String,
    /// The task, in plain words.
    pub task: String,
    pub start: Start,
    pub goals: Vec<GoalEntry>,
    /// Hints, from a nudge to the answer, revealed one at a time.
    #[serde(default)]
    pub hints: Vec<String>,
    /// Why the solution works, shown when every goal holds.
    pub success: String,
    /// Elements the trainee may not change (by name).
    #[serde(default)]
    pub locked: Vec<String>,
    /// The reference solution, step by step.
    #[serde(default)]
    pub solution: Vec<SolutionStep>,
}

/// The starting design: a preset or a design of its own, then steps applied to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Start {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design: Option<Box<Design>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

/// A goal and how the task names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalEntry {
    /// The goal in the trainee's words ("No open path to attacker storage in your region").
    pub text: String,
    #[serde(flatten)]
    pub goal: Goal,
}

/// One step of the reference solution: what to do, and the change it makes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolutionStep {
    pub say: String,
    #[serde(flatten)]
    pub step: Step,
}

/// The built-in labs' files, in the order the picker lists them.
const BUILT_IN: [(&str, &str); 8] = [
    (
        "inbound-44224.json",
        include_str!("../../../static/labs/inbound-44224.json"),
    ),
    (
        "rogue-storage-sep.json",
        include_str!("../../../static/labs/rogue-storage-sep.json"),
    ),
    (
        "frontdoor-fqdn.json",
        include_str!("../../../static/labs/frontdoor-fqdn.json"),
    ),
    (
        "no-public-ip.json",
        include_str!("../../../static/labs/no-public-ip.json"),
    ),
    (
        "forced-tunnel.json",
        include_str!("../../../static/labs/forced-tunnel.json"),
    ),
    (
        "private-dns.json",
        include_str!("../../../static/labs/private-dns.json"),
    ),
    (
        "il5-compliance.json",
        include_str!("../../../static/labs/il5-compliance.json"),
    ),
    (
        "managed-vnet-pypi.json",
        include_str!("../../../static/labs/managed-vnet-pypi.json"),
    ),
];

/// The built-in labs, read once (reading one derives and checks its start, a full analysis
/// for some); they are tested to parse and start, so an error names a broken build.
pub fn built_in() -> &'static [Lab] {
    static LABS: OnceLock<Vec<Lab>> = OnceLock::new();
    LABS.get_or_init(|| {
        BUILT_IN
            .iter()
            .filter_map(|(file, text)| parse(text, file).ok())
            .collect()
    })
}

/// A built-in lab's id and title, as the lab picker lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LabHeading {
    pub id: String,
    pub title: String,
}

/// The built-in labs' ids and titles, read once without reading the rest of each lab (reading
/// all of [`built_in`] derives every start: a tenth of a second of the page's start for
/// the lab picker's titles).
pub fn built_in_headings() -> &'static [LabHeading] {
    static HEADINGS: OnceLock<Vec<LabHeading>> = OnceLock::new();
    HEADINGS.get_or_init(|| {
        BUILT_IN
            .iter()
            .filter_map(|(_, text)| serde_json::from_str(text).ok())
            .collect()
    })
}

/// A built-in lab by id (only that lab is read).
pub fn find(id: &str) -> Option<Lab> {
    BUILT_IN
        .iter()
        .find(|(_, text)| {
            serde_json::from_str::<LabHeading>(text).is_ok_and(|heading| heading.id == id)
        })
        .and_then(|(file, text)| parse(text, file).ok())
}

/// The built-in lab files' names and texts (for tests and `vnetlab labs`).
pub fn built_in_files() -> &'static [(&'static str, &'static str)] {
    &BUILT_IN
}

/// Reads a lab file: JSON-path errors for bad values, then the checks a lab must pass (a start
/// that loads and validates, a goal at least, known toggles and flows are checked when used).
pub fn parse(text: &str, source: &str) -> Result<Lab, LoadError> {
    let lab: Lab = parse_typed(text, source)?;
    if lab.goals.is_empty() {
        return Err(LoadError::at(
            source,
            None,
            "$.goals",
            "a lab needs at least one goal",
        ));
    }
    if lab.start.scenario.is_some() == lab.start.design.is_some() {
        return Err(LoadError::at(
            source,
            None,
            "$.start",
            "give either `scenario` (a preset id) or `design`",
        ));
    }
    lab.start_design()
        .map_err(|(path, message)| LoadError::at(source, None, path, message))?;
    Ok(lab)
}

impl Lab {
    /// The design the trainee starts from; the error names the JSON path in the lab file.
    pub fn start_design(&self) -> Result<Design, (String, String)> {
        let base = match (&self.start.scenario, &self.start.design) {
            (Some(id), _) => scenarios::find(id)
                .ok_or_else(|| {
                    (
                        "$.start.scenario".to_string(),
                        format!("no preset named `{id}`"),
                    )
                })?
                .design()
                .map_err(|error| ("$.start.scenario".to_string(), error))?,
            (None, Some(design)) => (**design).clone(),
            (None, None) => return Err(("$.start".into(), "no starting design".into())),
        };
        let design = apply_steps(&base, &self.start.steps)
            .map_err(|(index, message)| (format!("$.start.steps[{index}]"), message))?;
        if let Some(error) = validate(&design)
            .into_iter()
            .find(|d| d.severity == Severity::Error)
        {
            return Err((
                "$.start".into(),
                format!("the starting design is invalid: {error}"),
            ));
        }
        Ok(design)
    }
}
