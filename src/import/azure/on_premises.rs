//! The on-premises side of virtual network gateways: local network gateways (their
//! `localNetworkAddressSpace.addressPrefixes` and whether they use BGP) and the connections
//! (`Microsoft.Network/connections`) joining one to a VNet gateway (`virtualNetworkGateway1` to
//! `localNetworkGateway2`). Both are gathered into the index before conversion, so a gateway
//! finds its prefixes whatever the order of the input; a connection's inline (expanded REST)
//! local gateway counts when the resource itself is absent. Their own conversion only reports
//! problems: neither is an element of the design.

use crate::model::sorting;
use std::collections::BTreeMap;

use ipnet::Ipv4Net;

use super::arm_id::referenced_name;
use super::context::Context;
use super::kind::Kind;
use super::resource::Resource;
use super::values;
use crate::import::node::Node;

/// What a local network gateway says about the on-premises network.
#[derive(Debug, Clone, Default)]
struct LocalGateway {
    /// The name as written.
    name: String,
    /// The IPv4 prefixes of `localNetworkAddressSpace` that parse.
    prefixes: Vec<Ipv4Net>,
    /// Whether it has `bgpSettings` (its routes are then learned at run time).
    bgp: bool,
}

impl LocalGateway {
    fn read(name: &str, properties: &Node) -> LocalGateway {
        let prefixes = properties
            .get("localNetworkAddressSpace")
            .and_then(|space| space.get("addressPrefixes"))
            .map(|list| list.items())
            .unwrap_or_default()
            .iter()
            .filter_map(|item| item.as_str())
            .filter_map(|text| values::prefix(text).ok())
            .collect();
        LocalGateway {
            name: name.to_string(),
            prefixes,
            bgp: properties.get("bgpSettings").is_some(),
        }
    }
}

/// One connection of a VNet gateway.
#[derive(Debug, Clone)]
struct Link {
    connection: String,
    /// `connectionType` as written (IPsec, Vnet2Vnet, ExpressRoute, VPNClient); may be empty.
    connection_type: String,
    /// The lower-cased name of `localNetworkGateway2`, if any.
    local_gateway: Option<String>,
}

/// Local network gateways and connections, by lower-cased name.
#[derive(Debug, Default)]
pub(super) struct OnPremises {
    local_gateways: BTreeMap<String, LocalGateway>,
    /// Lower-cased VNet gateway name → its connections, in input order.
    links: BTreeMap<String, Vec<Link>>,
}

/// A gateway's on-premises prefixes and, for each connection that adds none, why.
#[derive(Debug, Default)]
pub(super) struct Reach {
    pub(super) prefixes: Vec<Ipv4Net>,
    pub(super) notes: Vec<String>,
    /// Whether any connection names the gateway.
    pub(super) connected: bool,
}

/// The name a reference (`{"id": …}` or the ID string) points at.
fn reference_name(holder: &Node) -> Option<String> {
    let id = holder.str_at("id").or(holder.as_str())?;
    referenced_name(id, 0)
}

impl OnPremises {
    /// Records a local network gateway or a connection; other resources are skipped.
    pub(super) fn add(&mut self, resource: &Resource) {
        let properties = resource.properties();
        match resource.kind {
            Kind::LocalNetworkGateway => {
                let gateway = LocalGateway::read(resource.name(), &properties);
                self.local_gateways
                    .insert(resource.name().to_ascii_lowercase(), gateway);
            }
            Kind::Connection => {
                let Some(gateway) = properties
                    .get("virtualNetworkGateway1")
                    .and_then(|holder| reference_name(&holder))
                else {
                    return;
                };
                let local = properties.get("localNetworkGateway2");
                let local_name = local.as_ref().and_then(reference_name);
                if let (Some(local), Some(local_name)) = (&local, &local_name) {
                    let inline = local.properties();
                    if inline.get("localNetworkAddressSpace").is_some()
                        || inline.get("bgpSettings").is_some()
                    {
                        self.local_gateways
                            .entry(local_name.to_ascii_lowercase())
                            .or_insert_with(|| LocalGateway::read(local_name, &inline));
                    }
                }
                self.links
                    .entry(gateway.to_ascii_lowercase())
                    .or_default()
                    .push(Link {
                        connection: resource.name().to_string(),
                        connection_type: properties
                            .str_at("connectionType")
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                        local_gateway: local_name.map(|n| n.to_ascii_lowercase()),
                    });
            }
            _ => {}
        }
    }

    /// Whether the local network gateway is in the input (as a resource or inline).
    fn knows_local(&self, name: &str) -> bool {
        self.local_gateways.contains_key(&name.to_ascii_lowercase())
    }

    /// The on-premises prefixes reached through the VNet gateway's connections (sorted,
    /// without repeats), with a note for each connection that adds none.
    pub(super) fn reach(&self, gateway: &str) -> Reach {
        let mut reach = Reach::default();
        let links = self
            .links
            .get(&gateway.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or_default();
        reach.connected = !links.is_empty();
        for link in links {
            let kind = link.connection_type.to_ascii_lowercase();
            let note = match (kind.as_str(), &link.local_gateway) {
                ("expressroute", _) => Some(format!(
                    "connection `{}` is an ExpressRoute connection, whose on-premises prefixes \
                     are learned over BGP from the circuit and are not in the input",
                    link.connection
                )),
                ("vnet2vnet", _) => Some(format!(
                    "connection `{}` joins another VNet gateway (Vnet2Vnet), not an on-premises \
                     network",
                    link.connection
                )),
                ("vpnclient", _) => Some(format!(
                    "connection `{}` is a point-to-site (VPNClient) connection",
                    link.connection
                )),
                (_, None) => Some(format!(
                    "connection `{}` has no `localNetworkGateway2`",
                    link.connection
                )),
                (_, Some(local)) => match self.local_gateways.get(local) {
                    None => Some(format!(
                        "connection `{}` joins local network gateway `{local}`, which is not in \
                         the input",
                        link.connection
                    )),
                    Some(found) if found.prefixes.is_empty() && found.bgp => Some(format!(
                        "local network gateway `{}` (connection `{}`) has no address prefixes, \
                         only BGP settings: its prefixes are learned at run time",
                        found.name, link.connection
                    )),
                    Some(found) if found.prefixes.is_empty() => Some(format!(
                        "local network gateway `{}` (connection `{}`) has no IPv4 address \
                         prefixes",
                        found.name, link.connection
                    )),
                    Some(found) => {
                        reach.prefixes.extend(found.prefixes.iter().copied());
                        None
                    }
                },
            };
            reach.notes.extend(note);
        }
        sorting::sort(&mut reach.prefixes);
        reach.prefixes.dedup();
        reach
    }
}

/// A local network gateway: its prefixes are checked (bad or IPv6 ones reported); it becomes
/// part of the gateways it is connected to.
pub(super) fn local_network_gateway(context: &mut Context, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    if let Some(space) = properties.get("localNetworkAddressSpace") {
        for (node, text) in context.texts(name, &space, "addressPrefixes") {
            context.report(name, &node, values::prefix(text));
        }
    }
}

/// A connection: its references are checked; it adds its local gateway's prefixes to its VNet
/// gateway.
pub(super) fn connection(context: &mut Context, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    match properties.get("virtualNetworkGateway1") {
        Some(holder) => {
            context.reference(Kind::VirtualNetworkGateway, name, &holder);
        }
        None => context.warn(
            name,
            &resource.node,
            "the connection has no `virtualNetworkGateway1`: it joins no gateway of the input",
        ),
    }
    if let Some(holder) = properties.get("localNetworkGateway2") {
        let inline = reference_name(&holder)
            .is_some_and(|local| context.index.on_premises.knows_local(&local));
        if !inline {
            context.reference(Kind::LocalNetworkGateway, name, &holder);
        }
    }
}
