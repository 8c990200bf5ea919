//! One NSG's rules, listed in evaluation order (inbound then outbound, by priority), with
//! edit, add and remove, in a disclosure that builds the rules table only while it is open
//! (large designs open with every NSG closed: a thousand 100-rule tables are not built). The rule form validates as you type (`view::edit::RuleDraft::parse`,
//! one message per field; direction, access and protocol are selects) and the engine's
//! diagnostics about the NSG are listed under it.

use yew::prelude::*;

use super::disclosure::use_disclosure;
use super::form::{actions, Binding};
use super::state::{dispatch_on_click, use_design_context};
use crate::model::SecurityRule;
use crate::view::edit::{
    rules_in_order, Edit, RuleDraft, RULE_ACCESSES, RULE_DIRECTIONS, RULE_PROTOCOLS,
};
use crate::view::state::Action;

#[derive(Properties, PartialEq)]
pub struct NsgEditorProps {
    pub nsg: AttrValue,
    /// How many rules it has (shown while closed).
    pub rules: usize,
    /// Open when first shown.
    pub open: bool,
}

/// Which rule the form edits: an existing index, or a new rule.
#[derive(Clone, Copy, PartialEq)]
enum Editing {
    Rule(usize),
    New,
}

#[function_component(NsgEditor)]
pub fn nsg_editor(props: &NsgEditorProps) -> Html {
    let (open, ontoggle) = use_disclosure(props.open);
    html! {
        <details class="nsg" data-testid={format!("nsg-{}", props.nsg)} {open} {ontoggle}>
            <summary>
                <h3>{ props.nsg.clone() }</h3>
                <span class="nsg-count">{ format!(" {} rule(s)", props.rules) }</span>
            </summary>
            if open {
                <NsgRules nsg={props.nsg.clone()} />
            }
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct NsgRulesProps {
    nsg: AttrValue,
}

/// The open editor: the rules table, the rule form and the NSG's diagnostics.
#[function_component(NsgRules)]
fn nsg_rules(props: &NsgRulesProps) -> Html {
    let app = use_design_context();
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
        <>
            <table class="rules">
                <thead><tr>
                    <th scope="col">{ "Dir" }</th><th scope="col">{ "Prio" }</th><th scope="col">{ "Rule" }</th>
                    <th scope="col">{ "Access" }</th><th scope="col">{ "Destination" }</th><th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                </tr></thead>
                <tbody>
                    { for rules_in_order(&nsg.rules).into_iter().map(|(index, rule)| html! {
                        <tr data-testid={format!("nsg-rule-{}", rule.name)}>
                            <td>{ format!("{:?}", rule.direction) }</td>
                            <td>{ rule.priority }</td>
                            <td>{ rule.name.clone() }</td>
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
        </>
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
    app: &super::state::DesignContext,
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
    let binding = Binding {
        draft: draft.clone(),
        set: {
            let form = form.clone();
            Callback::from(move |draft| form.set(Some((editing, draft))))
        },
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "rule",
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
            { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
            { binding.text("priority", "Priority", |d| &d.priority, |d, v| d.priority = v) }
            { binding.select("direction", "Direction", &RULE_DIRECTIONS, |d| &d.direction, |d, v| d.direction = v) }
            { binding.select("access", "Access", &RULE_ACCESSES, |d| &d.access, |d, v| d.access = v) }
            { binding.select("protocol", "Protocol", &RULE_PROTOCOLS, |d| &d.protocol, |d, v| d.protocol = v) }
            { binding.text("source", "Source", |d| &d.source, |d, v| d.source = v) }
            { binding.text("destination", "Destination", |d| &d.destination, |d, v| d.destination = v) }
            { binding.text("destination_ports", "Ports", |d| &d.destination_ports, |d, v| d.destination_ports = v) }
            { actions("rule", parsed.is_ok(), apply, cancel) }
        </div>
    }
}
