//! Compute that holds a network interface: AML compute instances and clusters, VMs, jump boxes,
//! AKS node pools and network virtual appliances.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComputeKind {
    ComputeInstance,
    ComputeCluster,
    VirtualMachine,
    JumpBox,
    AksNodePool,
    NetworkVirtualAppliance,
    /// AML serverless Spark compute: in the workspace's managed VNet, it reaches only private
    /// endpoints marked for Spark.
    ServerlessSpark,
}

impl ComputeKind {
    /// AML-managed compute (instance or cluster), whose inbound needs depend on its public IP.
    pub fn is_aml_compute(self) -> bool {
        matches!(self, Self::ComputeInstance | Self::ComputeCluster)
    }

    /// Compute that runs in a workspace's managed VNet when it has no NIC: AML compute and
    /// serverless Spark.
    pub fn runs_in_managed_network(self) -> bool {
        self.is_aml_compute() || self == Self::ServerlessSpark
    }
}

/// Azure Batch node communication mode of AML compute. Classic mode needs inbound
/// 29876-29877 from BatchNodeManagement; simplified (default since Dec 2022) needs none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeCommunication {
    #[default]
    Simplified,
    Classic,
}

/// A network interface (one IP configuration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkInterface {
    /// `vnet/subnet`.
    pub subnet: String,
    pub private_ip: Ipv4Addr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ipv4Addr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsg: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asgs: Vec<String>,
    #[serde(default)]
    pub ip_forwarding: bool,
    /// A network virtual appliance (with `ip_forwarding`) that source-NATs what it forwards to
    /// its own private address, so the destination, its NSGs and the return path see the
    /// appliance; off: it forwards packets unchanged. An OS setting of the appliance, not an
    /// Azure property, so imports leave it off.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub snat: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compute {
    pub name: String,
    pub kind: ComputeKind,
    /// The NIC in a customer VNet. Absent only for AML compute in a workspace's managed VNet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nic: Option<NetworkInterface>,
    /// The AML workspace an AML compute belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
    #[serde(default)]
    pub node_communication: NodeCommunication,
    /// The Azure Firewall whose explicit proxy this compute's HTTP and HTTPS clients are
    /// configured to use (an operating-system or application setting, so imports leave it
    /// unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explicit_proxy: Option<String>,
}
