//! Effective routes per subnet, compiled once: system routes, peering, gateway, service
//! endpoint and private endpoint routes, and user-defined routes; then longest-prefix match
//! with Azure's precedence (UDR > BGP > system on equal prefixes, with the documented
//! exceptions).

use std::collections::{BTreeMap, HashMap};
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::address::{tag_matches, AddressScope, Match, Party, AZURE_HOST_IP, PRIVATE_RANGES};
use super::regions::{normalise_region, paired_region};
use super::service_tags::{lookup_tag, CanonicalTag, ServiceTagData, TagLookup};
use super::topology::Topology;
use crate::model::{
    AddressMatch, Cloud, Design, Diagnostic, EvaluationOptions, GatewayKind, NextHopType,
    StorageEndpointScope, Subnet, VirtualNetwork,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoutePrefix {
    Net(Ipv4Net),
    Tag(CanonicalTag),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextHop {
    VnetLocal,
    Peering {
        remote_vnet: String,
    },
    Internet,
    Appliance(Ipv4Addr),
    Gateway {
        name: String,
    },
    /// A `VirtualNetworkGateway` UDR in a VNet without a gateway: drops.
    MissingGateway,
    ServiceEndpoint {
        service: String,
    },
    PrivateEndpoint {
        name: String,
    },
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteSource {
    Default,
    Peering,
    Gateway,
    ServiceEndpoint,
    PrivateEndpoint,
    User,
}

#[derive(Debug, Clone)]
pub struct RouteEntry {
    pub name: String,
    /// The route table for UDRs, `system routes` otherwise.
    pub table: String,
    pub prefix: RoutePrefix,
    pub next_hop: NextHop,
    pub source: RouteSource,
}

/// The routes of one subnet and the address scope its NSG rules see.
#[derive(Debug, Clone)]
pub struct SubnetRoutes {
    entries: Vec<RouteEntry>,
    /// Where [`SubnetRoutes::select`] looks: the tag routes one by one, the prefix routes by
    /// prefix length and network address — a hub subnet holds a route per peered VNet and per
    /// private endpoint in them, so scanning every route made each flow cost the design's size.
    tag_routes: Vec<usize>,
    prefix_routes: Vec<(u8, HashMap<u32, Vec<usize>>)>,
    pub scope: AddressScope,
}

/// The selected route, with a note when a documented conflict decided it.
#[derive(Debug, Clone)]
pub enum RouteSelection<'a> {
    Route {
        entry: &'a RouteEntry,
        note: Option<String>,
    },
    NoRoute,
    Undecidable(String),
}

/// Builds the effective routes of `subnet` in `vnet`.
pub fn compile_subnet_routes(
    design: &Design,
    topology: &Topology,
    vnet: &VirtualNetwork,
    subnet: &Subnet,
    diagnostics: &mut Vec<Diagnostic>,
) -> SubnetRoutes {
    let options = &design.options;
    let subnet_id = format!("{}/{}", vnet.name, subnet.name);
    let table = subnet
        .route_table
        .as_ref()
        .and_then(|name| topology.route_table(design, name));
    let mut entries = Vec::new();
    let mut scope = AddressScope::default();
    let system = |name: String, prefix, next_hop, source| RouteEntry {
        name,
        table: "system routes".into(),
        prefix: RoutePrefix::Net(prefix),
        next_hop,
        source,
    };

    for &space in &vnet.address_space {
        entries.push(system(
            format!("VNet address space {space}"),
            space,
            NextHop::VnetLocal,
            RouteSource::Default,
        ));
        scope.virtual_network.push(space);
        scope.not_internet.push(space);
    }
    let user_routes = table.map(|(_, t)| t.routes.as_slice()).unwrap_or_default();
    let has_default_udr = user_routes
        .iter()
        .any(|r| matches!(r.address_prefix, AddressMatch::Prefix(p) if p.prefix_len() == 0));
    entries.push(system(
        "default route to the Internet".into(),
        Ipv4Net::default(),
        NextHop::Internet,
        RouteSource::Default,
    ));
    if !has_default_udr {
        for prefix in PRIVATE_RANGES {
            if !vnet.address_space.contains(&prefix) {
                entries.push(system(
                    format!("reserved range {prefix} (next hop None)"),
                    prefix,
                    NextHop::None,
                    RouteSource::Default,
                ));
            }
        }
    }

    let peerings = topology.connected_peerings(&vnet.name);
    let mut gateway_vnets = vec![vnet.name.clone()];
    for (outgoing, incoming) in &peerings {
        let Some(remote) = topology.vnet(design, &outgoing.remote_vnet) else {
            continue;
        };
        for &space in &remote.address_space {
            entries.push(system(
                format!("peering {} to {space}", outgoing.name),
                space,
                NextHop::Peering {
                    remote_vnet: remote.name.clone(),
                },
                RouteSource::Peering,
            ));
            scope.not_internet.push(space);
            if outgoing.allow_virtual_network_access || !options.peered_vnet_requires_access {
                scope.virtual_network.push(space);
            }
        }
        if outgoing.use_remote_gateways && incoming.allow_gateway_transit {
            gateway_vnets.push(remote.name.clone());
        }
    }

    let propagate = !table.is_some_and(|(_, t)| t.disable_gateway_propagation);
    for gateway in design
        .gateways
        .iter()
        .filter(|g| gateway_vnets.contains(&g.vnet))
    {
        for &prefix in &gateway.on_premises_prefixes {
            scope.virtual_network.push(prefix);
            scope.not_internet.push(prefix);
            if propagate {
                entries.push(RouteEntry {
                    name: format!("gateway {} to {prefix}", gateway.name),
                    table: "gateway routes".into(),
                    prefix: RoutePrefix::Net(prefix),
                    next_hop: NextHop::Gateway {
                        name: gateway.name.clone(),
                    },
                    source: RouteSource::Gateway,
                });
            }
        }
    }
    scope.virtual_network.push(Ipv4Net::from(AZURE_HOST_IP));

    entries.extend(service_endpoint_routes(
        vnet,
        subnet,
        &subnet_id,
        options,
        diagnostics,
    ));

    let mut user_entries = Vec::new();
    if let Some((t, route_table)) = table {
        let has_gateway = design
            .gateways
            .iter()
            .any(|g| gateway_vnets.contains(&g.vnet));
        // "Virtual network traffic routing": an ExpressRoute gateway cannot be a UDR's next hop,
        // so a VirtualNetworkGateway route served only by ExpressRoute is not used.
        let express_route_only = has_gateway
            && design
                .gateways
                .iter()
                .filter(|g| gateway_vnets.contains(&g.vnet))
                .all(|g| g.kind == GatewayKind::ExpressRoute);
        for (r, route) in route_table.routes.iter().enumerate() {
            if express_route_only && route.next_hop_type == NextHopType::VirtualNetworkGateway {
                continue;
            }
            let path = format!("$.route_tables[{t}].routes[{r}].address_prefix");
            let element = format!("{}/{}", route_table.name, route.name);
            let Some(prefix) =
                user_route_prefix(&route.address_prefix, options, &element, &path, diagnostics)
            else {
                continue;
            };
            if let RoutePrefix::Net(net) = prefix {
                if options.udr_prefixes_in_virtual_network {
                    scope.virtual_network.push(net);
                }
            }
            let next_hop = match route.next_hop_type {
                NextHopType::VnetLocal => NextHop::VnetLocal,
                NextHopType::Internet => NextHop::Internet,
                NextHopType::None => NextHop::None,
                NextHopType::VirtualAppliance => {
                    route.next_hop_ip.map_or(NextHop::None, NextHop::Appliance)
                }
                NextHopType::VirtualNetworkGateway => match design
                    .gateways
                    .iter()
                    .find(|g| gateway_vnets.contains(&g.vnet) && g.kind == GatewayKind::Vpn)
                {
                    Some(gateway) if has_gateway => NextHop::Gateway {
                        name: gateway.name.clone(),
                    },
                    _ => NextHop::MissingGateway,
                },
            };
            user_entries.push(RouteEntry {
                name: route.name.clone(),
                table: route_table.name.clone(),
                prefix,
                next_hop,
                source: RouteSource::User,
            });
        }
    }

    entries.extend(private_endpoint_routes(
        design,
        topology,
        vnet,
        &peerings
            .iter()
            .map(|(o, _)| o.remote_vnet.as_str())
            .collect::<Vec<_>>(),
        &user_entries,
    ));
    entries.extend(user_entries);
    SubnetRoutes::new(entries, scope)
}

fn user_route_prefix(
    written: &AddressMatch,
    options: &EvaluationOptions,
    element: &str,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<RoutePrefix> {
    match written {
        AddressMatch::Any => None,
        AddressMatch::Prefix(net) => Some(RoutePrefix::Net(*net)),
        AddressMatch::Tag(name) => {
            let tag = match lookup_tag(name) {
                TagLookup::Known(tag) => tag,
                TagLookup::Alias { canonical, note } if options.normalise_doc_tag_spellings => {
                    diagnostics.push(Diagnostic::warning(element, path, note));
                    canonical
                }
                _ => {
                    diagnostics.push(Diagnostic::error(
                        element,
                        path,
                        format!("`{name}` is not a service tag Azure knows: the route is ignored"),
                    ));
                    return None;
                }
            };
            const NOT_ROUTABLE: [&str; 6] = [
                "VirtualNetwork",
                "AzureLoadBalancer",
                "Internet",
                "AzurePlatformDNS",
                "AzurePlatformIMDS",
                "AzurePlatformLKM",
            ];
            if NOT_ROUTABLE.contains(&tag.service.as_str()) {
                diagnostics.push(Diagnostic::error(element, path, format!("service tag {tag} cannot be a route's address prefix: the route is ignored")));
                return None;
            }
            Some(RoutePrefix::Tag(tag))
        }
    }
}

/// `Microsoft.Storage` covers the subnet's region (and, with the older scope, its pair);
/// `Microsoft.Storage.Global` every region. The routes use the service tag's prefixes.
fn service_endpoint_routes(
    vnet: &VirtualNetwork,
    subnet: &Subnet,
    subnet_id: &str,
    options: &EvaluationOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<RouteEntry> {
    let region = normalise_region(&vnet.region);
    let mut routes = Vec::new();
    for service in &subnet.service_endpoints {
        let tags: Vec<CanonicalTag> = match service.to_ascii_lowercase().as_str() {
            "microsoft.storage" => {
                let mut tags = vec![CanonicalTag::new("Storage", Some(&region))];
                if options.storage_endpoint_scope == StorageEndpointScope::SameRegionAndPaired {
                    tags.extend(
                        paired_region(&region).map(|pair| CanonicalTag::new("Storage", Some(pair))),
                    );
                }
                tags
            }
            "microsoft.storage.global" => vec![CanonicalTag::new("Storage", None)],
            "microsoft.keyvault" => vec![CanonicalTag::new("AzureKeyVault", None)],
            "microsoft.containerregistry" => {
                vec![CanonicalTag::new("AzureContainerRegistry", None)]
            }
            "microsoft.azureactivedirectory" => {
                vec![CanonicalTag::new("AzureActiveDirectory", None)]
            }
            _ => {
                diagnostics.push(Diagnostic::warning(subnet_id, "service_endpoints", format!("service endpoint `{service}` is not modelled: its traffic follows the other routes")));
                Vec::new()
            }
        };
        routes.extend(tags.into_iter().map(|tag| RouteEntry {
            name: format!("service endpoint {service} ({tag})"),
            table: "system routes".into(),
            prefix: RoutePrefix::Tag(tag),
            next_hop: NextHop::ServiceEndpoint {
                service: service.clone(),
            },
            source: RouteSource::ServiceEndpoint,
        }));
    }
    routes
}

/// A /32 per private endpoint of the VNet and its connected peers, unless the endpoint's
/// subnet applies route tables and one of this subnet's UDRs is at least as specific as the
/// endpoint VNet's range (a 0.0.0.0/0 UDR never is). Only the endpoints in those VNets are
/// looked at, in design order.
fn private_endpoint_routes(
    design: &Design,
    topology: &Topology,
    vnet: &VirtualNetwork,
    peers: &[&str],
    user_routes: &[RouteEntry],
) -> Vec<RouteEntry> {
    let mut reachable: Vec<usize> = std::iter::once(vnet.name.as_str())
        .chain(peers.iter().copied())
        .flat_map(|name| topology.private_endpoints_in(name))
        .copied()
        .collect();
    reachable.sort_unstable();
    reachable.dedup();
    let mut routes = Vec::new();
    for endpoint in reachable.iter().map(|&i| &design.private_endpoints[i]) {
        let Some((endpoint_vnet, endpoint_subnet)) = topology.subnet(design, &endpoint.subnet)
        else {
            continue;
        };
        if endpoint_vnet.name != vnet.name && !peers.contains(&endpoint_vnet.name.as_str()) {
            continue;
        }
        let range_len = endpoint_vnet
            .address_space
            .iter()
            .filter(|space| space.contains(&endpoint.private_ip))
            .map(|space| space.prefix_len())
            .max()
            .unwrap_or(32);
        let invalidated = endpoint_subnet.private_endpoint_network_policies.applies_route_table()
            && user_routes.iter().any(|route| matches!(route.prefix, RoutePrefix::Net(net) if net.contains(&endpoint.private_ip) && net.prefix_len() >= range_len && net.prefix_len() > 0));
        if invalidated {
            continue;
        }
        routes.push(RouteEntry {
            name: format!(
                "private endpoint {} ({}/32)",
                endpoint.name, endpoint.private_ip
            ),
            table: "system routes".into(),
            prefix: RoutePrefix::Net(Ipv4Net::from(endpoint.private_ip)),
            next_hop: NextHop::PrivateEndpoint {
                name: endpoint.name.clone(),
            },
            source: RouteSource::PrivateEndpoint,
        });
    }
    routes
}

/// Length of the largest CIDR block inside `range` that contains `ip`.
fn block_length(range: (u32, u32), ip: u32) -> u8 {
    (0..=32u8)
        .find(|&len| {
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            let start = ip & mask;
            let end = start | !mask;
            start >= range.0 && end <= range.1
        })
        .unwrap_or(32)
}

/// The prefix length a tag route has for `party`: the published block containing its address,
/// or /16 when the tag's prefixes are not shipped (documented assumption).
fn tag_route_length(tag: &CanonicalTag, party: &Party, data: &ServiceTagData, cloud: Cloud) -> u8 {
    const NOMINAL_TAG_PREFIX: u8 = 16;
    match (party.ip, data.ranges(tag), cloud) {
        (Some(ip), Some(ranges), Cloud::Public) => {
            let ip = u32::from(ip);
            ranges
                .iter()
                .find(|(start, end)| *start <= ip && ip <= *end)
                .map_or(NOMINAL_TAG_PREFIX, |&range| block_length(range, ip))
        }
        _ => NOMINAL_TAG_PREFIX,
    }
}

/// Precedence among routes of equal length (higher wins).
fn rank(entry: &RouteEntry, options: &EvaluationOptions) -> u8 {
    match (entry.source, &entry.prefix) {
        (RouteSource::ServiceEndpoint, _) if options.service_endpoint_beats_udr => 60,
        (RouteSource::User, RoutePrefix::Net(_)) => 50,
        (RouteSource::User, RoutePrefix::Tag(tag)) => {
            let cloud_wide = tag.service == "AzureCloud";
            40 + match (cloud_wide, tag.region.is_some()) {
                (false, true) => 3,
                (false, false) => 2,
                (true, true) => 1,
                (true, false) => 0,
            }
        }
        (RouteSource::ServiceEndpoint, _) => 30,
        (RouteSource::Gateway, _) => 20,
        _ => 10,
    }
}

/// Why a user-defined route won a tie on prefix length against a service-tag UDR ("Virtual
/// network traffic routing", service tags for user-defined routes): an explicit prefix beats a
/// tag; among tags, a regional tag beats its top-level tag, which beats `AzureCloud.<region>`,
/// then `AzureCloud`.
fn tag_tie_note(
    winner: &RouteEntry,
    candidates: &[(u8, u8, &RouteEntry)],
    length: u8,
) -> Option<String> {
    let (_, _, loser) = candidates.iter().skip(1).find(|(l, _, e)| {
        *l == length && e.source == RouteSource::User && matches!(e.prefix, RoutePrefix::Tag(_))
    })?;
    if winner.source != RouteSource::User {
        return None;
    }
    let RoutePrefix::Tag(lost) = &loser.prefix else {
        return None;
    };
    let why = match &winner.prefix {
        RoutePrefix::Net(_) => "an explicit prefix beats a service-tag route".to_string(),
        RoutePrefix::Tag(won) => format!(
            "tag {won} ranks above {lost} (regional tag, then its top-level tag, then AzureCloud.<region>, then AzureCloud)"
        ),
    };
    Some(format!(
        "route {} beat route {} ({lost}) on the same prefix length: {why}",
        winner.name, loser.name
    ))
}

impl SubnetRoutes {
    fn new(entries: Vec<RouteEntry>, scope: AddressScope) -> Self {
        let mut tag_routes = Vec::new();
        let mut by_length: BTreeMap<u8, HashMap<u32, Vec<usize>>> = BTreeMap::new();
        for (index, entry) in entries.iter().enumerate() {
            match &entry.prefix {
                RoutePrefix::Tag(_) => tag_routes.push(index),
                RoutePrefix::Net(net) => by_length
                    .entry(net.prefix_len())
                    .or_default()
                    .entry(u32::from(net.network()))
                    .or_default()
                    .push(index),
            }
        }
        SubnetRoutes {
            entries,
            tag_routes,
            prefix_routes: by_length.into_iter().collect(),
            scope,
        }
    }

    /// The routes whose prefix covers `ip` (for a destination without an address, the
    /// 0.0.0.0/0 routes), with their prefix lengths.
    fn covering(&self, ip: Option<Ipv4Addr>) -> impl Iterator<Item = (usize, u8)> + '_ {
        self.prefix_routes
            .iter()
            .flat_map(move |(length, networks)| {
                let network = match ip {
                    Some(ip) => Ipv4Net::new(ip, *length)
                        .ok()
                        .map(|net| u32::from(net.network())),
                    None => (*length == 0).then_some(0),
                };
                network
                    .and_then(|network| networks.get(&network))
                    .into_iter()
                    .flatten()
                    .map(move |&index| (index, *length))
            })
    }

    /// Longest prefix match for `destination`, then Azure's precedence on ties (equal
    /// candidates in the order the routes were compiled).
    pub fn select(
        &self,
        destination: &Party,
        data: &ServiceTagData,
        cloud: Cloud,
        options: &EvaluationOptions,
    ) -> RouteSelection<'_> {
        let mut matching: Vec<(usize, u8)> = Vec::new();
        for &index in &self.tag_routes {
            let entry = &self.entries[index];
            let RoutePrefix::Tag(tag) = &entry.prefix else {
                continue;
            };
            match tag_matches(tag, destination, data, cloud) {
                Match::Yes => {
                    matching.push((index, tag_route_length(tag, destination, data, cloud)))
                }
                Match::No => {}
                Match::Unknown(_) if destination.ip.is_none() => {}
                Match::Unknown(reason) => {
                    return RouteSelection::Undecidable(format!(
                        "route {} in {}: {reason}",
                        entry.name, entry.table
                    ))
                }
            }
        }
        matching.extend(self.covering(destination.ip));
        matching.sort_unstable_by_key(|&(index, _)| index);
        let mut candidates: Vec<(u8, u8, &RouteEntry)> = matching
            .into_iter()
            .map(|(index, length)| {
                let entry = &self.entries[index];
                (length, rank(entry, options), entry)
            })
            .collect();
        // VNet, peering and service endpoint routes beat gateway (BGP) routes even when less specific.
        if candidates.iter().any(|(_, _, e)| {
            matches!(
                e.source,
                RouteSource::Default | RouteSource::Peering | RouteSource::ServiceEndpoint
            ) && matches!(
                e.next_hop,
                NextHop::VnetLocal | NextHop::Peering { .. } | NextHop::ServiceEndpoint { .. }
            )
        }) {
            candidates.retain(|(_, _, e)| e.source != RouteSource::Gateway);
        }
        candidates.sort_by_key(|&(length, rank, _)| std::cmp::Reverse((length, rank)));
        let Some(&(length, _, entry)) = candidates.first() else {
            return RouteSelection::NoRoute;
        };
        let note = (entry.source == RouteSource::ServiceEndpoint)
            .then(|| candidates.iter().find(|(l, _, e)| *l == length && e.source == RouteSource::User))
            .flatten()
            .map(|(_, _, udr)| format!("service endpoint route beat UDR {} on the same prefix (option service_endpoint_beats_udr; docs conflict)", udr.name))
            .or_else(|| tag_tie_note(entry, &candidates, length));
        RouteSelection::Route { entry, note }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_length_is_the_largest_aligned_block_in_the_range() {
        let range = (
            u32::from(Ipv4Addr::new(10, 0, 0, 0)),
            u32::from(Ipv4Addr::new(10, 0, 255, 255)),
        );
        assert_eq!(
            block_length(range, u32::from(Ipv4Addr::new(10, 0, 3, 4))),
            16
        );
        let odd = (
            u32::from(Ipv4Addr::new(10, 0, 1, 0)),
            u32::from(Ipv4Addr::new(10, 0, 2, 255)),
        );
        assert_eq!(block_length(odd, u32::from(Ipv4Addr::new(10, 0, 2, 9))), 24);
    }
}
