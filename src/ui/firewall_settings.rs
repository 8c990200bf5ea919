//! The firewall editor's settings beyond rules: each firewall's public IPs (the first, read
//! only, and the additional ones, edited as a validated list) and each Firewall Policy's
//! explicit proxy (on / off, HTTP and HTTPS ports), with the computes configured to use it.
//! Forms validate as you type (`view::forms::firewall_settings`).

use crate::model::sorting;
use yew::prelude::*;

use super::form::{actions, apply_policy, close_form, Binding};
use super::state::{use_design_context, DesignContext};
use crate::model::{Firewall, FirewallPolicy};
use crate::view::forms::{ExplicitProxyDraft, PublicIpsDraft};
use crate::view::policy_edit::PolicyEdit;

#[derive(Clone, PartialEq)]
enum Form {
    PublicIps(String, PublicIpsDraft),
    Proxy(String, ExplicitProxyDraft),
}

type FormState = UseStateHandle<Option<Form>>;

#[function_component(FirewallSettings)]
pub fn firewall_settings() -> Html {
    let app = use_design_context();
    let form = use_state(|| None::<Form>);
    let design = app.design.clone();
    html! {
        <>
            { for design.firewalls.iter().map(|f| public_ips(&app, &form, f)) }
            { for design.firewall_policies.iter().map(|p| explicit_proxy(&app, &form, p)) }
        </>
    }
}

fn public_ips(app: &DesignContext, form: &FormState, firewall: &Firewall) -> Html {
    let name = firewall.name.clone();
    let first = firewall
        .public_ip
        .map_or_else(|| "none".to_string(), |ip| ip.to_string());
    let additional = if firewall.additional_public_ips.is_empty() {
        "none".to_string()
    } else {
        PublicIpsDraft::of(firewall).additional_public_ips
    };
    let edit = {
        let (form, name, draft) = (form.clone(), name.clone(), PublicIpsDraft::of(firewall));
        Callback::from(move |_| form.set(Some(Form::PublicIps(name.clone(), draft.clone()))))
    };
    let open = match (**form).clone() {
        Some(Form::PublicIps(f, draft)) if f == name => Some(draft),
        _ => None,
    };
    html! {
        <div class="policy" data-testid={format!("firewall-ips-{name}")}>
            <h3>
                { format!("{name} public IPs") }
                <button type="button" class="icon-button" aria-label={format!("Edit the public IPs of {name}")}
                        data-testid={format!("edit-firewall-ips-{name}")} onclick={edit}>{ "✎" }</button>
            </h3>
            <p class="acl-summary" data-testid={format!("firewall-ips-summary-{name}")}>
                { format!("private {} · first public IP {first} · additional {additional} (DNAT listens on any of them; SNAT uses one per connection)",
                    firewall.private_ip) }
            </p>
            if let Some(draft) = open {
                { public_ips_form(app, form, firewall, draft) }
            }
        </div>
    }
}

fn public_ips_form(
    app: &DesignContext,
    form: &FormState,
    firewall: &Firewall,
    draft: PublicIpsDraft,
) -> Html {
    let parsed = draft.parse(firewall);
    let name = firewall.name.clone();
    let set = {
        let (form, name) = (form.clone(), name.clone());
        Callback::from(move |draft| form.set(Some(Form::PublicIps(name.clone(), draft))))
    };
    let binding = Binding {
        draft,
        set,
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "firewall-ips",
    };
    let apply = {
        let form = form.clone();
        apply_policy(
            app,
            parsed.clone().ok(),
            move |additional| PolicyEdit::SetFirewallPublicIps {
                firewall: name.clone(),
                additional,
            },
            move || form.set(None),
        )
    };
    html! {
        <div class="rule-form" role="group" aria-label="Edit the firewall's public IPs" data-testid="firewall-ips-form">
            { binding.text("additional_public_ips", "Additional public IPs",
                |d| &d.additional_public_ips, |d, v| d.additional_public_ips = v) }
            <p class="form-note">{ "Comma-separated public IPv4 addresses; empty for none." }</p>
            { actions("firewall-ips", parsed.is_ok(), apply, close_form(form)) }
        </div>
    }
}

fn explicit_proxy(app: &DesignContext, form: &FormState, policy: &FirewallPolicy) -> Html {
    let name = policy.name.clone();
    let summary = match &policy.explicit_proxy {
        None => "off".to_string(),
        Some(proxy) => {
            let port = |p: Option<u16>| p.map_or_else(|| "—".to_string(), |p| p.to_string());
            format!(
                "on · HTTP port {} · HTTPS port {}",
                port(proxy.http_port),
                port(proxy.https_port)
            )
        }
    };
    let design = &app.design;
    let mut clients: Vec<&str> = design
        .computes
        .iter()
        .filter(|c| {
            c.explicit_proxy.as_ref().is_some_and(|proxy| {
                design
                    .firewalls_using_policy(&name)
                    .any(|f| &f.name == proxy)
            })
        })
        .map(|c| c.name.as_str())
        .collect();
    sorting::sort(&mut clients);
    let clients = if clients.is_empty() {
        "no compute is configured to use it".to_string()
    } else {
        format!("configured on {}", clients.join(", "))
    };
    let edit = {
        let form = form.clone();
        let draft = ExplicitProxyDraft::of(policy.explicit_proxy.as_ref());
        let name = name.clone();
        Callback::from(move |_| form.set(Some(Form::Proxy(name.clone(), draft.clone()))))
    };
    let open = match (**form).clone() {
        Some(Form::Proxy(p, draft)) if p == name => Some(draft),
        _ => None,
    };
    html! {
        <div class="policy" data-testid={format!("explicit-proxy-{name}")}>
            <h3>
                { format!("{name} explicit proxy") }
                <button type="button" class="icon-button" aria-label={format!("Edit the explicit proxy of {name}")}
                        data-testid={format!("edit-explicit-proxy-{name}")} onclick={edit}>{ "✎" }</button>
            </h3>
            <p class="acl-summary" data-testid={format!("explicit-proxy-summary-{name}")}>
                { format!("{summary} · {clients} (only application rules decide proxied requests)") }
            </p>
            if let Some(draft) = open {
                { proxy_form(app, form, name, draft) }
            }
        </div>
    }
}

fn proxy_form(
    app: &DesignContext,
    form: &FormState,
    policy: String,
    draft: ExplicitProxyDraft,
) -> Html {
    let parsed = draft.parse();
    let enabled = draft.enabled;
    let set = {
        let (form, policy) = (form.clone(), policy.clone());
        Callback::from(move |draft| form.set(Some(Form::Proxy(policy.clone(), draft))))
    };
    let binding = Binding {
        draft,
        set,
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "explicit-proxy",
    };
    let apply = {
        let form = form.clone();
        apply_policy(
            app,
            parsed.clone().ok(),
            move |proxy| PolicyEdit::SetExplicitProxy {
                policy: policy.clone(),
                proxy,
            },
            move || form.set(None),
        )
    };
    html! {
        <div class="rule-form" role="group" aria-label="Edit the explicit proxy" data-testid="explicit-proxy-form">
            { binding.checkbox("enabled", "Explicit proxy on", |d| d.enabled, |d, v| d.enabled = v) }
            if enabled {
                { binding.text("http_port", "HTTP port (1-64000)", |d| &d.http_port, |d, v| d.http_port = v) }
                { binding.text("https_port", "HTTPS port (1-64000)", |d| &d.https_port, |d, v| d.https_port = v) }
            }
            { actions("explicit-proxy", parsed.is_ok(), apply, close_form(form)) }
        </div>
    }
}
