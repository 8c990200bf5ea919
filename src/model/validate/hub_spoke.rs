//! Checks of hub-spoke designs that Microsoft Learn states as configuration rules (issue 12):
//! a `VirtualAppliance` next hop needs direct connectivity from every subnet whose table names
//! it ("Virtual network traffic routing": an address without direct connectivity makes the
//! route configuration invalid; a peering connects only once both directions exist); an
//! ExpressRoute gateway cannot be a user-defined route's next hop (same document); an Azure
//! Firewall needs a public IP unless it forces its internet traffic elsewhere ("Azure Firewall
//! forced tunneling": only then can its data path go without one).

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use super::Validator;
use crate::model::{AddressMatch, Design, GatewayKind, NextHopType};

/// The VNet holding the forwarding address `ip` (an Azure Firewall, a NIC or an internal load
/// balancer frontend), with its name.
fn appliance_at(design: &Design, ip: Ipv4Addr) -> Option<(&str, &str)> {
    let firewall = design
        .firewalls
        .iter()
        .find(|f| f.private_ip == ip)
        .map(|f| (f.name.as_str(), f.subnet.as_str()));
    let nic = || {
        design.computes.iter().find_map(|c| {
            c.nic
                .as_ref()
                .filter(|n| n.private_ip == ip)
                .map(|n| (c.name.as_str(), n.subnet.as_str()))
        })
    };
    let frontend = || {
        design.load_balancers.iter().find_map(|lb| {
            lb.frontend_at(ip)
                .and_then(|f| f.subnet.as_deref())
                .map(|subnet| (lb.name.as_str(), subnet))
        })
    };
    firewall
        .or_else(nic)
        .or_else(frontend)
        .map(|(name, subnet)| (name, subnet.split('/').next().unwrap_or_default()))
}

/// The design's peerings as (local VNet, remote VNet) pairs.
fn peering_pairs(design: &Design) -> BTreeSet<(&str, &str)> {
    design
        .peerings
        .iter()
        .map(|p| (p.local_vnet.as_str(), p.remote_vnet.as_str()))
        .collect()
}

/// Per route table, the subnets (`vnet/subnet`) using it, with their VNet: one pass over the
/// subnets for every table (a search per table was quadratic at enterprise scale).
fn subnets_by_route_table(design: &Design) -> BTreeMap<&str, Vec<(&str, String)>> {
    let mut users: BTreeMap<&str, Vec<(&str, String)>> = BTreeMap::new();
    for vnet in &design.virtual_networks {
        for subnet in &vnet.subnets {
            if let Some(table) = subnet.route_table.as_deref() {
                users
                    .entry(table)
                    .or_default()
                    .push((vnet.name.as_str(), format!("{}/{}", vnet.name, subnet.name)));
            }
        }
    }
    users
}

/// The kinds of the gateways serving `vnet`: its own, and a peer's used as a remote gateway.
fn gateway_kinds(design: &Design, vnet: &str) -> Vec<GatewayKind> {
    let remote = |g: &str| {
        design
            .peerings
            .iter()
            .any(|p| p.local_vnet == vnet && p.remote_vnet == g && p.use_remote_gateways)
            && design
                .peerings
                .iter()
                .any(|p| p.local_vnet == g && p.remote_vnet == vnet && p.allow_gateway_transit)
    };
    design
        .gateways
        .iter()
        .filter(|g| g.vnet == vnet || remote(&g.vnet))
        .map(|g| g.kind)
        .collect()
}

/// Whether `subnet`'s route table sends 0.0.0.0/0 somewhere other than the internet (the
/// forced-tunnelling configuration of an Azure Firewall).
fn forces_tunnel(design: &Design, subnet: &str) -> bool {
    let Some((vnet, name)) = subnet.split_once('/') else {
        return false;
    };
    let table = design
        .virtual_networks
        .iter()
        .filter(|v| v.name == vnet)
        .flat_map(|v| &v.subnets)
        .find(|s| s.name == name)
        .and_then(|s| s.route_table.as_deref());
    design
        .route_tables
        .iter()
        .filter(|t| Some(t.name.as_str()) == table)
        .flat_map(|t| &t.routes)
        .any(|r| {
            matches!(r.address_prefix, AddressMatch::Prefix(net) if net.prefix_len() == 0)
                && r.next_hop_type != NextHopType::Internet
        })
}

impl Validator<'_> {
    /// An error for each Azure Firewall without a public IP whose subnet does not force its
    /// internet traffic elsewhere: Azure does not deploy it, and it would have no internet path.
    pub(super) fn check_firewall_public_ips(&mut self) {
        let design = self.design;
        for (i, firewall) in design.firewalls.iter().enumerate() {
            if firewall.public_ips().is_empty() && !forces_tunnel(design, &firewall.subnet) {
                self.error(
                    &firewall.name,
                    format!("$.firewalls[{i}].public_ip"),
                    "Azure Firewall requires a public IP address unless it is deployed for forced tunnelling (a management public IP and a 0.0.0.0/0 route on its subnet to a gateway or appliance): without one it has no internet path".into(),
                );
            }
        }
    }

    /// An error for each `VirtualNetworkGateway` route whose subnet is served only by
    /// ExpressRoute gateways: Azure does not use it.
    pub(super) fn check_express_route_next_hops(&mut self) {
        let design = self.design;
        let users_of = subnets_by_route_table(design);
        for (t, table) in design.route_tables.iter().enumerate() {
            let users = users_of
                .get(table.name.as_str())
                .map_or(&[][..], Vec::as_slice);
            for (r, route) in table.routes.iter().enumerate() {
                if route.next_hop_type != NextHopType::VirtualNetworkGateway {
                    continue;
                }
                for (vnet, subnet) in users {
                    let kinds = gateway_kinds(design, vnet);
                    if !kinds.is_empty() && kinds.iter().all(|k| *k == GatewayKind::ExpressRoute) {
                        self.error(
                            &format!("{}/{}", table.name, route.name),
                            format!("$.route_tables[{t}].routes[{r}].next_hop_type"),
                            format!("the gateway serving {subnet} is an ExpressRoute gateway, which cannot be the next hop of a user-defined route (only a VPN gateway can): the route is not used"),
                        );
                    }
                }
            }
        }
    }

    /// Warns about `VirtualAppliance` routes whose next hop sits in a VNet that a subnet using
    /// the table cannot reach directly.
    pub(super) fn check_next_hop_reachability(&mut self) {
        let design = self.design;
        let users_of = subnets_by_route_table(design);
        let peerings = peering_pairs(design);
        for (t, table) in design.route_tables.iter().enumerate() {
            let users = users_of
                .get(table.name.as_str())
                .map_or(&[][..], Vec::as_slice);
            for (r, route) in table.routes.iter().enumerate() {
                let (NextHopType::VirtualAppliance, Some(ip)) =
                    (route.next_hop_type, route.next_hop_ip)
                else {
                    continue;
                };
                let Some((appliance, hop_vnet)) = appliance_at(design, ip) else {
                    continue;
                };
                for (vnet, subnet) in users {
                    if *vnet == hop_vnet {
                        continue;
                    }
                    let out = peerings.contains(&(*vnet, hop_vnet));
                    let back = peerings.contains(&(hop_vnet, *vnet));
                    let why = match (out, back) {
                        (true, true) => continue,
                        (false, false) => format!("VNet {hop_vnet} is not peered with {vnet}"),
                        _ => format!(
                            "only one direction of the peering between {vnet} and {hop_vnet} exists (Initiated, not Connected)"
                        ),
                    };
                    self.warning(
                        &format!("{}/{}", table.name, route.name),
                        format!("$.route_tables[{t}].routes[{r}].next_hop_ip"),
                        format!("next hop {ip} ({appliance}) is unreachable from {subnet}: {why}, so the route is invalid and the traffic is dropped"),
                    );
                }
            }
        }
    }
}
