//! Private endpoints and private DNS zones.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

/// Private link connection state; only `Approved` connections carry traffic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConnectionState {
    #[default]
    Approved,
    Pending,
    Rejected,
    Disconnected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateEndpoint {
    pub name: String,
    /// `vnet/subnet` hosting the endpoint's NIC.
    pub subnet: String,
    pub private_ip: Ipv4Addr,
    /// Name of the target storage account, key vault, registry or workspace.
    pub target: String,
    /// Sub-resource (`groupId`): blob, file, queue, table, dfs, vault, registry, amlworkspace…
    pub sub_resource: String,
    #[serde(default)]
    pub connection_state: ConnectionState,
    /// Private DNS zones of the endpoint's DNS zone group: the engine registers the endpoint's
    /// A record in each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_zones: Vec<String>,
}

/// An A record; `name` is relative to the zone (e.g. `mystorage` in
/// `privatelink.blob.core.windows.net`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnsRecord {
    pub name: String,
    pub ip: Ipv4Addr,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateDnsZone {
    pub name: String,
    /// VNets linked to the zone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vnet_links: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<DnsRecord>,
    /// Links resolve names missing from the zone publicly (`NxDomainRedirect`) instead of
    /// failing with NXDOMAIN.
    #[serde(default)]
    pub fallback_to_internet: bool,
}
