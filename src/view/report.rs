//! The Markdown report of a design: its required flows (✓/✗), exfiltration paths (one
//! sentence each) with their verified fixes, the other flows, the toggles' states, the
//! compliance checks and the diagnostics. Every text goes through one escape, [`text`], so a
//! design cannot inject HTML or break a table, and placeholders such as `Storage.<region>` are
//! written alike everywhere (`Storage.\<region\>`, which renders as `Storage.<region>`).

use std::fmt::Write;

use crate::model::Design;

use super::evaluation::{Evaluation, FlowResult};
use super::flows::FlowKind;
use super::toggles;

pub fn markdown(design: &Design, evaluation: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# vnetlab report: {}\n", text(&design.name));
    if !design.description.is_empty() {
        let _ = writeln!(out, "{}\n", text(&design.description));
    }
    let _ = writeln!(
        out,
        "- required flows broken: {}\n- exfiltration paths open: {}\n",
        evaluation.broken_required_flows(),
        evaluation.open_exfiltration_paths()
    );
    for (kind, title) in [
        (FlowKind::Required, "Required flows"),
        (FlowKind::Exfiltration, "Exfiltration paths"),
        (FlowKind::Optional, "Other flows"),
    ] {
        let results: Vec<&FlowResult> = evaluation.of_kind(kind).collect();
        if !results.is_empty() {
            flow_table(&mut out, title, &results);
        }
    }
    fixes(&mut out, evaluation);
    toggle_states(&mut out, design);
    compliance(&mut out, evaluation);
    if !evaluation.diagnostics.is_empty() {
        let _ = writeln!(out, "## Diagnostics\n");
        for diagnostic in &evaluation.diagnostics {
            let _ = writeln!(out, "- {}", text(&diagnostic.to_string()));
        }
    }
    out
}

fn flow_table(out: &mut String, title: &str, results: &[&FlowResult]) {
    let _ = writeln!(out, "## {title}\n");
    let _ = writeln!(
        out,
        "| status | flow | what it means | decided by | reason |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|");
    for result in results {
        let decided_by = result
            .trace
            .decided_by
            .as_ref()
            .map(|hop| match &hop.rule {
                Some(rule) => format!("{} ({})", hop.element, rule.name),
                None => hop.element.clone(),
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            result.row_verdict(),
            text(&result.question.label),
            text(&result.question.purpose),
            text(&decided_by),
            text(&result.trace.reason)
        );
    }
    out.push('\n');
}

/// Each open path's verified fixes and what each would break.
fn fixes(out: &mut String, evaluation: &Evaluation) {
    let paths: Vec<&FlowResult> = evaluation
        .of_kind(FlowKind::Exfiltration)
        .filter(|path| !path.fixes.is_empty())
        .collect();
    if paths.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Fixes\n");
    for path in paths {
        let _ = writeln!(out, "### {}\n", text(&path.question.label));
        for fix in &path.fixes {
            let breaks = if fix.breaks.is_empty() {
                "breaks no required flow".to_string()
            } else {
                format!("breaks {}", text(&fix.breaks.join(", ")))
            };
            let _ = writeln!(out, "- {} — {breaks}", text(&fix.description));
        }
        out.push('\n');
    }
}

fn toggle_states(out: &mut String, design: &Design) {
    let _ = writeln!(out, "## Toggles\n");
    let _ = writeln!(out, "| toggle | state |");
    let _ = writeln!(out, "|---|---|");
    for toggle in toggles::all() {
        let state = match toggle.state(design) {
            Some(true) => "on",
            Some(false) => "off",
            None => "does not apply",
        };
        let _ = writeln!(out, "| {} | {state} |", text(toggle.label));
    }
    out.push('\n');
}

fn compliance(out: &mut String, evaluation: &Evaluation) {
    if evaluation.compliance.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Compliance checks\n");
    let _ = writeln!(out, "| status | policy | resource | why |");
    let _ = writeln!(out, "|---|---|---|---|");
    for check in &evaluation.compliance {
        let status = if check.passed { "✓ pass" } else { "✗ fail" };
        let _ = writeln!(
            out,
            "| {status} | {} | {} | {} |",
            text(check.policy),
            text(&check.resource),
            text(&check.why)
        );
    }
    out.push('\n');
}

/// Escapes text for Markdown, in a table cell or not: backslash before the characters that
/// start HTML, entities or cell breaks, and line breaks folded into spaces.
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\\' | '&' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
