//! The walk's edge with everything outside the customer's VNets: a packet leaving a subnet for
//! the internet — its public identity (an instance public IP or NAT gateway, a load balancer
//! outbound rule, or default outbound access; "Default outbound access in Azure"), the
//! Internet next hop and what the public destination accepts — and flows that start outside:
//! from the internet or another region, from the Azure host 168.63.129.16, and from the AML
//! workspace service itself.

use std::fmt;
use std::net::Ipv4Addr;

use super::private_subnet::DefaultOutbound;
use super::{describe_party, destination_label, no_rule, End, Sender, Walk};
use crate::engine::address::{is_public, Party, AZURE_HOST_IP};
use crate::engine::endpoints::{Destination, Entity};
use crate::engine::load_balancer::OutboundIdentity;
use crate::engine::paas::AccessPath;
use crate::engine::routing::{NextHop, RouteSelection};
use crate::engine::trace::{HopLog, Outcome, RuleRef, Step, Verdict};
use crate::engine::Engine;
use crate::model::{Compute, Protocol, Workspace};

impl<'e> Walk<'e> {
    pub(super) fn leave_to_internet(
        &mut self,
        subnet: &str,
        sender: Sender,
        destination: &Destination<'e>,
    ) -> End {
        if destination.party.ip.is_some_and(|ip| !is_public(ip)) {
            let reason = format_args!(
                "{} is a private address: the Internet next hop cannot reach it",
                describe_party(&destination.party)
            );
            return self.stop(
                Verdict::NoRoute,
                Step::InternetEgress,
                subnet,
                no_rule,
                reason,
            );
        }
        if sender.public_ip.is_none() {
            match &sender.default_outbound {
                DefaultOutbound::Available => {}
                DefaultOutbound::NotApplicable => {
                    let reason = format_args!("{subnet} has no outbound path to the internet: no public IP, NAT gateway, load balancer outbound rule for {} or default outbound access", self.flow.protocol);
                    return self.stop(
                        Verdict::NoRoute,
                        Step::InternetEgress,
                        subnet,
                        no_rule,
                        reason,
                    );
                }
                DefaultOutbound::PrivateSubnet(private) => {
                    return self.stop_at_private_subnet(private);
                }
            }
        }
        let design = &self.engine.design;
        let outbound_rule = sender.outbound_rule.map(|o| {
            let lb = &design.load_balancers[o.load_balancer];
            (lb, &lb.outbound_rules[o.rule])
        });
        let identity = fmt::from_fn(|f| match (sender.public_ip, outbound_rule) {
            (Some(ip), Some((lb, rule))) => write!(
                f,
                "public IP {ip} of load balancer {} (outbound rule {}, backend pool {})",
                lb.name, rule.name, rule.backend_pool
            ),
            (Some(ip), None) => write!(f, "public IP {ip}"),
            (None, _) => f.write_str("Azure default outbound access (a dynamic Microsoft address)"),
        });
        let rule = || {
            outbound_rule.map(|(lb, rule)| RuleRef {
                name: rule.name.clone(),
                priority: None,
                container: lb.name.clone(),
            })
        };
        self.hop(
            Step::InternetEgress,
            subnet,
            Outcome::Forward,
            rule,
            format_args!("leaves through {identity}"),
        );
        let path = AccessPath::Public {
            source_ip: sender.public_ip,
            azure_region: sender.region.as_deref(),
        };
        self.public_destination(&path, destination)
    }

    pub(super) fn public_destination(
        &mut self,
        path: &AccessPath<'_>,
        destination: &Destination<'e>,
    ) -> End {
        match &destination.entity {
            Entity::LoadBalancer { lb, .. } => self.public_frontend(lb, destination),
            Entity::Resource(resource) => self.data_plane(&resource.name, path, destination),
            Entity::Workspace(workspace) => self.data_plane(&workspace.name, path, destination),
            Entity::UnmodelledResource { name, .. } => self.delivered(destination, format_args!("reaches {name}, which the design does not model (its firewall is assumed open)")),
            Entity::Service(service) => self.delivered(destination, format_args!("reaches {} ({})", service.name, service.service_tag)),
            Entity::External(host) => self.delivered(destination, format_args!("reaches {} on the internet", host.name)),
            _ => self.delivered(destination, format_args!("reaches {} on the internet", describe_party(&destination.party))),
        }
    }

    /// From the Azure host to a NIC: the subnet's and the NIC's inbound NSGs decide.
    pub(super) fn start_at_azure_host(&mut self, destination: &Destination<'e>) -> End {
        let nic = match &destination.entity {
            Entity::Compute(compute) => compute.nic.as_ref(),
            _ => None,
        };
        let Some(nic) = nic else {
            return self.stop(
                Verdict::Unsupported,
                Step::Source,
                AZURE_HOST_IP,
                no_rule,
                "flows from the Azure host are modelled to the NICs of computes only",
            );
        };
        let host = Party::at(AZURE_HOST_IP);
        if let Some(end) = self.nic_inbound(nic, &host, &destination.party) {
            return end;
        }
        self.delivered(
            destination,
            format_args!("the Azure host reaches {} directly", nic.private_ip),
        )
    }

    pub(super) fn start_outside(
        &mut self,
        party: Party,
        azure_region: Option<String>,
        destination: &Destination<'e>,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        match &destination.entity {
            Entity::LoadBalancer { lb, .. } => self.public_frontend(lb, destination),
            Entity::Compute(compute) => {
                let Some(nic) = compute.nic.as_ref() else {
                    return self.end(
                        Verdict::NoRoute,
                        format_args!("{} has no NIC in a customer VNet", compute.name),
                    );
                };
                let Some(public_ip) = nic.public_ip else {
                    let reason = format_args!(
                        "{} has no public IP: it cannot be reached from outside the VNet",
                        compute.name
                    );
                    return self.stop(
                        Verdict::NoRoute,
                        Step::InternetIngress,
                        &compute.name,
                        no_rule,
                        reason,
                    );
                };
                self.hop(
                    Step::InternetIngress,
                    &compute.name,
                    Outcome::Forward,
                    no_rule,
                    format_args!(
                        "arrives at public IP {public_ip}, translated to {}",
                        nic.private_ip
                    ),
                );
                let inside = Destination {
                    party: Engine::compute_party(compute),
                    entity: Entity::Compute(compute),
                    fqdn: None,
                    sub_resource: None,
                };
                if let Some(end) = self.nic_inbound(nic, &party, &inside.party) {
                    return end;
                }
                if let Some(routes) = engine.subnet_routes.get(&nic.subnet) {
                    if let RouteSelection::Route { entry, .. } =
                        routes.select(&party, engine.service_tags(), design.cloud, &design.options)
                    {
                        if let NextHop::Appliance(ip) = entry.next_hop {
                            let reason = format_args!("asymmetric path: the reply from {} to {} follows route {} to appliance {ip}, not the internet it came from; add a route with next hop Internet for the source's service tag", compute.name, describe_party(&party), entry.name);
                            let rule = || {
                                Some(RuleRef {
                                    name: entry.name.clone(),
                                    priority: None,
                                    container: entry.table.clone(),
                                })
                            };
                            return self.stop(
                                Verdict::Blocked,
                                Step::Route,
                                &nic.subnet,
                                rule,
                                reason,
                            );
                        }
                    }
                }
                self.delivered(
                    &inside,
                    format_args!("reaches {} through its public IP", compute.name),
                )
            }
            Entity::Firewall(index)
                if destination
                    .party
                    .ip
                    .is_some_and(|ip| engine.firewalls[*index].public_ips.contains(&ip)) =>
            {
                let firewall = &engine.firewalls[*index];
                let packet = self.firewall_packet(&party, &destination.party, None);
                let mut hops = HopLog::new(self.hops.explains());
                let translated = firewall.dnat(
                    packet,
                    engine.service_tags(),
                    design.cloud,
                    &design.options,
                    &mut hops,
                );
                self.hops.append(hops);
                let Some((target, port, rule)) = translated else {
                    return self.end(
                        Verdict::Blocked,
                        format_args!("firewall {}: no DNAT rule for this packet", firewall.name),
                    );
                };
                let address = match self.dnat_address(firewall, target, &rule) {
                    Ok(address) => address,
                    Err(end) => return end,
                };
                self.ports.get_mut().translate(port);
                let (entity, inside_party) = engine.entity_at(address);
                if design.options.dnat_network_deny_applies {
                    let translated = self.firewall_packet(&party, &inside_party, None);
                    let mut hops = HopLog::new(self.hops.explains());
                    let denied = firewall.network_deny_after_dnat(
                        translated,
                        engine.service_tags(),
                        design.cloud,
                        &design.options,
                        &mut hops,
                    );
                    self.hops.append(hops);
                    if denied {
                        return self.end(Verdict::Blocked, format_args!("firewall {}: a network deny overrides the DNAT allow (option dnat_network_deny_applies)", firewall.name));
                    }
                } else if self.hops.explains() {
                    let translated = self.firewall_packet(&party, &inside_party, None);
                    if let Some(rule) = firewall.network_deny_bypassed_by_dnat(
                        translated,
                        engine.service_tags(),
                        design.cloud,
                        &design.options,
                    ) {
                        let reason = format_args!("network rule {} would deny the translated packet, but a DNAT match is final: network rules are not evaluated (option dnat_network_deny_applies off)", rule.name);
                        self.hop(
                            Step::FirewallNetwork,
                            &firewall.name,
                            Outcome::Info,
                            || Some(rule.clone()),
                            reason,
                        );
                    }
                }
                let inside = Destination {
                    party: inside_party,
                    entity,
                    fqdn: None,
                    sub_resource: None,
                };
                let sender = Sender {
                    party: Party::at(firewall.private_ip),
                    public_ip: firewall.public_ip,
                    default_outbound: DefaultOutbound::NotApplicable,
                    outbound_rule: None,
                    region: azure_region,
                    unsnatted_firewall: None,
                    forwarded: true,
                };
                self.route(&firewall.subnet, sender, &inside, 1)
            }
            Entity::Resource(_)
            | Entity::Workspace(_)
            | Entity::UnmodelledResource { .. }
            | Entity::Service(_)
            | Entity::External(_)
            | Entity::OtherAddress
                if Engine::is_public_party(&destination.party) =>
            {
                let path = AccessPath::Public {
                    source_ip: party.ip,
                    azure_region: azure_region.as_deref(),
                };
                self.public_destination(&path, destination)
            }
            _ => {
                let reason = format_args!(
                    "{} is not reachable from outside the VNets (private address, no public IP)",
                    destination_label(destination)
                );
                self.stop(
                    Verdict::NoRoute,
                    Step::InternetIngress,
                    destination_label(destination),
                    no_rule,
                    reason,
                )
            }
        }
    }

    pub(super) fn start_as_workspace_service(
        &mut self,
        workspace: &Workspace,
        destination: &Destination<'e>,
    ) -> End {
        match &destination.entity {
            Entity::Resource(resource) => {
                let path = AccessPath::TrustedService {
                    caller: &workspace.name,
                    subscription: &workspace.subscription,
                };
                self.data_plane(&resource.name, &path, destination)
            }
            _ => self.stop(
                Verdict::Unsupported,
                Step::Source,
                &workspace.name,
                no_rule,
                "the workspace acts as a caller only towards storage accounts, key vaults and registries",
            ),
        }
    }
}

/// The public identity a subnet source egresses with, whether default outbound access
/// applies, and the load balancer outbound rule the identity comes from. Precedence: a NAT
/// gateway or an instance public IP, then a public load balancer's outbound rule (only for a
/// backend without an instance public IP: "Outbound rules Azure Load Balancer"), then default
/// outbound access — which a backend of an outbound rule never has ("Default outbound access
/// in Azure": it has explicit outbound connectivity).
pub(super) fn egress_identity(
    engine: &Engine,
    subnet: &str,
    compute: Option<&Compute>,
    firewall: Option<usize>,
    protocol: Protocol,
) -> (Option<Ipv4Addr>, DefaultOutbound, Option<OutboundIdentity>) {
    if let Some(index) = firewall {
        return (
            engine.firewalls[index].public_ip,
            DefaultOutbound::NotApplicable,
            None,
        );
    }
    let instance_ip = compute
        .and_then(|c| c.nic.as_ref())
        .and_then(|n| n.public_ip);
    let subnet_name = subnet;
    let subnet = engine.subnet(subnet).map(|(_, s)| s);
    let nat = subnet.and_then(|s| s.nat_gateway_ip);
    let in_outbound_pool = compute.is_some_and(|c| engine.has_outbound_rule(&c.name));
    let outbound_rule = compute
        .filter(|_| instance_ip.or(nat).is_none() && in_outbound_pool)
        .and_then(|c| engine.outbound_identity(&c.name, protocol));
    // A backend of an outbound rule has explicit outbound connectivity: no default access.
    let default_outbound = match subnet {
        _ if in_outbound_pool => DefaultOutbound::NotApplicable,
        Some(s) if s.default_outbound_access => DefaultOutbound::Available,
        Some(_) => DefaultOutbound::PrivateSubnet(subnet_name.to_string()),
        None => DefaultOutbound::NotApplicable,
    };
    (
        instance_ip
            .or(nat)
            .or(outbound_rule.and_then(|o| o.public_ip)),
        default_outbound,
        outbound_rule,
    )
}
