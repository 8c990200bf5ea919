//! Shared pieces of the editor forms: a text field, a select and a checkbox bound to a draft
//! (each edit replaces the draft through `set`), with the draft's field message beside it, and
//! the list of diagnostics about one element.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::DesignContext;
use crate::view::edit::{Edit, FieldError};
use crate::view::forms::{list_holds, with_item};
use crate::view::policy_edit::PolicyEdit;
use crate::view::state::Action;

/// The action of a policy edit (routes, firewall rules, SEP definitions, resource firewalls).
pub fn policy(edit: PolicyEdit) -> Action {
    Action::Edit(Edit::Policy(edit))
}

/// The Apply button of a form: dispatches the edit made from the parsed draft and closes the
/// form; does nothing while the draft has errors.
pub fn apply_edit<T: Clone + 'static>(
    app: &DesignContext,
    parsed: Option<T>,
    edit: impl Fn(T) -> Edit + 'static,
    close: impl Fn() + 'static,
) -> Callback<MouseEvent> {
    let app = app.clone();
    Callback::from(move |_| {
        if let Some(value) = parsed.clone() {
            app.dispatch(Action::Edit(edit(value)));
            close();
        }
    })
}

/// The Apply button of a policy form ([`apply_edit`] of a [`PolicyEdit`]).
pub fn apply_policy<T: Clone + 'static>(
    app: &DesignContext,
    parsed: Option<T>,
    edit: impl Fn(T) -> PolicyEdit + 'static,
    close: impl Fn() + 'static,
) -> Callback<MouseEvent> {
    apply_edit(app, parsed, move |value| Edit::Policy(edit(value)), close)
}

/// The Cancel button of a form held in `form`: closes it.
pub fn close_form<T: 'static>(form: &UseStateHandle<Option<T>>) -> Callback<MouseEvent> {
    let form = form.clone();
    Callback::from(move |_| form.set(None))
}

/// How a field reads and writes its draft.
pub struct Binding<D> {
    pub draft: D,
    pub set: Callback<D>,
    pub errors: Vec<FieldError>,
    /// Prefix of the `data-testid`s: `route` gives `route-name`, `route-prefix`…
    pub prefix: &'static str,
}

impl<D: Clone + 'static> Binding<D> {
    fn message(&self, name: &str) -> Option<String> {
        self.errors
            .iter()
            .filter(|e| e.field == name)
            .map(|e| e.message.clone())
            .reduce(|a, b| format!("{a}; {b}"))
    }

    fn update(&self, put: fn(&mut D, String)) -> Callback<String> {
        let (draft, set) = (self.draft.clone(), self.set.clone());
        Callback::from(move |value: String| {
            let mut draft = draft.clone();
            put(&mut draft, value);
            set.emit(draft);
        })
    }

    fn wrap(&self, name: &'static str, label: &'static str, control: Html) -> Html {
        let message = self.message(name);
        let error_id = format!("{}-{name}-error", self.prefix);
        html! {
            <label class="field">
                <span>{ label }</span>
                { control }
                if let Some(message) = message {
                    <span class="field-error" id={error_id} role="alert"
                          data-testid={format!("{}-{name}-error", self.prefix)}>{ "✗ " }{ message }</span>
                }
            </label>
        }
    }

    /// A text field.
    pub fn text(
        &self,
        name: &'static str,
        label: &'static str,
        get: fn(&D) -> &String,
        put: fn(&mut D, String),
    ) -> Html {
        let update = self.update(put);
        let oninput = Callback::from(move |event: InputEvent| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                update.emit(input.value());
            }
        });
        let invalid = self.message(name).is_some();
        let control = html! {
            <input type="text" value={get(&self.draft).clone()} {oninput}
                   data-testid={format!("{}-{name}", self.prefix)} aria-invalid={invalid.to_string()}
                   aria-describedby={format!("{}-{name}-error", self.prefix)} />
        };
        self.wrap(name, label, control)
    }

    /// A select of `choices`.
    pub fn select(
        &self,
        name: &'static str,
        label: &'static str,
        choices: &[&str],
        get: fn(&D) -> &String,
        put: fn(&mut D, String),
    ) -> Html {
        let update = self.update(put);
        let onchange = Callback::from(move |event: Event| {
            if let Some(select) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                update.emit(select.value());
            }
        });
        let current = get(&self.draft).clone();
        let known = choices.iter().any(|c| c.eq_ignore_ascii_case(&current));
        let control = html! {
            <select {onchange} data-testid={format!("{}-{name}", self.prefix)}>
                if !known {
                    <option value={current.clone()} selected=true>{ current.clone() }</option>
                }
                { for choices.iter().map(|choice| html! {
                    <option value={choice.to_string()} selected={choice.eq_ignore_ascii_case(&current)}>{ choice.to_string() }</option>
                }) }
            </select>
        };
        self.wrap(name, label, control)
    }

    /// A multi-valued field whose values come from a closed set: one checkbox per value, the
    /// draft keeping them as a comma-separated list ([`with_item`]).
    pub fn choices(
        &self,
        name: &'static str,
        label: &'static str,
        choices: &[&str],
        get: fn(&D) -> &String,
        put: fn(&mut D, String),
    ) -> Html {
        let current = get(&self.draft).clone();
        let boxes = choices.iter().map(|choice| {
            let update = self.update(put);
            let (list, item) = (current.clone(), choice.to_string());
            let onchange = Callback::from(move |event: Event| {
                if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                    update.emit(with_item(&list, &item, input.checked()));
                }
            });
            html! {
                <label class="choice">
                    <input type="checkbox" checked={list_holds(&current, choice)} {onchange}
                           data-testid={format!("{}-{name}-{choice}", self.prefix)} />
                    { format!(" {choice}") }
                </label>
            }
        });
        let message = self.message(name);
        html! {
            <fieldset class="field choices" data-testid={format!("{}-{name}", self.prefix)}>
                <legend>{ label }</legend>
                { for boxes }
                if let Some(message) = message {
                    <span class="field-error" role="alert"
                          data-testid={format!("{}-{name}-error", self.prefix)}>{ "✗ " }{ message }</span>
                }
            </fieldset>
        }
    }

    /// A checkbox.
    pub fn checkbox(
        &self,
        name: &'static str,
        label: &'static str,
        get: fn(&D) -> bool,
        put: fn(&mut D, bool),
    ) -> Html {
        let (draft, set) = (self.draft.clone(), self.set.clone());
        let onchange = Callback::from(move |event: Event| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                let mut draft = draft.clone();
                put(&mut draft, input.checked());
                set.emit(draft);
            }
        });
        html! {
            <label class="field checkbox">
                <input type="checkbox" checked={get(&self.draft)} {onchange}
                       data-testid={format!("{}-{name}", self.prefix)} />
                <span>{ label }</span>
            </label>
        }
    }
}

/// Apply / Cancel buttons; Apply is disabled while the draft does not parse.
pub fn actions(
    prefix: &'static str,
    valid: bool,
    apply: Callback<MouseEvent>,
    cancel: Callback<MouseEvent>,
) -> Html {
    html! {
        <div class="form-actions">
            <button type="button" onclick={apply} disabled={!valid} data-testid={format!("{prefix}-apply")}>{ "Apply" }</button>
            <button type="button" onclick={cancel}>{ "Cancel" }</button>
        </div>
    }
}

/// The diagnostics (validation and engine) about `element` or its parts (`element/…`).
pub fn diagnostics(app: &DesignContext, element: &str, testid: String) -> Html {
    let nested = format!("{element}/");
    let messages: Vec<String> = app
        .diagnostics
        .iter()
        .filter(|d| d.element == element || d.element.starts_with(&nested))
        .map(|d| d.to_string())
        .collect();
    if messages.is_empty() {
        return html! {};
    }
    html! {
        <ul class="diagnostics" data-testid={testid}>
            { for messages.into_iter().map(|d| html! { <li>{ "⚠ " }{ d }</li> }) }
        </ul>
    }
}
