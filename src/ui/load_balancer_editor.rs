//! Load balancers: each load balancer's frontends, backend pools, health probes,
//! load-balancing rules and (a public one's) outbound rules, each listed with a summary and
//! added, edited and removed with a form that validates as you type
//! (`view::forms::load_balancer`). A load balancer itself is added ("+ load balancer") and
//! removed in the element tree, in its subnet.

use yew::prelude::*;

use super::form::{actions, apply_edit, close_form, diagnostics, Binding};
use super::state::{use_design_context, DesignContext};
use crate::model::{LoadBalancer, ProbeProtocol};
use crate::view::edit::Edit;
use crate::view::forms::{
    pool_candidates, subnet_ids, FrontendDraft, LbRuleDraft, OutboundRuleDraft, PoolDraft,
    ProbeDraft, LB_OUTBOUND_PROTOCOLS, LB_RULE_PROTOCOLS, NO_HEALTHY_BACKENDS, NO_PROBE,
    PROBE_PROTOCOLS,
};
use crate::view::lb_edit::{LbPart, LoadBalancerEdit};
use crate::view::state::Action;

/// A part's draft, by list.
#[derive(Clone, PartialEq)]
enum Draft {
    Frontend(FrontendDraft),
    Pool(PoolDraft),
    Probe(ProbeDraft),
    Rule(LbRuleDraft),
    Outbound(OutboundRuleDraft),
}

impl Draft {
    fn part(&self) -> LbPart {
        match self {
            Draft::Frontend(_) => LbPart::Frontend,
            Draft::Pool(_) => LbPart::BackendPool,
            Draft::Probe(_) => LbPart::Probe,
            Draft::Rule(_) => LbPart::Rule,
            Draft::Outbound(_) => LbPart::OutboundRule,
        }
    }
}

/// The open form: the load balancer, the item's index (`None` for a new one) and its draft.
#[derive(Clone, PartialEq)]
struct Form {
    lb: String,
    index: Option<usize>,
    draft: Draft,
}

type FormState = UseStateHandle<Option<Form>>;

#[function_component(LoadBalancerEditor)]
pub fn load_balancer_editor() -> Html {
    let app = use_design_context();
    let form = use_state(|| None::<Form>);
    let design = app.design.clone();
    if design.load_balancers.is_empty() {
        return html! {};
    }
    html! {
        <section class="editor" aria-labelledby="lb-title" data-testid="lb-editor">
            <h2 id="lb-title">{ "Load balancers" }</h2>
            { for design.load_balancers.iter().map(|lb| load_balancer_view(&app, &form, lb)) }
        </section>
    }
}

fn load_balancer_view(app: &DesignContext, form: &FormState, lb: &LoadBalancer) -> Html {
    let internal = lb.is_internal();
    let kind = if internal {
        "internal: routes send to a frontend's address, a rule forwards to the first healthy pool member"
    } else {
        "public: its outbound rules give the pool an internet address"
    };
    let frontends = lb.frontends.iter().map(|f| {
        let summary = match (f.private_ip, &f.subnet, f.public_ip) {
            (Some(ip), Some(subnet), _) => format!("private {ip} in {subnet}"),
            (_, _, Some(ip)) => format!("public IP {ip}"),
            _ => "no address".to_string(),
        };
        (
            f.name.clone(),
            summary,
            Draft::Frontend(FrontendDraft::of(f)),
        )
    });
    let pools = lb.backend_pools.iter().map(|p| {
        let members = if p.members.is_empty() {
            "no members yet".to_string()
        } else {
            format!("members {}", p.members.join(", "))
        };
        (p.name.clone(), members, Draft::Pool(PoolDraft::of(p)))
    });
    let probes = lb.probes.iter().map(|p| {
        let path = match p.protocol {
            ProbeProtocol::Tcp => "",
            ProbeProtocol::Http | ProbeProtocol::Https => " (its TCP connection is modelled)",
        };
        let summary = format!(
            "{:?} port {} from 168.63.129.16{path} · when every member fails: {:?}",
            p.protocol, p.port, p.no_healthy_backends
        );
        (p.name.clone(), summary, Draft::Probe(ProbeDraft::of(p)))
    });
    let rules = lb.rules.iter().map(|r| {
        let ports = if r.is_ha_ports() {
            "HA ports: every TCP and UDP port".to_string()
        } else {
            format!(
                "{:?} {} → backend port {}",
                r.protocol, r.frontend_port, r.backend_port
            )
        };
        let probe = r
            .probe
            .as_ref()
            .map_or_else(|| "no probe".to_string(), |p| format!("probe {p}"));
        let summary = format!("{ports} · {} → {} · {probe}", r.frontend, r.backend_pool);
        (r.name.clone(), summary, Draft::Rule(LbRuleDraft::of(r)))
    });
    let outbound = lb.outbound_rules.iter().map(|r| {
        let summary = format!(
            "{:?} · pool {} leaves with {}",
            r.protocol,
            r.backend_pool,
            r.frontends.join(", ")
        );
        (
            r.name.clone(),
            summary,
            Draft::Outbound(OutboundRuleDraft::of(r)),
        )
    });
    let new = |part: LbPart| match part {
        LbPart::Frontend => Draft::Frontend(FrontendDraft::new_frontend(&app.design, lb)),
        LbPart::BackendPool => Draft::Pool(PoolDraft::new_pool(lb)),
        LbPart::Probe => Draft::Probe(ProbeDraft::new_probe(lb)),
        LbPart::Rule => Draft::Rule(LbRuleDraft::new_rule(lb)),
        LbPart::OutboundRule => Draft::Outbound(OutboundRuleDraft::new_rule(lb)),
    };
    let section = |part: LbPart, title: &str, items: Vec<(String, String, Draft)>| {
        part_list(app, form, lb, part, title, items, new(part))
    };
    html! {
        <div class="policy" data-testid={format!("lb-{}", lb.name)}>
            <h3>{ lb.name.clone() }</h3>
            <p class="acl-summary">{ kind }</p>
            { section(LbPart::Frontend, "Frontends", frontends.collect()) }
            { section(LbPart::BackendPool, "Backend pools", pools.collect()) }
            { section(LbPart::Probe, "Health probes", probes.collect()) }
            { section(LbPart::Rule, "Load-balancing rules", rules.collect()) }
            if !internal {
                { section(LbPart::OutboundRule, "Outbound rules", outbound.collect()) }
            }
            { diagnostics(app, &lb.name, format!("lb-diagnostics-{}", lb.name)) }
        </div>
    }
}

/// One list of parts: a line per item with ✎ and ✕, "+ part", and the open form when it
/// edits this list.
fn part_list(
    app: &DesignContext,
    form: &FormState,
    lb: &LoadBalancer,
    part: LbPart,
    title: &str,
    items: Vec<(String, String, Draft)>,
    new: Draft,
) -> Html {
    let label = part.label();
    let open = |index: Option<usize>, draft: Draft| {
        let form = form.clone();
        let next = Form {
            lb: lb.name.clone(),
            index,
            draft,
        };
        Callback::from(move |_| form.set(Some(next.clone())))
    };
    let remove = |index: usize| {
        let app = app.clone();
        let edit = LoadBalancerEdit::RemovePart {
            lb: lb.name.clone(),
            part,
            index,
        };
        Callback::from(move |_| app.dispatch(Action::Edit(Edit::LoadBalancer(edit.clone()))))
    };
    let slug = label.replace(' ', "-");
    let current = (**form)
        .clone()
        .filter(|f| f.lb == lb.name && f.draft.part() == part);
    html! {
        <div class="lb-part" data-testid={format!("lb-{}-{slug}s", lb.name)}>
            <h4>{ title.to_string() }</h4>
            <ul class="fw-rules">
                { for items.into_iter().enumerate().map(|(index, (name, summary, draft))| html! {
                    <li data-testid={format!("lb-{slug}-{name}")}>
                        <span class="name">{ name.clone() }</span>{ " " }<span class="summary">{ summary }</span>
                        <button type="button" class="icon-button" aria-label={format!("Edit {label} {name}")}
                                data-testid={format!("edit-lb-{slug}-{name}")}
                                onclick={open(Some(index), draft)}>{ "✎" }</button>
                        <button type="button" class="icon-button" aria-label={format!("Remove {label} {name}")}
                                onclick={remove(index)}>{ "✕" }</button>
                    </li>
                }) }
            </ul>
            <button type="button" class="small" aria-label={format!("Add a {label} to {}", lb.name)}
                    data-testid={format!("add-lb-{slug}-{}", lb.name)}
                    onclick={open(None, new)}>{ format!("+ {label}") }</button>
            if let Some(current) = current {
                { part_form(app, form, lb, current) }
            }
        </div>
    }
}

/// The Apply button: dispatches the load balancer edit made from the parsed value and closes
/// the form.
fn apply<T: Clone + 'static>(
    app: &DesignContext,
    form: &FormState,
    parsed: Option<T>,
    edit: impl Fn(T) -> LoadBalancerEdit + 'static,
) -> Callback<MouseEvent> {
    let form = form.clone();
    apply_edit(
        app,
        parsed,
        move |value| Edit::LoadBalancer(edit(value)),
        move || form.set(None),
    )
}

/// A binding of `draft` whose edits keep the form open on the same item.
fn bind<D: Clone + 'static>(
    form: &FormState,
    current: &Form,
    draft: D,
    errors: Vec<crate::view::edit::FieldError>,
    prefix: &'static str,
    wrap: fn(D) -> Draft,
) -> Binding<D> {
    let (form, lb, index) = (form.clone(), current.lb.clone(), current.index);
    Binding {
        draft,
        set: Callback::from(move |draft| {
            form.set(Some(Form {
                lb: lb.clone(),
                index,
                draft: wrap(draft),
            }))
        }),
        errors,
        prefix,
    }
}

fn part_form(app: &DesignContext, form: &FormState, lb: &LoadBalancer, current: Form) -> Html {
    let design = &app.design;
    let name = lb.name.clone();
    let index = current.index;
    match current.draft.clone() {
        Draft::Frontend(draft) => {
            let parsed = draft.parse(design, lb, index);
            let internal = !draft.subnet.trim().is_empty();
            let subnets = subnet_ids(design);
            let subnets: Vec<&str> = subnets.iter().map(String::as_str).collect();
            let (valid, errors) = (parsed.is_ok(), parsed.clone().err().unwrap_or_default());
            let binding = bind(
                form,
                &current,
                draft,
                errors,
                "lb-frontend",
                Draft::Frontend,
            );
            let apply = apply(app, form, parsed.ok(), move |frontend| {
                LoadBalancerEdit::SetFrontend {
                    lb: name.clone(),
                    index,
                    frontend,
                }
            });
            html! {
                <div class="rule-form" role="group" aria-label="Edit frontend" data-testid="lb-frontend-form">
                    { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
                    if internal {
                        { binding.select("subnet", "Subnet", &subnets, |d| &d.subnet, |d, v| d.subnet = v) }
                        { binding.text("private_ip", "Private IP (the routes' next hop)", |d| &d.private_ip, |d, v| d.private_ip = v) }
                    } else {
                        { binding.text("public_ip", "Public IP", |d| &d.public_ip, |d, v| d.public_ip = v) }
                    }
                    { actions("lb-frontend", valid, apply, close_form(form)) }
                </div>
            }
        }
        Draft::Pool(draft) => {
            let parsed = draft.parse(design, lb, index);
            let candidates = pool_candidates(design);
            let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
            let (valid, errors) = (parsed.is_ok(), parsed.clone().err().unwrap_or_default());
            let binding = bind(form, &current, draft, errors, "lb-pool", Draft::Pool);
            let apply = apply(app, form, parsed.ok(), move |pool| {
                LoadBalancerEdit::SetPool {
                    lb: name.clone(),
                    index,
                    pool,
                }
            });
            html! {
                <div class="rule-form" role="group" aria-label="Edit backend pool" data-testid="lb-pool-form">
                    { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
                    { binding.choices("members", "Members (each compute's NIC)", &candidates, |d| &d.members, |d, v| d.members = v) }
                    { actions("lb-pool", valid, apply, close_form(form)) }
                </div>
            }
        }
        Draft::Probe(draft) => {
            let parsed = draft.parse(lb, index);
            let (valid, errors) = (parsed.is_ok(), parsed.clone().err().unwrap_or_default());
            let binding = bind(form, &current, draft, errors, "lb-probe", Draft::Probe);
            let apply = apply(app, form, parsed.ok(), move |probe| {
                LoadBalancerEdit::SetProbe {
                    lb: name.clone(),
                    index,
                    probe,
                }
            });
            html! {
                <div class="rule-form" role="group" aria-label="Edit health probe" data-testid="lb-probe-form">
                    { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
                    { binding.select("protocol", "Protocol", &PROBE_PROTOCOLS, |d| &d.protocol, |d, v| d.protocol = v) }
                    { binding.text("port", "Port probed on each member", |d| &d.port, |d, v| d.port = v) }
                    { binding.select("no_healthy_backends", "When every member fails", &NO_HEALTHY_BACKENDS,
                        |d| &d.no_healthy_backends, |d, v| d.no_healthy_backends = v) }
                    <p class="form-note">{ "AllProbedDown: no new flows; AllProbedUp: every member takes them." }</p>
                    { actions("lb-probe", valid, apply, close_form(form)) }
                </div>
            }
        }
        Draft::Rule(draft) => {
            let parsed = draft.parse(lb, index);
            let ha_ports = draft.is_ha_ports();
            let frontends: Vec<&str> = lb.frontends.iter().map(|f| f.name.as_str()).collect();
            let pools: Vec<&str> = lb.backend_pools.iter().map(|p| p.name.as_str()).collect();
            let probes: Vec<&str> = std::iter::once(NO_PROBE)
                .chain(lb.probes.iter().map(|p| p.name.as_str()))
                .collect();
            let (valid, errors) = (parsed.is_ok(), parsed.clone().err().unwrap_or_default());
            let binding = bind(form, &current, draft, errors, "lb-rule", Draft::Rule);
            let apply = apply(app, form, parsed.ok(), move |rule| {
                LoadBalancerEdit::SetRule {
                    lb: name.clone(),
                    index,
                    rule,
                }
            });
            html! {
                <div class="rule-form" role="group" aria-label="Edit load-balancing rule" data-testid="lb-rule-form">
                    { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
                    { binding.select("frontend", "Frontend", &frontends, |d| &d.frontend, |d, v| d.frontend = v) }
                    { binding.select("backend_pool", "Backend pool", &pools, |d| &d.backend_pool, |d, v| d.backend_pool = v) }
                    { binding.select("protocol", "Protocol", &LB_RULE_PROTOCOLS, |d| &d.protocol, |d, v| d.protocol = v) }
                    if !ha_ports {
                        { binding.text("frontend_port", "Frontend port", |d| &d.frontend_port, |d, v| d.frontend_port = v) }
                        { binding.text("backend_port", "Backend port", |d| &d.backend_port, |d, v| d.backend_port = v) }
                    }
                    { binding.select("probe", "Health probe", &probes, |d| &d.probe, |d, v| d.probe = v) }
                    { actions("lb-rule", valid, apply, close_form(form)) }
                </div>
            }
        }
        Draft::Outbound(draft) => {
            let parsed = draft.parse(lb, index);
            let frontends: Vec<&str> = lb.frontends.iter().map(|f| f.name.as_str()).collect();
            let pools: Vec<&str> = lb.backend_pools.iter().map(|p| p.name.as_str()).collect();
            let (valid, errors) = (parsed.is_ok(), parsed.clone().err().unwrap_or_default());
            let binding = bind(
                form,
                &current,
                draft,
                errors,
                "lb-outbound",
                Draft::Outbound,
            );
            let apply = apply(app, form, parsed.ok(), move |rule| {
                LoadBalancerEdit::SetOutboundRule {
                    lb: name.clone(),
                    index,
                    rule,
                }
            });
            html! {
                <div class="rule-form" role="group" aria-label="Edit outbound rule" data-testid="lb-outbound-form">
                    { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
                    { binding.choices("frontends", "Frontends (public IPs used)", &frontends, |d| &d.frontends, |d, v| d.frontends = v) }
                    { binding.select("backend_pool", "Backend pool", &pools, |d| &d.backend_pool, |d, v| d.backend_pool = v) }
                    { binding.select("protocol", "Protocol", &LB_OUTBOUND_PROTOCOLS, |d| &d.protocol, |d, v| d.protocol = v) }
                    { actions("lb-outbound", valid, apply, close_form(form)) }
                </div>
            }
        }
    }
}
