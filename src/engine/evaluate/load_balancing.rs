//! The walk through an internal load balancer named as a `VirtualAppliance` next hop: the
//! frontend must be reachable like any next hop, a rule of that frontend must take the flow
//! (an HA ports rule takes every TCP and UDP flow), and the backend it goes to must be
//! healthy — its health probe from 168.63.129.16 allowed by its NSGs. The chosen backend then
//! forwards the packet as the network virtual appliance it is (IP forwarding, its NSGs,
//! SNAT). A client may also address a private frontend directly: the chosen backend then
//! receives the packet at its own address and the rule's backend port. Either way the load
//! balancer keeps the client as the source, never the `AzureLoadBalancer` tag
//! ("Network security groups": the tag is the health probe's source only). Semantics and
//! Microsoft Learn pages: `engine/load_balancer.rs`.

use std::fmt;
use std::net::Ipv4Addr;

use super::{no_rule, End, Sender, Walk};
use crate::engine::endpoints::{Destination, Entity};
use crate::engine::load_balancer::{protocol_covers, rules_of};
use crate::engine::port_span::PortSpan;
use crate::engine::trace::{Outcome, RuleRef, Step, Verdict};
use crate::engine::Engine;
use crate::model::{
    Compute, Frontend, HealthProbe, LoadBalancer, LoadBalancingRule, NetworkInterface,
    NoHealthyBackends, PortRange,
};

/// What the probe says of one pool member.
enum Health {
    Healthy,
    /// The probe is blocked (or cannot be traced); the reason says by what.
    Unhealthy(String),
}

/// The backend a load balancer chose for a flow, with the rule that took it.
struct Chosen<'e> {
    rule: &'e LoadBalancingRule,
    backend: &'e Compute,
    nic: &'e NetworkInterface,
}

impl<'e> Walk<'e> {
    /// A `VirtualAppliance` route's next hop `next_hop` is `frontend` of the internal load
    /// balancer `lb`: the chosen backend forwards the packet as a network virtual appliance.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn through_load_balancer(
        &mut self,
        subnet: &str,
        next_hop: Ipv4Addr,
        lb: &'e LoadBalancer,
        frontend: &'e Frontend,
        sender: Sender,
        destination: &Destination<'e>,
        depth: usize,
    ) -> End {
        let frontend_subnet = frontend.subnet.as_deref().unwrap_or_default();
        if let Some(end) = self.reach_next_hop(subnet, &lb.name, next_hop, frontend_subnet, &sender)
        {
            return end;
        }
        match self.pick_backend(lb, frontend, next_hop, &sender) {
            Ok(chosen) => {
                self.forward_by_appliance(chosen.backend, chosen.nic, sender, destination, depth)
            }
            Err(end) => end,
        }
    }

    /// A client addressed a private frontend of `lb` directly: the chosen backend receives
    /// the packet at its own address (and the rule's backend port), still from the client
    /// ("for load-balanced VMs, the source is the originating client"), through its NSGs.
    pub(super) fn deliver_through_frontend(
        &mut self,
        sender: Sender,
        lb: &'e LoadBalancer,
        frontend: &'e Frontend,
        destination: &Destination<'e>,
    ) -> End {
        let address = destination.party.ip.unwrap_or(Ipv4Addr::UNSPECIFIED);
        let chosen = match self.pick_backend(lb, frontend, address, &sender) {
            Ok(chosen) => chosen,
            Err(end) => return end,
        };
        if !chosen.rule.is_ha_ports() && chosen.rule.backend_port != chosen.rule.frontend_port {
            self.ports.get_mut().translate(chosen.rule.backend_port);
        }
        let inside = Destination {
            party: Engine::compute_party(chosen.backend),
            entity: Entity::Compute(chosen.backend),
            fqdn: destination.fqdn.clone(),
            sub_resource: None,
        };
        self.deliver_in_vnet(sender, &inside)
    }

    /// A flow to a public load balancer's frontend: inbound load balancing from the internet is
    /// not modelled, which the trace says instead of treating the address as an unknown host.
    pub(super) fn public_frontend(&mut self, lb: &LoadBalancer, destination: &Destination) -> End {
        let reason = format_args!("{} is a frontend of public load balancer {}: inbound load balancing through a public load balancer is not modelled", super::describe_party(&destination.party), lb.name);
        self.stop(
            Verdict::Unsupported,
            Step::LoadBalancer,
            &lb.name,
            no_rule,
            reason,
        )
    }

    /// The rule of `frontend` (at `address`) that takes the flow and the first healthy member
    /// of its pool by name, with a hop naming both; the end of the walk when there is none.
    fn pick_backend(
        &mut self,
        lb: &'e LoadBalancer,
        frontend: &'e Frontend,
        address: Ipv4Addr,
        sender: &Sender,
    ) -> Result<Chosen<'e>, End> {
        let Some(rule) = self.matching_rule(lb, frontend) else {
            let protocol = self.flow.protocol;
            let port = self.ports.get().port();
            let reason = fmt::from_fn(|f| {
                write!(f, "load balancer {} frontend {} ({address}) has no load-balancing rule for {protocol}", lb.name, frontend.name)?;
                if let Some(port) = port {
                    write!(f, " port {port}")?;
                }
                f.write_str(
                    " (an HA ports rule would take every TCP and UDP flow): the packet is dropped",
                )
            });
            return Err(self.stop(
                Verdict::NoRoute,
                Step::LoadBalancer,
                &lb.name,
                no_rule,
                reason,
            ));
        };
        let rule_ref = || {
            Some(RuleRef {
                name: rule.name.clone(),
                priority: None,
                container: lb.name.clone(),
            })
        };
        let probe = rule.probe.as_deref().and_then(|name| lb.probe(name));
        let members = self.engine.pool_members(lb, &rule.backend_pool);
        let mut chosen: Option<(&'e Compute, &'e NetworkInterface)> = None;
        let mut unhealthy: Vec<String> = Vec::new();
        for &(name, member) in &members {
            let health = match (member, probe) {
                (None, _) => {
                    Health::Unhealthy(self.text(format_args!("{name}: no NIC in the design")))
                }
                (Some(_), None) => Health::Healthy,
                (Some(_), Some(probe)) => self.probe_member(lb, name, probe),
            };
            match health {
                Health::Healthy if chosen.is_none() => chosen = member,
                Health::Healthy => {}
                Health::Unhealthy(why) => unhealthy.push(why),
            }
        }
        // "AllProbedUp: when all backend instances are probed down, incoming packets will be
        // sent to all instances" (the probe's `noHealthyBackendsBehavior`).
        let all_probed_up =
            probe.filter(|p| p.no_healthy_backends == NoHealthyBackends::AllProbedUp);
        if let (None, Some(probe)) = (chosen, all_probed_up) {
            chosen = members.iter().find_map(|(_, member)| *member);
            if chosen.is_some() {
                self.hop(
                    Step::LoadBalancer,
                    &lb.name,
                    Outcome::Info,
                    no_rule,
                    format_args!("every member fails health probe {}, whose no-healthy-backends behaviour AllProbedUp sends new flows to all of them", probe.name),
                );
            }
        }
        let Some((backend, nic)) = chosen else {
            let reason = fmt::from_fn(|f| {
                write!(
                    f,
                    "no healthy backend: load balancer {} rule {} sends to pool {}, ",
                    lb.name, rule.name, rule.backend_pool
                )?;
                if unhealthy.is_empty() {
                    f.write_str("which has no member")?;
                } else {
                    write!(
                        f,
                        "none of whose members is healthy ({})",
                        unhealthy.join("; ")
                    )?;
                }
                f.write_str(", so the packet is dropped")
            });
            return Err(self.stop(
                Verdict::NoRoute,
                Step::LoadBalancer,
                &lb.name,
                rule_ref,
                reason,
            ));
        };
        let kind = fmt::from_fn(|f| {
            if rule.is_ha_ports() {
                f.write_str("HA ports: every TCP and UDP flow")
            } else {
                write!(
                    f,
                    "{:?} port {} to backend port {}",
                    rule.protocol, rule.frontend_port, rule.backend_port
                )
            }
        });
        self.hop(
            Step::LoadBalancer,
            &lb.name,
            Outcome::Forward,
            rule_ref,
            format_args!(
                "load balancer {} frontend {} ({address}), rule {} ({kind}) forwards to healthy backend {} of pool {} (Azure spreads flows by a hash of the 5-tuple; vnetlab follows the first healthy member by name); the source stays {}",
                lb.name, frontend.name, rule.name, backend.name, rule.backend_pool,
                super::describe_party(&sender.party)
            ),
        );
        Ok(Chosen { rule, backend, nic })
    }

    /// The rule of `frontend` that takes this flow: an HA ports rule, or one for its protocol
    /// and destination port (a route does not address the frontend, so no port is rewritten).
    fn matching_rule(
        &self,
        lb: &'e LoadBalancer,
        frontend: &Frontend,
    ) -> Option<&'e LoadBalancingRule> {
        let protocol = self.flow.protocol;
        rules_of(lb, &frontend.name).into_iter().find(|rule| {
            if !protocol_covers(rule.protocol, protocol) {
                return false;
            }
            rule.is_ha_ports()
                || PortSpan::check_in(
                    &self.ports,
                    &[PortRange {
                        first: rule.frontend_port,
                        last: rule.frontend_port,
                    }],
                )
        })
    }

    /// Probes pool member `name`: the flow 168.63.129.16 → member on the probe's port through
    /// its admin rules and NSGs. When explaining, the NSG and admin rule hops of the probe are
    /// kept as information (so the trace names every NSG the answer depends on), followed by
    /// the member's health.
    fn probe_member(&mut self, lb: &LoadBalancer, name: &str, probe: &HealthProbe) -> Health {
        let engine = self.engine;
        if !self.hops.explains() {
            return if engine.probe_passes(name, probe) {
                Health::Healthy
            } else {
                Health::Unhealthy(String::new())
            };
        }
        let probe_text = format!(
            "health probe {} ({:?} {}) from 168.63.129.16 (AzureLoadBalancer) to {name}",
            probe.name, probe.protocol, probe.port
        );
        let Some(trace) = engine.probe_trace(name, probe) else {
            let why = format!("{probe_text} cannot be traced");
            self.hop(Step::LoadBalancer, &lb.name, Outcome::Info, no_rule, &why);
            return Health::Unhealthy(format!("{name}: its probe cannot be traced"));
        };
        for hop in trace
            .hops
            .iter()
            .filter(|h| matches!(h.step, Step::NsgInbound | Step::AdminRule))
        {
            self.hop(
                hop.step,
                &hop.element,
                Outcome::Info,
                || hop.rule.clone(),
                format_args!("{probe_text}: {}", hop.reason),
            );
        }
        if trace.verdict == Verdict::Allowed {
            self.hop(
                Step::LoadBalancer,
                &lb.name,
                Outcome::Info,
                no_rule,
                format_args!("{probe_text} is allowed: {name} is healthy"),
            );
            return Health::Healthy;
        }
        let by = trace
            .decided_by
            .as_ref()
            .and_then(|hop| hop.rule.as_ref())
            .map(|rule| format!(" by {} rule {}", rule.container, rule.name))
            .unwrap_or_default();
        self.hop(
            Step::LoadBalancer,
            &lb.name,
            Outcome::Info,
            no_rule,
            format_args!("{probe_text} is blocked{by}: {name} is unhealthy"),
        );
        Health::Unhealthy(format!("{name}: its probe is blocked{by}"))
    }
}
