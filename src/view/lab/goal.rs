//! A lab's goal conditions, a closed set each checked on the design's evaluation: no open
//! exfiltration path (of a kind), a required flow allowed or blocked (by a kind of control) for
//! every source it binds to, every required flow passing, a compliance check passing, at most N
//! changed elements.

use serde::{Deserialize, Serialize};

use crate::analysis::exfil::PathKind;
use crate::model::Design;
use crate::view::evaluation::{Evaluation, Status};
use crate::view::flows::FlowKind;

use super::changes::changed_elements;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Goal {
    /// No open exfiltration path; only paths of `path_kind` (e.g.
    /// `attacker-storage-same-region`) when given.
    NoOpenExfiltration {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path_kind: Option<String>,
    },
    /// Every flow of catalogue entry `entry` (e.g. `outbound-batch-storage`, one per compute)
    /// is allowed, or blocked; when `by` is given, blocked by a control of that kind (the
    /// deciding hop's step starts with it: `nsg`, `firewall`, `sep`, `route`, …).
    RequiredFlow {
        entry: String,
        expect: Expect,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
    },
    /// Every required (not optional) flow passes.
    AllRequiredFlowsPass,
    /// Every check of the compliance policy (its definition id or a part of its name) passes.
    Compliance { policy: String },
    /// At most `count` elements (rules, subnets, NSGs, routes, …) added, removed or changed
    /// since the start.
    MaxChanges { count: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    Allowed,
    Blocked,
}

/// Whether a goal holds, and what the engine found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalCheck {
    pub met: bool,
    pub detail: String,
}

impl GoalCheck {
    fn new(met: bool, detail: impl Into<String>) -> Self {
        GoalCheck {
            met,
            detail: detail.into(),
        }
    }
}

impl Goal {
    /// Checks the goal on `evaluation` (of `current`), started from `start`.
    pub fn check(&self, evaluation: &Evaluation, start: &Design, current: &Design) -> GoalCheck {
        match self {
            Goal::NoOpenExfiltration { path_kind } => {
                let open: Vec<&str> = evaluation
                    .of_kind(FlowKind::Exfiltration)
                    .filter(|r| r.status() == Status::ExfiltrationOpen)
                    .filter(|r| {
                        path_kind.as_deref().is_none_or(|kind| {
                            r.question.path_kind.map(PathKind::as_str) == Some(kind)
                        })
                    })
                    .map(|r| r.question.label.as_str())
                    .collect();
                match open.first() {
                    None => GoalCheck::new(true, "no such path is open"),
                    Some(first) => GoalCheck::new(
                        false,
                        format!("{} open, e.g. {first}", plural(open.len(), "path")),
                    ),
                }
            }
            Goal::RequiredFlow { entry, expect, by } => {
                let prefix = format!("{entry}@");
                let flows: Vec<_> = evaluation
                    .results
                    .iter()
                    .filter(|r| matches!(r.question.kind, FlowKind::Required | FlowKind::Optional))
                    .filter(|r| r.question.id.starts_with(&prefix))
                    .collect();
                if flows.is_empty() {
                    return GoalCheck::new(false, format!("the design has no `{entry}` flow"));
                }
                let wrong = flows.iter().find(|r| {
                    let allowed = r.allowed();
                    match expect {
                        Expect::Allowed => !allowed,
                        Expect::Blocked => {
                            allowed
                                || by.as_deref().is_some_and(|by| {
                                    r.trace
                                        .decided_by
                                        .as_ref()
                                        .is_none_or(|hop| !hop.step.as_str().starts_with(by))
                                })
                        }
                    }
                });
                match wrong {
                    None => {
                        GoalCheck::new(true, format!("{} as asked", plural(flows.len(), "flow")))
                    }
                    Some(r) => {
                        GoalCheck::new(false, format!("{}: {}", r.question.label, r.trace.reason))
                    }
                }
            }
            Goal::AllRequiredFlowsPass => {
                let broken = evaluation.broken_required_flows();
                GoalCheck::new(
                    broken == 0,
                    format!("{} broken", plural(broken, "required flow")),
                )
            }
            Goal::Compliance { policy } => {
                let checks: Vec<_> = evaluation
                    .compliance
                    .iter()
                    .filter(|c| {
                        c.definition_id == Some(policy.as_str())
                            || c.policy.contains(policy.as_str())
                    })
                    .collect();
                match checks.iter().find(|c| !c.passed) {
                    _ if checks.is_empty() => {
                        GoalCheck::new(false, format!("no compliance check matches `{policy}`"))
                    }
                    None => GoalCheck::new(true, format!("{} passes", checks[0].policy)),
                    Some(failing) => {
                        GoalCheck::new(false, format!("{}: {}", failing.resource, failing.why))
                    }
                }
            }
            Goal::MaxChanges { count } => {
                let changed = changed_elements(start, current).len();
                GoalCheck::new(
                    changed <= *count,
                    format!("{} changed of at most {count}", plural(changed, "element")),
                )
            }
        }
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
