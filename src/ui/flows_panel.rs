//! The flows panel: required flows (✓/✗), exfiltration paths (open/closed) and other flows,
//! filterable by text and "problems only". Selecting a flow opens its trace below the list.
//! A long section builds its first rows only, with "Show all" ([`ListWindow`]).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::design_intro::DesignIntro;
use super::lab_panel::LabPanel;
use super::state::{use_app, use_dispatch, AppContext};
use super::trace_form::TraceFormPanel;
use super::trace_view::TraceView;
use crate::analysis::exfil::PathKind;
use crate::view::evaluation::{FlowResult, Status};
use crate::view::flows::FlowKind;
use crate::view::list_window::{ListWindow, FLOWS_SHOWN};
use crate::view::state::{Action, FlowFilter};

#[function_component(FlowsPanel)]
pub fn flows_panel() -> Html {
    let app = use_app();
    let expanded = use_state(Vec::<FlowKind>::new);
    let ontext = {
        let app = app.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                app.dispatch(Action::SetFilter(FlowFilter {
                    text: input.value(),
                    ..app.filter.clone()
                }));
            }
        })
    };
    let onproblems = {
        let app = app.clone();
        Callback::from(move |event: Event| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                app.dispatch(Action::SetFilter(FlowFilter {
                    problems_only: input.checked(),
                    ..app.filter.clone()
                }));
            }
        })
    };
    let evaluation = &app.evaluation;
    html! {
        <aside class="panel flows-panel" aria-label="Flows" data-testid="flows-panel">
            <LabPanel />
            if app.lab.is_none() {
                <DesignIntro />
            }
            <h2>{ "Flows" }</h2>
            <p class="summary" data-testid="flow-summary" role="status" elementtiming="flow-summary">
                { format!("{} required flow(s) broken · {} exfiltration path(s) open",
                    evaluation.broken_required_flows(), evaluation.open_exfiltration_paths()) }
            </p>
            <div class="filter">
                <input type="search" placeholder="Filter flows" aria-label="Filter flows"
                       value={app.filter.text.clone()} oninput={ontext} data-testid="flow-filter" />
                <label><input type="checkbox" checked={app.filter.problems_only} onchange={onproblems} />
                    { " problems only" }</label>
            </div>
            if let Some(result) = app.selected_result() {
                <TraceView result={result.clone()} step={app.step} playing={app.playing}
                           verifying={app.evaluation.verifying() && result.question.kind == FlowKind::Exfiltration} />
            }
            // An embed's small pane shows the flows first; the form follows them.
            if !app.read_only {
                <TraceFormPanel />
            }
            { section(&app, &expanded, FlowKind::Required, "Required flows") }
            { section(&app, &expanded, FlowKind::Exfiltration, "Exfiltration paths") }
            { section(&app, &expanded, FlowKind::Optional, "Other flows") }
            { undetermined(&app) }
            { compliance(&app) }
            if app.read_only {
                <TraceFormPanel />
            }
        </aside>
    }
}

fn section(
    app: &AppContext,
    expanded: &UseStateHandle<Vec<FlowKind>>,
    kind: FlowKind,
    title: &str,
) -> Html {
    let mut rows: Vec<&FlowResult> = app.visible(kind).collect();
    if kind == FlowKind::Exfiltration {
        rows.extend(app.visible_closed_paths());
    }
    if rows.is_empty() {
        return html! {};
    }
    let selected = app
        .selected
        .as_deref()
        .and_then(|id| rows.iter().position(|r| r.question.id == id));
    let window = ListWindow::new(rows.len(), FLOWS_SHOWN, expanded.contains(&kind), selected);
    let show_all = {
        let expanded = expanded.clone();
        Callback::from(move |_| {
            let mut kinds = (*expanded).clone();
            kinds.push(kind);
            expanded.set(kinds);
        })
    };
    html! {
        <section class="flow-section" data-testid={format!("section-{}", kind.as_str())}
                 data-count={rows.len().to_string()}>
            <h3>{ title }</h3>
            <ul class="flow-list">
                { for window.shown.iter().map(|&index| row(app, rows[index])) }
            </ul>
            if window.hidden > 0 {
                <button type="button" class="small show-all" data-testid={format!("show-all-{}", kind.as_str())}
                        onclick={show_all}>
                    { format!("Show all {} ({} more; the filter above narrows them)", rows.len(), window.hidden) }
                </button>
            }
        </section>
    }
}

/// What one flow row shows: compared on every change, so an unchanged row is not rendered
/// again.
#[derive(Properties, PartialEq)]
struct FlowRowProps {
    id: AttrValue,
    slug: AttrValue,
    label: AttrValue,
    purpose: AttrValue,
    verdict: AttrValue,
    status: Status,
    path_kind: Option<&'static str>,
    fixes: usize,
    verifying: bool,
    selected: bool,
}

fn row(app: &AppContext, result: &FlowResult) -> Html {
    let key = result.question.id.clone();
    let id = AttrValue::from(result.question.id.clone());
    html! {
        <FlowRow {key} {id} slug={result.question.slug()}
                 label={result.question.label.clone()} purpose={result.question.purpose.clone()}
                 verdict={result.row_verdict()} status={result.status()}
                 path_kind={result.question.path_kind.map(PathKind::as_str)}
                 fixes={if app.answers_hidden() { 0 } else { result.fixes.len() }}
                 verifying={result.question.kind == FlowKind::Exfiltration && app.evaluation.verifying()}
                 selected={app.selected.as_deref() == Some(result.question.id.as_str())} />
    }
}

#[function_component(FlowRow)]
fn flow_row(props: &FlowRowProps) -> Html {
    let dispatch = use_dispatch();
    let status = props.status;
    let onclick = {
        let next = (!props.selected).then(|| props.id.to_string());
        Callback::from(move |_| dispatch.dispatch(Action::Select(next.clone())))
    };
    html! {
        <li>
            <button type="button" class={classes!("flow-row", status.class(), props.selected.then_some("selected"))}
                    aria-pressed={props.selected.to_string()} data-testid={format!("flow-{}", props.slug)}
                    data-status={status.text()} data-path-kind={props.path_kind} {onclick}>
                <span class="status-icon" aria-hidden="true">{ status.icon() }</span>
                <span class="flow-label">
                    { props.label.clone() }
                    <span class="flow-purpose">{ props.purpose.clone() }</span>
                    if props.fixes > 0 {
                        <span class="flow-purpose fix-count" data-testid="fix-count">
                            { format!("{} verified fix(es): open the path to apply one", props.fixes) }
                        </span>
                    }
                    if props.verifying {
                        <span class="flow-purpose verifying" data-testid="verifying-fixes">
                            { "verifying fixes…" }
                        </span>
                    }
                </span>
                <span class="verdict" data-testid="verdict">{ props.verdict.clone() }</span>
                <span class="visually-hidden">{ format!(" ({})", status.text()) }</span>
            </button>
        </li>
    }
}

/// Paths the analysis could not decide, with the reason (never counted as open or closed).
fn undetermined(app: &AppContext) -> Html {
    let rows = &app.evaluation.undetermined;
    if rows.is_empty() {
        return html! {};
    }
    html! {
        <section class="flow-section" data-testid="section-undetermined">
            <h3>{ format!("Undetermined paths ({})", rows.len()) }</h3>
            <ul class="flow-list plain">
                { for rows.iter().map(|row| html! {
                    <li class="undetermined" data-testid="undetermined-row">
                        <span class="status-icon" aria-hidden="true">{ "?" }</span>
                        <span class="flow-label">{ row.label.clone() }
                            <span class="flow-purpose">{ format!("{} — {}", row.kind, row.reason) }</span>
                        </span>
                        <span class="visually-hidden">{ " (undetermined)" }</span>
                    </li>
                }) }
            </ul>
        </section>
    }
}

/// The policy checks: pass / fail, the policy, the resource and why.
fn compliance(app: &AppContext) -> Html {
    let checks = &app.evaluation.compliance;
    if checks.is_empty() {
        return html! {};
    }
    let failed = checks.iter().filter(|c| !c.passed).count();
    html! {
        <section class="flow-section" data-testid="section-compliance">
            <h3>{ format!("Compliance checks ({failed} of {} failing)", checks.len()) }</h3>
            <ul class="flow-list plain">
                { for checks.iter().map(|check| {
                    let (icon, status, class) = if check.passed { ("✓", "pass", "good") } else { ("✗", "fail", "bad") };
                    html! {
                        <li class={classes!("compliance", class)} data-testid="compliance-row" data-status={status}>
                            <span class="status-icon" aria-hidden="true">{ icon }</span>
                            <span class="flow-label">{ format!("{} — {}", check.policy, check.resource) }
                                <span class="flow-purpose">{ check.why.clone() }</span>
                            </span>
                            <span class="verdict">{ status }</span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
