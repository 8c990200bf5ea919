//! A change a lab makes to a design — to set up its start, or as a step of its reference
//! solution: set a toggle, apply the verified fix whose description contains a text, or edit
//! the design's JSON (`add` / `replace` / `remove` at a JSON Pointer, as JSON Patch does).

use crate::model::json_value::{from_json_value, to_json_value};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::Design;
use crate::view::evaluation::Evaluation;
use crate::view::flows::FlowKind;
use crate::view::toggles;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Step {
    /// Sets toggle `toggle` (an id of the design panel's toggles) on or off.
    Toggle { toggle: String, on: bool },
    /// Applies the first verified fix of an open path whose description contains `fix`.
    Fix { fix: String },
    /// Edits the design's JSON.
    Edit { edit: Vec<PatchOperation> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchOperation {
    pub op: PatchKind,
    /// A JSON Pointer into the design (`/network_security_groups/0/rules/-`).
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatchKind {
    Add,
    Replace,
    Remove,
}

/// `design` after every step; the error names the step's index.
pub fn apply_steps(design: &Design, steps: &[Step]) -> Result<Design, (usize, String)> {
    steps
        .iter()
        .enumerate()
        .try_fold(design.clone(), |design, (index, step)| {
            step.apply(&design).map_err(|message| (index, message))
        })
}

impl Step {
    /// `design` after this step, or why the step cannot be made.
    pub fn apply(&self, design: &Design) -> Result<Design, String> {
        match self {
            Step::Toggle { toggle, on } => {
                let found = toggles::find(toggle).ok_or_else(|| format!("no toggle `{toggle}`"))?;
                match found.state(design) {
                    None => Err(format!("toggle `{toggle}` does not apply to the design")),
                    Some(state) if state == *on => Ok(design.clone()),
                    Some(_) => found
                        .flip(design)
                        .ok_or_else(|| format!("toggle `{toggle}` cannot be set")),
                }
            }
            Step::Fix { fix } => {
                let evaluation = Evaluation::of(design);
                let row = evaluation
                    .of_kind(FlowKind::Exfiltration)
                    .flat_map(|path| &path.fixes)
                    .find(|row| row.description.contains(fix.as_str()))
                    .ok_or_else(|| format!("no verified fix mentions \u{201c}{fix}\u{201d}"))?;
                row.fix
                    .apply(design)
                    .ok_or_else(|| format!("the fix \u{201c}{fix}\u{201d} no longer applies"))
            }
            Step::Edit { edit } => {
                let mut value = to_json_value(design).map_err(|e| e.to_string())?;
                for (index, operation) in edit.iter().enumerate() {
                    operation.apply(&mut value).map_err(|message| {
                        format!("edit[{index}] at {}: {message}", operation.path)
                    })?;
                }
                from_json_value(&value).map_err(|e| format!("the edited design is not valid: {e}"))
            }
        }
    }
}

impl PatchOperation {
    fn apply(&self, document: &mut Value) -> Result<(), String> {
        let (parent, last) = match self.path.rfind('/') {
            Some(at) => (&self.path[..at], unescape(&self.path[at + 1..])),
            None => return Err("a JSON Pointer starts with `/`".into()),
        };
        let value = || {
            self.value
                .clone()
                .ok_or_else(|| "the operation needs a `value`".to_string())
        };
        let target = document
            .pointer_mut(parent)
            .ok_or_else(|| format!("nothing at {parent}"))?;
        match (self.op, target) {
            (PatchKind::Add, Value::Array(items)) if last == "-" => items.push(value()?),
            (PatchKind::Add, Value::Array(items)) => {
                let index = array_index(&last, items.len() + 1)?;
                items.insert(index, value()?);
            }
            (PatchKind::Replace, Value::Array(items)) => {
                let index = array_index(&last, items.len())?;
                items[index] = value()?;
            }
            (PatchKind::Remove, Value::Array(items)) => {
                let index = array_index(&last, items.len())?;
                items.remove(index);
            }
            (PatchKind::Add, Value::Object(members)) => {
                members.insert(last, value()?);
            }
            (PatchKind::Replace, Value::Object(members)) => {
                let slot = members
                    .get_mut(&last)
                    .ok_or_else(|| format!("no member `{last}`"))?;
                *slot = value()?;
            }
            (PatchKind::Remove, Value::Object(members)) => {
                members
                    .remove(&last)
                    .ok_or_else(|| format!("no member `{last}`"))?;
            }
            _ => return Err(format!("{parent} is neither an array nor an object")),
        }
        Ok(())
    }
}

fn array_index(token: &str, bound: usize) -> Result<usize, String> {
    token
        .parse::<usize>()
        .ok()
        .filter(|index| *index < bound)
        .ok_or_else(|| format!("`{token}` is not an index below {bound}"))
}

/// A JSON Pointer token's `~1` and `~0` escapes.
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}
