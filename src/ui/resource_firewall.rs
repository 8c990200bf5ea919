//! The public-endpoint firewall of each storage account, key vault and registry you own:
//! public network access, default action, trusted-services bypass, VNet rules, IP rules and
//! resource instance rules, edited with a validating form (`view::forms::AclDraft`); public
//! access `SecuredByPerimeter` hands the resource to its perimeter, whose membership is shown
//! here and edited in the perimeter editor (`perimeter_editor.rs`).

use yew::prelude::*;

use super::editor_window::use_editor_window;
use super::form::{actions, apply_policy, diagnostics, Binding};
use super::state::use_design_context;
use crate::model::{Owner, PaasResource};
use crate::view::forms::{AclDraft, PUBLIC_NETWORK_ACCESS};
use crate::view::perimeter::perimeter_line;
use crate::view::policy_edit::PolicyEdit;

type Form = Option<(String, AclDraft)>;

#[function_component(ResourceFirewalls)]
pub fn resource_firewalls() -> Html {
    let app = use_design_context();
    let form = use_state(|| None as Form);
    let design = app.design.clone();
    let resources: Vec<&PaasResource> = design
        .resources
        .iter()
        .filter(|r| r.owner != Owner::Attacker)
        .collect();
    let (shown, show_all) =
        use_editor_window(resources.len(), "resource firewalls", "show-all-acls");
    if resources.is_empty() {
        return html! {};
    }
    html! {
        <section class="editor" aria-labelledby="acl-title" data-testid="resource-firewalls">
            <h2 id="acl-title">{ "Resource firewalls" }</h2>
            { for shown.into_iter().map(|index| {
                let r = resources[index];
                let acls = &r.network_acls;
                let edit = {
                    let form = form.clone();
                    let (name, draft) = (r.name.clone(), AclDraft::of(r));
                    Callback::from(move |_| form.set(Some((name.clone(), draft.clone()))))
                };
                html! {
                    <div class="policy" data-testid={format!("acl-{}", r.name)}>
                        <h3>
                            { format!("{} ({:?})", r.name, r.kind) }
                            <button type="button" class="icon-button" aria-label={format!("Edit the firewall of {}", r.name)}
                                    data-testid={format!("edit-acl-{}", r.name)} onclick={edit}>{ "✎" }</button>
                        </h3>
                        <p class="acl-summary" data-testid={format!("acl-summary-{}", r.name)}>
                            { format!("public access {:?} · default {:?}{} · {} VNet rule(s) · {} IP rule(s) · {} instance rule(s)",
                                r.public_network_access, acls.default_action,
                                if acls.bypass_azure_services { " · trusted services bypass" } else { "" },
                                acls.virtual_network_rules.len(), acls.ip_rules.len(), acls.resource_access_rules.len()) }
                        </p>
                        if let Some(line) = perimeter_line(&design, r) {
                            <p class="acl-summary" data-testid={format!("acl-perimeter-{}", r.name)}>{ line }</p>
                        }
                        if let Some((name, draft)) = (*form).clone().filter(|(n, _)| *n == r.name) {
                            { acl_form(&app, &form, name, draft) }
                        }
                        { diagnostics(&app, &r.name, format!("acl-diagnostics-{}", r.name)) }
                    </div>
                }
            }) }
            { for show_all }
        </section>
    }
}

fn acl_form(
    app: &super::state::DesignContext,
    form: &UseStateHandle<Form>,
    resource: String,
    draft: AclDraft,
) -> Html {
    let parsed = draft.parse(&app.design);
    let set = {
        let (form, resource) = (form.clone(), resource.clone());
        Callback::from(move |draft| form.set(Some((resource.clone(), draft))))
    };
    let binding = Binding {
        draft,
        set,
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "acl",
    };
    let apply = {
        let form = form.clone();
        apply_policy(
            app,
            parsed.clone().ok(),
            move |firewall| PolicyEdit::SetResourceFirewall {
                resource: resource.clone(),
                firewall,
            },
            move || form.set(None),
        )
    };
    let cancel = {
        let form = form.clone();
        Callback::from(move |_| form.set(None))
    };
    html! {
        <div class="rule-form" role="group" aria-label="Edit resource firewall" data-testid="acl-form">
            { binding.select("public_network_access", "Public network access", &PUBLIC_NETWORK_ACCESS,
                |d| &d.public_network_access, |d, v| d.public_network_access = v) }
            { binding.select("default_action", "Default action", &["Allow", "Deny"], |d| &d.default_action, |d, v| d.default_action = v) }
            { binding.checkbox("bypass_azure_services", "Trusted Microsoft services bypass", |d| d.bypass_azure_services,
                |d, v| d.bypass_azure_services = v) }
            { binding.text("virtual_network_rules", "VNet rules (vnet/subnet)", |d| &d.virtual_network_rules, |d, v| d.virtual_network_rules = v) }
            { binding.text("ip_rules", "IP rules", |d| &d.ip_rules, |d, v| d.ip_rules = v) }
            { binding.text("resource_access_rules", "Resource instance rules", |d| &d.resource_access_rules, |d, v| d.resource_access_rules = v) }
            { actions("acl", parsed.is_ok(), apply, cancel) }
        </div>
    }
}
