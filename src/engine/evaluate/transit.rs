//! The walk's transit through a next hop: whether a `VirtualAppliance` next hop is reachable
//! from the routing subnet at all, and the NSGs of a network virtual appliance's subnet and NIC,
//! which filter forwarded traffic like any other traffic arriving at and leaving the NIC.
//!
//! Microsoft Learn, "Virtual network traffic routing" (user-defined routes): the next-hop IP of
//! a `VirtualAppliance` route must have direct connectivity — an address in the same VNet or in
//! a directly peered VNet; "if the IP address has no direct connectivity, the route
//! configuration is invalid". A peering carries traffic only when both directions exist
//! (`Connected`); a single direction (`Initiated`) carries nothing ("Virtual network peering").
//! NSGs ("Network security groups: how network security groups filter network traffic"):
//! inbound traffic meets the subnet's NSG then the NIC's; outbound the NIC's then the subnet's.

use std::net::Ipv4Addr;

use super::admin::AdminOutcome;
use super::{no_rule, End, Sender, Walk};
use crate::engine::address::{Party, PrefixContains};
use crate::engine::endpoints::Destination;
use crate::engine::trace::{Outcome, RuleRef, Step, Verdict};
use crate::model::{Direction, NetworkInterface, Peering};

/// How the VNet of a next hop relates to the VNet whose route points at it.
enum NextHopReach<'d> {
    SameVnet,
    /// A `Connected` peering (both directions exist).
    Peered,
    /// Only one direction of the peering exists (`Initiated`): no traffic flows.
    OneSided(&'d Peering),
    Unpeered,
}

fn vnet_of(subnet: &str) -> &str {
    subnet.split('/').next().unwrap_or_default()
}

impl<'e> Walk<'e> {
    fn next_hop_reach(&self, from_vnet: &str, hop_vnet: &str) -> NextHopReach<'e> {
        if from_vnet == hop_vnet {
            return NextHopReach::SameVnet;
        }
        let topology = &self.engine.topology;
        if topology
            .connected_peerings(from_vnet)
            .iter()
            .any(|(outgoing, _)| outgoing.remote_vnet == hop_vnet)
        {
            return NextHopReach::Peered;
        }
        let one_sided = topology
            .unconnected_peerings(from_vnet)
            .into_iter()
            .chain(topology.unconnected_peerings(hop_vnet))
            .find(|p| {
                (p.local_vnet == from_vnet && p.remote_vnet == hop_vnet)
                    || (p.local_vnet == hop_vnet && p.remote_vnet == from_vnet)
            });
        one_sided.map_or(NextHopReach::Unpeered, NextHopReach::OneSided)
    }

    /// Carries the packet from `subnet` to the next hop `name` in `hop_subnet`: `None` when it
    /// arrives (crossing the peering when the hop is in a peered VNet), the end otherwise.
    pub(super) fn reach_next_hop(
        &mut self,
        subnet: &str,
        name: &str,
        ip: Ipv4Addr,
        hop_subnet: &str,
        sender: &Sender,
    ) -> Option<End> {
        let (from_vnet, hop_vnet) = (vnet_of(subnet), vnet_of(hop_subnet));
        let why = match self.next_hop_reach(from_vnet, hop_vnet) {
            NextHopReach::SameVnet => return None,
            NextHopReach::Peered => return self.cross_peering(from_vnet, hop_vnet, sender),
            NextHopReach::OneSided(peering) => {
                let rule = || {
                    Some(RuleRef {
                        name: peering.name.clone(),
                        priority: None,
                        container: format!("{} → {}", peering.local_vnet, peering.remote_vnet),
                    })
                };
                let reason = format_args!(
                    "next hop {ip} ({name}) is in VNet {hop_vnet}, but only one direction of the peering exists ({} → {}, Initiated, not Connected): no traffic crosses it, so the route to the appliance is invalid and the packet is dropped",
                    peering.local_vnet, peering.remote_vnet
                );
                return Some(self.stop(Verdict::NoRoute, Step::Peering, &peering.name, rule, reason));
            }
            NextHopReach::Unpeered => format_args!(
                "next hop {ip} ({name}) is in VNet {hop_vnet}, which is not peered with {from_vnet}: a next-hop address without direct connectivity makes the route invalid, so the packet never reaches the appliance"
            ),
        };
        Some(self.stop(Verdict::NoRoute, Step::Appliance, name, no_rule, why))
    }

    /// When `destination` lies in a VNet joined to `subnet`'s VNet by a peering with one
    /// direction only, notes why no peering route carries it ("Virtual network peering": an
    /// `Initiated` peering carries no traffic).
    pub(super) fn note_one_sided_peering(&mut self, subnet: &str, destination: &Party) {
        // Text only: a verdict-only walk skips the search.
        let Some(ip) = destination.ip.filter(|_| self.hops.explains()) else {
            return;
        };
        let design = &self.engine.design;
        let local = vnet_of(subnet);
        let one_sided = self
            .engine
            .lookup
            .one_sided_peerings(local)
            .iter()
            .map(|&i| &design.peerings[i])
            .find(|p| {
                let other = if p.local_vnet == local {
                    &p.remote_vnet
                } else {
                    &p.local_vnet
                };
                design
                    .virtual_networks
                    .iter()
                    .filter(|v| &v.name == other)
                    .flat_map(|v| &v.address_space)
                    .any(|space| space.covers(ip))
            });
        if let Some(peering) = one_sided {
            let rule = || {
                Some(RuleRef {
                    name: peering.name.clone(),
                    priority: None,
                    container: format!("{} → {}", peering.local_vnet, peering.remote_vnet),
                })
            };
            let reason = format_args!(
                "{ip} is in VNet {}, but peering {} exists only from {} to {} (Initiated, not Connected): it carries no traffic, so there is no peering route",
                if peering.local_vnet == local { &peering.remote_vnet } else { &peering.local_vnet },
                peering.name, peering.local_vnet, peering.remote_vnet
            );
            self.hop(Step::Peering, &peering.name, Outcome::Info, rule, reason);
        }
    }

    /// Forwarded traffic through a network virtual appliance's NIC: inbound through its
    /// subnet's then its NIC's NSG, outbound through its NIC's then its subnet's.
    pub(super) fn appliance_nsgs(
        &mut self,
        nic: &NetworkInterface,
        sender: &Sender,
        destination: &Destination<'e>,
    ) -> Option<End> {
        if let Some(end) = self.nic_inbound(nic, &sender.party, &destination.party) {
            return Some(end);
        }
        match self.admin_rules(
            Direction::Outbound,
            &nic.subnet,
            &sender.party,
            &destination.party,
        ) {
            AdminOutcome::Stop(end) => return Some(end),
            AdminOutcome::SkipNsgs => return None,
            AdminOutcome::EvaluateNsgs => {}
        }
        let subnet_nsg = self
            .engine
            .subnet(&nic.subnet)
            .and_then(|(_, s)| s.nsg.as_deref());
        [("NIC", nic.nsg.as_deref()), ("subnet", subnet_nsg)]
            .into_iter()
            .find_map(|(level, nsg)| {
                self.nsg(
                    Step::NsgOutbound,
                    Direction::Outbound,
                    nsg,
                    level,
                    &nic.subnet,
                    &sender.party,
                    &destination.party,
                )
            })
    }
}
