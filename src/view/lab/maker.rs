//! A trainer's "Make a lab from this design": the current design becomes the start, and its
//! current problems become the goals the trainer can tick — each open kind of exfiltration
//! path closed, each broken required flow working, each failing compliance policy passing.

use std::collections::BTreeSet;

use crate::analysis::exfil::PathKind;
use crate::model::Design;
use crate::view::evaluation::{Evaluation, Status};
use crate::view::flows::FlowKind;

use super::goal::{Expect, Goal};
use super::{GoalEntry, Lab, Start};

/// The goals this design's problems suggest, in a stable order: exfiltration kinds, then
/// required flows (by catalogue entry), then compliance policies.
pub fn candidate_goals(evaluation: &Evaluation) -> Vec<GoalEntry> {
    let path_kinds: BTreeSet<&str> = evaluation
        .of_kind(FlowKind::Exfiltration)
        .filter(|r| r.status() == Status::ExfiltrationOpen)
        .filter_map(|r| r.question.path_kind.map(PathKind::as_str))
        .collect();
    let entries: BTreeSet<&str> = evaluation
        .of_kind(FlowKind::Required)
        .filter(|r| !r.allowed())
        .filter_map(|r| r.question.id.split_once('@').map(|(entry, _)| entry))
        .collect();
    let policies: BTreeSet<(&str, &str)> = evaluation
        .compliance
        .iter()
        .filter(|c| !c.passed)
        .map(|c| (c.definition_id.unwrap_or(c.policy), c.policy))
        .collect();
    let exfiltration = path_kinds.into_iter().map(|kind| GoalEntry {
        text: format!("No open {} path", kind.replace('-', " ")),
        goal: Goal::NoOpenExfiltration {
            path_kind: Some(kind.to_string()),
        },
    });
    let required = entries.into_iter().map(|entry| GoalEntry {
        text: format!("Required flow {entry} works for every source"),
        goal: Goal::RequiredFlow {
            entry: entry.to_string(),
            expect: Expect::Allowed,
            by: None,
        },
    });
    let compliance = policies.into_iter().map(|(id, policy)| GoalEntry {
        text: format!("Compliance: {policy}"),
        goal: Goal::Compliance {
            policy: id.to_string(),
        },
    });
    exfiltration.chain(required).chain(compliance).collect()
}

/// What the trainer wrote in the lab maker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabDraft {
    pub title: String,
    pub task: String,
    /// One hint per line.
    pub hints: String,
    pub success: String,
}

/// A lab starting from `design` with the ticked `goals`; an error names the field to fill.
pub fn make(design: &Design, draft: &LabDraft, goals: Vec<GoalEntry>) -> Result<Lab, String> {
    let title = draft.title.trim();
    if title.is_empty() {
        return Err("give the lab a title".into());
    }
    if draft.task.trim().is_empty() {
        return Err("say what the trainee should do (the task)".into());
    }
    if goals.is_empty() {
        return Err("tick at least one goal".into());
    }
    Ok(Lab {
        id: slug(title),
        title: title.to_string(),
        story: format!("Made from the design \u{201c}{}\u{201d}.", design.name),
        task: draft.task.trim().to_string(),
        start: Start {
            scenario: None,
            design: Some(Box::new(design.clone())),
            steps: Vec::new(),
        },
        goals,
        hints: draft
            .hints
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect(),
        success: draft.success.trim().to_string(),
        locked: Vec::new(),
        solution: Vec::new(),
    })
}

fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}
