//! "Trace anything": the trace form (from: element picker; to: element, IPv4 address or FQDN;
//! protocol; port) with each field's message beside it, and the list of flows traced, most
//! recent first, each reopening its trace. Resolution and tracing live in
//! `view::trace_form` and the reducer.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::form::Binding;
use super::state::{dispatch_on_click, use_app, AppContext, ByPtr};
use crate::model::Design;
use crate::view::state::Action;
use crate::view::trace_form::{destination_choices, source_choices, TraceForm, PROTOCOLS};

#[function_component(TraceFormPanel)]
pub fn trace_form_panel() -> Html {
    let app = use_app();
    // The destination suggestions are built once the field is first focused: a large design
    // has thousands, which the page need not build before anyone traces.
    let suggesting = use_state_eq(|| false);
    let set = {
        let app = app.clone();
        Callback::from(move |form: TraceForm| app.dispatch(Action::SetTraceForm(form)))
    };
    let binding = Binding {
        draft: app.trace_form.clone(),
        set: set.clone(),
        errors: app.trace_form_errors.clone(),
        prefix: "trace-form",
    };
    let onsubmit = {
        let app = app.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            app.dispatch(Action::TraceFlow);
        })
    };
    html! {
        <section class="trace-form-panel" aria-labelledby="trace-form-title" data-testid="trace-form">
            <h3 id="trace-form-title">{ "Trace a flow" }</h3>
            <p class="trace-form-help">
                { "As Network Watcher's IP flow verify, next hop and NSG diagnostics (the CLI's " }
                <code>{ "vnetlab trace" }</code>{ ")." }
            </p>
            <form class="trace-form" {onsubmit}>
                { from_field(&app, &set) }
                { to_field(&app, &set, &suggesting) }
                { binding.select("protocol", "Protocol", PROTOCOLS, |f| &f.protocol, |f, v| f.protocol = v) }
                { binding.text("port", "Port (empty: any)", |f| &f.port, |f, v| f.port = v) }
                <button type="submit" data-testid="trace-form-submit">{ "Trace" }</button>
            </form>
            { traced_list(&app) }
        </section>
    }
}

fn message(app: &AppContext, field: &str) -> Option<String> {
    app.trace_form_errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.clone())
        .reduce(|a, b| format!("{a}; {b}"))
}

fn field_error(field: &'static str, message: Option<String>) -> Html {
    match message {
        Some(message) => html! {
            <span class="field-error" id={format!("trace-form-{field}-error")} role="alert"
                  data-testid={format!("trace-form-{field}-error")}>{ "✗ " }{ message }</span>
        },
        None => html! {},
    }
}

fn from_field(app: &AppContext, set: &Callback<TraceForm>) -> Html {
    let onchange = {
        let (form, set) = (app.trace_form.clone(), set.clone());
        Callback::from(move |event: Event| {
            if let Some(select) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                set.emit(TraceForm {
                    from: select.value(),
                    ..form.clone()
                });
            }
        })
    };
    let selected = AttrValue::from(app.trace_form.from.clone());
    let error = message(app, "from");
    html! {
        <label class="field">
            <span>{ "From" }</span>
            <select {onchange} data-testid="trace-form-from" aria-invalid={error.is_some().to_string()}
                    aria-describedby="trace-form-from-error">
                <SourceOptions design={ByPtr(app.design.clone())} {selected} />
            </select>
            { field_error("from", error) }
        </label>
    }
}

fn to_field(
    app: &AppContext,
    set: &Callback<TraceForm>,
    suggesting: &UseStateHandle<bool>,
) -> Html {
    let oninput = {
        let (form, set) = (app.trace_form.clone(), set.clone());
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                set.emit(TraceForm {
                    to: input.value(),
                    ..form.clone()
                });
            }
        })
    };
    let onfocus = {
        let suggesting = suggesting.clone();
        Callback::from(move |_| suggesting.set(true))
    };
    let error = message(app, "to");
    html! {
        <label class="field">
            <span>{ "To (element, IP or FQDN)" }</span>
            <input type="text" list="trace-form-destinations" value={app.trace_form.to.clone()} {oninput} {onfocus}
                   placeholder="roguestorage, 10.0.1.4, pypi.org" data-testid="trace-form-to"
                   aria-invalid={error.is_some().to_string()} aria-describedby="trace-form-to-error" />
            <datalist id="trace-form-destinations">
                if **suggesting {
                    <DestinationOptions design={ByPtr(app.design.clone())} />
                }
            </datalist>
            { field_error("to", error) }
        </label>
    }
}

#[derive(Properties, PartialEq)]
struct ChoicesProps {
    design: ByPtr<Design>,
    #[prop_or_default]
    selected: AttrValue,
}

/// The source picker's options: a component, so that they are built again only when the
/// design or the choice changes (a large design has thousands).
#[function_component(SourceOptions)]
fn source_options(props: &ChoicesProps) -> Html {
    html! {
        <>
            <option value="" selected={props.selected.is_empty()}>{ "choose an element…" }</option>
            { for source_choices(&props.design.0).into_iter().map(|name| html! {
                <option value={name.clone()} selected={*name == *props.selected}>{ name }</option>
            }) }
        </>
    }
}

/// The destination field's suggestions, built again only when the design changes.
#[function_component(DestinationOptions)]
fn destination_options(props: &ChoicesProps) -> Html {
    html! {
        { for destination_choices(&props.design.0).into_iter().map(|name| html! { <option value={name} /> }) }
    }
}

/// The flows traced, most recent first; a click reopens the trace.
fn traced_list(app: &AppContext) -> Html {
    if app.traced.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h4>{ "Traced flows (most recent first)" }</h4>
            <ol class="traced-list" data-testid="traced-list">
                { for app.traced.iter().map(|result| {
                    let selected = app.selected.as_deref() == Some(result.question.id.as_str());
                    let (icon, class, verdict) = result.verdict_line();
                    html! {
                        <li>
                            <button type="button" class={classes!("traced-row", class, selected.then_some("selected"))}
                                    aria-pressed={selected.to_string()} data-testid="traced-row"
                                    onclick={dispatch_on_click(app, Action::Select(Some(result.question.id.clone())))}>
                                <span class="flow-label">{ result.question.label.clone() }</span>
                                <span class="verdict">{ format!("{icon} {verdict}") }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </>
    }
}
