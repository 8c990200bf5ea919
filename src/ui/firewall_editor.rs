//! Firewall rules: the classic rule collections of each firewall and the rule collection
//! groups of each Firewall Policy. Collections are added (network, application or DNAT), renamed,
//! re-prioritised, switched Allow / Deny (DNAT collections have no action) and removed; their
//! network, application and DNAT rules are added, edited and removed with forms that validate
//! as you type (`view::forms`). A DNAT rule whose destination is not the firewall's public IP
//! is flagged in its form. Each firewall's public IPs and each policy's explicit proxy come
//! first (`firewall_settings.rs`).

use yew::prelude::*;

use super::firewall_settings::FirewallSettings;
use super::form::{actions, apply_policy, close_form, diagnostics, policy, Binding};
use super::state::{dispatch_on_click, use_design_context, DesignContext};
use crate::model::{Design, NatRule, RuleAction, RuleCollection};
use crate::view::forms::{
    CollectionDraft, FirewallRule, FirewallRuleDraft, NatRuleDraft, DNAT_RULE_PROTOCOLS,
    NETWORK_RULE_PROTOCOLS,
};
use crate::view::policy_edit::{
    nat_destination_warning, owner_public_ips, CollectionRef, PolicyEdit, RuleOwner,
};

#[derive(Clone, PartialEq)]
enum Form {
    Header(CollectionRef, CollectionDraft),
    Rule(CollectionRef, Option<usize>, FirewallRuleDraft),
    Nat(CollectionRef, Option<usize>, NatRuleDraft),
}

type FormState = UseStateHandle<Option<Form>>;

#[function_component(FirewallEditor)]
pub fn firewall_editor() -> Html {
    let app = use_design_context();
    let form = use_state(|| None::<Form>);
    let design = app.design.clone();
    let classic = design
        .firewalls
        .iter()
        .filter(|f| f.policy.is_none() || !f.rule_collections.is_empty())
        .map(|f| {
            let owner = RuleOwner::Firewall(f.name.clone());
            html! {
                <div class="policy" data-testid={format!("firewall-{}", f.name)}>
                    <h3>{ format!("{} (classic rules)", f.name) }</h3>
                    { owner_body(&app, &form, &design, owner) }
                    { diagnostics(&app, &f.name, format!("firewall-diagnostics-{}", f.name)) }
                </div>
            }
        });
    let policies = design.firewall_policies.iter().map(|p| {
        html! {
            <div class="policy" data-testid={format!("firewall-policy-{}", p.name)}>
                <h3>{ format!("{} (Firewall Policy)", p.name) }</h3>
                { for p.rule_collection_groups.iter().enumerate().map(|(group, g)| html! {
                    <div class="group">
                        <h4>{ format!("Group {} · priority {}", g.name, g.priority) }</h4>
                        { owner_body(&app, &form, &design, RuleOwner::PolicyGroup { policy: p.name.clone(), group }) }
                    </div>
                }) }
                <button type="button" class="small" aria-label={format!("Add a rule collection group to {}", p.name)}
                        onclick={dispatch_on_click(&app, policy(PolicyEdit::AddRuleCollectionGroup { policy: p.name.clone() }))}>{ "+ group" }</button>
                { diagnostics(&app, &p.name, format!("firewall-diagnostics-{}", p.name)) }
            </div>
        }
    });
    if design.firewalls.is_empty() && design.firewall_policies.is_empty() {
        return html! {};
    }
    html! {
        <section class="editor" aria-labelledby="firewall-title" data-testid="firewall-editor">
            <h2 id="firewall-title">{ "Firewall rules" }</h2>
            <FirewallSettings />
            { for classic }
            { for policies }
        </section>
    }
}

fn owner_body(app: &DesignContext, form: &FormState, design: &Design, owner: RuleOwner) -> Html {
    let collections = crate::view::policy_edit::collections(design, &owner).unwrap_or_default();
    let add = |application: bool| {
        dispatch_on_click(
            app,
            policy(PolicyEdit::AddRuleCollection {
                owner: owner.clone(),
                application,
            }),
        )
    };
    let label = owner.label(design);
    html! {
        <>
            { for collections.iter().enumerate().map(|(index, collection)| {
                let at = CollectionRef { owner: owner.clone(), index };
                match collection {
                    RuleCollection::Nat { name, priority, rules } =>
                        nat_collection_view(app, form, design, &label, at, name, *priority, rules),
                    _ => collection_view(app, form, &label, at, collection),
                }
            }) }
            <button type="button" class="small" aria-label={format!("Add a network rule collection to {label}")}
                    onclick={add(false)}>{ "+ network collection" }</button>
            <button type="button" class="small" aria-label={format!("Add an application rule collection to {label}")}
                    onclick={add(true)}>{ "+ application collection" }</button>
            <button type="button" class="small" aria-label={format!("Add a DNAT rule collection to {label}")}
                    data-testid={format!("add-nat-collection-{label}")}
                    onclick={dispatch_on_click(app, policy(PolicyEdit::AddNatCollection { owner: owner.clone() }))}>{ "+ DNAT collection" }</button>
        </>
    }
}

fn collection_view(
    app: &DesignContext,
    form: &FormState,
    owner_label: &str,
    at: CollectionRef,
    collection: &RuleCollection,
) -> Html {
    let (name, priority, kind, action, rules): (&str, u32, &str, String, Vec<FirewallRule>) =
        match collection {
            RuleCollection::Network {
                name,
                priority,
                action,
                rules,
            } => (
                name,
                *priority,
                "network",
                format!("{action:?}"),
                rules.iter().cloned().map(FirewallRule::Network).collect(),
            ),
            RuleCollection::Application {
                name,
                priority,
                action,
                rules,
            } => (
                name,
                *priority,
                "application",
                format!("{action:?}"),
                rules
                    .iter()
                    .cloned()
                    .map(FirewallRule::Application)
                    .collect(),
            ),
            RuleCollection::Nat { .. } => return html! {},
        };
    let application = kind == "application";
    let open = |next: Form| {
        let form = form.clone();
        Callback::from(move |_| form.set(Some(next.clone())))
    };
    let header_draft = CollectionDraft {
        name: name.to_string(),
        priority: priority.to_string(),
        action: action.clone(),
    };
    let testid = format!("collection-{owner_label}-{name}");
    let current = (**form).clone();
    html! {
        <div class="collection" data-testid={testid}>
            <p class="collection-header">
                <strong>{ name.to_string() }</strong>
                { format!(" · {kind} · priority {priority} · {} {action}", if action == "Allow" { "✓" } else { "✗" }) }
                <button type="button" class="icon-button" aria-label={format!("Edit collection {name}")}
                        onclick={open(Form::Header(at.clone(), header_draft))}>{ "✎" }</button>
                <button type="button" class="icon-button" aria-label={format!("Remove collection {name}")}
                        onclick={dispatch_on_click(app, policy(PolicyEdit::RemoveRuleCollection { at: at.clone() }))}>{ "✕" }</button>
            </p>
            <ul class="fw-rules">
                { for rules.iter().enumerate().map(|(index, rule)| {
                    let draft = FirewallRuleDraft::of(rule);
                    let (rule_name, summary) = match rule {
                        FirewallRule::Network(r) => (r.name.clone(), format!("{} {} → {} {}:{}", draft.protocols, draft.sources,
                            draft.destinations, r.destination_fqdns.join(","), draft.destination_ports)),
                        FirewallRule::Application(r) => (r.name.clone(), format!("{} {} → {} {}", draft.protocols, draft.sources,
                            draft.fqdns, draft.fqdn_tags)),
                    };
                    html! {
                        <li data-testid={format!("fw-rule-{name}-{rule_name}")}>
                            <span class="name">{ rule_name.clone() }</span>{ " " }<span class="summary">{ summary }</span>
                            <button type="button" class="icon-button" aria-label={format!("Edit rule {rule_name}")}
                                    onclick={open(Form::Rule(at.clone(), Some(index), draft))}>{ "✎" }</button>
                            <button type="button" class="icon-button" aria-label={format!("Remove rule {rule_name}")}
                                    onclick={dispatch_on_click(app, policy(PolicyEdit::RemoveFirewallRule { at: at.clone(), index }))}>{ "✕" }</button>
                        </li>
                    }
                }) }
            </ul>
            <button type="button" class="small" aria-label={format!("Add a rule to {name}")}
                    onclick={open(Form::Rule(at.clone(), None, FirewallRuleDraft::new_rule(application)))}>{ "+ rule" }</button>
            { match current {
                Some(Form::Header(r, draft)) if r == at => header_form(app, form, at.clone(), draft, false),
                Some(Form::Rule(r, index, draft)) if r == at => rule_form(app, form, at.clone(), index, draft, &rules),
                _ => html! {},
            } }
        </div>
    }
}

#[allow(clippy::too_many_arguments)]
fn nat_collection_view(
    app: &DesignContext,
    form: &FormState,
    design: &Design,
    owner_label: &str,
    at: CollectionRef,
    name: &str,
    priority: u32,
    rules: &[NatRule],
) -> Html {
    let open = |next: Form| {
        let form = form.clone();
        Callback::from(move |_| form.set(Some(next.clone())))
    };
    let header_draft = CollectionDraft::of(name, priority, RuleAction::Allow);
    let public_ip = owner_public_ips(design, &at.owner).first().copied();
    let current = (**form).clone();
    html! {
        <div class="collection" data-testid={format!("collection-{owner_label}-{name}")}>
            <p class="collection-header">
                <strong>{ name.to_string() }</strong>
                { format!(" · DNAT · priority {priority}") }
                <button type="button" class="icon-button" aria-label={format!("Edit collection {name}")}
                        onclick={open(Form::Header(at.clone(), header_draft))}>{ "✎" }</button>
                <button type="button" class="icon-button" aria-label={format!("Remove collection {name}")}
                        onclick={dispatch_on_click(app, policy(PolicyEdit::RemoveRuleCollection { at: at.clone() }))}>{ "✕" }</button>
            </p>
            <ul class="fw-rules">
                { for rules.iter().enumerate().map(|(index, rule)| {
                    let draft = NatRuleDraft::of(rule);
                    let summary = format!("{} {} → {}:{} ⇒ {}:{}", draft.protocols, draft.sources,
                        draft.destination_address, draft.destination_ports, draft.translated_address, draft.translated_port);
                    html! {
                        <li data-testid={format!("nat-rule-{name}-{}", rule.name)}>
                            <span class="name">{ rule.name.clone() }</span>{ " " }<span class="summary">{ summary }</span>
                            <button type="button" class="icon-button" aria-label={format!("Edit rule {}", rule.name)}
                                    onclick={open(Form::Nat(at.clone(), Some(index), draft))}>{ "✎" }</button>
                            <button type="button" class="icon-button" aria-label={format!("Remove rule {}", rule.name)}
                                    onclick={dispatch_on_click(app, policy(PolicyEdit::RemoveFirewallRule { at: at.clone(), index }))}>{ "✕" }</button>
                        </li>
                    }
                }) }
            </ul>
            <button type="button" class="small" aria-label={format!("Add a DNAT rule to {name}")}
                    data-testid={format!("add-nat-rule-{name}")}
                    onclick={open(Form::Nat(at.clone(), None, NatRuleDraft::new_rule(public_ip)))}>{ "+ DNAT rule" }</button>
            { match current {
                Some(Form::Header(r, draft)) if r == at => header_form(app, form, at.clone(), draft, true),
                Some(Form::Nat(r, index, draft)) if r == at => nat_rule_form(app, form, design, at.clone(), index, draft),
                _ => html! {},
            } }
        </div>
    }
}

fn nat_rule_form(
    app: &DesignContext,
    form: &FormState,
    design: &Design,
    at: CollectionRef,
    index: Option<usize>,
    draft: NatRuleDraft,
) -> Html {
    let parsed = draft.parse();
    let warning = parsed
        .as_ref()
        .ok()
        .and_then(|rule| nat_destination_warning(design, &at.owner, rule.destination_address));
    let set = {
        let (form, at) = (form.clone(), at.clone());
        Callback::from(move |draft| form.set(Some(Form::Nat(at.clone(), index, draft))))
    };
    let binding = Binding {
        draft,
        set,
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "nat-rule",
    };
    let apply = {
        let form = form.clone();
        apply_policy(
            app,
            parsed.clone().ok(),
            move |rule| PolicyEdit::SetNatRule {
                at: at.clone(),
                index,
                rule,
            },
            move || form.set(None),
        )
    };
    html! {
        <div class="rule-form" role="group" aria-label="Edit DNAT rule" data-testid="nat-rule-form">
            { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
            { binding.choices("protocols", "Protocols", &DNAT_RULE_PROTOCOLS, |d| &d.protocols, |d, v| d.protocols = v) }
            { binding.text("sources", "Sources", |d| &d.sources, |d, v| d.sources = v) }
            { binding.text("destination_address", "Destination (firewall public IP)", |d| &d.destination_address, |d, v| d.destination_address = v) }
            { binding.text("destination_ports", "Destination ports", |d| &d.destination_ports, |d, v| d.destination_ports = v) }
            { binding.text("translated_address", "Translated address or FQDN", |d| &d.translated_address, |d, v| d.translated_address = v) }
            { binding.text("translated_port", "Translated port", |d| &d.translated_port, |d, v| d.translated_port = v) }
            if let Some(warning) = warning {
                <p class="field-warning" role="status" data-testid="nat-rule-destination-warning">{ "⚠ " }{ warning }</p>
            }
            { actions("nat-rule", parsed.is_ok(), apply, close_form(form)) }
        </div>
    }
}

fn header_form(
    app: &DesignContext,
    form: &FormState,
    at: CollectionRef,
    draft: CollectionDraft,
    nat: bool,
) -> Html {
    let parsed = draft.parse();
    let set = {
        let (form, at) = (form.clone(), at.clone());
        Callback::from(move |draft| form.set(Some(Form::Header(at.clone(), draft))))
    };
    let binding = Binding {
        draft,
        set,
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "collection",
    };
    let apply = {
        let form = form.clone();
        apply_policy(
            app,
            parsed.clone().ok(),
            move |header| PolicyEdit::SetCollectionHeader {
                at: at.clone(),
                header,
            },
            move || form.set(None),
        )
    };
    html! {
        <div class="rule-form" role="group" aria-label="Edit rule collection" data-testid="collection-form">
            { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
            { binding.text("priority", "Priority", |d| &d.priority, |d, v| d.priority = v) }
            if !nat {
                { binding.select("action", "Action", &["Allow", "Deny"], |d| &d.action, |d, v| d.action = v) }
            }
            { actions("collection", parsed.is_ok(), apply, close_form(form)) }
        </div>
    }
}

fn rule_form(
    app: &DesignContext,
    form: &FormState,
    at: CollectionRef,
    index: Option<usize>,
    draft: FirewallRuleDraft,
    rules: &[FirewallRule],
) -> Html {
    let base = index.and_then(|i| rules.get(i));
    let parsed = draft.parse(base);
    let application = draft.application;
    let set = {
        let (form, at) = (form.clone(), at.clone());
        Callback::from(move |draft| form.set(Some(Form::Rule(at.clone(), index, draft))))
    };
    let binding = Binding {
        draft,
        set,
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "fw-rule",
    };
    let apply = {
        let form = form.clone();
        apply_policy(
            app,
            parsed.clone().ok(),
            move |rule| PolicyEdit::SetFirewallRule {
                at: at.clone(),
                index,
                rule,
            },
            move || form.set(None),
        )
    };
    html! {
        <div class="rule-form" role="group" aria-label="Edit firewall rule" data-testid="fw-rule-form">
            { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
            if application {
                { binding.text("protocols", "Protocols (https:443)", |d| &d.protocols, |d, v| d.protocols = v) }
                { binding.text("sources", "Sources", |d| &d.sources, |d, v| d.sources = v) }
                { binding.text("fqdns", "Target FQDNs", |d| &d.fqdns, |d, v| d.fqdns = v) }
                { binding.text("fqdn_tags", "FQDN tags", |d| &d.fqdn_tags, |d, v| d.fqdn_tags = v) }
            } else {
                { binding.choices("protocols", "Protocols", &NETWORK_RULE_PROTOCOLS, |d| &d.protocols, |d, v| d.protocols = v) }
                { binding.text("sources", "Sources", |d| &d.sources, |d, v| d.sources = v) }
                { binding.text("destinations", "Destinations", |d| &d.destinations, |d, v| d.destinations = v) }
                { binding.text("fqdns", "Destination FQDNs", |d| &d.fqdns, |d, v| d.fqdns = v) }
                { binding.text("destination_ports", "Ports", |d| &d.destination_ports, |d, v| d.destination_ports = v) }
            }
            { actions("fw-rule", parsed.is_ok(), apply, close_form(form)) }
        </div>
    }
}
