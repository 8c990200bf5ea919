//! One NSG's rules with edit, add and remove. The rule form validates as you type
//! (`view::edit::RuleDraft::parse`, one message per field) and the engine's diagnostics about
//! the NSG are listed under it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::state::{dispatch_on_click, use_app};
use crate::model::SecurityRule;
use crate::view::edit::{Edit, FieldError, RuleDraft};
use crate::view::state::Action;

#[derive(Properties, PartialEq)]
pub struct NsgEditorProps {
    pub nsg: AttrValue,
}

/// Which rule the form edits: an existing index, or a new rule.
#[derive(Clone, Copy, PartialEq)]
enum Editing {
    Rule(usize),
    New,
}

#[function_component(NsgEditor)]
pub fn nsg_editor(props: &NsgEditorProps) -> Html {
    let app = use_app();
    let form = use_state(|| None::<(Editing, RuleDraft)>);
    let Some(nsg) = app
        .design
        .network_security_groups
        .iter()
        .find(|n| n.name == *props.nsg)
    else {
        return html! {};
    };
    let diagnostics: Vec<String> = app
        .evaluation
        .diagnostics
        .iter()
        .filter(|d| d.element == *props.nsg)
        .map(|d| d.to_string())
        .collect();
    let open = |editing: Editing, draft: RuleDraft| {
        let form = form.clone();
        Callback::from(move |_| form.set(Some((editing, draft.clone()))))
    };
    let next_priority = nsg.rules.iter().map(|r| r.priority).max().unwrap_or(90) + 10;
    html! {
        <div class="nsg" data-testid={format!("nsg-{}", props.nsg)}>
            <h3>{ props.nsg.clone() }</h3>
            <table class="rules">
                <thead><tr>
                    <th scope="col">{ "Prio" }</th><th scope="col">{ "Rule" }</th><th scope="col">{ "Dir" }</th>
                    <th scope="col">{ "Access" }</th><th scope="col">{ "Destination" }</th><th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                </tr></thead>
                <tbody>
                    { for nsg.rules.iter().enumerate().map(|(index, rule)| html! {
                        <tr>
                            <td>{ rule.priority }</td>
                            <td>{ rule.name.clone() }</td>
                            <td>{ format!("{:?}", rule.direction) }</td>
                            <td>{ format!("{} {:?}", if rule.access == crate::model::Access::Allow { "✓" } else { "✗" }, rule.access) }</td>
                            <td>{ summary(rule) }</td>
                            <td class="row-actions">
                                <button type="button" class="icon-button" aria-label={format!("Edit rule {}", rule.name)}
                                        onclick={open(Editing::Rule(index), RuleDraft::of(rule))}>{ "✎" }</button>
                                <button type="button" class="icon-button" aria-label={format!("Remove rule {}", rule.name)}
                                        onclick={dispatch_on_click(&app, Action::Edit(Edit::RemoveNsgRule { nsg: props.nsg.to_string(), index }))}>{ "✕" }</button>
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <button type="button" class="small" aria-label={format!("Add a rule to {}", props.nsg)}
                    onclick={open(Editing::New, RuleDraft::new_rule(next_priority))}>{ "+ rule" }</button>
            if let Some((editing, draft)) = (*form).clone() {
                { rule_form(&app, &form, props.nsg.as_str(), nsg.rules.as_slice(), editing, draft) }
            }
            if !diagnostics.is_empty() {
                <ul class="diagnostics" data-testid="nsg-diagnostics">
                    { for diagnostics.into_iter().map(|d| html! { <li>{ "⚠ " }{ d }</li> }) }
                </ul>
            }
        </div>
    }
}

fn summary(rule: &SecurityRule) -> String {
    let list = |items: Vec<String>| items.join(",");
    format!(
        "{} {} → {}:{}",
        rule.protocol,
        list(rule.source.iter().map(|a| a.to_string()).collect()),
        list(rule.destination.iter().map(|a| a.to_string()).collect()),
        list(
            rule.destination_ports
                .iter()
                .map(|p| p.to_string())
                .collect()
        )
    )
}

type FormState = UseStateHandle<Option<(Editing, RuleDraft)>>;

fn rule_form(
    app: &super::state::AppContext,
    form: &FormState,
    nsg: &str,
    rules: &[SecurityRule],
    editing: Editing,
    draft: RuleDraft,
) -> Html {
    let base = match editing {
        Editing::Rule(index) => rules.get(index),
        Editing::New => None,
    };
    let parsed = draft.parse(base);
    let errors: Vec<FieldError> = parsed.clone().err().unwrap_or_default();
    let field = |name: &'static str,
                 label: &'static str,
                 value: &str,
                 set: fn(&mut RuleDraft, String)| {
        let form = form.clone();
        let draft = draft.clone();
        let oninput = Callback::from(move |event: InputEvent| {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                let mut draft = draft.clone();
                set(&mut draft, input.value());
                form.set(Some((editing, draft)));
            }
        });
        let message = errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.clone());
        let error_id = format!("rule-{name}-error");
        html! {
            <label class="field">
                <span>{ label }</span>
                <input type="text" value={value.to_string()} {oninput} data-testid={format!("rule-{name}")}
                       aria-invalid={message.is_some().to_string()} aria-describedby={error_id.clone()} />
                if let Some(message) = message {
                    <span class="field-error" id={error_id} role="alert">{ "✗ " }{ message }</span>
                }
            </label>
        }
    };
    let apply = {
        let app = app.clone();
        let form = form.clone();
        let nsg = nsg.to_string();
        let rule = parsed.clone().ok();
        Callback::from(move |_| {
            if let Some(rule) = rule.clone() {
                let index = match editing {
                    Editing::Rule(index) => Some(index),
                    Editing::New => None,
                };
                app.dispatch(Action::Edit(Edit::SetNsgRule {
                    nsg: nsg.clone(),
                    index,
                    rule,
                }));
                form.set(None);
            }
        })
    };
    let cancel = {
        let form = form.clone();
        Callback::from(move |_| form.set(None))
    };
    html! {
        <div class="rule-form" role="group" aria-label="Edit rule" data-testid="rule-form">
            { field("name", "Name", &draft.name, |d, v| d.name = v) }
            { field("priority", "Priority", &draft.priority, |d, v| d.priority = v) }
            { field("direction", "Direction", &draft.direction, |d, v| d.direction = v) }
            { field("access", "Access", &draft.access, |d, v| d.access = v) }
            { field("protocol", "Protocol", &draft.protocol, |d, v| d.protocol = v) }
            { field("source", "Source", &draft.source, |d, v| d.source = v) }
            { field("destination", "Destination", &draft.destination, |d, v| d.destination = v) }
            { field("destination_ports", "Ports", &draft.destination_ports, |d, v| d.destination_ports = v) }
            <div class="form-actions">
                <button type="button" onclick={apply} disabled={parsed.is_err()} data-testid="rule-apply">{ "Apply" }</button>
                <button type="button" onclick={cancel}>{ "Cancel" }</button>
            </div>
        </div>
    }
}
