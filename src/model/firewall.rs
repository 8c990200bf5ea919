//! Azure Firewall: classic rule collections, Firewall Policy rule collection groups, IP groups.

use crate::model::sorting;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

use super::{AddressMatch, PortRange, Protocol};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreatIntelMode {
    Off,
    #[default]
    Alert,
    Deny,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RuleAction {
    #[serde(alias = "allow")]
    Allow,
    #[serde(alias = "deny")]
    Deny,
    #[serde(alias = "dnat", alias = "DNAT", alias = "Snat")]
    Dnat,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpGroup {
    pub name: String,
    pub prefixes: Vec<Ipv4Net>,
}

/// A network rule. Destinations may be prefixes, service tags (destination only) or FQDNs
/// (resolved by the firewall's DNS; no wildcards).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkRule {
    pub name: String,
    pub protocols: Vec<Protocol>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<AddressMatch>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_ip_groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<AddressMatch>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_ip_groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_fqdns: Vec<String>,
    pub destination_ports: Vec<PortRange>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationProtocol {
    Http,
    Https,
    Mssql,
}

/// `protocol:port` of an application rule, e.g. `https:443`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationProtocolPort {
    pub protocol: ApplicationProtocol,
    pub port: u16,
}

/// An application rule: matched on the TLS SNI / HTTP Host against FQDNs (wildcards allowed)
/// or FQDN tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationRule {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<AddressMatch>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_ip_groups: Vec<String>,
    pub protocols: Vec<ApplicationProtocolPort>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_fqdns: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fqdn_tags: Vec<String>,
}

/// A DNAT rule: inbound to one of a firewall's public IPs, translated to a private address or
/// to an FQDN the firewall resolves (exactly one of `translated_address` and `translated_fqdn`;
/// validation checks it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NatRule {
    pub name: String,
    pub protocols: Vec<Protocol>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<AddressMatch>,
    pub destination_address: Ipv4Addr,
    pub destination_ports: Vec<PortRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translated_address: Option<Ipv4Addr>,
    /// An FQDN resolved by the firewall's DNS (its VNet's private zones, then the design's
    /// hosts) when a packet matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translated_fqdn: Option<String>,
    pub translated_port: u16,
}

/// Where a DNAT rule sends a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnatTarget<'a> {
    Address(Ipv4Addr),
    Fqdn(&'a str),
}

impl NatRule {
    /// The translated address, else the translated FQDN; `None` for a rule with neither
    /// (a validation error).
    pub fn target(&self) -> Option<DnatTarget<'_>> {
        match (&self.translated_address, &self.translated_fqdn) {
            (Some(address), _) => Some(DnatTarget::Address(*address)),
            (None, Some(fqdn)) => Some(DnatTarget::Fqdn(fqdn)),
            (None, None) => None,
        }
    }
}

/// Azure Firewall explicit proxy (a Firewall Policy setting): clients configured to use it send
/// HTTP to `http_port` and HTTPS to `https_port` of the firewall's private IP, without a UDR;
/// only application rules apply. Microsoft Learn, "Azure Firewall Explicit proxy".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplicitProxy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub https_port: Option<u16>,
}

impl ExplicitProxy {
    /// The highest port the proxy can listen on (REST API: "cannot be greater than 64000").
    pub const MAX_PORT: u16 = 64000;
}

/// A rule collection of one type with one action and a priority (100-65000).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum RuleCollection {
    Network {
        name: String,
        priority: u32,
        action: RuleAction,
        rules: Vec<NetworkRule>,
    },
    Application {
        name: String,
        priority: u32,
        action: RuleAction,
        rules: Vec<ApplicationRule>,
    },
    Nat {
        name: String,
        priority: u32,
        rules: Vec<NatRule>,
    },
}

impl RuleCollection {
    pub fn name(&self) -> &str {
        match self {
            RuleCollection::Network { name, .. }
            | RuleCollection::Application { name, .. }
            | RuleCollection::Nat { name, .. } => name,
        }
    }

    pub fn priority(&self) -> u32 {
        match self {
            RuleCollection::Network { priority, .. }
            | RuleCollection::Application { priority, .. }
            | RuleCollection::Nat { priority, .. } => *priority,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleCollectionGroup {
    pub name: String,
    pub priority: u32,
    pub rule_collections: Vec<RuleCollection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirewallPolicy {
    pub name: String,
    /// Parent (base) policy: its groups always run before this policy's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default)]
    pub threat_intel: ThreatIntelMode,
    #[serde(default)]
    pub dns_proxy: bool,
    /// Explicit proxy, when enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explicit_proxy: Option<ExplicitProxy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_collection_groups: Vec<RuleCollectionGroup>,
}

/// An Azure Firewall in `vnet/AzureFirewallSubnet`. Rules come from its policy, or from classic
/// collections when it has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Firewall {
    pub name: String,
    pub subnet: String,
    pub private_ip: Ipv4Addr,
    /// The public IP of the first IP configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ipv4Addr>,
    /// Public IPs of further IP configurations: DNAT rules may use any of them, and SNAT picks
    /// one of all the firewall's public IPs per connection.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_public_ips: Vec<Ipv4Addr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    #[serde(default)]
    pub threat_intel: ThreatIntelMode,
    #[serde(default)]
    pub dns_proxy: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_collections: Vec<RuleCollection>,
    /// Destinations network rules don't SNAT (`IANAPrivateRanges` when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub snat_private_ranges: Vec<Ipv4Net>,
}

impl Firewall {
    /// Every public IP of the firewall, lowest first, without repeats.
    pub fn public_ips(&self) -> Vec<Ipv4Addr> {
        let mut all: Vec<Ipv4Addr> = self
            .public_ip
            .iter()
            .chain(&self.additional_public_ips)
            .copied()
            .collect();
        sorting::sort(&mut all);
        all.dedup();
        all
    }
}
