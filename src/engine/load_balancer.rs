//! Azure Load Balancer semantics the walk needs: which rule of an internal frontend takes a
//! flow, whether a backend is healthy, and the outbound identity a public load balancer's
//! outbound rules give its backends.
//!
//! - A load-balancing rule with protocol `All` and ports 0 is an HA ports rule: "the internal
//!   load balancer resource then balances all TCP and UDP flows, regardless of port number"
//!   (Microsoft Learn, "High availability ports overview"); it is how a `VirtualAppliance`
//!   route reaches a pool of network virtual appliances ("Deploy highly available NVAs").
//! - A backend receives new flows only while its health probe succeeds; probes come from
//!   168.63.129.16, the `AzureLoadBalancer` service tag, and "must not be blocked for probes
//!   to mark your instance as up" ("Azure Load Balancer health probes"). A backend's health is
//!   therefore the verdict of the flow 168.63.129.16 → backend on the probe's port, through
//!   the backend's admin rules and subnet and NIC NSGs — exactly what `vnetlab trace --from
//!   168.63.129.16` answers. Every probe is TCP to its port (an HTTP(S) probe needs the TCP
//!   connection first; what the application answers is not modelled).
//! - Outbound rules "allow you to explicitly define SNAT for a public standard load balancer":
//!   the pool's internet traffic leaves with the rule's frontend public IPs ("Outbound rules
//!   Azure Load Balancer"), after a NAT gateway and an instance public IP and instead of
//!   default outbound access ("Default outbound access in Azure": a VM in the backend pool of
//!   a standard load balancer with outbound rules has explicit outbound connectivity).

use crate::model::sorting;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::address::AZURE_HOST_IP;
use super::evaluate::{trace, verdict};
use super::trace::{Flow, FlowSource, FlowTarget, Trace, Verdict};
use super::Engine;
use crate::model::{
    Compute, Diagnostic, Frontend, HealthProbe, LoadBalancer, LoadBalancerOutboundRule,
    LoadBalancerProtocol, LoadBalancingRule, NetworkInterface, NoHealthyBackends, Protocol,
};

/// Whether a rule's protocol covers a flow's: `All` (HA ports) covers TCP and UDP, no other
/// IP protocol.
pub(super) fn protocol_covers(rule: LoadBalancerProtocol, flow: Protocol) -> bool {
    matches!(
        (rule, flow),
        (LoadBalancerProtocol::All, Protocol::Tcp | Protocol::Udp)
            | (LoadBalancerProtocol::Tcp, Protocol::Tcp)
            | (LoadBalancerProtocol::Udp, Protocol::Udp)
    )
}

/// The rules of `frontend`, HA ports rules first, then by name (Azure forbids two rules on one
/// frontend, protocol and port, so at most one matches a flow).
pub(super) fn rules_of<'d>(lb: &'d LoadBalancer, frontend: &str) -> Vec<&'d LoadBalancingRule> {
    let mut rules: Vec<&LoadBalancingRule> = lb
        .rules
        .iter()
        .filter(|rule| rule.frontend == frontend)
        .collect();
    sorting::sort_by(&mut rules, |a, b| {
        (!a.is_ha_ports(), &a.name).cmp(&(!b.is_ha_ports(), &b.name))
    });
    rules
}

/// The health probe flow to a pool member: TCP from the Azure host to the probe's port.
pub(super) fn probe_flow(member: &str, probe: &HealthProbe) -> Flow {
    Flow::new(
        FlowSource::Address(AZURE_HOST_IP),
        FlowTarget::Element(member.to_string()),
        Protocol::Tcp,
        Some(probe.port),
    )
}

/// The public identity an outbound rule gives a backend: the address, and the load balancer
/// and outbound rule (indices in the design) it comes from.
#[derive(Debug, Clone, Copy)]
pub(super) struct OutboundIdentity {
    pub public_ip: Option<Ipv4Addr>,
    pub load_balancer: usize,
    pub rule: usize,
}

impl Engine {
    /// The load balancer frontend, private or public, at `ip`.
    pub(super) fn load_balancer_at(&self, ip: Ipv4Addr) -> Option<(&LoadBalancer, &Frontend)> {
        self.design.load_balancers.iter().find_map(|lb| {
            lb.frontends
                .iter()
                .find(|f| f.private_ip == Some(ip) || f.public_ip == Some(ip))
                .map(|frontend| (lb, frontend))
        })
    }

    /// The pool members of `pool` in `lb`, by name, each with its compute and NIC when it
    /// has one.
    pub(super) fn pool_members<'d>(
        &'d self,
        lb: &'d LoadBalancer,
        pool: &str,
    ) -> Vec<(&'d str, Option<(&'d Compute, &'d NetworkInterface)>)> {
        let mut members: Vec<(&str, Option<(&Compute, &NetworkInterface)>)> = lb
            .pool(pool)
            .map(|p| {
                p.members
                    .iter()
                    .map(|name| {
                        let compute = self
                            .lookup
                            .compute_named(name, |_| true)
                            .map(|i| &self.design.computes[i])
                            .and_then(|c| c.nic.as_ref().map(|nic| (c, nic)));
                        (name.as_str(), compute)
                    })
                    .collect()
            })
            .unwrap_or_default();
        sorting::sort_by_key(&mut members, |(name, _)| *name);
        members.dedup_by_key(|(name, _)| *name);
        members
    }

    /// Whether the health probe reaches `member`.
    pub(super) fn probe_passes(&self, member: &str, probe: &HealthProbe) -> bool {
        verdict(self, &probe_flow(member, probe)).is_ok_and(|v| v.verdict == Verdict::Allowed)
    }

    /// The explained probe of `member`; `None` when the member cannot be traced.
    pub(super) fn probe_trace(&self, member: &str, probe: &HealthProbe) -> Option<Trace> {
        trace(self, &probe_flow(member, probe)).ok()
    }

    /// The outbound rule serving `compute` for `protocol`: the first public load balancer by
    /// name whose outbound rule (by name) has it in its pool; `None` when none does.
    pub(super) fn outbound_identity(
        &self,
        compute: &str,
        protocol: Protocol,
    ) -> Option<OutboundIdentity> {
        let design = &self.design;
        let mut candidates: Vec<(usize, usize)> = design
            .load_balancers
            .iter()
            .enumerate()
            .flat_map(|(l, lb)| (0..lb.outbound_rules.len()).map(move |r| (l, r)))
            .filter(|&(l, r)| {
                let lb = &design.load_balancers[l];
                lb.pool(&lb.outbound_rules[r].backend_pool)
                    .is_some_and(|pool| pool.members.iter().any(|m| m == compute))
            })
            .collect();
        let names = |(l, r): (usize, usize)| {
            let lb = &design.load_balancers[l];
            (&lb.name, &lb.outbound_rules[r].name)
        };
        sorting::sort_by(&mut candidates, |&a, &b| names(a).cmp(&names(b)));
        // `All` gives every protocol the identity (ICMP included); TCP and UDP only their own.
        let (l, r) = candidates.into_iter().find(|&(l, r)| {
            let rule: &LoadBalancerOutboundRule = &design.load_balancers[l].outbound_rules[r];
            rule.protocol == LoadBalancerProtocol::All || protocol_covers(rule.protocol, protocol)
        })?;
        let lb = &design.load_balancers[l];
        // Azure spreads the pool over every frontend's address; the trace names the first by
        // name, whatever the order of the list.
        let public_ip = lb.outbound_rules[r]
            .frontends
            .iter()
            .filter_map(|name| lb.frontend(name))
            .filter(|f| f.public_ip.is_some())
            .min_by(|a, b| a.name.cmp(&b.name))
            .and_then(|f| f.public_ip);
        Some(OutboundIdentity {
            public_ip,
            load_balancer: l,
            rule: r,
        })
    }

    /// Whether `compute` is in the pool of any outbound rule: it then has explicit outbound
    /// connectivity, and no default outbound access.
    pub(super) fn has_outbound_rule(&self, compute: &str) -> bool {
        self.design.load_balancers.iter().any(|lb| {
            lb.outbound_rules.iter().any(|rule| {
                lb.pool(&rule.backend_pool)
                    .is_some_and(|pool| pool.members.iter().any(|m| m == compute))
            })
        })
    }

    /// Warnings about each load-balancing rule's pool: no member whose health probe the NSGs
    /// let through (the rule forwards nothing), or healthy members that are not
    /// interchangeable — Azure spreads flows over all of them, a trace follows one.
    pub(super) fn load_balancer_diagnostics(&self) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for (i, lb) in self.design.load_balancers.iter().enumerate() {
            for (r, rule) in lb.rules.iter().enumerate() {
                let probe = rule.probe.as_deref().and_then(|p| lb.probe(p));
                let members: Vec<(&str, &NetworkInterface)> = self
                    .pool_members(lb, &rule.backend_pool)
                    .into_iter()
                    .filter_map(|(name, member)| member.map(|(_, nic)| (name, nic)))
                    .collect();
                let healthy: Vec<(&str, &NetworkInterface)> = members
                    .iter()
                    .copied()
                    .filter(|(name, _)| probe.is_none_or(|p| self.probe_passes(name, p)))
                    .collect();
                let element = format!("{}/{}", lb.name, rule.backend_pool);
                let path = format!("$.load_balancers[{i}].rules[{r}].backend_pool");
                match probe {
                    Some(probe) if healthy.is_empty() && !members.is_empty() => {
                        let names: Vec<&str> = members.iter().map(|(name, _)| *name).collect();
                        let outcome = match probe.no_healthy_backends {
                            NoHealthyBackends::AllProbedDown => "so the rule forwards nothing",
                            NoHealthyBackends::AllProbedUp => {
                                "so the rule forwards only because the probe's no-healthy-backends behaviour is AllProbedUp"
                            }
                        };
                        diagnostics.push(Diagnostic::warning(
                            element,
                            path,
                            format!(
                                "backend pool {} of rule {} has no healthy member: the NSGs of {} block health probe {} ({:?} {}) from 168.63.129.16 (AzureLoadBalancer), {outcome}",
                                rule.backend_pool,
                                rule.name,
                                names.join(", "),
                                probe.name,
                                probe.protocol,
                                probe.port
                            ),
                        ));
                    }
                    _ => {
                        if let Some(groups) = unlike_members(&healthy) {
                            diagnostics.push(Diagnostic::warning(
                                element,
                                path,
                                format!(
                                    "the healthy members of pool {} differ in subnet, NSG, ASGs, IP forwarding, SNAT or public IP ({groups}): Azure spreads rule {}'s flows over all of them, but a trace follows only the first by name, so a flow can pass (or fail) through another member unseen",
                                    rule.backend_pool, rule.name
                                ),
                            ));
                        }
                    }
                }
            }
        }
        diagnostics
    }
}

/// The members grouped by what decides a forwarded packet at them (subnet, NSG, ASGs, IP
/// forwarding, SNAT, having a public IP), as `a, b | c`; `None` when they are all alike.
fn unlike_members(members: &[(&str, &NetworkInterface)]) -> Option<String> {
    type Shape<'n> = (&'n str, Option<&'n str>, &'n [String], bool, bool, bool);
    let mut groups: BTreeMap<Shape, Vec<&str>> = BTreeMap::new();
    for (name, nic) in members {
        let shape = (
            nic.subnet.as_str(),
            nic.nsg.as_deref(),
            nic.asgs.as_slice(),
            nic.ip_forwarding,
            nic.snat,
            nic.public_ip.is_some(),
        );
        groups.entry(shape).or_default().push(name);
    }
    (groups.len() > 1).then(|| {
        let mut listed: Vec<String> = groups.into_values().map(|names| names.join(", ")).collect();
        sorting::sort(&mut listed);
        listed.join(" | ")
    })
}
