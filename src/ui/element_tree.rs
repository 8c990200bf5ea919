//! The design's elements as a tree (VNets → subnets → computes, private endpoints, load
//! balancers) with add, rename and remove, an appliance's IP forwarding and SNAT, followed by
//! the NSG, route, firewall, load balancer, perimeter and network manager editors. The VNets of a large design (one the diagram opens collapsed) are closed
//! disclosures, built when opened. The tree and each editor take a change after it is painted
//! while they are scrolled out of sight ([`DeferWhileHidden`]).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::defer_while_hidden::DeferWhileHidden;
use super::disclosure::use_disclosure;
use super::editor_window::use_editor_window;
use super::firewall_editor::FirewallEditor;
use super::load_balancer_editor::LoadBalancerEditor;
use super::network_manager_editor::NetworkManagerEditor;
use super::nsg_editor::NsgEditor;
use super::perimeter_editor::PerimeterEditor;
use super::rename_field::RenameField;
use super::resource_firewall::ResourceFirewalls;
use super::route_editor::RouteEditor;
use super::sep_editor::SepEditor;
use super::state::{dispatch_on_click, use_design_context, DesignContext};
use crate::model::{Compute, ComputeKind, Design, Subnet, VirtualNetwork};
use crate::view::diagram::graph::load_balancer_subnet;
use crate::view::diagram::is_large;
use crate::view::edit::{next_endpoint_target, Edit, ElementKind};
use crate::view::lb_edit::LoadBalancerEdit;
use crate::view::policy_edit::PolicyEdit;
use crate::view::scenarios::find;
use crate::view::state::Action;

/// Designs with at most this many NSGs open with every NSG editor open; larger ones closed
/// (an editor's table is built when it is opened).
const NSGS_OPEN: usize = 8;

#[function_component(ElementTree)]
pub fn element_tree() -> Html {
    let app = use_design_context();
    html! {
        <section class="elements" aria-labelledby="elements-title" data-testid="element-tree">
            <h2 id="elements-title">{ "Elements" }</h2>
            <p class="design-name" data-testid="design-name">{ app.design.name.clone() }</p>
            if let Some(preset) = find(&app.scenario) {
                <p class="intent">{ preset.intent }</p>
                if !preset.notes.is_empty() {
                    <details class="notes">
                        <summary>{ format!("{} note(s) from the documents", preset.notes.len()) }</summary>
                        <ul>{ for preset.notes.iter().map(|note| html! { <li>{ *note }</li> }) }</ul>
                    </details>
                }
            }
            <DeferWhileHidden><VnetTree /></DeferWhileHidden>
            <h2>{ "NSG rules" }</h2>
            <DeferWhileHidden><NsgEditors /></DeferWhileHidden>
            <DeferWhileHidden><RouteEditor /></DeferWhileHidden>
            <DeferWhileHidden><FirewallEditor /></DeferWhileHidden>
            <DeferWhileHidden><LoadBalancerEditor /></DeferWhileHidden>
            <DeferWhileHidden><SepEditor /></DeferWhileHidden>
            <DeferWhileHidden><ResourceFirewalls /></DeferWhileHidden>
            <DeferWhileHidden><PerimeterEditor /></DeferWhileHidden>
            <DeferWhileHidden><NetworkManagerEditor /></DeferWhileHidden>
        </section>
    }
}

/// The VNets, their subnets and what sits in them, with "+ VNet".
#[function_component(VnetTree)]
fn vnet_tree() -> Html {
    let app = use_design_context();
    let design = app.design.clone();
    let large = is_large(&design);
    html! {
        <>
            <ul class="tree">
                { for design.virtual_networks.iter().map(|vnet| {
                    if large {
                        html! { <CollapsedVnet key={vnet.name.clone()} vnet={vnet.name.clone()}
                                               subnets={vnet.subnets.len()} /> }
                    } else {
                        html! { <li key={vnet.name.clone()}>{ vnet_body(&app, &design, vnet) }</li> }
                    }
                }) }
            </ul>
            <button type="button" data-testid="add-vnet"
                    onclick={dispatch_on_click(&app, Action::Edit(Edit::AddVnet))}>{ "+ VNet" }</button>
        </>
    }
}

/// One rule editor per NSG: all open in a small design, closed (built when opened) otherwise;
/// a long list builds its first editors only ([`use_editor_window`]).
#[function_component(NsgEditors)]
fn nsg_editors() -> Html {
    let app = use_design_context();
    let nsgs = &app.design.network_security_groups;
    let open = nsgs.len() <= NSGS_OPEN;
    let (shown, show_all) = use_editor_window(nsgs.len(), "NSGs", "show-all-nsgs");
    html! {
        <>
            { for shown.into_iter().map(|index| {
                let nsg = &nsgs[index];
                html! {
                    <NsgEditor key={nsg.name.clone()} nsg={nsg.name.clone()} rules={nsg.rules.len()} {open} />
                }
            }) }
            { for show_all }
        </>
    }
}

/// A VNet's name (rename, remove), its subnets and "+ subnet".
fn vnet_body(app: &DesignContext, design: &Design, vnet: &VirtualNetwork) -> Html {
    let add_subnet = Edit::AddSubnet {
        vnet: vnet.name.clone(),
    };
    html! {
        <>
            <RenameField kind={ElementKind::Vnet} name={vnet.name.clone()} label={vnet.name.clone()} />
            <ul>
                { for vnet.subnets.iter().map(|subnet| subnet_item(app, design, vnet, subnet)) }
            </ul>
            <button type="button" class="small" aria-label={format!("Add a subnet to {}", vnet.name)}
                    onclick={dispatch_on_click(app, Action::Edit(add_subnet))}>{ "+ subnet" }</button>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct CollapsedVnetProps {
    vnet: AttrValue,
    subnets: usize,
}

/// A VNet of a large design (one the diagram opens collapsed): a closed disclosure whose
/// subnets are built only while it is open, so a 50-VNet tree is not rebuilt on every change.
#[function_component(CollapsedVnet)]
fn collapsed_vnet(props: &CollapsedVnetProps) -> Html {
    let app = use_design_context();
    let (open, ontoggle) = use_disclosure(false);
    let design = app.design.clone();
    let vnet = design
        .virtual_networks
        .iter()
        .find(|v| v.name == *props.vnet);
    html! {
        <li>
            <details class="vnet-item" {open} {ontoggle} data-testid={format!("vnet-item-{}", props.vnet)}>
                <summary>{ format!("VNet {} · {} subnet(s)", props.vnet, props.subnets) }</summary>
                if let Some(vnet) = vnet.filter(|_| open) {
                    { vnet_body(&app, &design, vnet) }
                }
            </details>
        </li>
    }
}

fn subnet_item(
    app: &DesignContext,
    design: &Design,
    vnet: &VirtualNetwork,
    subnet: &Subnet,
) -> Html {
    let id = format!("{}/{}", vnet.name, subnet.name);
    let computes = design
        .computes
        .iter()
        .filter(|c| c.nic.as_ref().is_some_and(|nic| nic.subnet == id))
        .map(|c| {
            let settings = html! { <>{ forwarding(app, c) }{ proxy_setting(app, design, c) }</> };
            (ElementKind::Compute, c.name.clone(), settings)
        });
    let endpoints = design
        .private_endpoints
        .iter()
        .filter(|e| e.subnet == id)
        .map(|e| (ElementKind::PrivateEndpoint, e.name.clone(), html! {}));
    let load_balancers = design
        .load_balancers
        .iter()
        .filter(|lb| load_balancer_subnet(design, lb).as_deref() == Some(id.as_str()))
        .map(|lb| {
            (
                ElementKind::LoadBalancer,
                lb.name.clone(),
                load_balancer_kind(lb),
            )
        });
    let items: Vec<_> = computes.chain(endpoints).chain(load_balancers).collect();
    let add_compute = Edit::AddCompute { subnet: id.clone() };
    let add_load_balancer = Edit::LoadBalancer(LoadBalancerEdit::Add { subnet: id.clone() });
    let add_endpoint = next_endpoint_target(design).map(|target| Edit::AddPrivateEndpoint {
        subnet: id.clone(),
        target,
    });
    html! {
        <li>
            <RenameField kind={ElementKind::Subnet} name={id.clone()}
                         label={format!("{} {}", subnet.name, subnet.prefix)} />
            <ul>
                { for items.into_iter().map(|(kind, name, extra)| html! {
                    <li><RenameField {kind} name={name.clone()} label={name} />{ extra }</li>
                }) }
            </ul>
            <button type="button" class="small" aria-label={format!("Add a compute to {id}")}
                    onclick={dispatch_on_click(app, Action::Edit(add_compute))}>{ "+ compute" }</button>
            if let Some(edit) = add_endpoint {
                <button type="button" class="small" aria-label={format!("Add a private endpoint to {id}")}
                        onclick={dispatch_on_click(app, Action::Edit(edit))}>{ "+ private endpoint" }</button>
            }
            <button type="button" class="small" aria-label={format!("Add an internal load balancer to {id}")}
                    data-testid={format!("add-lb-{id}")}
                    onclick={dispatch_on_click(app, Action::Edit(add_load_balancer))}>{ "+ load balancer" }</button>
            { subnet_policies(app, design, &id, subnet) }
        </li>
    }
}

/// What a load balancer in the tree is: "⚖ internal load balancer 10.1.1.10" (its frontends'
/// addresses; a public one sits with its pool's members).
fn load_balancer_kind(lb: &crate::model::LoadBalancer) -> Html {
    let addresses: Vec<String> = lb
        .frontends
        .iter()
        .filter_map(|f| f.private_ip.or(f.public_ip))
        .map(|ip| ip.to_string())
        .collect();
    let kind = if lb.is_internal() {
        "internal"
    } else {
        "public"
    };
    html! {
        <span class="element-detail">{ format!(" ⚖ {kind} load balancer {}", addresses.join(", ")) }</span>
    }
}

/// An appliance's forwarding: IP forwarding and, with it, SNAT of what it forwards (shown for
/// network virtual appliances and any NIC that forwards).
fn forwarding(app: &DesignContext, compute: &Compute) -> Html {
    let Some(nic) = compute
        .nic
        .as_ref()
        .filter(|nic| compute.kind == ComputeKind::NetworkVirtualAppliance || nic.ip_forwarding)
    else {
        return html! {};
    };
    let set = |ip_forwarding: bool, snat: bool| {
        dispatch_on_click(
            app,
            Action::Edit(Edit::SetForwarding {
                compute: compute.name.clone(),
                ip_forwarding,
                snat,
            }),
        )
    };
    html! {
        <span class="forwarding">
            <label><input type="checkbox" checked={nic.ip_forwarding}
                          data-testid={format!("ip-forwarding-{}", compute.name)}
                          onclick={set(!nic.ip_forwarding, nic.snat)} />{ " IP forwarding" }</label>
            <label title="Source-NAT what it forwards: destinations and the return path see the appliance">
                <input type="checkbox" checked={nic.snat} disabled={!nic.ip_forwarding}
                       data-testid={format!("snat-{}", compute.name)}
                       onclick={set(nic.ip_forwarding, !nic.snat)} />{ " SNAT" }</label>
        </span>
    }
}

/// A select's change as the edit `edit` makes of its value (`None` for the empty "none" option).
fn dispatch_choice(
    app: &DesignContext,
    edit: impl Fn(Option<String>) -> Edit + 'static,
) -> Callback<Event> {
    let app = app.clone();
    Callback::from(move |event: Event| {
        if let Some(select) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            let value = select.value();
            app.dispatch(Action::Edit(edit((!value.is_empty()).then_some(value))));
        }
    })
}

/// A compute's explicit proxy (a select of the design's firewalls, or none), shown once a
/// firewall policy enables one or the compute names one.
fn proxy_setting(app: &DesignContext, design: &Design, compute: &Compute) -> Html {
    let any_proxy = design
        .firewall_policies
        .iter()
        .any(|policy| policy.explicit_proxy.is_some());
    let shown = compute.nic.is_some()
        && compute.kind != ComputeKind::NetworkVirtualAppliance
        && (any_proxy || compute.explicit_proxy.is_some());
    if !shown {
        return html! {};
    }
    let name = compute.name.clone();
    let onchange = dispatch_choice(app, move |firewall| Edit::SetComputeProxy {
        compute: name.clone(),
        firewall,
    });
    let current = compute.explicit_proxy.clone().unwrap_or_default();
    html! {
        <label class="inline forwarding" title="An OS or application setting: HTTP and HTTPS requests go to the firewall's explicit proxy, where only application rules decide">
            { " proxy " }
            <select {onchange} data-testid={format!("compute-proxy-{}", compute.name)}
                    aria-label={format!("Explicit proxy of {}", compute.name)}>
                <option value="" selected={current.is_empty()}>{ "none" }</option>
                { for design.firewalls.iter().map(|f| html! {
                    <option value={f.name.clone()} selected={f.name == current}>{ f.name.clone() }</option>
                }) }
            </select>
        </label>
    }
}

/// The subnet's route table (a select) and service endpoint policies (a checkbox each).
fn subnet_policies(app: &DesignContext, design: &Design, id: &str, subnet: &Subnet) -> Html {
    if design.route_tables.is_empty() && design.service_endpoint_policies.is_empty() {
        return html! {};
    }
    let subnet_id = id.to_string();
    let onroute = dispatch_choice(app, move |table| {
        Edit::Policy(PolicyEdit::AttachRouteTable {
            subnet: subnet_id.clone(),
            table,
        })
    });
    let current = subnet.route_table.clone().unwrap_or_default();
    html! {
        <div class="subnet-policies">
            if !design.route_tables.is_empty() {
                <label class="inline">{ "route table " }
                    <select onchange={onroute} data-testid={format!("subnet-route-table-{id}")}
                            aria-label={format!("Route table of {id}")}>
                        <option value="" selected={current.is_empty()}>{ "none" }</option>
                        { for design.route_tables.iter().map(|t| html! {
                            <option value={t.name.clone()} selected={t.name == current}>{ t.name.clone() }</option>
                        }) }
                    </select>
                </label>
            }
            { for design.service_endpoint_policies.iter().map(|sep| {
                let attached = subnet.service_endpoint_policies.contains(&sep.name);
                let edit = Edit::Policy(PolicyEdit::AttachSep {
                    subnet: id.to_string(),
                    policy: sep.name.clone(),
                    attached: !attached,
                });
                html! {
                    <label class="inline">
                        <input type="checkbox" checked={attached} data-testid={format!("subnet-sep-{id}-{}", sep.name)}
                               onchange={let app = app.clone(); Callback::from(move |_| app.dispatch(Action::Edit(edit.clone())))} />
                        { format!(" SEP {}", sep.name) }
                    </label>
                }
            }) }
        </div>
    }
}
