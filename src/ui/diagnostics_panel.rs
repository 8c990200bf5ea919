//! The "Diagnostics" panel: the last import's summary (format, elements per type, ignored
//! resources), its unevaluated template expressions and every diagnostic (element, JSON path,
//! message) — or why it failed — followed by the current design's diagnostics.

use yew::prelude::*;

use super::state::use_app;
use crate::model::{Diagnostic, Severity};

fn diagnostic_row(d: &Diagnostic) -> Html {
    let icon = if d.severity == Severity::Error {
        "✗ error"
    } else {
        "⚠ warning"
    };
    html! {
        <li class={classes!("diagnostic", (d.severity == Severity::Error).then_some("bad"))}>
            <span class="severity">{ icon }</span>{ " " }
            <span class="element">{ d.element.clone() }</span>{ " " }
            <code class="path">{ d.path.clone() }</code>{ " " }
            <span class="message">{ d.message.clone() }</span>
        </li>
    }
}

#[function_component(DiagnosticsPanel)]
pub fn diagnostics_panel() -> Html {
    let app = use_app();
    let report = app.import_report.clone();
    let design = &app.evaluation.diagnostics;
    html! {
        <details class="diagnostics-panel" open={report.is_some()} data-testid="diagnostics-panel">
            <summary>{ format!("Diagnostics ({} in the design{})", design.len(),
                report.as_ref().map_or_else(String::new, |r| format!(", {} from the import", r.diagnostics.len() + r.unevaluated.len()))) }</summary>
            if let Some(report) = report {
                <section class="import-report" data-testid="import-report">
                    <h3 data-testid="import-headline">{ report.headline() }</h3>
                    if let Some(error) = report.error.clone() {
                        <p class="field-error" role="alert" data-testid="import-error">{ "✗ " }{ error }</p>
                    }
                    if !report.elements.is_empty() {
                        <p class="import-elements" data-testid="import-elements">
                            { report.elements.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(" · ") }
                        </p>
                    }
                    if !report.ignored.is_empty() {
                        <p class="import-ignored">
                            { format!("ignored: {}", report.ignored.iter().map(|(k, n)| format!("{k} ×{n}")).collect::<Vec<_>>().join(", ")) }
                        </p>
                    }
                    if !report.unevaluated.is_empty() {
                        <h4>{ format!("{} unevaluated expression(s)", report.unevaluated.len()) }</h4>
                        <ul class="unevaluated" data-testid="import-unevaluated">
                            { for report.unevaluated.iter().map(|u| html! {
                                <li><code class="path">{ u.path.clone() }</code>{ " " }<code>{ u.expression.clone() }</code>{ format!(": {}", u.reason) }</li>
                            }) }
                        </ul>
                    }
                    if !report.diagnostics.is_empty() {
                        <h4>{ format!("{} import diagnostic(s)", report.diagnostics.len()) }</h4>
                        <ul class="diagnostic-list" data-testid="import-diagnostics">
                            { for report.diagnostics.iter().map(diagnostic_row) }
                        </ul>
                    }
                </section>
            }
            <h4>{ format!("{} diagnostic(s) in the current design", design.len()) }</h4>
            <ul class="diagnostic-list" data-testid="design-diagnostics">
                { for design.iter().map(diagnostic_row) }
            </ul>
        </details>
    }
}
