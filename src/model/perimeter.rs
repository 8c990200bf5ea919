//! Network security perimeters (NSP): a logical boundary around PaaS resources (storage
//! accounts and key vaults here). A perimeter has profiles of access rules — inbound by public
//! address prefix or caller subscription, outbound by FQDN — and resource associations that put
//! a resource in the perimeter under one profile, in an access mode. Microsoft Learn, "What is
//! a network security perimeter?" (components, access modes, supported rule types) and
//! "Transition to a network security perimeter in Azure" (how the access mode and the
//! resource's `publicNetworkAccess` combine; the engine's `perimeter.rs` follows its tables).

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

/// One `Microsoft.Network/networkSecurityPerimeters` with its profiles and associations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkSecurityPerimeter {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<PerimeterProfile>,
    /// Which resources are in the perimeter, each under one profile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub associations: Vec<PerimeterAssociation>,
}

/// A profile: the access rules that apply to the resources associated with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerimeterProfile {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inbound_rules: Vec<InboundAccessRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outbound_rules: Vec<OutboundAccessRule>,
}

/// An inbound access rule: public traffic from these address prefixes, or from callers of
/// these subscriptions (ids such as `/subscriptions/<id>` or the bare id), is allowed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboundAccessRule {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address_prefixes: Vec<Ipv4Net>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<String>,
}

/// An outbound access rule: associated resources may reach these FQDNs (`*.` wildcards as in
/// the portal) outside the perimeter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboundAccessRule {
    pub name: String,
    pub fqdns: Vec<String>,
}

/// A resource association (`resourceAssociations`): the resource joins the perimeter under
/// `profile`, in `access_mode`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerimeterAssociation {
    pub name: String,
    /// A storage account or key vault of the design, by name.
    pub resource: String,
    /// A profile of the same perimeter, by name.
    pub profile: String,
    #[serde(default)]
    pub access_mode: PerimeterAccessMode,
}

/// How strictly an association applies the perimeter.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum PerimeterAccessMode {
    /// The default ("Transition mode, formerly Learning mode"): perimeter rules first, then
    /// the resource's own firewall and trusted access when no perimeter rule allows.
    #[default]
    #[serde(alias = "Transition")]
    Learning,
    /// Only the perimeter's rules (and members of the same perimeter) are allowed.
    Enforced,
    /// An API value: failed access checks are logged, not blocked. Evaluated as `Learning`.
    Audit,
}

impl PerimeterAccessMode {
    pub fn as_str(self) -> &'static str {
        match self {
            PerimeterAccessMode::Learning => "Learning",
            PerimeterAccessMode::Enforced => "Enforced",
            PerimeterAccessMode::Audit => "Audit",
        }
    }
}
