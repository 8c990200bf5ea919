//! Virtual networks, their subnets and peerings: `Microsoft.Network/virtualNetworks` with inline
//! subnets and peerings, and `virtualNetworks/subnets` and `virtualNetworks/virtualNetworkPeerings`
//! as separate resources.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::context::Context;
use super::kind::Kind;
use super::merge::{insert_keyed, insert_named, parent_or_stub, Child};
use super::resource::Resource;
use super::values;
use crate::import::node::Node;
use crate::model::{Design, Peering, PrivateEndpointNetworkPolicies, Subnet, VirtualNetwork};

const ENDPOINT_POLICIES: [(&str, PrivateEndpointNetworkPolicies); 4] = [
    ("Disabled", PrivateEndpointNetworkPolicies::Disabled),
    ("Enabled", PrivateEndpointNetworkPolicies::Enabled),
    (
        "NetworkSecurityGroupEnabled",
        PrivateEndpointNetworkPolicies::NetworkSecurityGroupEnabled,
    ),
    (
        "RouteTableEnabled",
        PrivateEndpointNetworkPolicies::RouteTableEnabled,
    ),
];

pub(super) fn virtual_network(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let region = resource.location().unwrap_or_else(|| {
        context.warn(
            name,
            &resource.node,
            "the VNet has no `location`; its region is left empty",
        );
        String::new()
    });
    let mut address_space = Vec::new();
    if let Some(space) = properties.get("addressSpace") {
        for (node, text) in context.texts(name, &space, "addressPrefixes") {
            address_space.extend(context.report(name, &node, values::prefix(text)));
        }
    }
    let mut dns_servers = Vec::new();
    if let Some(dhcp) = properties.get("dhcpOptions") {
        for (node, text) in context.texts(name, &dhcp, "dnsServers") {
            dns_servers.extend(context.report(name, &node, values::address(text)));
        }
    }
    let mut vnet = VirtualNetwork {
        name: name.to_string(),
        region,
        address_space,
        subnets: Vec::new(),
        dns_servers,
    };
    for item in context.list(name, &properties, "subnets") {
        let subnet_name = item.str_at("name").unwrap_or_default();
        if let Some(subnet) = subnet(
            context,
            name,
            subnet_name,
            &item,
            private_by_default(&resource.node),
        ) {
            insert_named(
                context,
                &mut vnet.subnets,
                subnet,
                |s| &s.name,
                "subnet",
                &item,
            );
        }
    }
    for item in context.list(name, &properties, "virtualNetworkPeerings") {
        let peering_name = item.str_at("name").unwrap_or_default();
        if let Some(peering) = peering(context, name, peering_name, &item) {
            insert_keyed(
                context,
                &mut design.peerings,
                peering,
                peering_key,
                "peering",
                &item,
            );
        }
    }
    insert_named(
        context,
        &mut design.virtual_networks,
        vnet,
        |v| &v.name,
        "VNet",
        &resource.node,
    );
}

/// A `virtualNetworks/subnets` resource, added to its VNet (created when missing, with the
/// subnet's prefix as its address space).
pub(super) fn subnet_resource(context: &mut Context, design: &mut Design, resource: &Resource) {
    let vnet_name = resource.parent();
    let element = format!("{vnet_name}/{}", resource.name());
    let private = private_by_default(&resource.node);
    let Some(subnet) = subnet(context, vnet_name, resource.name(), &resource.node, private) else {
        return;
    };
    let position = parent_or_stub(
        context,
        &mut design.virtual_networks,
        (Kind::VirtualNetwork, vnet_name),
        |v| &v.name,
        || VirtualNetwork {
            name: vnet_name.to_string(),
            region: String::new(),
            address_space: Vec::new(),
            subnets: Vec::new(),
            dns_servers: Vec::new(),
        },
        Child {
            kind: Kind::Subnet,
            element: &element,
            node: &resource.node,
        },
        ", with the subnets' prefixes as its address space and an empty region",
    );
    let is_stub = context.is_stub(Kind::VirtualNetwork, vnet_name);
    if let Some(vnet) = design.virtual_networks.get_mut(position) {
        if is_stub
            && !vnet
                .address_space
                .iter()
                .any(|s| s.contains(&subnet.prefix))
        {
            vnet.address_space.push(subnet.prefix);
        }
        insert_named(
            context,
            &mut vnet.subnets,
            subnet,
            |s| &s.name,
            "subnet",
            &resource.node,
        );
    }
}

/// A `virtualNetworks/virtualNetworkPeerings` resource.
pub(super) fn peering_resource(context: &mut Context, design: &mut Design, resource: &Resource) {
    if let Some(peering) = peering(context, resource.parent(), resource.name(), &resource.node) {
        insert_keyed(
            context,
            &mut design.peerings,
            peering,
            peering_key,
            "peering",
            &resource.node,
        );
    }
}

/// The first API version whose new subnets are private: `defaultOutboundAccess` is false
/// unless set ("Private subnets by default in Azure virtual networks", Azure Networking blog,
/// 2026; the default outbound access article's FAQ). Terraform's azurerm provider keeps the
/// old default, and REST / CLI output states the property.
const PRIVATE_SUBNETS_API_VERSION: &str = "2025-07-01";

/// The resource's `apiVersion` when, deployed at it, it creates private subnets by default.
fn private_by_default<'a>(node: &Node<'a>) -> Option<&'a str> {
    node.str_at("apiVersion").filter(|version| {
        version
            .get(..PRIVATE_SUBNETS_API_VERSION.len())
            .is_some_and(|date| date >= PRIVATE_SUBNETS_API_VERSION)
    })
}

/// One subnet; `None` (reported) without a usable IPv4 prefix. `private_by_default`: the
/// API version the subnet was created at, when its subnets have no default outbound access
/// unless `defaultOutboundAccess` says so.
fn subnet(
    context: &mut Context,
    vnet: &str,
    name: &str,
    node: &Node,
    private_by_default: Option<&str>,
) -> Option<Subnet> {
    let element = format!("{vnet}/{name}");
    let properties = node.properties();
    if name.trim().is_empty() {
        context.warn(&element, node, "the subnet has no name: not imported");
        return None;
    }
    let prefix = subnet_prefix(context, &element, &properties)?;
    let reference = |context: &mut Context, kind: Kind, key: &str| {
        properties
            .get(key)
            .and_then(|holder| context.reference(kind, &element, &holder))
    };
    let nsg = reference(context, Kind::NetworkSecurityGroup, "networkSecurityGroup");
    let route_table = reference(context, Kind::RouteTable, "routeTable");
    let service_endpoints = context
        .list(&element, &properties, "serviceEndpoints")
        .iter()
        .filter_map(|endpoint| context.text(&element, endpoint, "service"))
        .map(str::to_string)
        .collect();
    let service_endpoint_policies = context.references(
        Kind::ServiceEndpointPolicy,
        &element,
        &properties,
        "serviceEndpointPolicies",
    );
    let private_endpoint_network_policies = context
        .choice(
            &element,
            &properties,
            "privateEndpointNetworkPolicies",
            &ENDPOINT_POLICIES,
        )
        .unwrap_or_default();
    let nat_gateway_ip = properties
        .get("natGateway")
        .and_then(|holder| nat_gateway_ip(context, &element, &holder));
    let stated = context.flag(&element, &properties, "defaultOutboundAccess");
    let private_by_api_version = match stated {
        None => private_by_default.map(str::to_string),
        Some(_) => None,
    };
    let default_outbound_access = match stated {
        Some(access) => access,
        None if private_by_default.is_some() => {
            context.warn(
                &element,
                node,
                format!(
                    "a private subnet: no default outbound access (created at API version \
                     {PRIVATE_SUBNETS_API_VERSION} or later, where subnets are private unless \
                     defaultOutboundAccess is true)"
                ),
            );
            false
        }
        None => true,
    };
    Some(Subnet {
        name: name.to_string(),
        prefix,
        nsg,
        route_table,
        service_endpoints,
        service_endpoint_policies,
        private_endpoint_network_policies,
        nat_gateway_ip,
        default_outbound_access,
        private_by_api_version,
    })
}

/// `addressPrefix`, or the first IPv4 entry of `addressPrefixes`.
fn subnet_prefix(context: &mut Context, element: &str, properties: &Node) -> Option<Ipv4Net> {
    let entries = context.one_or_many(element, properties, "addressPrefix", "addressPrefixes");
    let mut problems = Vec::new();
    for (_, text) in &entries {
        match values::prefix(text) {
            Ok(prefix) => return Some(prefix),
            Err(problem) => problems.push(problem),
        }
    }
    let message = if problems.is_empty() {
        "the subnet has no `addressPrefix`: not imported".to_string()
    } else {
        format!(
            "the subnet has no usable IPv4 prefix ({}): not imported",
            problems.join("; ")
        )
    };
    context.warn(element, properties, message);
    None
}

/// The NAT gateway's public address when the input holds it; otherwise `None`, reported.
fn nat_gateway_ip(context: &mut Context, element: &str, holder: &Node) -> Option<Ipv4Addr> {
    let gateway = context.reference(Kind::NatGateway, element, holder)?;
    let address = context.index.nat_gateway_ip(&gateway);
    if address.is_none() {
        context.warn(
            element,
            holder,
            format!(
                "NAT gateway `{gateway}` is attached but its public IP address is not in the \
                 input: imported without NAT gateway"
            ),
        );
    }
    address
}

/// Azure names peerings per VNet.
fn peering_key(peering: &Peering) -> String {
    format!("{}/{}", peering.local_vnet, peering.name)
}

/// One peering direction from `local_vnet`.
fn peering(context: &mut Context, local_vnet: &str, name: &str, node: &Node) -> Option<Peering> {
    let element = format!("{local_vnet}/{name}");
    let properties = node.properties();
    let Some(remote) = properties.get("remoteVirtualNetwork") else {
        context.warn(
            &element,
            node,
            "the peering has no `remoteVirtualNetwork`: not imported",
        );
        return None;
    };
    let remote_vnet = context.reference(Kind::VirtualNetwork, &element, &remote)?;
    let mut flag =
        |key: &str, default: bool| context.flag(&element, &properties, key).unwrap_or(default);
    Some(Peering {
        name: name.to_string(),
        local_vnet: local_vnet.to_string(),
        remote_vnet,
        allow_virtual_network_access: flag("allowVirtualNetworkAccess", true),
        allow_forwarded_traffic: flag("allowForwardedTraffic", false),
        allow_gateway_transit: flag("allowGatewayTransit", false),
        use_remote_gateways: flag("useRemoteGateways", false),
    })
}
