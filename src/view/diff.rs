//! What a change did: the diff badge of a toggle (before/after its flip) and of the last edit.
//! Flows are matched by the analysis keys (`FlowQuestion::id`), as `analysis::diff` does, but
//! on the two evaluations already computed instead of analysing both designs again. The
//! exfiltration search lists open paths only, so a path that appears was opened and one that
//! disappears was closed; any other flow that appears or disappears counts as changed.

use std::collections::BTreeMap;

use super::evaluation::{Evaluation, Status};
use super::flows::FlowKind;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diff {
    pub flows_changed: usize,
    pub exfiltration_opened: usize,
    pub exfiltration_closed: usize,
    pub required_broken: usize,
    pub required_repaired: usize,
}

impl Diff {
    pub fn between(before: &Evaluation, after: &Evaluation) -> Diff {
        let before_by_id: BTreeMap<&str, _> = before
            .results
            .iter()
            .map(|result| (result.question.id.as_str(), result))
            .collect();
        let mut diff = Diff::default();
        let mut matched = 0;
        for result in &after.results {
            let Some(previous) = before_by_id.get(result.question.id.as_str()) else {
                diff.flows_changed += 1;
                if result.status() == Status::ExfiltrationOpen {
                    diff.exfiltration_opened += 1;
                }
                continue;
            };
            matched += 1;
            if previous.trace.verdict == result.trace.verdict {
                continue;
            }
            diff.flows_changed += 1;
            match (previous.status(), result.status()) {
                (Status::ExfiltrationClosed, Status::ExfiltrationOpen) => {
                    diff.exfiltration_opened += 1
                }
                (Status::ExfiltrationOpen, Status::ExfiltrationClosed) => {
                    diff.exfiltration_closed += 1
                }
                (Status::Passes, Status::Fails) if result.question.kind == FlowKind::Required => {
                    diff.required_broken += 1
                }
                (Status::Fails, Status::Passes) if result.question.kind == FlowKind::Required => {
                    diff.required_repaired += 1
                }
                _ => {}
            }
        }
        let after_ids: Vec<&str> = after
            .results
            .iter()
            .map(|r| r.question.id.as_str())
            .collect();
        for gone in before
            .results
            .iter()
            .filter(|r| !after_ids.contains(&r.question.id.as_str()))
        {
            if gone.status() == Status::ExfiltrationOpen {
                diff.exfiltration_closed += 1;
            }
        }
        diff.flows_changed += before.results.len() - matched;
        diff
    }

    pub fn is_empty(&self) -> bool {
        self.flows_changed == 0
    }

    /// Whether the change makes the design worse (opens a path or breaks a required flow).
    pub fn is_regression(&self) -> bool {
        self.exfiltration_opened > 0 || self.required_broken > 0
    }

    /// The badge text, e.g. "3 flows changed · 1 exfil path closed · 1 required flow broken".
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "no flow changes".to_string();
        }
        let mut parts = vec![count(self.flows_changed, "flow changed", "flows changed")];
        let extras = [
            (
                self.exfiltration_opened,
                "exfil path opened",
                "exfil paths opened",
            ),
            (
                self.exfiltration_closed,
                "exfil path closed",
                "exfil paths closed",
            ),
            (
                self.required_broken,
                "required flow broken",
                "required flows broken",
            ),
            (
                self.required_repaired,
                "required flow repaired",
                "required flows repaired",
            ),
        ];
        parts.extend(
            extras
                .into_iter()
                .filter(|(n, _, _)| *n > 0)
                .map(|(n, one, many)| count(n, one, many)),
        );
        parts.join(" · ")
    }
}

/// What flipping a toggle that is `on` would do, in plain words: "Turning this off would break
/// 2 required flows and open 1 exfiltration path." `None` (not yet computed): "Working out
/// what turning this off would do…".
pub fn flip_sentence(on: bool, diff: Option<&Diff>) -> String {
    let turning = if on {
        "Turning this off"
    } else {
        "Turning this on"
    };
    let Some(diff) = diff else {
        return format!("Working out what {} would do…", turning.to_lowercase());
    };
    let effects: Vec<String> = [
        (
            diff.required_broken,
            "break",
            "required flow",
            "required flows",
        ),
        (
            diff.required_repaired,
            "repair",
            "required flow",
            "required flows",
        ),
        (
            diff.exfiltration_opened,
            "open",
            "exfiltration path",
            "exfiltration paths",
        ),
        (
            diff.exfiltration_closed,
            "close",
            "exfiltration path",
            "exfiltration paths",
        ),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, verb, one, many)| format!("{verb} {}", count(n, one, many)))
    .collect();
    let flows = count(diff.flows_changed, "flow", "flows");
    match effects.as_slice() {
        [] if diff.is_empty() => format!("{turning} would change no flow."),
        [] => format!(
            "{turning} would change {flows}, none of them a required flow or an exfiltration path."
        ),
        [only] => format!("{turning} would {only}."),
        [first @ .., last] => format!("{turning} would {} and {last}.", first.join(", ")),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
