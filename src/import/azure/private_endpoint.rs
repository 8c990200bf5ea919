//! Private endpoints (`privateEndpoints`) and their DNS zone groups
//! (`privateEndpoints/privateDnsZoneGroups`). The endpoint's address comes from
//! `customDnsConfigs`, else its `ipConfigurations`, else its NIC in the input; the target and
//! sub-resource from its first (automatic, else manual) private link service connection.

use crate::model::sorting;
use std::net::Ipv4Addr;

use super::addresses::Holder;
use super::arm_id::referenced_name;
use super::context::Context;
use super::kind::Kind;
use super::merge::{insert_named, position_of};
use super::resource::Resource;
use super::values;
use crate::import::node::Node;
use crate::model::{ConnectionState, Design, PrivateEndpoint};

const CONNECTION_STATES: [(&str, ConnectionState); 4] = [
    ("Approved", ConnectionState::Approved),
    ("Pending", ConnectionState::Pending),
    ("Rejected", ConnectionState::Rejected),
    ("Disconnected", ConnectionState::Disconnected),
];

pub(super) fn private_endpoint(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let Some(subnet) = properties
        .get("subnet")
        .and_then(|holder| context.reference(Kind::Subnet, name, &holder))
    else {
        context.warn(
            name,
            &resource.node,
            "the private endpoint has no subnet: not imported",
        );
        return;
    };
    let automatic = context.list(name, &properties, "privateLinkServiceConnections");
    let manual = context.list(name, &properties, "manualPrivateLinkServiceConnections");
    let connection = automatic
        .first()
        .map(|c| (c, ConnectionState::Approved))
        .or(manual.first().map(|c| (c, ConnectionState::Pending)));
    let Some((connection, default_state)) = connection else {
        context.warn(
            name,
            &resource.node,
            "the private endpoint has no private link service connection: not imported",
        );
        return;
    };
    let settings = connection.properties();
    let Some(target) = settings
        .get("privateLinkServiceId")
        .and_then(|id| context.link_target(name, &id))
    else {
        context.warn(
            name,
            connection,
            "the connection has no `privateLinkServiceId`: not imported",
        );
        return;
    };
    let groups = context.texts(name, &settings, "groupIds");
    let sub_resource = match groups.first() {
        Some((_, group)) => group.to_string(),
        None => {
            context.warn(
                name,
                connection,
                "the connection has no `groupIds`: the sub-resource is left empty",
            );
            String::new()
        }
    };
    let connection_state = settings
        .get("privateLinkServiceConnectionState")
        .and_then(|state| context.choice(name, &state, "status", &CONNECTION_STATES))
        .unwrap_or(default_state);
    let private_ip = address(context, name, &properties);
    if private_ip.is_none() {
        context.await_address(Holder::PrivateEndpoint, name, &subnet, &properties);
    }
    let endpoint = PrivateEndpoint {
        name: name.to_string(),
        subnet,
        private_ip: private_ip.unwrap_or(Ipv4Addr::UNSPECIFIED),
        target,
        sub_resource,
        connection_state,
        dns_zones: Vec::new(),
    };
    insert_named(
        context,
        &mut design.private_endpoints,
        endpoint,
        |p| &p.name,
        "private endpoint",
        &resource.node,
    );
}

/// The endpoint's first address; several distinct ones are reported, as the model keeps one.
fn address(context: &mut Context, name: &str, properties: &Node) -> Option<Ipv4Addr> {
    let mut addresses: Vec<Ipv4Addr> = Vec::new();
    for config in context.list(name, properties, "customDnsConfigs") {
        for (node, text) in context.texts(name, &config, "ipAddresses") {
            addresses.extend(context.report(name, &node, values::address(text)));
        }
    }
    for config in context.list(name, properties, "ipConfigurations") {
        addresses.extend(context.ipv4(name, &config.properties(), "privateIPAddress"));
    }
    if addresses.is_empty() {
        let nics = context.list(name, properties, "networkInterfaces");
        let from_nic = nics
            .first()
            .and_then(|nic| nic.str_at("id"))
            .and_then(|id| referenced_name(id, 0))
            .and_then(|nic| context.index.nic_ip(&nic));
        addresses.extend(from_nic);
    }
    let mut distinct = addresses.clone();
    sorting::sort(&mut distinct);
    distinct.dedup();
    let first = addresses.first().copied();
    if let (Some(first), true) = (first, distinct.len() > 1) {
        let listed: Vec<String> = distinct.iter().map(ToString::to_string).collect();
        context.warn(
            name,
            properties,
            format!(
                "the endpoint has {} addresses ({}); vnetlab models one: {first}",
                distinct.len(),
                listed.join(", ")
            ),
        );
    }
    first
}

/// A DNS zone group: its zones are added to the endpoint's `dns_zones`.
pub(super) fn dns_zone_group(context: &mut Context, design: &mut Design, resource: &Resource) {
    let endpoint = resource.parent();
    let element = format!("{endpoint}/{}", resource.name());
    let properties = resource.properties();
    let mut zones = Vec::new();
    for config in context.list(&element, &properties, "privateDnsZoneConfigs") {
        match config.properties().get("privateDnsZoneId") {
            Some(id) => zones.extend(context.reference(Kind::PrivateDnsZone, &element, &id)),
            None => context.warn(
                &element,
                &config,
                "the zone configuration has no `privateDnsZoneId`; ignored",
            ),
        }
    }
    let Some(position) = position_of(&design.private_endpoints, endpoint, |p| &p.name) else {
        context.warn(
            &element,
            &resource.node,
            format!(
                "private endpoint `{endpoint}` is not in the input: its DNS zone group is ignored \
                 (zones: {})",
                zones.join(", ")
            ),
        );
        return;
    };
    if let Some(endpoint) = design.private_endpoints.get_mut(position) {
        for zone in zones {
            if !endpoint
                .dns_zones
                .iter()
                .any(|z| z.eq_ignore_ascii_case(&zone))
            {
                endpoint.dns_zones.push(zone);
            }
        }
    }
}
