//! The design's elements as a tree (VNets → subnets → computes, private endpoints, firewalls)
//! with add, rename and remove, followed by the NSG editors.

use yew::prelude::*;

use super::nsg_editor::NsgEditor;
use super::rename_field::RenameField;
use super::state::{dispatch_on_click, use_app, AppContext};
use crate::model::{Design, Subnet, VirtualNetwork};
use crate::view::edit::{next_endpoint_target, Edit, ElementKind};
use crate::view::scenarios::find;
use crate::view::state::Action;

#[function_component(ElementTree)]
pub fn element_tree() -> Html {
    let app = use_app();
    let design = app.design.clone();
    html! {
        <section class="elements" aria-labelledby="elements-title" data-testid="element-tree">
            <h2 id="elements-title">{ "Elements" }</h2>
            <p class="design-name" data-testid="design-name">{ design.name.clone() }</p>
            if let Some(preset) = find(&app.scenario) {
                <p class="intent">{ preset.intent }</p>
                if !preset.notes.is_empty() {
                    <details class="notes">
                        <summary>{ format!("{} note(s) from the documents", preset.notes.len()) }</summary>
                        <ul>{ for preset.notes.iter().map(|note| html! { <li>{ *note }</li> }) }</ul>
                    </details>
                }
            }
            if !app.import_messages.is_empty() {
                <details class="import-messages" open=true data-testid="import-messages">
                    <summary>{ format!("{} import message(s)", app.import_messages.len()) }</summary>
                    <ul>{ for app.import_messages.iter().map(|m| html! { <li>{ m.clone() }</li> }) }</ul>
                </details>
            }
            <ul class="tree">
                { for design.virtual_networks.iter().map(|vnet| vnet_item(&app, &design, vnet)) }
            </ul>
            <button type="button" data-testid="add-vnet"
                    onclick={dispatch_on_click(&app, Action::Edit(Edit::AddVnet))}>{ "+ VNet" }</button>
            <h2>{ "NSG rules" }</h2>
            { for design.network_security_groups.iter().map(|nsg| html! {
                <NsgEditor key={nsg.name.clone()} nsg={nsg.name.clone()} />
            }) }
        </section>
    }
}

fn vnet_item(app: &AppContext, design: &Design, vnet: &VirtualNetwork) -> Html {
    let add_subnet = Edit::AddSubnet {
        vnet: vnet.name.clone(),
    };
    html! {
        <li>
            <RenameField kind={ElementKind::Vnet} name={vnet.name.clone()} label={vnet.name.clone()} />
            <ul>
                { for vnet.subnets.iter().map(|subnet| subnet_item(app, design, vnet, subnet)) }
            </ul>
            <button type="button" class="small" aria-label={format!("Add a subnet to {}", vnet.name)}
                    onclick={dispatch_on_click(app, Action::Edit(add_subnet))}>{ "+ subnet" }</button>
        </li>
    }
}

fn subnet_item(app: &AppContext, design: &Design, vnet: &VirtualNetwork, subnet: &Subnet) -> Html {
    let id = format!("{}/{}", vnet.name, subnet.name);
    let computes = design
        .computes
        .iter()
        .filter(|c| c.nic.as_ref().is_some_and(|nic| nic.subnet == id))
        .map(|c| (ElementKind::Compute, c.name.clone()));
    let endpoints = design
        .private_endpoints
        .iter()
        .filter(|e| e.subnet == id)
        .map(|e| (ElementKind::PrivateEndpoint, e.name.clone()));
    let items: Vec<_> = computes.chain(endpoints).collect();
    let add_compute = Edit::AddCompute { subnet: id.clone() };
    let add_endpoint = next_endpoint_target(design).map(|target| Edit::AddPrivateEndpoint {
        subnet: id.clone(),
        target,
    });
    html! {
        <li>
            <RenameField kind={ElementKind::Subnet} name={id.clone()}
                         label={format!("{} {}", subnet.name, subnet.prefix)} />
            <ul>
                { for items.into_iter().map(|(kind, name)| html! {
                    <li><RenameField {kind} name={name.clone()} label={name} /></li>
                }) }
            </ul>
            <button type="button" class="small" aria-label={format!("Add a compute to {id}")}
                    onclick={dispatch_on_click(app, Action::Edit(add_compute))}>{ "+ compute" }</button>
            if let Some(edit) = add_endpoint {
                <button type="button" class="small" aria-label={format!("Add a private endpoint to {id}")}
                        onclick={dispatch_on_click(app, Action::Edit(edit))}>{ "+ private endpoint" }</button>
            }
        </li>
    }
}
