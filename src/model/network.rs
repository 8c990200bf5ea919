//! Virtual networks, subnets, peerings and on-premises gateways.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

use super::design::{default_true, is_true};

/// A virtual network with its address space and subnets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VirtualNetwork {
    pub name: String,
    pub region: String,
    pub address_space: Vec<Ipv4Net>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Subnet>,
    /// Custom DNS servers; empty means Azure-provided DNS (168.63.129.16) with linked private zones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_servers: Vec<Ipv4Addr>,
}

/// `privateEndpointNetworkPolicies` of a subnet: whether NSGs and route tables apply to the
/// private endpoints in it (docs' default: Disabled).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PrivateEndpointNetworkPolicies {
    #[default]
    Disabled,
    Enabled,
    NetworkSecurityGroupEnabled,
    RouteTableEnabled,
}

impl PrivateEndpointNetworkPolicies {
    pub fn applies_nsg(self) -> bool {
        matches!(self, Self::Enabled | Self::NetworkSecurityGroupEnabled)
    }

    pub fn applies_route_table(self) -> bool {
        matches!(self, Self::Enabled | Self::RouteTableEnabled)
    }
}

/// A subnet. Its id elsewhere in the design is `vnet/subnet`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    pub name: String,
    pub prefix: Ipv4Net,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table: Option<String>,
    /// Service endpoints by Azure name, e.g. `Microsoft.Storage`, `Microsoft.Storage.Global`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_endpoints: Vec<String>,
    /// Names of attached service endpoint policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_endpoint_policies: Vec<String>,
    #[serde(default)]
    pub private_endpoint_network_policies: PrivateEndpointNetworkPolicies,
    /// Public IP of a NAT gateway attached to the subnet, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat_gateway_ip: Option<Ipv4Addr>,
    /// Azure's default outbound access for VMs without a public IP (off for "private subnets").
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub default_outbound_access: bool,
    /// The ARM API version that made the subnet private by default (2025-07-01 or later, with
    /// `defaultOutboundAccess` unset), recorded by the importer so that traces can say why the
    /// subnet has no default outbound access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_by_api_version: Option<String>,
}

/// One direction of a VNet peering, as Azure models it. Traffic flows only when both
/// directions exist (the peering is then `Connected`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Peering {
    pub name: String,
    pub local_vnet: String,
    pub remote_vnet: String,
    #[serde(default = "default_true")]
    pub allow_virtual_network_access: bool,
    #[serde(default)]
    pub allow_forwarded_traffic: bool,
    #[serde(default)]
    pub allow_gateway_transit: bool,
    #[serde(default)]
    pub use_remote_gateways: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GatewayKind {
    #[default]
    Vpn,
    ExpressRoute,
}

/// A virtual network gateway (in the VNet's GatewaySubnet) and the on-premises prefixes it
/// advertises to the VNet's subnets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    pub name: String,
    #[serde(default)]
    pub kind: GatewayKind,
    pub vnet: String,
    pub on_premises_prefixes: Vec<Ipv4Net>,
}
