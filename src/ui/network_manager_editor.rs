//! Virtual Network Manager: add and remove network managers; their network groups (static
//! member VNets, checkboxes); security admin rule collections (the groups they apply to) and
//! their admin rules (priority 1-4096, direction, Allow / AlwaysAllow / Deny, protocol,
//! addresses, ports), listed in evaluation order. Forms validate as you type
//! (`view::forms::NetworkGroupDraft`, `AdminCollectionDraft`, `AdminRuleDraft`); an edit that
//! would add a validation error is refused with its message (`view::network_manager_edit`).

use yew::prelude::*;

use super::form::{actions, apply_edit, diagnostics, Binding};
use super::state::{dispatch_on_click, use_design_context, DesignContext};
use crate::model::{AdminRule, AdminRuleCollection, Design, NetworkManager};
use crate::view::edit::{Edit, RULE_DIRECTIONS, RULE_PROTOCOLS};
use crate::view::forms::{AdminCollectionDraft, AdminRuleDraft, NetworkGroupDraft, ADMIN_ACCESSES};
use crate::view::network_manager_edit::{admin_rules_in_order, NetworkManagerEdit};
use crate::view::state::Action;

#[derive(Clone, PartialEq)]
enum Form {
    Group(Option<usize>, NetworkGroupDraft),
    Collection(Option<usize>, AdminCollectionDraft),
    Rule(usize, Option<usize>, AdminRuleDraft),
}

/// The open form and the manager it belongs to.
type FormState = UseStateHandle<Option<(String, Form)>>;

fn manager_edit(edit: NetworkManagerEdit) -> Action {
    Action::Edit(Edit::NetworkManager(edit))
}

fn open(form: &FormState, manager: &str, next: Form) -> Callback<MouseEvent> {
    let form = form.clone();
    let manager = manager.to_string();
    Callback::from(move |_| form.set(Some((manager.clone(), next.clone()))))
}

fn close(form: &FormState) -> Callback<MouseEvent> {
    let form = form.clone();
    Callback::from(move |_| form.set(None))
}

/// A form's draft setter: replaces the open form with `wrap(draft)`.
fn setter<D: 'static>(
    form: &FormState,
    manager: &str,
    wrap: impl Fn(D) -> Form + 'static,
) -> Callback<D> {
    let form = form.clone();
    let manager = manager.to_string();
    Callback::from(move |draft| form.set(Some((manager.clone(), wrap(draft)))))
}

#[function_component(NetworkManagerEditor)]
pub fn network_manager_editor() -> Html {
    let app = use_design_context();
    let form = use_state(|| None::<(String, Form)>);
    let design = app.design.clone();
    if design.network_managers.is_empty() && design.virtual_networks.is_empty() {
        return html! {};
    }
    html! {
        <section class="editor" aria-labelledby="avnm-title" data-testid="network-manager-editor">
            <h2 id="avnm-title">{ "Virtual Network Manager" }</h2>
            <p class="editor-help">
                { "Security admin rules apply to the VNets of the network groups their collection targets, before \
                   any NSG: Deny drops, AlwaysAllow allows without asking the NSGs, Allow lets the NSGs decide. \
                   The lowest priority number (1-4096) is evaluated first." }
            </p>
            { for design.network_managers.iter().map(|manager| manager_view(&app, &form, &design, manager)) }
            <button type="button" class="small" data-testid="add-network-manager"
                    onclick={dispatch_on_click(&app, manager_edit(NetworkManagerEdit::AddNetworkManager))}>{ "+ network manager" }</button>
        </section>
    }
}

fn manager_view(
    app: &DesignContext,
    form: &FormState,
    design: &Design,
    manager: &NetworkManager,
) -> Html {
    let name = manager.name.clone();
    let current = (**form).clone().filter(|(m, _)| *m == name).map(|(_, f)| f);
    let group_form = match &current {
        Some(Form::Group(index, draft)) => {
            group_form(app, form, design, &name, *index, draft.clone())
        }
        _ => html! {},
    };
    let new_collection = match &current {
        Some(Form::Collection(None, draft)) => {
            collection_form(app, form, manager, None, draft.clone())
        }
        _ => html! {},
    };
    html! {
        <div class="policy" data-testid={format!("network-manager-{name}")}>
            <h3>
                { format!("{name} (network manager)") }
                <button type="button" class="icon-button" aria-label={format!("Remove network manager {name}")}
                        onclick={dispatch_on_click(app, manager_edit(NetworkManagerEdit::RemoveNetworkManager { manager: name.clone() }))}>{ "✕" }</button>
            </h3>
            <h4>{ "Network groups" }</h4>
            <ul class="fw-rules">
                { for manager.network_groups.iter().enumerate().map(|(index, group)| html! {
                    <li data-testid={format!("network-group-{name}-{}", group.name)}>
                        <span class="name">{ group.name.clone() }</span>{ " " }
                        <span class="summary">{ format!("VNets {}", group.vnets.join(", ")) }</span>
                        <button type="button" class="icon-button" aria-label={format!("Edit network group {}", group.name)}
                                onclick={open(form, &name, Form::Group(Some(index), NetworkGroupDraft::of(group)))}>{ "✎" }</button>
                        <button type="button" class="icon-button" aria-label={format!("Remove network group {}", group.name)}
                                onclick={dispatch_on_click(app, manager_edit(NetworkManagerEdit::RemoveNetworkGroup { manager: name.clone(), index }))}>{ "✕" }</button>
                        { diagnostics(app, &group.name, format!("network-group-diagnostics-{}", group.name)) }
                    </li>
                }) }
            </ul>
            <button type="button" class="small" aria-label={format!("Add a network group to {name}")}
                    data-testid={format!("add-network-group-{name}")}
                    onclick={open(form, &name, Form::Group(None, NetworkGroupDraft::new_group(design)))}>{ "+ network group" }</button>
            { group_form }
            <h4>{ "Security admin rule collections" }</h4>
            { for manager.admin_rule_collections.iter().enumerate().map(|(index, collection)|
                collection_view(app, form, manager, index, collection, current.as_ref())) }
            if !manager.network_groups.is_empty() {
                <button type="button" class="small" aria-label={format!("Add a rule collection to {name}")}
                        data-testid={format!("add-admin-collection-{name}")}
                        onclick={open(form, &name, Form::Collection(None, AdminCollectionDraft::of("admin-rules",
                            &[manager.network_groups[0].name.clone()])))}>{ "+ rule collection" }</button>
            }
            { new_collection }
        </div>
    }
}

fn rule_summary(rule: &AdminRule) -> String {
    let list = |items: Vec<String>| items.join(",");
    format!(
        "{} {:?} {:?} {} {}:{} → {}:{}",
        rule.priority,
        rule.direction,
        rule.access,
        rule.protocol,
        list(rule.source.iter().map(ToString::to_string).collect()),
        list(rule.source_ports.iter().map(ToString::to_string).collect()),
        list(rule.destination.iter().map(ToString::to_string).collect()),
        list(
            rule.destination_ports
                .iter()
                .map(ToString::to_string)
                .collect()
        ),
    )
}

fn collection_view(
    app: &DesignContext,
    form: &FormState,
    manager: &NetworkManager,
    index: usize,
    collection: &AdminRuleCollection,
    current: Option<&Form>,
) -> Html {
    let name = &manager.name;
    let next_priority = collection
        .rules
        .iter()
        .map(|r| r.priority)
        .max()
        .map_or(100, |p| (p + 10).min(4096));
    let open_form = match current {
        Some(Form::Collection(Some(i), draft)) if *i == index => {
            collection_form(app, form, manager, Some(index), draft.clone())
        }
        Some(Form::Rule(c, rule, draft)) if *c == index => {
            rule_form(app, form, name, index, *rule, draft.clone())
        }
        _ => html! {},
    };
    html! {
        <div class="collection" data-testid={format!("admin-collection-{name}-{}", collection.name)}>
            <p class="collection-header">
                <strong>{ collection.name.clone() }</strong>
                { format!(" · applies to {}", collection.network_groups.join(", ")) }
                <button type="button" class="icon-button" aria-label={format!("Edit rule collection {}", collection.name)}
                        onclick={open(form, name, Form::Collection(Some(index),
                            AdminCollectionDraft::of(&collection.name, &collection.network_groups)))}>{ "✎" }</button>
                <button type="button" class="icon-button" aria-label={format!("Remove rule collection {}", collection.name)}
                        onclick={dispatch_on_click(app, manager_edit(NetworkManagerEdit::RemoveAdminCollection { manager: name.clone(), index }))}>{ "✕" }</button>
            </p>
            <ul class="fw-rules">
                { for admin_rules_in_order(&collection.rules).into_iter().map(|(rule_index, rule)| html! {
                    <li data-testid={format!("admin-rule-{}-{}", collection.name, rule.name)}>
                        <span class="name">{ rule.name.clone() }</span>{ " " }<span class="summary">{ rule_summary(rule) }</span>
                        <button type="button" class="icon-button" aria-label={format!("Edit admin rule {}", rule.name)}
                                onclick={open(form, name, Form::Rule(index, Some(rule_index), AdminRuleDraft::of(rule)))}>{ "✎" }</button>
                        <button type="button" class="icon-button" aria-label={format!("Remove admin rule {}", rule.name)}
                                onclick={dispatch_on_click(app, manager_edit(NetworkManagerEdit::RemoveAdminRule {
                                    manager: name.clone(), collection: index, index: rule_index }))}>{ "✕" }</button>
                    </li>
                }) }
            </ul>
            <button type="button" class="small" aria-label={format!("Add an admin rule to {}", collection.name)}
                    data-testid={format!("add-admin-rule-{}", collection.name)}
                    onclick={open(form, name, Form::Rule(index, None, AdminRuleDraft::new_rule(next_priority)))}>{ "+ admin rule" }</button>
            { open_form }
            { diagnostics(app, &collection.name, format!("admin-collection-diagnostics-{}", collection.name)) }
        </div>
    }
}

fn group_form(
    app: &DesignContext,
    form: &FormState,
    design: &Design,
    manager: &str,
    index: Option<usize>,
    draft: NetworkGroupDraft,
) -> Html {
    let parsed = draft.parse(design);
    let binding = Binding {
        draft,
        set: setter(form, manager, move |draft| Form::Group(index, draft)),
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "network-group",
    };
    let apply = {
        let (form, manager) = (form.clone(), manager.to_string());
        apply_edit(
            app,
            parsed.clone().ok(),
            move |group| {
                Edit::NetworkManager(NetworkManagerEdit::SetNetworkGroup {
                    manager: manager.clone(),
                    index,
                    group,
                })
            },
            move || form.set(None),
        )
    };
    let vnets: Vec<&str> = design
        .virtual_networks
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    html! {
        <div class="rule-form" role="group" aria-label="Edit network group" data-testid="network-group-form">
            { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
            { binding.choices("vnets", "Member VNets", &vnets, |d| &d.vnets, |d, v| d.vnets = v) }
            { actions("network-group", parsed.is_ok(), apply, close(form)) }
        </div>
    }
}

fn collection_form(
    app: &DesignContext,
    form: &FormState,
    manager: &NetworkManager,
    index: Option<usize>,
    draft: AdminCollectionDraft,
) -> Html {
    let parsed = draft.parse(manager);
    let binding = Binding {
        draft,
        set: setter(form, &manager.name, move |draft| {
            Form::Collection(index, draft)
        }),
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "admin-collection",
    };
    let apply = {
        let (form, name) = (form.clone(), manager.name.clone());
        apply_edit(
            app,
            parsed.clone().ok(),
            move |header| {
                Edit::NetworkManager(NetworkManagerEdit::SetAdminCollection {
                    manager: name.clone(),
                    index,
                    header,
                })
            },
            move || form.set(None),
        )
    };
    let groups: Vec<&str> = manager
        .network_groups
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    html! {
        <div class="rule-form" role="group" aria-label="Edit rule collection" data-testid="admin-collection-form">
            { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
            { binding.choices("network_groups", "Applies to network groups", &groups, |d| &d.network_groups, |d, v| d.network_groups = v) }
            { actions("admin-collection", parsed.is_ok(), apply, close(form)) }
        </div>
    }
}

fn rule_form(
    app: &DesignContext,
    form: &FormState,
    manager: &str,
    collection: usize,
    index: Option<usize>,
    draft: AdminRuleDraft,
) -> Html {
    let parsed = draft.parse();
    let binding = Binding {
        draft,
        set: setter(form, manager, move |draft| {
            Form::Rule(collection, index, draft)
        }),
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "admin-rule",
    };
    let apply = {
        let (form, manager) = (form.clone(), manager.to_string());
        apply_edit(
            app,
            parsed.clone().ok(),
            move |rule| {
                Edit::NetworkManager(NetworkManagerEdit::SetAdminRule {
                    manager: manager.clone(),
                    collection,
                    index,
                    rule,
                })
            },
            move || form.set(None),
        )
    };
    html! {
        <div class="rule-form" role="group" aria-label="Edit admin rule" data-testid="admin-rule-form">
            { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
            { binding.text("priority", "Priority (1-4096)", |d| &d.priority, |d, v| d.priority = v) }
            { binding.select("direction", "Direction", &RULE_DIRECTIONS, |d| &d.direction, |d, v| d.direction = v) }
            { binding.select("access", "Action", &ADMIN_ACCESSES, |d| &d.access, |d, v| d.access = v) }
            { binding.select("protocol", "Protocol", &RULE_PROTOCOLS, |d| &d.protocol, |d, v| d.protocol = v) }
            { binding.text("source", "Source (prefix, tag or *)", |d| &d.source, |d, v| d.source = v) }
            { binding.text("source_ports", "Source ports", |d| &d.source_ports, |d, v| d.source_ports = v) }
            { binding.text("destination", "Destination (prefix, tag or *)", |d| &d.destination, |d, v| d.destination = v) }
            { binding.text("destination_ports", "Destination ports", |d| &d.destination_ports, |d, v| d.destination_ports = v) }
            { actions("admin-rule", parsed.is_ok(), apply, close(form)) }
        </div>
    }
}
