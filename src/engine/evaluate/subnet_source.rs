//! The walk from a source in a customer subnet: its outbound NSG step, the route its subnet's
//! table chooses, and where that next hop leads — a firewall, a gateway, a peering, the
//! internet edge — and a NIC's inbound NSGs on the way in.

use super::admin::AdminOutcome;
use super::{destination_label, no_rule, route_text, End, Sender, Walk};
use crate::engine::address::{AddressScope, Party};
use crate::engine::endpoints::{Destination, Entity};
use crate::engine::firewall::FirewallPacket;
use crate::engine::nsg::{NsgDecision, NsgPacket};
use crate::engine::routing::{NextHop, RouteSelection, SubnetRoutes};
use crate::engine::trace::{Outcome, RuleRef, Step, Verdict};
use crate::model::{Access, Compute, Direction, NetworkInterface};

/// Appliances a packet may pass through in a row before the walk stops (a routing loop).
const MAX_APPLIANCE_HOPS: usize = 4;

impl<'e> Walk<'e> {
    pub(super) fn start_in_subnet(
        &mut self,
        subnet: &str,
        compute: Option<&Compute>,
        sender: Sender,
        destination: &Destination<'e>,
    ) -> End {
        if matches!(destination.entity, Entity::PlatformAddress) {
            self.hop(
                Step::NsgOutbound,
                subnet,
                Outcome::Allow,
                no_rule,
                "168.63.129.16 and 169.254.169.254 are not filtered by NSGs",
            );
            self.hop(
                Step::Delivered,
                destination_label(destination),
                Outcome::Allow,
                no_rule,
                "reaches the Azure platform address",
            );
            return self.end(
                Verdict::Allowed,
                "platform addresses are always reachable from a VNet",
            );
        }
        let nic_nsg = compute
            .and_then(|c| c.nic.as_ref())
            .and_then(|n| n.nsg.as_deref());
        let subnet_nsg = self
            .engine
            .subnet(subnet)
            .and_then(|(_, s)| s.nsg.as_deref());
        let nsgs = match self.admin_rules(
            Direction::Outbound,
            subnet,
            &sender.party,
            &destination.party,
        ) {
            AdminOutcome::Stop(end) => return end,
            AdminOutcome::SkipNsgs => Vec::new(),
            AdminOutcome::EvaluateNsgs => vec![("NIC", nic_nsg), ("subnet", subnet_nsg)],
        };
        for (level, nsg) in nsgs {
            if let Some(end) = self.nsg(
                Step::NsgOutbound,
                Direction::Outbound,
                nsg,
                level,
                subnet,
                &sender.party,
                &destination.party,
            ) {
                return end;
            }
        }
        self.route(subnet, sender, destination, 0)
    }

    /// Evaluates one NSG level; `Some(end)` when it stops the packet.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn nsg(
        &mut self,
        step: Step,
        direction: Direction,
        nsg: Option<&str>,
        level: &str,
        subnet: &str,
        source: &Party,
        destination: &Party,
    ) -> Option<End> {
        let engine = self.engine;
        let Some(name) = nsg else {
            self.hop(
                step,
                format_args!("{subnet} ({level})"),
                Outcome::Allow,
                no_rule,
                format_args!("no NSG on the {level}: all traffic passes"),
            );
            return None;
        };
        let Some(compiled) = engine.nsgs.get(name) else {
            self.hop(
                step,
                name,
                Outcome::Unsupported,
                no_rule,
                "the NSG is not in the design",
            );
            return Some(self.end(
                Verdict::Unsupported,
                format_args!("NSG {name} is referenced but not defined"),
            ));
        };
        let no_scope = AddressScope::default();
        let scope = engine
            .subnet_routes
            .get(subnet)
            .map_or(&no_scope, |r| &r.scope);
        let packet = NsgPacket {
            source,
            destination,
            protocol: self.flow.protocol,
            ports: &self.ports,
        };
        match compiled.evaluate(
            direction,
            packet,
            scope,
            engine.service_tags(),
            engine.design.cloud,
            &engine.design.options,
        ) {
            NsgDecision::Matched(rule) => {
                let rule_ref = || {
                    Some(RuleRef {
                        name: rule.name.clone(),
                        priority: Some(rule.priority),
                        container: name.to_string(),
                    })
                };
                let default = if rule.is_default { "default rule " } else { "" };
                let verb = if rule.access == Access::Allow {
                    "allows"
                } else {
                    "denies"
                };
                let reason = format_args!(
                    "{level} NSG {name}: {default}{} (priority {}) {verb} it",
                    rule.name, rule.priority
                );
                if rule.access == Access::Allow {
                    self.hop(step, name, Outcome::Allow, rule_ref, reason);
                    None
                } else {
                    Some(self.stop(Verdict::Blocked, step, name, rule_ref, reason))
                }
            }
            NsgDecision::Undecidable { rule, reason } => {
                let rule_ref = || {
                    Some(RuleRef {
                        name: rule.name.clone(),
                        priority: Some(rule.priority),
                        container: name.to_string(),
                    })
                };
                self.hop(step, name, Outcome::Unsupported, rule_ref, &reason);
                Some(self.end(
                    Verdict::Unsupported,
                    format_args!("NSG {name} rule {}: {reason}", rule.name),
                ))
            }
            NsgDecision::NoRuleMatched => {
                let protocol = self.flow.protocol;
                let reason = format_args!("no rule of {name} matches protocol {protocol} (option any_protocol_includes_esp_ah is off)");
                Some(self.stop(Verdict::Unsupported, step, name, no_rule, reason))
            }
        }
    }

    /// The packet as a firewall sees it at this point of the walk.
    pub(super) fn firewall_packet<'p>(
        &'p self,
        source: &'p Party,
        destination: &'p Party,
        fqdn: Option<&'p str>,
    ) -> FirewallPacket<'p> {
        FirewallPacket {
            source,
            destination,
            fqdn,
            protocol: self.flow.protocol,
            ports: &self.ports,
        }
    }

    /// Inbound to a NIC: the subnet NSG, then the NIC NSG; both must allow.
    pub(super) fn nic_inbound(
        &mut self,
        nic: &NetworkInterface,
        source: &Party,
        destination: &Party,
    ) -> Option<End> {
        let subnet_nsg = self
            .engine
            .subnet(&nic.subnet)
            .and_then(|(_, s)| s.nsg.as_deref());
        match self.admin_rules(Direction::Inbound, &nic.subnet, source, destination) {
            AdminOutcome::Stop(end) => return Some(end),
            AdminOutcome::SkipNsgs => return None,
            AdminOutcome::EvaluateNsgs => {}
        }
        [("subnet", subnet_nsg), ("NIC", nic.nsg.as_deref())]
            .into_iter()
            .find_map(|(level, nsg)| {
                self.nsg(
                    Step::NsgInbound,
                    Direction::Inbound,
                    nsg,
                    level,
                    &nic.subnet,
                    source,
                    destination,
                )
            })
    }

    pub(super) fn route(
        &mut self,
        subnet: &str,
        sender: Sender,
        destination: &Destination<'e>,
        depth: usize,
    ) -> End {
        match self.engine.subnet_routes.get(subnet) {
            Some(routes) => self.route_with(routes, subnet, sender, destination, depth),
            None => self.end(
                Verdict::Unsupported,
                format_args!("subnet {subnet} is not in the design"),
            ),
        }
    }

    pub(super) fn route_with(
        &mut self,
        routes: &'e SubnetRoutes,
        subnet: &str,
        sender: Sender,
        destination: &Destination<'e>,
        depth: usize,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        if depth > MAX_APPLIANCE_HOPS {
            self.hop(
                Step::Route,
                subnet,
                Outcome::Drop,
                no_rule,
                "more than four appliance hops: routing loop",
            );
            return self.end(Verdict::NoRoute, "routing loop between appliances");
        }
        let entry = match routes.select(
            &destination.party,
            engine.service_tags(),
            design.cloud,
            &design.options,
        ) {
            RouteSelection::Route { entry, note } => {
                if let Some(note) = note {
                    self.hop(Step::Route, subnet, Outcome::Info, no_rule, note);
                }
                entry
            }
            RouteSelection::NoRoute => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Drop,
                    no_rule,
                    "no route matches the destination",
                );
                return self.end(
                    Verdict::NoRoute,
                    format_args!("no route in {subnet} matches the destination"),
                );
            }
            RouteSelection::Undecidable(reason) => {
                return self.stop(Verdict::Unsupported, Step::Route, subnet, no_rule, reason);
            }
        };
        if !matches!(entry.next_hop, NextHop::Peering { .. } | NextHop::VnetLocal) {
            self.note_one_sided_peering(subnet, &destination.party);
        }
        let rule = || {
            Some(RuleRef {
                name: entry.name.clone(),
                priority: None,
                container: entry.table.clone(),
            })
        };
        match &entry.next_hop {
            NextHop::None | NextHop::MissingGateway => {
                let why = if entry.next_hop == NextHop::None {
                    "next hop None"
                } else {
                    "next hop VirtualNetworkGateway, but no gateway serves this VNet"
                };
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Drop,
                    rule,
                    route_text(subnet, entry, why),
                );
                self.end(
                    Verdict::NoRoute,
                    format_args!("dropped by route {} in {}: {why}", entry.name, entry.table),
                )
            }
            NextHop::VnetLocal => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(subnet, entry, "VnetLocal"),
                );
                self.deliver_in_vnet(sender, destination)
            }
            NextHop::Peering { remote_vnet } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(subnet, entry, format_args!("VNet peering to {remote_vnet}")),
                );
                let local_vnet = subnet.split('/').next().unwrap_or_default();
                if let Some(end) = self.cross_peering(local_vnet, remote_vnet, &sender) {
                    return end;
                }
                self.deliver_in_vnet(sender, destination)
            }
            NextHop::Internet => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(subnet, entry, "Internet"),
                );
                self.leave_to_internet(subnet, sender, destination)
            }
            NextHop::Gateway { name } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(
                        subnet,
                        entry,
                        format_args!("virtual network gateway {name}"),
                    ),
                );
                self.hop(
                    Step::Delivered,
                    destination_label(destination),
                    Outcome::Allow,
                    no_rule,
                    "leaves Azure through the gateway; the on-premises side is not modelled",
                );
                self.end(
                    Verdict::Allowed,
                    format_args!("routed on-premises through gateway {name}"),
                )
            }
            NextHop::ServiceEndpoint { service } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(subnet, entry, format_args!("service endpoint {service}")),
                );
                self.over_service_endpoint(subnet, service, destination)
            }
            NextHop::PrivateEndpoint { name } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(subnet, entry, format_args!("private endpoint {name}")),
                );
                self.enter_private_endpoint(sender, destination)
            }
            NextHop::Appliance(ip) => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(subnet, entry, format_args!("virtual appliance {ip}")),
                );
                self.through_appliance(subnet, *ip, sender, destination, depth)
            }
        }
    }

    pub(super) fn cross_peering(
        &mut self,
        local_vnet: &str,
        remote_vnet: &str,
        sender: &Sender,
    ) -> Option<End> {
        let peerings = self.engine.topology.connected_peerings(local_vnet);
        let (outgoing, incoming) = peerings
            .iter()
            .find(|(o, _)| o.remote_vnet == remote_vnet)?;
        let rule = |p: &crate::model::Peering| {
            Some(RuleRef {
                name: p.name.clone(),
                priority: None,
                container: format!("{} → {}", p.local_vnet, p.remote_vnet),
            })
        };
        if !outgoing.allow_virtual_network_access {
            let reason = format_args!(
                "peering {} does not allow virtual network access",
                outgoing.name
            );
            return Some(self.stop(
                Verdict::Blocked,
                Step::Peering,
                &outgoing.name,
                || rule(outgoing),
                reason,
            ));
        }
        if sender.forwarded && !incoming.allow_forwarded_traffic {
            let reason = format_args!("the packet was forwarded by an appliance and peering {} does not allow forwarded traffic", incoming.name);
            return Some(self.stop(
                Verdict::Blocked,
                Step::Peering,
                &incoming.name,
                || rule(incoming),
                reason,
            ));
        }
        self.hop(
            Step::Peering,
            &outgoing.name,
            Outcome::Allow,
            || rule(outgoing),
            format_args!("crosses peering {local_vnet} → {remote_vnet}"),
        );
        None
    }
}
