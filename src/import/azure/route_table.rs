//! Route tables and user-defined routes: `routeTables` with inline `routes`, and
//! `routeTables/routes` as separate resources. A route's prefix may be a service tag.

use super::context::Context;
use super::kind::Kind;
use super::merge::{insert_named, parent_or_stub, Child};
use super::resource::Resource;
use super::values;
use crate::import::node::Node;
use crate::model::{Design, NextHopType, Route, RouteTable};

const NEXT_HOP_TYPES: [(&str, NextHopType); 5] = [
    ("VirtualNetworkGateway", NextHopType::VirtualNetworkGateway),
    ("VnetLocal", NextHopType::VnetLocal),
    ("Internet", NextHopType::Internet),
    ("VirtualAppliance", NextHopType::VirtualAppliance),
    ("None", NextHopType::None),
];

pub(super) fn route_table(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let mut table = RouteTable {
        name: name.to_string(),
        routes: Vec::new(),
        disable_gateway_propagation: context
            .flag(name, &properties, "disableBgpRoutePropagation")
            .unwrap_or(false),
    };
    for item in context.list(name, &properties, "routes") {
        let route_name = item.str_at("name").unwrap_or_default();
        if let Some(route) = route(context, name, route_name, &item) {
            insert_named(
                context,
                &mut table.routes,
                route,
                |r| &r.name,
                "route",
                &item,
            );
        }
    }
    insert_named(
        context,
        &mut design.route_tables,
        table,
        |t| &t.name,
        "route table",
        &resource.node,
    );
}

/// A `routeTables/routes` resource, added to its table (created when missing).
pub(super) fn route_resource(context: &mut Context, design: &mut Design, resource: &Resource) {
    let table_name = resource.parent();
    let element = format!("{table_name}/{}", resource.name());
    let Some(route) = route(context, table_name, resource.name(), &resource.node) else {
        return;
    };
    let position = parent_or_stub(
        context,
        &mut design.route_tables,
        (Kind::RouteTable, table_name),
        |t| &t.name,
        || RouteTable {
            name: table_name.to_string(),
            routes: Vec::new(),
            disable_gateway_propagation: false,
        },
        Child {
            kind: Kind::Route,
            element: &element,
            node: &resource.node,
        },
        "",
    );
    if let Some(table) = design.route_tables.get_mut(position) {
        insert_named(
            context,
            &mut table.routes,
            route,
            |r| &r.name,
            "route",
            &resource.node,
        );
    }
}

/// One route; `None` (reported) without a usable prefix or next hop type.
fn route(context: &mut Context, table: &str, name: &str, node: &Node) -> Option<Route> {
    let element = format!("{table}/{name}");
    let properties = node.properties();
    let prefix = properties.get("addressPrefix").and_then(|member| {
        let text = member.as_str()?;
        let parsed = context.report(&element, &member, values::address_entry(text))?;
        match parsed.as_slice() {
            [single] => Some(single.clone()),
            _ => {
                context.warn(
                    &element,
                    &member,
                    "a route prefix is one prefix or service tag; ignored",
                );
                None
            }
        }
    });
    let next_hop_type = context.choice(&element, &properties, "nextHopType", &NEXT_HOP_TYPES);
    let (Some(address_prefix), Some(next_hop_type)) = (prefix, next_hop_type) else {
        context.warn(
            &element,
            node,
            "the route needs an IPv4 `addressPrefix` and a `nextHopType`: not imported",
        );
        return None;
    };
    Some(Route {
        name: name.to_string(),
        address_prefix,
        next_hop_type,
        next_hop_ip: context.ipv4(&element, &properties, "nextHopIpAddress"),
    })
}
