//! Route tables and their routes: add, edit and remove routes (prefix or service tag, next hop
//! type and IP) with the route form validating as you type (`view::forms::RouteDraft`), add and
//! remove tables, switch a table's gateway propagation, and the diagnostics about each table. Tables are attached to subnets in the
//! element tree.

use yew::prelude::*;

use super::editor_window::use_editor_window;
use super::form::{actions, apply_policy, diagnostics, policy, Binding};
use super::state::{dispatch_on_click, use_design_context};
use crate::view::forms::{RouteDraft, NEXT_HOP_TYPES};
use crate::view::policy_edit::PolicyEdit;

/// The open form: table, route index (`None` for a new route) and draft.
type Form = Option<(String, Option<usize>, RouteDraft)>;

#[function_component(RouteEditor)]
pub fn route_editor() -> Html {
    let app = use_design_context();
    let form = use_state(|| None as Form);
    let design = app.design.clone();
    let (shown, show_all) = use_editor_window(
        design.route_tables.len(),
        "route tables",
        "show-all-route-tables",
    );
    let open = |table: &str, index: Option<usize>, draft: RouteDraft| {
        let form = form.clone();
        let table = table.to_string();
        Callback::from(move |_| form.set(Some((table.clone(), index, draft.clone()))))
    };
    html! {
        <section class="editor" aria-labelledby="routes-title" data-testid="route-editor">
            <h2 id="routes-title">{ "Route tables" }</h2>
            { for shown.into_iter().map(|index| {
                let table = &design.route_tables[index];
                let attached: Vec<String> = design.virtual_networks.iter().flat_map(|v| {
                    v.subnets.iter().filter(|s| s.route_table.as_ref() == Some(&table.name))
                        .map(move |s| format!("{}/{}", v.name, s.name))
                }).collect();
                html! {
                    <div class="policy" data-testid={format!("route-table-{}", table.name)}>
                        <h3>
                            { table.name.clone() }
                            <button type="button" class="icon-button" aria-label={format!("Remove route table {}", table.name)}
                                    onclick={dispatch_on_click(&app, policy(PolicyEdit::RemoveRouteTable { table: table.name.clone() }))}>{ "✕" }</button>
                        </h3>
                        <label class="field checkbox">
                            <input type="checkbox" checked={table.disable_gateway_propagation}
                                   data-testid={format!("gateway-propagation-{}", table.name)}
                                   onclick={dispatch_on_click(&app, policy(PolicyEdit::SetGatewayPropagation {
                                       table: table.name.clone(),
                                       disabled: !table.disable_gateway_propagation,
                                   }))} />
                            <span>{ "Disable gateway route propagation" }</span>
                        </label>
                        <p class="attached">{ if attached.is_empty() { "not attached to a subnet".to_string() } else { format!("attached to {}", attached.join(", ")) } }</p>
                        <table class="rules">
                            <thead><tr>
                                <th scope="col">{ "Route" }</th><th scope="col">{ "Prefix" }</th><th scope="col">{ "Next hop" }</th>
                                <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                            </tr></thead>
                            <tbody>
                                { for table.routes.iter().enumerate().map(|(index, route)| html! {
                                    <tr data-testid={format!("route-{}-{}", table.name, route.name)}>
                                        <td>{ route.name.clone() }</td>
                                        <td>{ route.address_prefix.to_string() }</td>
                                        <td>{ format!("{:?}{}", route.next_hop_type, route.next_hop_ip.map(|ip| format!(" {ip}")).unwrap_or_default()) }</td>
                                        <td class="row-actions">
                                            <button type="button" class="icon-button" aria-label={format!("Edit route {}", route.name)}
                                                    onclick={open(&table.name, Some(index), RouteDraft::of(route))}>{ "✎" }</button>
                                            <button type="button" class="icon-button" aria-label={format!("Remove route {}", route.name)}
                                                    onclick={dispatch_on_click(&app, policy(PolicyEdit::RemoveRoute { table: table.name.clone(), index }))}>{ "✕" }</button>
                                        </td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                        <button type="button" class="small" aria-label={format!("Add a route to {}", table.name)}
                                data-testid={format!("add-route-{}", table.name)}
                                onclick={open(&table.name, None, RouteDraft::new_route(&design))}>{ "+ route" }</button>
                        if let Some((open_table, index, draft)) = (*form).clone().filter(|(t, _, _)| *t == table.name) {
                            { route_form(&app, &form, open_table, index, draft) }
                        }
                        { diagnostics(&app, &table.name, format!("route-table-diagnostics-{}", table.name)) }
                    </div>
                }
            }) }
            { for show_all }
            <button type="button" class="small" data-testid="add-route-table"
                    onclick={dispatch_on_click(&app, policy(PolicyEdit::AddRouteTable))}>{ "+ route table" }</button>
        </section>
    }
}

fn route_form(
    app: &super::state::DesignContext,
    form: &UseStateHandle<Form>,
    table: String,
    index: Option<usize>,
    draft: RouteDraft,
) -> Html {
    let parsed = draft.parse();
    let set = {
        let (form, table) = (form.clone(), table.clone());
        Callback::from(move |draft| form.set(Some((table.clone(), index, draft))))
    };
    let binding = Binding {
        draft: draft.clone(),
        set,
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "route",
    };
    let apply = {
        let form = form.clone();
        apply_policy(
            app,
            parsed.clone().ok(),
            move |route| PolicyEdit::SetRoute {
                table: table.clone(),
                index,
                route,
            },
            move || form.set(None),
        )
    };
    let cancel = {
        let form = form.clone();
        Callback::from(move |_| form.set(None))
    };
    html! {
        <div class="rule-form" role="group" aria-label="Edit route" data-testid="route-form">
            { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
            { binding.text("prefix", "Prefix or service tag", |d| &d.prefix, |d, v| d.prefix = v) }
            { binding.select("next_hop_type", "Next hop type", &NEXT_HOP_TYPES, |d| &d.next_hop_type, |d, v| d.next_hop_type = v) }
            { binding.text("next_hop_ip", "Next hop IP", |d| &d.next_hop_ip, |d, v| d.next_hop_ip = v) }
            { actions("route", parsed.is_ok(), apply, cancel) }
        </div>
    }
}
