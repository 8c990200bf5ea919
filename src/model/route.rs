//! Route tables and user-defined routes.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::AddressMatch;

/// Next hop types a user-defined route can name (Azure spelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NextHopType {
    VirtualNetworkGateway,
    VnetLocal,
    Internet,
    VirtualAppliance,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteTable {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Route>,
    /// `disableBgpRoutePropagation`: gateway-learned routes are not added to attached subnets.
    #[serde(default)]
    pub disable_gateway_propagation: bool,
}

/// A user-defined route. The address prefix is a CIDR or a service tag (not `*`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    pub name: String,
    pub address_prefix: AddressMatch,
    pub next_hop_type: NextHopType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_hop_ip: Option<Ipv4Addr>,
}
