//! Network security groups and their rules, in Azure's vocabulary. The six default rules are
//! not written in designs: the engine adds them.

use serde::{Deserialize, Serialize};

use super::{AddressMatch, PortRange, Protocol};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Direction {
    #[serde(alias = "inbound")]
    Inbound,
    #[serde(alias = "outbound")]
    Outbound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Access {
    #[serde(alias = "allow")]
    Allow,
    #[serde(alias = "deny")]
    Deny,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkSecurityGroup {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<SecurityRule>,
}

/// A security rule. Several prefixes on one side make an augmented rule (any may match).
/// ASGs, when given, are used on that side instead of prefixes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityRule {
    pub name: String,
    pub priority: u32,
    pub direction: Direction,
    pub access: Access,
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_asgs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_asgs: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
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
