//! A trace as display rows: one row per hop with its step, element, outcome (icon and text),
//! deciding rule with priority, and reason; plus the step-through cursor's position.

use crate::engine::{Hop, Outcome, Trace, Verdict};
use crate::model::PortRange;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopRow {
    pub index: usize,
    pub step: &'static str,
    pub element: String,
    pub outcome: &'static str,
    pub icon: &'static str,
    /// CSS class: `good`, `bad` or `neutral`.
    pub class: &'static str,
    pub rule: String,
    pub priority: String,
    pub reason: String,
}

pub fn hop_rows(trace: &Trace) -> Vec<HopRow> {
    trace
        .hops
        .iter()
        .enumerate()
        .map(|(index, hop)| hop_row(index, hop))
        .collect()
}

fn hop_row(index: usize, hop: &Hop) -> HopRow {
    let (icon, class) = outcome_badge(hop.outcome);
    HopRow {
        index,
        step: hop.step.as_str(),
        element: hop.element.clone(),
        outcome: hop.outcome.as_str(),
        icon,
        class,
        rule: hop
            .rule
            .as_ref()
            .map(|rule| rule.name.clone())
            .unwrap_or_default(),
        priority: hop
            .rule
            .as_ref()
            .and_then(|rule| rule.priority)
            .map(|p| p.to_string())
            .unwrap_or_default(),
        reason: hop.reason.clone(),
    }
}

/// Icon and class of a hop outcome: text and icon, never colour alone.
pub fn outcome_badge(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Allow => ("✓", "good"),
        Outcome::Deny | Outcome::Drop | Outcome::Nxdomain => ("✗", "bad"),
        Outcome::Unsupported => ("?", "bad"),
        Outcome::Forward => ("→", "neutral"),
        Outcome::Info => ("ℹ", "neutral"),
    }
}

/// What else the trace stands for: "Same trace for TCP ports 444-65535" when its port span
/// (`Trace::alike_ports`) holds more than the traced port.
pub fn alike_ports_note(trace: &Trace) -> Option<String> {
    let span = trace.alike_ports?;
    if span.first == span.last {
        return None;
    }
    let protocol = trace.flow.protocol.to_string().to_ascii_uppercase();
    Some(if span == PortRange::ANY {
        format!("Same trace for every {protocol} port")
    } else {
        format!("Same trace for {protocol} ports {span}")
    })
}

/// Icon and class of a verdict.
pub fn verdict_badge(verdict: Verdict) -> (&'static str, &'static str) {
    match verdict {
        Verdict::Allowed => ("✓", "good"),
        Verdict::Blocked | Verdict::NoRoute | Verdict::Unresolved => ("✗", "bad"),
        Verdict::Unsupported => ("?", "bad"),
    }
}

/// The index of the hop that decided the trace: the hop of `Trace::decided_by`, else the last
/// hop (the walk reached the destination). Play stops there; `None` without hops.
pub fn deciding_hop(trace: &Trace) -> Option<usize> {
    let last = trace.hops.len().checked_sub(1)?;
    Some(
        trace
            .decided_by
            .as_ref()
            .and_then(|decided| trace.hops.iter().position(|hop| hop == decided))
            .unwrap_or(last),
    )
}

/// "Hop 3 of 7" for the step-through controls.
pub fn step_label(step: usize, hops: usize) -> String {
    if hops == 0 {
        "no hops".to_string()
    } else {
        format!("Hop {} of {hops}", step.min(hops - 1) + 1)
    }
}
