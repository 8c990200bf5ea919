//! An element name with Rename and Remove buttons; Rename turns the name into a text field
//! (Enter applies, Escape cancels).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::use_design_context;
use crate::view::edit::{Edit, ElementKind};
use crate::view::state::Action;

#[derive(Properties, PartialEq)]
pub struct RenameFieldProps {
    pub kind: ElementKind,
    /// The element's id (`vnet/subnet` for subnets).
    pub name: AttrValue,
    /// What is shown (a subnet shows its own name).
    pub label: AttrValue,
}

#[function_component(RenameField)]
pub fn rename_field(props: &RenameFieldProps) -> Html {
    let app = use_design_context();
    let editing = use_state(|| false);
    let testid = format!("element-{}", props.name);
    if !*editing {
        let start = {
            let editing = editing.clone();
            Callback::from(move |_| editing.set(true))
        };
        let remove = {
            let app = app.clone();
            let edit = Edit::Remove {
                kind: props.kind,
                name: props.name.to_string(),
            };
            Callback::from(move |_| app.dispatch(Action::Edit(edit.clone())))
        };
        return html! {
            <span class="element-name" data-testid={testid}>
                <span class="name">{ props.label.clone() }</span>
                <button type="button" class="icon-button" aria-label={format!("Rename {}", props.name)}
                        onclick={start}>{ "✎" }</button>
                <button type="button" class="icon-button" aria-label={format!("Remove {}", props.name)}
                        onclick={remove}>{ "✕" }</button>
            </span>
        };
    }
    let onkeydown = {
        let app = app.clone();
        let editing = editing.clone();
        let (kind, name) = (props.kind, props.name.to_string());
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Enter" => {
                let input = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                if let Some(input) = input {
                    let to = input.value();
                    app.dispatch(Action::Edit(Edit::Rename {
                        kind,
                        name: name.clone(),
                        to,
                    }));
                }
                editing.set(false);
            }
            "Escape" => editing.set(false),
            _ => {}
        })
    };
    html! {
        <input type="text" class="rename" value={props.label.clone()} {onkeydown} autofocus=true
               aria-label={format!("New name for {} (Enter applies, Escape cancels)", props.name)} />
    }
}
