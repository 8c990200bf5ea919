//! Flows in, traces out. A [`Trace`] is a closed [`Verdict`] plus the ordered [`Hop`]s that led
//! to it; every hop names the element it happened at and, when a rule decided it, that rule.
//! A [`FlowVerdict`] is the same answer without the hops, for the many flows nobody reads: the
//! walk records them in a [`HopLog`] that builds no text at all in that mode.

use std::fmt;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use crate::model::{PortRange, Protocol};

/// Where a flow starts: a named element of the design or an address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowSource {
    Element(String),
    Address(Ipv4Addr),
}

/// Where a flow goes: a named element, an address, or a DNS name resolved from the source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowTarget {
    Element(String),
    Address(Ipv4Addr),
    Fqdn(String),
}

/// The initiating packet of a connection. NSGs and Azure Firewall are stateful, so return
/// traffic is never evaluated on its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Flow {
    pub source: FlowSource,
    pub destination: FlowTarget,
    pub protocol: Protocol,
    /// Destination port; `None` for ICMP or "any port".
    pub port: Option<u16>,
    /// The sender ignores the explicit proxy its compute is configured to use (code opening
    /// its own connections — the exfiltration search's adversary), so the flow goes directly.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bypasses_proxy: bool,
}

impl Flow {
    pub fn new(
        source: FlowSource,
        destination: FlowTarget,
        protocol: Protocol,
        port: Option<u16>,
    ) -> Self {
        Flow {
            source,
            destination,
            protocol,
            port,
            bypasses_proxy: false,
        }
    }

    /// This flow sent by code that ignores the explicit proxy settings of its compute.
    pub fn bypassing_proxy(self) -> Self {
        Flow {
            bypasses_proxy: true,
            ..self
        }
    }

    /// Whether `other` is this flow with its port in `alike_ports` (a trace's port span), so
    /// that it is traced exactly like this one.
    pub fn covers(&self, alike_ports: Option<PortRange>, other: &Flow) -> bool {
        let alike = match (alike_ports, other.port) {
            (Some(span), Some(port)) => span.contains(port),
            _ => self.port == other.port,
        };
        alike
            && self.bypasses_proxy == other.bypasses_proxy
            && self.protocol == other.protocol
            && self.source == other.source
            && self.destination == other.destination
    }
}

impl fmt::Display for FlowSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowSource::Element(name) => f.write_str(name),
            FlowSource::Address(ip) => write!(f, "{ip}"),
        }
    }
}

impl fmt::Display for FlowTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowTarget::Element(name) | FlowTarget::Fqdn(name) => f.write_str(name),
            FlowTarget::Address(ip) => write!(f, "{ip}"),
        }
    }
}

/// The outcome of a flow. Closed: nothing else is ever reported, and nothing is a silent allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The packet reaches the destination.
    Allowed,
    /// A rule or control drops it (NSG, firewall, policy, service firewall, connection state).
    Blocked,
    /// Routing drops it: next hop None, no route, no outbound path, or a routing loop.
    NoRoute,
    /// DNS cannot resolve the destination name (NXDOMAIN).
    Unresolved,
    /// The design uses something the engine cannot evaluate faithfully; the reason says what.
    Unsupported,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Blocked => "blocked",
            Verdict::NoRoute => "no-route",
            Verdict::Unresolved => "unresolved",
            Verdict::Unsupported => "unsupported",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stage of the data path a hop belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Source,
    Dns,
    /// Virtual Network Manager security admin rules (before the NSGs, both directions).
    AdminRule,
    NsgOutbound,
    Route,
    FirewallThreatIntel,
    FirewallDnat,
    FirewallNetwork,
    FirewallApplication,
    FirewallInfrastructure,
    FirewallDefault,
    /// An Azure Load Balancer: the rule that matched, its backends' health probes and the
    /// backend chosen.
    LoadBalancer,
    Appliance,
    Peering,
    ServiceEndpoint,
    Sep,
    PrivateEndpoint,
    InternetEgress,
    InternetIngress,
    /// A network security perimeter: its inbound rules at an associated resource, its
    /// outbound rules when an associated resource sends.
    Perimeter,
    StorageFirewall,
    KeyVaultFirewall,
    RegistryFirewall,
    WorkspaceAccess,
    NsgInbound,
    Delivered,
}

impl Step {
    /// The Azure Firewall's own steps (threat intelligence, DNAT, network, application,
    /// infrastructure and default rules).
    pub fn is_firewall(self) -> bool {
        matches!(
            self,
            Step::FirewallThreatIntel
                | Step::FirewallDnat
                | Step::FirewallNetwork
                | Step::FirewallApplication
                | Step::FirewallInfrastructure
                | Step::FirewallDefault
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Source => "source",
            Step::Dns => "dns",
            Step::AdminRule => "admin-rule",
            Step::NsgOutbound => "nsg-outbound",
            Step::Route => "route",
            Step::FirewallThreatIntel => "firewall-threat-intel",
            Step::FirewallDnat => "firewall-dnat",
            Step::FirewallNetwork => "firewall-network",
            Step::FirewallApplication => "firewall-application",
            Step::FirewallInfrastructure => "firewall-infrastructure",
            Step::FirewallDefault => "firewall-default",
            Step::LoadBalancer => "load-balancer",
            Step::Appliance => "appliance",
            Step::Peering => "peering",
            Step::ServiceEndpoint => "service-endpoint",
            Step::Sep => "sep",
            Step::PrivateEndpoint => "private-endpoint",
            Step::InternetEgress => "internet-egress",
            Step::InternetIngress => "internet-ingress",
            Step::Perimeter => "perimeter",
            Step::StorageFirewall => "storage-firewall",
            Step::KeyVaultFirewall => "key-vault-firewall",
            Step::RegistryFirewall => "registry-firewall",
            Step::WorkspaceAccess => "workspace-access",
            Step::NsgInbound => "nsg-inbound",
            Step::Delivered => "delivered",
        }
    }
}

/// What happened at a hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// A control let the packet through.
    Allow,
    /// A control dropped the packet.
    Deny,
    /// Routing or DNS chose where the packet goes next.
    Forward,
    /// Nothing was decided here; the hop explains context.
    Info,
    /// Routing dropped the packet.
    Drop,
    /// DNS failed.
    Nxdomain,
    /// The engine cannot evaluate this hop faithfully.
    Unsupported,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "allow",
            Outcome::Deny => "deny",
            Outcome::Forward => "forward",
            Outcome::Info => "info",
            Outcome::Drop => "drop",
            Outcome::Nxdomain => "nxdomain",
            Outcome::Unsupported => "unsupported",
        }
    }
}

/// The rule that decided a hop: its name, priority (NSG rules, rule collections) and the
/// container it lives in (NSG, firewall rule collection, route table…).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RuleRef {
    pub name: String,
    pub priority: Option<u32>,
    pub container: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub step: Step,
    pub element: String,
    pub outcome: Outcome,
    pub rule: Option<RuleRef>,
    pub reason: String,
}

/// The full answer for one flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    pub flow: Flow,
    pub verdict: Verdict,
    pub reason: String,
    /// The hop that decided the verdict (the last allow for allowed flows).
    pub decided_by: Option<Hop>,
    pub hops: Vec<Hop>,
    /// The destination ports (around the traced one) that every port-dependent decision
    /// treated alike: each gets the same verdict by the same hops and rules. `None` when the
    /// flow has no port.
    #[serde(default)]
    pub alike_ports: Option<PortRange>,
}

/// The outcome of a flow without its explanation: what the exfiltration search and fix
/// verification need for the many flows nobody reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowVerdict {
    pub verdict: Verdict,
    pub alike_ports: Option<PortRange>,
}

impl Trace {
    /// The deciding rule's name, if a rule decided.
    pub fn deciding_rule(&self) -> Option<&str> {
        self.decided_by
            .as_ref()
            .and_then(|hop| hop.rule.as_ref())
            .map(|rule| rule.name.as_str())
    }

    /// Whether `flow` would be traced exactly like this trace's flow: it differs at most by a
    /// destination port in [`Self::alike_ports`], so it gets the same verdict, hops and rules.
    pub fn covers(&self, flow: &Flow) -> bool {
        self.flow.covers(self.alike_ports, flow)
    }

    /// Whether any hop happened at `step`.
    pub fn passed_through(&self, step: Step) -> bool {
        self.hops.iter().any(|hop| hop.step == step)
    }
}

/// The hops a walk records: every one when the trace is explained, none when only the verdict is
/// wanted. Hops are built by closures, so a verdict-only walk formats no text; for the same
/// reason, decisions never read recorded hops back (only text repeats them).
#[derive(Debug)]
pub struct HopLog {
    explain: bool,
    hops: Vec<Hop>,
}

impl HopLog {
    pub fn new(explain: bool) -> Self {
        HopLog {
            explain,
            hops: Vec::new(),
        }
    }

    /// Whether hops (and reasons) are recorded.
    pub fn explains(&self) -> bool {
        self.explain
    }

    pub fn push(&mut self, make: impl FnOnce() -> Hop) {
        if self.explain {
            self.hops.push(make());
        }
    }

    pub fn append(&mut self, other: HopLog) {
        self.hops.extend(other.hops);
    }

    /// Drops the last recorded hop (a sub-walk's delivery that is not the flow's end).
    pub fn discard_last(&mut self) {
        self.hops.pop();
    }

    /// The reason of the last recorded hop, for a walk's end that repeats it; empty when
    /// nothing is recorded.
    pub fn last_reason(&self) -> String {
        self.hops
            .last()
            .map(|hop| hop.reason.clone())
            .unwrap_or_default()
    }

    pub fn into_hops(self) -> Vec<Hop> {
        self.hops
    }
}
