//! The selected flow's hop-by-hop trace (step, element, outcome, rule, priority, reason) with
//! the step-through controls: Back / Next (or ← / → while the trace has focus) move the cursor
//! that lights up the diagram; Play advances it on a timer and stops on the deciding hop.
//! Opening a trace scrolls it into view and focuses it.

use gloo::timers::callback::Interval;
use yew::prelude::*;

use super::fix_as_code::FixAsCode;
use super::state::{dispatch_on_click, use_app};
use crate::view::evaluation::FlowResult;
use crate::view::flows::FlowKind;
use crate::view::state::Action;
use crate::view::trace_form::network_watcher;
use crate::view::trace_rows::{alike_ports_note, deciding_hop, hop_rows, step_label};

/// How long Play shows each hop.
const PLAY_STEP_MS: u32 = 700;

#[derive(Properties, PartialEq)]
pub struct TraceViewProps {
    pub result: FlowResult,
    pub step: usize,
    /// Play is on.
    #[prop_or_default]
    pub playing: bool,
    /// The path's fixes are still being verified.
    #[prop_or_default]
    pub verifying: bool,
}

#[function_component(TraceView)]
pub fn trace_view(props: &TraceViewProps) -> Html {
    let app = use_app();
    let trace = &props.result.trace;
    let rows = hop_rows(trace);
    let (icon, class, verdict) = props.result.verdict_line();
    let last = rows.len().saturating_sub(1);
    let deciding = deciding_hop(trace);
    let section = use_node_ref();
    {
        // A newly opened trace comes into view with the focus, wherever the list was scrolled.
        let section = section.clone();
        use_effect_with(props.result.question.id.clone(), move |_| {
            if let Some(element) = section.cast::<web_sys::HtmlElement>() {
                element.scroll_into_view_with_bool(true);
                let _ = element.focus();
            }
        });
    }
    {
        let app = app.clone();
        use_effect_with(props.playing, move |playing| {
            let timer =
                playing.then(|| Interval::new(PLAY_STEP_MS, move || app.dispatch(Action::Tick)));
            move || drop(timer)
        });
    }
    let onkeydown = {
        let app = app.clone();
        Callback::from(move |event: KeyboardEvent| {
            let action = match event.key().as_str() {
                "ArrowLeft" => Action::StepBack,
                "ArrowRight" => Action::StepNext,
                _ => return,
            };
            event.prevent_default();
            app.dispatch(action);
        })
    };
    let play = if props.playing {
        html! { <button type="button" data-testid="play" aria-pressed="true"
        onclick={dispatch_on_click(&app, Action::Pause)}>{ "⏸ Pause" }</button> }
    } else {
        html! { <button type="button" data-testid="play" aria-pressed="false" disabled={rows.len() < 2}
        title="Step through the trace on a timer, stopping on the hop that decided it"
        onclick={dispatch_on_click(&app, Action::Play)}>{ "▶ Play" }</button> }
    };
    html! {
        <section class={classes!("trace", (class == "exfil").then_some("danger"))} ref={section} tabindex="0"
                 aria-label="Trace of the selected flow; left and right arrow keys step through it"
                 data-testid="trace" {onkeydown}>
            <h3>{ props.result.question.label.clone() }</h3>
            <p class={classes!("trace-verdict", class)} data-testid="trace-verdict">
                <strong>{ format!("{icon} {verdict}") }</strong>{ format!(" — {}", trace.reason) }
            </p>
            if let Some(hop) = &trace.decided_by {
                <p class="trace-decided" data-testid="trace-decided">
                    { format!("Decided by: {}", hop.element) }
                    if let Some(rule) = &hop.rule { { format!(" / {}", rule.name) } }
                </p>
            }
            if props.result.question.kind == FlowKind::Traced {
                <dl class="network-watcher" data-testid="network-watcher">
                    { for network_watcher(trace).into_iter().map(|line| html! {
                        <>
                            <dt>{ line.tool }</dt>
                            <dd>{ line.text }</dd>
                        </>
                    }) }
                </dl>
            }
            if let Some(note) = alike_ports_note(trace) {
                <p class="trace-alike-ports" data-testid="trace-alike-ports">{ note }</p>
            }
            if props.verifying {
                <p class="fixes verifying" data-testid="fixes-verifying">{ "verifying fixes…" }</p>
            } else if !props.result.fixes.is_empty() && app.answers_hidden() {
                <p class="fixes" data-testid="fixes-hidden">{ "This path has verified fixes; they are hidden during the lab until you have seen every hint or the solution." }</p>
            } else if !props.result.fixes.is_empty() {
                <section class="fixes" data-testid="fixes" aria-label="Fixes that close this path">
                    <h4>{ format!("{} verified fix(es) close this path", props.result.fixes.len()) }</h4>
                    <ul>
                        { for props.result.fixes.iter().enumerate().map(|(index, fix)| html! {
                            <li class="fix" data-testid="fix">
                                <span class="fix-change">{ fix.description.clone() }</span>
                                if fix.breaks.is_empty() {
                                    <span class="fix-safe">{ "✓ breaks no required flow" }</span>
                                } else {
                                    <span class="fix-breaks">
                                        { format!("✗ breaks {} required flow(s):", fix.breaks.len()) }
                                        <ul>{ for fix.breaks.iter().map(|label| html! { <li>{ label.clone() }</li> }) }</ul>
                                    </span>
                                }
                                <FixAsCode fix={fix.fix.clone()} />
                                if !app.read_only {
                                    <button type="button" class="fix-apply" data-testid="apply-fix"
                                            aria-label={format!("Apply fix: {}", fix.description)}
                                            onclick={dispatch_on_click(&app, Action::ApplyFix {
                                                path: props.result.question.id.clone(), fix: index })}>
                                        { "Apply" }
                                    </button>
                                }
                            </li>
                        }) }
                    </ul>
                </section>
            }
            <div class="stepper" role="group" aria-label="Step through the trace">
                <button type="button" data-testid="step-back" disabled={props.step == 0}
                        onclick={dispatch_on_click(&app, Action::StepBack)}>{ "◀ Back" }</button>
                { play }
                <span aria-live="polite" data-testid="step-label">{ step_label(props.step, rows.len()) }</span>
                <button type="button" data-testid="step-next" disabled={props.step >= last}
                        onclick={dispatch_on_click(&app, Action::StepNext)}>{ "Next ▶" }</button>
                <button type="button" aria-label="Close trace"
                        onclick={dispatch_on_click(&app, Action::Select(None))}>{ "×" }</button>
            </div>
            <ol class="hops">
                { for rows.into_iter().map(|row| {
                    let current = row.index == props.step;
                    let decided = deciding == Some(row.index);
                    html! {
                        <li class={classes!("hop", row.class, current.then_some("current"), decided.then_some("deciding"))}
                            aria-current={current.then_some("step")} data-testid={format!("hop-{}", row.index)}>
                            <span class="hop-outcome"><span aria-hidden="true">{ row.icon }</span>{ format!(" {}", row.outcome) }</span>
                            <span class="hop-step">{ row.step }</span>
                            <span class="hop-element">{ row.element }</span>
                            if !row.rule.is_empty() {
                                <span class="hop-rule">
                                    { format!("rule {}", row.rule) }
                                    if !row.priority.is_empty() { { format!(" (priority {})", row.priority) } }
                                </span>
                            }
                            if decided {
                                <span class="hop-deciding">{ "decided here" }</span>
                            }
                            <span class="hop-reason">{ row.reason }</span>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
