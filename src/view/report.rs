//! The Markdown report of a design: its required flows (✓/✗), exfiltration paths, the other
//! traced flows and the diagnostics. Names are escaped so a design cannot inject HTML or break
//! the tables of whatever renders the Markdown.

use std::fmt::Write;

use crate::model::Design;

use super::evaluation::{Evaluation, FlowResult};
use super::flows::FlowKind;

pub fn markdown(design: &Design, evaluation: &Evaluation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# vnetlab report: {}\n", cell(&design.name));
    if !design.description.is_empty() {
        let _ = writeln!(out, "{}\n", cell(&design.description));
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
        if results.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {title}\n");
        let _ = writeln!(out, "| status | flow | verdict | decided by | reason |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for result in results {
            let status = result.status();
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
                "| {} {} | {} | {} | {} | {} |",
                status.icon(),
                status.text(),
                cell(&result.question.label),
                result.trace.verdict,
                cell(&decided_by),
                cell(&result.trace.reason)
            );
        }
        out.push('\n');
    }
    if !evaluation.diagnostics.is_empty() {
        let _ = writeln!(out, "## Diagnostics\n");
        for diagnostic in &evaluation.diagnostics {
            let _ = writeln!(out, "- {}", cell(&diagnostic.to_string()));
        }
    }
    out
}

/// Escapes Markdown table cells: HTML, pipes and line breaks.
fn cell(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}
