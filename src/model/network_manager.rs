//! Azure Virtual Network Manager (AVNM) security admin rules: a network manager groups VNets
//! into network groups, and rule collections of a security admin configuration apply to those
//! groups. Microsoft Learn, "Security admin rules in Azure Virtual Network Manager": admin rules
//! are evaluated before NSG rules; `Allow` lets the traffic on to the NSGs, `AlwaysAllow` skips
//! the NSGs, `Deny` drops it; priorities run from 1 (first) to 4096.

use serde::{Deserialize, Serialize};

use super::{AddressMatch, Direction, PortRange, Protocol};

/// What a security admin rule does to matching traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AdminAccess {
    /// Continue to the NSGs, which decide.
    Allow,
    /// Allowed; the NSGs are not evaluated.
    AlwaysAllow,
    /// Dropped; the NSGs are not evaluated.
    Deny,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkManager {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_groups: Vec<NetworkGroup>,
    /// The rule collections of the deployed security admin configuration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_rule_collections: Vec<AdminRuleCollection>,
}

/// A static network group: its member VNets by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkGroup {
    pub name: String,
    pub vnets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminRuleCollection {
    pub name: String,
    /// The network groups the collection applies to.
    pub network_groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<AdminRule>,
}

/// A security admin rule, with the fields of an NSG rule and an [`AdminAccess`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminRule {
    pub name: String,
    pub priority: u32,
    pub direction: Direction,
    pub access: AdminAccess,
    #[serde(default = "any_protocol")]
    pub protocol: Protocol,
    #[serde(default = "any_address")]
    pub source: Vec<AddressMatch>,
    #[serde(default = "any_port")]
    pub source_ports: Vec<PortRange>,
    #[serde(default = "any_address")]
    pub destination: Vec<AddressMatch>,
    #[serde(default = "any_port")]
    pub destination_ports: Vec<PortRange>,
}

fn any_protocol() -> Protocol {
    Protocol::Any
}

fn any_address() -> Vec<AddressMatch> {
    vec![AddressMatch::Any]
}

fn any_port() -> Vec<PortRange> {
    vec![PortRange::ANY]
}
