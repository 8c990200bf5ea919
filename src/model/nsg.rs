//! Network security groups and their rules, in Azure's vocabulary. The six default rules are
//! not written in designs: the engine adds them.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

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
    #[serde(default, skip_serializing_if = "SecurityRules::no_rules")]
    pub rules: SecurityRules,
}

/// An NSG's rules, shared by the copies of a design until one of them edits them (copy on
/// write). A design's rules are most of its memory (a million at enterprise scale), and the
/// analysis works on copies of the design: sharing the rules makes a copy cost its structure
/// only. Reads and writes go through the `Vec`: a write to shared rules copies them first.
/// Read from JSON at their exact size: serde grows a vector by doubling (a one-prefix list
/// holds room for four), which at a million rules is a fifth of the design's memory.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct SecurityRules(Arc<Vec<SecurityRule>>);

impl SecurityRules {
    fn no_rules(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de> Deserialize<'de> for SecurityRules {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut rules = Vec::<SecurityRule>::deserialize(deserializer)?;
        rules.shrink_to_fit();
        for rule in &mut rules {
            rule.source.shrink_to_fit();
            rule.source_ports.shrink_to_fit();
            rule.destination.shrink_to_fit();
            rule.destination_ports.shrink_to_fit();
        }
        Ok(Self::from(rules))
    }
}

impl Deref for SecurityRules {
    type Target = Vec<SecurityRule>;

    fn deref(&self) -> &Vec<SecurityRule> {
        &self.0
    }
}

impl DerefMut for SecurityRules {
    fn deref_mut(&mut self) -> &mut Vec<SecurityRule> {
        Arc::make_mut(&mut self.0)
    }
}

impl From<Vec<SecurityRule>> for SecurityRules {
    fn from(rules: Vec<SecurityRule>) -> Self {
        Self(Arc::new(rules))
    }
}

impl FromIterator<SecurityRule> for SecurityRules {
    fn from_iter<I: IntoIterator<Item = SecurityRule>>(rules: I) -> Self {
        Self::from(rules.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a SecurityRules {
    type Item = &'a SecurityRule;
    type IntoIter = std::slice::Iter<'a, SecurityRule>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a mut SecurityRules {
    type Item = &'a mut SecurityRule;
    type IntoIter = std::slice::IterMut<'a, SecurityRule>;

    fn into_iter(self) -> Self::IntoIter {
        self.deref_mut().iter_mut()
    }
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
