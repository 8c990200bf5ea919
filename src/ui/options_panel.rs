//! The collapsible "Semantics options" section: every `OPTION_INFO` entry (title, meaning,
//! reference) with its control — a checkbox, the storage endpoint scope select or a number —
//! editing `design.options` through the reducer, so a change recomputes and undoes like a toggle.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{use_design_context, DesignContext};
use crate::view::edit::Edit;
use crate::view::options::{option_rows, OptionControl, OptionRow};
use crate::view::policy_edit::PolicyEdit;
use crate::view::state::Action;

#[function_component(OptionsPanel)]
pub fn options_panel() -> Html {
    let app = use_design_context();
    let rows = option_rows(&app.design.options);
    let changed = rows.iter().filter(|r| r.changed).count();
    html! {
        <details class="options" data-testid="options-panel">
            <summary>{ format!("Semantics options ({changed} changed from the defaults)") }</summary>
            <p class="help">{ "Where Azure's documentation conflicts or is vague, these decide how the design is evaluated." }</p>
            <ul class="option-list">
                { for rows.iter().map(|row| option(&app, row)) }
            </ul>
        </details>
    }
}

fn set(app: &DesignContext, key: &'static str, value: String) {
    app.dispatch(Action::Edit(Edit::Policy(PolicyEdit::SetOption {
        key: key.to_string(),
        value,
    })));
}

fn option(app: &DesignContext, row: &OptionRow) -> Html {
    let key = row.info.key;
    let id = format!("option-{key}");
    let control = match &row.control {
        OptionControl::Bool(on) => {
            let app = app.clone();
            let onchange = Callback::from(move |event: Event| {
                if let Some(input) = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    set(&app, key, input.checked().to_string());
                }
            });
            html! { <input type="checkbox" id={id.clone()} checked={*on} {onchange} data-testid={id.clone()} /> }
        }
        OptionControl::Choice { value, choices } => {
            let app = app.clone();
            let onchange = Callback::from(move |event: Event| {
                if let Some(select) = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                {
                    set(&app, key, select.value());
                }
            });
            html! {
                <select id={id.clone()} {onchange} data-testid={id.clone()}>
                    { for choices.iter().map(|c| html! { <option value={*c} selected={*c == value.as_str()}>{ *c }</option> }) }
                </select>
            }
        }
        OptionControl::Number(n) => {
            let app = app.clone();
            let onchange = Callback::from(move |event: Event| {
                if let Some(input) = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    set(&app, key, input.value());
                }
            });
            html! { <input type="number" min="1" id={id.clone()} value={n.to_string()} {onchange} data-testid={id.clone()} /> }
        }
    };
    html! {
        <li class={classes!("option", row.changed.then_some("changed"))} data-option={key}>
            <label for={id.clone()} class="option-title">{ row.info.title }</label>
            { control }
            if row.changed { <span class="badge">{ "changed" }</span> }
            <p class="option-meaning">{ row.info.meaning }<span class="option-ref">{ format!(" ({} · {key})", row.info.reference) }</span></p>
        </li>
    }
}
