//! Azure platform services (members of service tags) and external hosts (internet, on-premises).

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::Owner;

/// An Azure platform service endpoint such as Entra ID, ARM, AzureMachineLearning, MCR or a
/// Front Door endpoint. It belongs to its service tag (and the tag's regional form, when it has
/// a region) and is reached by its FQDNs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformService {
    pub name: String,
    /// Service tag the endpoint belongs to, e.g. `AzureActiveDirectory`, `AzureFrontDoor.Frontend`.
    pub service_tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fqdns: Vec<String>,
    /// When absent the engine picks an address of the tag from the service-tag data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ipv4Addr>,
    #[serde(default = "microsoft")]
    pub owner: Owner,
}

fn microsoft() -> Owner {
    Owner::Microsoft
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExternalKind {
    /// A host on the public internet.
    Internet,
    /// A client on-premises, behind a VPN or ExpressRoute gateway.
    OnPremises,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalHost {
    pub name: String,
    pub kind: ExternalKind,
    pub ip: Ipv4Addr,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fqdns: Vec<String>,
    #[serde(default)]
    pub owner: Owner,
}
