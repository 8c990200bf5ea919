//! The walk's arrival: delivery inside a VNet (inbound NSGs, the return path), private
//! endpoints and the PaaS data plane behind them, service endpoints, and transit through a
//! network virtual appliance.

use std::fmt::{self, Display};
use std::net::Ipv4Addr;

use super::admin::AdminOutcome;
use super::internet_edge::egress_identity;
use super::private_subnet::DefaultOutbound;
use super::{describe_party, destination_label, no_rule, End, Sender, Walk};
use crate::engine::address::Party;
use crate::engine::endpoints::{Destination, Entity};
use crate::engine::firewall::FirewallOutcome;
use crate::engine::paas::{evaluate_resource, evaluate_workspace, sep_decision, AccessPath};
use crate::engine::perimeter;
use crate::engine::port_span::PortSpan;
use crate::engine::routing::{NextHop, RouteSelection};
use crate::engine::trace::{HopLog, Outcome, RuleRef, Step, Verdict};
use crate::model::{Cloud, Compute, Direction, NetworkInterface, PaasKind, PortRange, Protocol};

impl<'e> Walk<'e> {
    pub(super) fn deliver_in_vnet(&mut self, sender: Sender, destination: &Destination<'e>) -> End {
        let engine = self.engine;
        let design = &engine.design;
        match &destination.entity {
            Entity::PrivateEndpoint(_) => self.enter_private_endpoint(sender, destination),
            Entity::Compute(compute) => {
                let Some(nic) = compute.nic.as_ref() else {
                    return self.end(
                        Verdict::NoRoute,
                        format_args!("{} has no NIC in a customer VNet", compute.name),
                    );
                };
                if let Some(end) = self.nic_inbound(nic, &sender.party, &destination.party) {
                    return end;
                }
                if let Some(end) = self.check_return_path(&nic.subnet, &sender) {
                    return end;
                }
                self.delivered(destination, format_args!("reaches {}", compute.name))
            }
            Entity::SubnetAddress(subnet) => {
                let subnet_nsg = self
                    .engine
                    .subnet(subnet)
                    .and_then(|(_, s)| s.nsg.as_deref());
                let admin = self.admin_rules(
                    Direction::Inbound,
                    subnet,
                    &sender.party,
                    &destination.party,
                );
                let subnet_nsg = match admin {
                    AdminOutcome::Stop(end) => return end,
                    AdminOutcome::SkipNsgs => None,
                    AdminOutcome::EvaluateNsgs => Some(subnet_nsg),
                };
                if let Some(end) = subnet_nsg.and_then(|subnet_nsg| {
                    self.nsg(
                        Step::NsgInbound,
                        Direction::Inbound,
                        subnet_nsg,
                        "subnet",
                        subnet,
                        &sender.party,
                        &destination.party,
                    )
                }) {
                    return end;
                }
                self.delivered(
                    destination,
                    format_args!(
                        "reaches an address in {subnet} (no modelled NIC there, so no NIC NSG)"
                    ),
                )
            }
            Entity::Firewall(index) => {
                let name = &design.firewalls[*index].name;
                self.delivered(destination, format_args!("reaches firewall {name} itself"))
            }
            Entity::LoadBalancer { lb, frontend } if frontend.public_ip.is_none() => {
                self.deliver_through_frontend(sender, lb, frontend, destination)
            }
            _ => {
                let address = describe_party(&destination.party);
                self.hop(
                    Step::Route,
                    &address,
                    Outcome::Drop,
                    no_rule,
                    "the route leads into the VNet, but no subnet holds this address",
                );
                self.end(
                    Verdict::NoRoute,
                    format_args!("{address} is routed into the VNet but no subnet holds it"),
                )
            }
        }
    }

    /// A stateful firewall that forwarded without SNAT sees only half the connection unless the
    /// destination routes its reply back through it.
    fn check_return_path(&mut self, destination_subnet: &str, sender: &Sender) -> Option<End> {
        let engine = self.engine;
        let (index, routes) = (
            sender.unsnatted_firewall?,
            engine.subnet_routes.get(destination_subnet)?,
        );
        let firewall = &engine.firewalls[index];
        let back = routes.select(
            &sender.party,
            engine.service_tags(),
            engine.design.cloud,
            &engine.design.options,
        );
        let returns_through = matches!(back, RouteSelection::Route { entry, .. } if entry.next_hop == NextHop::Appliance(firewall.private_ip));
        if returns_through {
            return None;
        }
        let no_route_back = matches!(back, RouteSelection::NoRoute)
            || matches!(back, RouteSelection::Route { entry, .. } if matches!(entry.next_hop, NextHop::None | NextHop::MissingGateway));
        let reply = fmt::from_fn(|f| {
            if no_route_back {
                write!(
                    f,
                    "has no route back to {} (the reply is dropped)",
                    describe_party(&sender.party)
                )
            } else {
                write!(
                    f,
                    "routes the reply to {} around it, so the stateful firewall drops it",
                    describe_party(&sender.party)
                )
            }
        });
        let reason = format_args!(
            "asymmetric path: firewall {} forwarded without SNAT, but {destination_subnet} {reply}",
            firewall.name
        );
        Some(self.stop(
            Verdict::Blocked,
            Step::Route,
            destination_subnet,
            no_rule,
            reason,
        ))
    }

    pub(super) fn delivered(&mut self, destination: &Destination<'e>, reason: impl Display) -> End {
        if let Entity::Compute(compute) = &destination.entity {
            let batch_ports = PortRange {
                first: 29876,
                last: 29877,
            };
            if compute.kind.is_aml_compute()
                && compute.node_communication == crate::model::NodeCommunication::Simplified
                && PortSpan::check_in(&self.ports, &[batch_ports])
            {
                self.hop(Step::Delivered, &compute.name, Outcome::Info, no_rule, "simplified node communication: Azure Batch no longer connects inbound on 29876-29877 (the network would still allow it)");
            }
        }
        self.stop(
            Verdict::Allowed,
            Step::Delivered,
            destination_label(destination),
            no_rule,
            reason,
        )
    }

    pub(super) fn enter_private_endpoint(
        &mut self,
        sender: Sender,
        destination: &Destination<'e>,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        let Entity::PrivateEndpoint(endpoint) = &destination.entity else {
            return self.deliver_in_vnet(sender, destination);
        };
        let rule = || {
            Some(RuleRef {
                name: endpoint.name.clone(),
                priority: None,
                container: endpoint.target.clone(),
            })
        };
        if endpoint.connection_state != crate::model::ConnectionState::Approved {
            let reason = format_args!(
                "private endpoint {} connection is {:?}: only Approved connections carry traffic",
                endpoint.name, endpoint.connection_state
            );
            return self.stop(
                Verdict::Blocked,
                Step::PrivateEndpoint,
                &endpoint.name,
                rule,
                reason,
            );
        }
        let protocol_ok = match self.flow.protocol {
            Protocol::Tcp => true,
            Protocol::Udp => design.options.private_endpoint_udp,
            _ => false,
        };
        if !protocol_ok {
            let and_udp = if design.options.private_endpoint_udp {
                " and UDP"
            } else {
                ""
            };
            let reason = format_args!("private endpoints carry TCP{and_udp} only");
            return self.stop(
                Verdict::Blocked,
                Step::PrivateEndpoint,
                &endpoint.name,
                rule,
                reason,
            );
        }
        if let Some(sub) = &destination.sub_resource {
            if !sub.eq_ignore_ascii_case(&endpoint.sub_resource) {
                let reason = format_args!(
                    "private endpoint {} serves {} of {}, not {sub}",
                    endpoint.name, endpoint.sub_resource, endpoint.target
                );
                return self.stop(
                    Verdict::Blocked,
                    Step::PrivateEndpoint,
                    &endpoint.name,
                    rule,
                    reason,
                );
            }
        }
        if let Some((_, pe_subnet)) = self.engine.subnet(&endpoint.subnet) {
            if pe_subnet.private_endpoint_network_policies.applies_nsg() {
                if design.cloud == Cloud::UsGovernment
                    && !design.options.private_endpoint_nsg_in_us_gov
                {
                    self.hop(Step::NsgInbound, &endpoint.subnet, Outcome::Info, no_rule, "private endpoint network policies are treated as unavailable in US Government regions (option private_endpoint_nsg_in_us_gov)");
                } else if let Some(end) = self.nsg(
                    Step::NsgInbound,
                    Direction::Inbound,
                    pe_subnet.nsg.as_deref(),
                    "subnet",
                    &endpoint.subnet,
                    &sender.party,
                    &destination.party,
                ) {
                    return end;
                }
            } else {
                self.hop(Step::NsgInbound, &endpoint.subnet, Outcome::Info, no_rule, "private endpoint network policies are Disabled: the subnet NSG does not apply to the endpoint");
            }
        }
        self.hop(
            Step::PrivateEndpoint,
            &endpoint.name,
            Outcome::Allow,
            rule,
            format_args!(
                "private endpoint {} ({}) for {}",
                endpoint.name, endpoint.sub_resource, endpoint.target
            ),
        );
        let path = AccessPath::PrivateEndpoint {
            name: &endpoint.name,
        };
        self.data_plane(&endpoint.target, &path, destination)
    }

    /// The target resource's own network rules.
    pub(super) fn data_plane(
        &mut self,
        target: &str,
        path: &AccessPath<'_>,
        destination: &Destination<'e>,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        let lookup = &engine.lookup;
        let outcome = if let Some(i) = lookup.resource_named_folded(target, |_| true) {
            let resource = &design.resources[i];
            let membership = perimeter::membership(design, &resource.name);
            evaluate_resource(
                resource,
                path,
                membership.as_ref(),
                &design.options,
                &mut self.hops,
            )
        } else if let Some(i) = lookup.workspace_named_folded(target) {
            evaluate_workspace(&design.workspaces[i], path, &mut self.hops)
        } else {
            return self.delivered(
                destination,
                format_args!(
                    "reaches {target}, which the design does not model (no firewall assumed)"
                ),
            );
        };
        self.after_data_plane(outcome, target, destination)
    }

    /// Ends the walk on the data-plane decision of `target` just recorded, repeating its reason.
    fn after_data_plane(
        &mut self,
        outcome: Outcome,
        target: &str,
        destination: &Destination<'e>,
    ) -> End {
        let reason = self.hops.last_reason();
        match outcome {
            Outcome::Allow => {
                self.delivered(destination, format_args!("{target} accepts it: {reason}"))
            }
            Outcome::Unsupported => self.end(Verdict::Unsupported, reason),
            _ => self.end(
                Verdict::Blocked,
                format_args!("{target} rejects it: {reason}"),
            ),
        }
    }

    pub(super) fn over_service_endpoint(
        &mut self,
        subnet: &str,
        service: &str,
        destination: &Destination<'e>,
    ) -> End {
        let design = &self.engine.design;
        let resource = match &destination.entity {
            Entity::Resource(resource) => Some(*resource),
            _ => None,
        };
        let name = fmt::from_fn(|f| match &destination.entity {
            Entity::Resource(resource) => f.write_str(&resource.name),
            Entity::UnmodelledResource { name, .. } => f.write_str(name),
            _ => write!(f, "{}", describe_party(&destination.party)),
        });
        self.hop(Step::ServiceEndpoint, subnet, Outcome::Forward, no_rule, format_args!("over the {service} service endpoint: {name} sees the source as subnet {subnet} (private address)"));
        let is_storage = resource.map_or(
            matches!(
                destination.entity,
                Entity::UnmodelledResource {
                    kind: PaasKind::StorageAccount,
                    ..
                } | Entity::OtherAddress
            ),
            |r| r.kind == PaasKind::StorageAccount,
        );
        let policies: Vec<_> = self
            .engine
            .subnet(subnet)
            .map(|(_, s)| {
                s.service_endpoint_policies
                    .iter()
                    .filter_map(|name| {
                        design
                            .service_endpoint_policies
                            .iter()
                            .find(|p| &p.name == name)
                    })
                    .collect()
            })
            .unwrap_or_default();
        if is_storage && !policies.is_empty() {
            if sep_decision(&policies, resource, &name, subnet, &mut self.hops) == Outcome::Deny {
                let reason = self.hops.last_reason();
                return self.end(
                    Verdict::Blocked,
                    format_args!("service endpoint policy: {reason}"),
                );
            }
        } else if is_storage {
            self.hop(Step::Sep, subnet, Outcome::Info, no_rule, "no service endpoint policy on the subnet: every storage account is reachable over the endpoint");
        }
        let path = AccessPath::ServiceEndpoint { subnet };
        match (resource, &destination.entity) {
            (Some(resource), _) => {
                let membership = perimeter::membership(design, &resource.name);
                let outcome = evaluate_resource(
                    resource,
                    &path,
                    membership.as_ref(),
                    &design.options,
                    &mut self.hops,
                );
                self.after_data_plane(outcome, &resource.name, destination)
            }
            (None, Entity::Workspace(workspace)) => self.data_plane(&workspace.name, &path, destination),
            _ => self.delivered(destination, format_args!("reaches {name} over the service endpoint (not modelled: its firewall is assumed open)")),
        }
    }

    pub(super) fn through_appliance(
        &mut self,
        subnet: &str,
        next_hop: Ipv4Addr,
        sender: Sender,
        destination: &Destination<'e>,
        depth: usize,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        if let Some(index) = engine
            .firewalls
            .iter()
            .position(|f| f.private_ip == next_hop)
        {
            let firewall = &engine.firewalls[index];
            if let Some(end) =
                self.reach_next_hop(subnet, &firewall.name, next_hop, &firewall.subnet, &sender)
            {
                return end;
            }
            let packet = self.firewall_packet(
                &sender.party,
                &destination.party,
                destination.fqdn.as_deref(),
            );
            let firewall_vnet = firewall.subnet.split('/').next();
            let resolve = |fqdn: &str| self.resolve_quietly(fqdn, firewall_vnet);
            let mut hops = HopLog::new(self.hops.explains());
            let outcome = firewall.evaluate(
                packet,
                &resolve,
                engine.service_tags(),
                design.cloud,
                &design.options,
                &mut hops,
            );
            self.hops.append(hops);
            return match outcome {
                FirewallOutcome::Deny => {
                    let reason = self.hops.last_reason();
                    self.end(
                        Verdict::Blocked,
                        format_args!("firewall {}: {reason}", firewall.name),
                    )
                }
                FirewallOutcome::Undecidable => self.end(
                    Verdict::Unsupported,
                    format_args!("firewall {} cannot decide", firewall.name),
                ),
                FirewallOutcome::Allow { snat } => {
                    let mut next = sender.clone();
                    if let Some(ip) = snat {
                        next.party = Party::at(ip);
                        next.unsnatted_firewall = None;
                    } else {
                        next.unsnatted_firewall = Some(index);
                    }
                    next.public_ip = firewall.public_ip;
                    next.default_outbound = DefaultOutbound::NotApplicable;
                    next.outbound_rule = None;
                    next.forwarded = true;
                    self.hop(Step::Route, &firewall.subnet, Outcome::Info, no_rule, "after the firewall, its own subnet's routes and service endpoints apply (not the source subnet's, nor its service endpoint policies)");
                    self.route(&firewall.subnet, next, destination, depth + 1)
                }
            };
        }
        let frontend = engine
            .load_balancer_at(next_hop)
            .filter(|(_, frontend)| frontend.private_ip == Some(next_hop));
        if let Some((lb, frontend)) = frontend {
            return self.through_load_balancer(
                subnet,
                next_hop,
                lb,
                frontend,
                sender,
                destination,
                depth,
            );
        }
        let appliance = design.computes.iter().find_map(|c| {
            c.nic
                .as_ref()
                .filter(|n| n.private_ip == next_hop)
                .map(|nic| (c, nic))
        });
        if let Some((appliance, nic)) = appliance {
            if let Some(end) =
                self.reach_next_hop(subnet, &appliance.name, next_hop, &nic.subnet, &sender)
            {
                return end;
            }
            return self.forward_by_appliance(appliance, nic, sender, destination, depth);
        }
        let reason = format_args!(
            "next hop {next_hop} is neither an Azure Firewall, a NIC with IP forwarding nor an internal load balancer frontend"
        );
        self.stop(Verdict::NoRoute, Step::Appliance, next_hop, no_rule, reason)
    }

    /// A network virtual appliance forwards the packet it received: it needs IP forwarding,
    /// its NSGs filter the packet in and out, it source-NATs it when `snat` is on, and its
    /// own subnet's routes carry it on.
    pub(super) fn forward_by_appliance(
        &mut self,
        appliance: &'e Compute,
        nic: &'e NetworkInterface,
        sender: Sender,
        destination: &Destination<'e>,
        depth: usize,
    ) -> End {
        let engine = self.engine;
        if !nic.ip_forwarding {
            let reason = format_args!(
                "{} ({}) does not have IP forwarding enabled: it drops transit traffic",
                nic.private_ip, appliance.name
            );
            return self.stop(
                Verdict::NoRoute,
                Step::Appliance,
                &appliance.name,
                no_rule,
                reason,
            );
        }
        if let Some(end) = self.appliance_nsgs(nic, &sender, destination) {
            return end;
        }
        let mut next = sender;
        next.forwarded = true;
        if nic.snat {
            self.hop(Step::Appliance, &appliance.name, Outcome::Forward, no_rule, format_args!("network virtual appliance {} forwards the packet with its source translated to its own address {} (SNAT): the destination and the return path see the appliance (its own filtering is not modelled)", appliance.name, nic.private_ip));
            let (public_ip, default_outbound, outbound_rule) = egress_identity(
                engine,
                &nic.subnet,
                Some(appliance),
                None,
                self.flow.protocol,
            );
            next.party = Party::at(nic.private_ip);
            next.public_ip = public_ip;
            next.default_outbound = default_outbound;
            next.outbound_rule = outbound_rule;
            next.unsnatted_firewall = None;
        } else {
            self.hop(Step::Appliance, &appliance.name, Outcome::Forward, no_rule, format_args!("network virtual appliance {} forwards the packet unchanged, without SNAT (its own filtering is not modelled)", appliance.name));
        }
        self.route(&nic.subnet, next, destination, depth + 1)
    }

    pub(super) fn resolve_quietly(&self, fqdn: &str, vnet: Option<&str>) -> Option<Ipv4Addr> {
        self.engine.resolve_host(fqdn, vnet)
    }
}
