//! Network security perimeters: add and remove perimeters and profiles; a profile's inbound
//! access rules (public address prefixes, subscriptions) and outbound access rules (FQDNs);
//! resource associations (a storage account or key vault, its profile and access mode). Forms
//! validate as you type (`view::forms::AccessRuleDraft`, `AssociationDraft`); an edit that
//! would add a validation error is refused with its message (`view::perimeter_edit`).

use yew::prelude::*;

use super::form::{actions, apply_edit, diagnostics, Binding};
use super::state::{dispatch_on_click, use_design_context, DesignContext};
use crate::model::{Design, NetworkSecurityPerimeter, PerimeterProfile};
use crate::view::edit::Edit;
use crate::view::forms::{
    perimeter_resources, AccessRule, AccessRuleDraft, AssociationDraft, ACCESS_MODES,
};
use crate::view::perimeter_edit::PerimeterEdit;
use crate::view::state::Action;

#[derive(Clone, PartialEq)]
enum Form {
    Rule {
        perimeter: String,
        profile: String,
        index: Option<usize>,
        draft: AccessRuleDraft,
    },
    Association {
        perimeter: String,
        index: Option<usize>,
        draft: AssociationDraft,
    },
}

type FormState = UseStateHandle<Option<Form>>;

fn perimeter_edit(edit: PerimeterEdit) -> Action {
    Action::Edit(Edit::Perimeter(edit))
}

fn open(form: &FormState, next: Form) -> Callback<MouseEvent> {
    let form = form.clone();
    Callback::from(move |_| form.set(Some(next.clone())))
}

fn close(form: &FormState) -> Callback<MouseEvent> {
    let form = form.clone();
    Callback::from(move |_| form.set(None))
}

#[function_component(PerimeterEditor)]
pub fn perimeter_editor() -> Html {
    let app = use_design_context();
    let form = use_state(|| None::<Form>);
    let design = app.design.clone();
    if design.network_security_perimeters.is_empty() && perimeter_resources(&design).is_empty() {
        return html! {};
    }
    html! {
        <section class="editor" aria-labelledby="perimeter-title" data-testid="perimeter-editor">
            <h2 id="perimeter-title">{ "Network security perimeters" }</h2>
            <p class="editor-help">
                { "A perimeter puts storage accounts and key vaults behind one set of access rules: inbound from \
                   public address prefixes or subscriptions, outbound to FQDNs. Learning (the portal's Transition) \
                   lets the resource's own firewall decide what no perimeter rule allows; Enforced allows only the \
                   perimeter's rules and members; Audit only logs (evaluated as Learning)." }
            </p>
            { for design.network_security_perimeters.iter().map(|perimeter| perimeter_view(&app, &form, &design, perimeter)) }
            <button type="button" class="small" data-testid="add-perimeter"
                    onclick={dispatch_on_click(&app, perimeter_edit(PerimeterEdit::AddPerimeter))}>{ "+ perimeter" }</button>
        </section>
    }
}

fn perimeter_view(
    app: &DesignContext,
    form: &FormState,
    design: &Design,
    perimeter: &NetworkSecurityPerimeter,
) -> Html {
    let name = perimeter.name.clone();
    let can_associate = !perimeter.profiles.is_empty() && !perimeter_resources(design).is_empty();
    let editing = match (**form).clone() {
        Some(Form::Association {
            perimeter: p,
            index,
            draft,
        }) if p == name => Some((index, draft)),
        _ => None,
    };
    html! {
        <div class="policy" data-testid={format!("perimeter-{name}")}>
            <h3>
                { format!("{name} (perimeter)") }
                <button type="button" class="icon-button" aria-label={format!("Remove perimeter {name}")}
                        onclick={dispatch_on_click(app, perimeter_edit(PerimeterEdit::RemovePerimeter { perimeter: name.clone() }))}>{ "✕" }</button>
            </h3>
            { for perimeter.profiles.iter().map(|profile| profile_view(app, form, &name, profile)) }
            <button type="button" class="small" aria-label={format!("Add a profile to {name}")} data-testid={format!("add-profile-{name}")}
                    onclick={dispatch_on_click(app, perimeter_edit(PerimeterEdit::AddProfile { perimeter: name.clone() }))}>{ "+ profile" }</button>
            <h4>{ "Resource associations" }</h4>
            <ul class="fw-rules">
                { for perimeter.associations.iter().enumerate().map(|(index, association)| html! {
                    <li data-testid={format!("association-{name}-{}", association.name)}>
                        <span class="name">{ association.name.clone() }</span>{ " " }
                        <span class="summary">{ format!("{} · profile {} · {} mode", association.resource,
                            association.profile, association.access_mode.as_str()) }</span>
                        <button type="button" class="icon-button" aria-label={format!("Edit association {}", association.name)}
                                onclick={open(form, Form::Association { perimeter: name.clone(), index: Some(index), draft: AssociationDraft::of(association) })}>{ "✎" }</button>
                        <button type="button" class="icon-button" aria-label={format!("Remove association {}", association.name)}
                                onclick={dispatch_on_click(app, perimeter_edit(PerimeterEdit::RemoveAssociation { perimeter: name.clone(), index }))}>{ "✕" }</button>
                    </li>
                }) }
            </ul>
            if can_associate {
                <button type="button" class="small" aria-label={format!("Associate a resource with {name}")}
                        data-testid={format!("add-association-{name}")}
                        onclick={open(form, Form::Association { perimeter: name.clone(), index: None,
                            draft: AssociationDraft::new_association(design, perimeter) })}>{ "+ association" }</button>
            }
            if let Some((index, draft)) = editing {
                { association_form(app, form, design, perimeter, name.clone(), index, draft) }
            }
            { diagnostics(app, &name, format!("perimeter-diagnostics-{name}")) }
        </div>
    }
}

fn rule_summary(rule: &AccessRule) -> String {
    match rule {
        AccessRule::Inbound(rule) => {
            let mut from: Vec<String> = rule
                .address_prefixes
                .iter()
                .map(ToString::to_string)
                .collect();
            from.extend(
                rule.subscriptions
                    .iter()
                    .map(|s| format!("subscription {s}")),
            );
            format!("inbound from {}", from.join(", "))
        }
        AccessRule::Outbound(rule) => format!("outbound to {}", rule.fqdns.join(", ")),
    }
}

fn profile_view(
    app: &DesignContext,
    form: &FormState,
    perimeter: &str,
    profile: &PerimeterProfile,
) -> Html {
    let inbound = profile
        .inbound_rules
        .iter()
        .cloned()
        .map(AccessRule::Inbound)
        .enumerate()
        .map(|(index, rule)| (false, index, rule));
    let outbound = profile
        .outbound_rules
        .iter()
        .cloned()
        .map(AccessRule::Outbound)
        .enumerate()
        .map(|(index, rule)| (true, index, rule));
    let rules: Vec<(bool, usize, AccessRule)> = inbound.chain(outbound).collect();
    let rule_form = |index: Option<usize>, draft: AccessRuleDraft| Form::Rule {
        perimeter: perimeter.to_string(),
        profile: profile.name.clone(),
        index,
        draft,
    };
    let current = (**form).clone().filter(|f| {
        matches!(f, Form::Rule { perimeter: p, profile: q, .. } if p == perimeter && *q == profile.name)
    });
    html! {
        <div class="group" data-testid={format!("profile-{perimeter}-{}", profile.name)}>
            <h4>
                { format!("Profile {}", profile.name) }
                <button type="button" class="icon-button" aria-label={format!("Remove profile {}", profile.name)}
                        onclick={dispatch_on_click(app, perimeter_edit(PerimeterEdit::RemoveProfile {
                            perimeter: perimeter.to_string(), profile: profile.name.clone() }))}>{ "✕" }</button>
            </h4>
            if rules.is_empty() {
                <p class="collection-header">{ "No access rules: the profile admits no public caller and allows no outbound FQDN." }</p>
            }
            <ul class="fw-rules">
                { for rules.into_iter().map(|(outbound, index, rule)| {
                    let rule_name = match &rule {
                        AccessRule::Inbound(r) => r.name.clone(),
                        AccessRule::Outbound(r) => r.name.clone(),
                    };
                    html! {
                        <li data-testid={format!("access-rule-{perimeter}-{}-{rule_name}", profile.name)}>
                            <span class="name">{ rule_name.clone() }</span>{ " " }<span class="summary">{ rule_summary(&rule) }</span>
                            <button type="button" class="icon-button" aria-label={format!("Edit access rule {rule_name}")}
                                    onclick={open(form, rule_form(Some(index), AccessRuleDraft::of(&rule)))}>{ "✎" }</button>
                            <button type="button" class="icon-button" aria-label={format!("Remove access rule {rule_name}")}
                                    onclick={dispatch_on_click(app, perimeter_edit(PerimeterEdit::RemoveAccessRule {
                                        perimeter: perimeter.to_string(), profile: profile.name.clone(), outbound, index }))}>{ "✕" }</button>
                        </li>
                    }
                }) }
            </ul>
            <button type="button" class="small" aria-label={format!("Add an inbound rule to profile {}", profile.name)}
                    data-testid={format!("add-inbound-rule-{perimeter}-{}", profile.name)}
                    onclick={open(form, rule_form(None, AccessRuleDraft::new_rule(false)))}>{ "+ inbound rule" }</button>
            <button type="button" class="small" aria-label={format!("Add an outbound rule to profile {}", profile.name)}
                    data-testid={format!("add-outbound-rule-{perimeter}-{}", profile.name)}
                    onclick={open(form, rule_form(None, AccessRuleDraft::new_rule(true)))}>{ "+ outbound rule" }</button>
            if let Some(Form::Rule { index, draft, .. }) = current {
                { access_rule_form(app, form, perimeter, &profile.name, index, draft) }
            }
        </div>
    }
}

fn access_rule_form(
    app: &DesignContext,
    form: &FormState,
    perimeter: &str,
    profile: &str,
    index: Option<usize>,
    draft: AccessRuleDraft,
) -> Html {
    let parsed = draft.parse();
    let outbound = draft.outbound;
    let set = {
        let form = form.clone();
        let (perimeter, profile) = (perimeter.to_string(), profile.to_string());
        Callback::from(move |draft| {
            form.set(Some(Form::Rule {
                perimeter: perimeter.clone(),
                profile: profile.clone(),
                index,
                draft,
            }))
        })
    };
    let binding = Binding {
        draft,
        set,
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "access-rule",
    };
    let apply = {
        let form = form.clone();
        let (perimeter, profile) = (perimeter.to_string(), profile.to_string());
        apply_edit(
            app,
            parsed.clone().ok(),
            move |rule| {
                Edit::Perimeter(PerimeterEdit::SetAccessRule {
                    perimeter: perimeter.clone(),
                    profile: profile.clone(),
                    index,
                    rule,
                })
            },
            move || form.set(None),
        )
    };
    let label = if outbound {
        "Edit outbound access rule"
    } else {
        "Edit inbound access rule"
    };
    html! {
        <div class="rule-form" role="group" aria-label={label} data-testid="access-rule-form">
            { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
            if outbound {
                { binding.text("fqdns", "FQDNs (*.example.com)", |d| &d.fqdns, |d, v| d.fqdns = v) }
                <p class="form-help">{ "The perimeter's members may reach these names outside it (comma-separated)." }</p>
            } else {
                { binding.text("address_prefixes", "Public prefixes (CIDR)", |d| &d.address_prefixes, |d, v| d.address_prefixes = v) }
                { binding.text("subscriptions", "Subscriptions (ids)", |d| &d.subscriptions, |d, v| d.subscriptions = v) }
                <p class="form-help">{ "Callers from these public prefixes, or of these subscriptions, are allowed in (comma-separated)." }</p>
            }
            { actions("access-rule", parsed.is_ok(), apply, close(form)) }
        </div>
    }
}

fn association_form(
    app: &DesignContext,
    form: &FormState,
    design: &Design,
    perimeter: &NetworkSecurityPerimeter,
    name: String,
    index: Option<usize>,
    draft: AssociationDraft,
) -> Html {
    let parsed = draft.parse(design, perimeter);
    let set = {
        let (form, perimeter) = (form.clone(), name.clone());
        Callback::from(move |draft| {
            form.set(Some(Form::Association {
                perimeter: perimeter.clone(),
                index,
                draft,
            }))
        })
    };
    let binding = Binding {
        draft,
        set,
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "association",
    };
    let apply = {
        let form = form.clone();
        apply_edit(
            app,
            parsed.clone().ok(),
            move |association| {
                Edit::Perimeter(PerimeterEdit::SetAssociation {
                    perimeter: name.clone(),
                    index,
                    association,
                })
            },
            move || form.set(None),
        )
    };
    let resources = perimeter_resources(design);
    let profiles: Vec<&str> = perimeter.profiles.iter().map(|p| p.name.as_str()).collect();
    html! {
        <div class="rule-form" role="group" aria-label="Edit resource association" data-testid="association-form">
            { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
            { binding.select("resource", "Resource (storage account or key vault)", &resources, |d| &d.resource, |d, v| d.resource = v) }
            { binding.select("profile", "Profile whose rules apply", &profiles, |d| &d.profile, |d, v| d.profile = v) }
            { binding.select("access_mode", "Access mode", &ACCESS_MODES, |d| &d.access_mode, |d, v| d.access_mode = v) }
            <p class="form-help">
                { "Learning = Transition: perimeter rules first, then the resource's firewall. Enforced: only the \
                   perimeter. Audit: logged, not blocked. Public network access SecuredByPerimeter (in the resource \
                   firewall) enforces the perimeter in any mode." }
            </p>
            { actions("association", parsed.is_ok(), apply, close(form)) }
        </div>
    }
}
