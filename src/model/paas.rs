//! Azure PaaS resources with network firewalls (storage accounts, key vaults, container
//! registries), service endpoint policies and the AML workspace.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};

use super::{PortRange, Protocol};

/// Who controls a resource: yours, Microsoft-managed (e.g. AML's Batch storage), or an
/// attacker's (an exfiltration sink).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    #[default]
    Yours,
    Microsoft,
    Attacker,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PublicNetworkAccess {
    #[default]
    Enabled,
    Disabled,
    SecuredByPerimeter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaasKind {
    StorageAccount,
    KeyVault,
    ContainerRegistry,
}

/// A resource's public-endpoint firewall (`networkAcls` / `networkRuleSet`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkAcls {
    #[serde(default = "allow_action")]
    pub default_action: super::Access,
    /// Trusted Microsoft services bypass (`AzureServices`).
    #[serde(default)]
    pub bypass_azure_services: bool,
    /// Subnets (`vnet/subnet`) allowed through their service endpoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub virtual_network_rules: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ip_rules: Vec<Ipv4Net>,
    /// Resource instances allowed by `resourceAccessRules` (e.g. the AML workspace name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_access_rules: Vec<String>,
}

impl Default for NetworkAcls {
    fn default() -> Self {
        NetworkAcls {
            default_action: allow_action(),
            bypass_azure_services: false,
            virtual_network_rules: Vec::new(),
            ip_rules: Vec::new(),
            resource_access_rules: Vec::new(),
        }
    }
}

fn allow_action() -> super::Access {
    super::Access::Allow
}

/// A storage account, key vault or container registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaasResource {
    pub name: String,
    pub kind: PaasKind,
    pub region: String,
    #[serde(default = "default_subscription")]
    pub subscription: String,
    #[serde(default = "default_resource_group")]
    pub resource_group: String,
    #[serde(default)]
    pub owner: Owner,
    #[serde(default)]
    pub public_network_access: PublicNetworkAccess,
    #[serde(default)]
    pub network_acls: NetworkAcls,
    /// Public IP of the endpoint; when absent the engine picks one from the service-tag data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ipv4Addr>,
    /// Service endpoint policy aliases that cover this Microsoft-managed account
    /// (e.g. `/services/Azure/MachineLearning` for AML's Batch storage).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covered_by_aliases: Vec<String>,
    /// Classic (ASM) storage account: always denied when a SEP applies.
    #[serde(default)]
    pub classic: bool,
    /// Key vault: soft delete enabled.
    #[serde(default)]
    pub soft_delete: bool,
    /// Key vault: purge protection enabled.
    #[serde(default)]
    pub purge_protection: bool,
}

pub(crate) fn default_subscription() -> String {
    "00000000-0000-0000-0000-000000000000".to_string()
}

pub(crate) fn default_resource_group() -> String {
    "rg".to_string()
}

/// One definition of a service endpoint policy: `Microsoft.Storage` with ARM resource IDs
/// (account, resource group or subscription scope), or `Global` with aliases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SepDefinition {
    pub name: String,
    pub service: String,
    pub service_resources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEndpointPolicy {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub definitions: Vec<SepDefinition>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManagedIsolationMode {
    #[default]
    Disabled,
    AllowInternetOutbound,
    AllowOnlyApprovedOutbound,
}

impl ManagedIsolationMode {
    /// The position in the one-way order Disabled → AllowInternetOutbound →
    /// AllowOnlyApprovedOutbound: a workspace's mode can only move forward (Microsoft Learn,
    /// "Workspace managed virtual network isolation").
    pub fn rank(self) -> u8 {
        match self {
            Self::Disabled => 0,
            Self::AllowInternetOutbound => 1,
            Self::AllowOnlyApprovedOutbound => 2,
        }
    }
}

/// A managed-VNet outbound rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum OutboundRule {
    PrivateEndpoint {
        name: String,
        target: String,
        sub_resource: String,
        /// `sparkEnabled`: serverless Spark can use this private endpoint (it reaches no other).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        spark_enabled: bool,
    },
    ServiceTag {
        name: String,
        tag: String,
        protocol: Protocol,
        ports: Vec<PortRange>,
    },
    Fqdn {
        name: String,
        fqdn: String,
        /// Ports the rule is written for; empty means 80 and 443, the only ports an FQDN rule
        /// can open (validation reports others).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        ports: Vec<PortRange>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedNetwork {
    #[serde(default)]
    pub isolation_mode: ManagedIsolationMode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outbound_rules: Vec<OutboundRule>,
    /// The mode the workspace had before this design, when the design states it: validation
    /// checks the one-way transitions against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_isolation_mode: Option<ManagedIsolationMode>,
    /// `status.sparkReady`: the network was provisioned for serverless Spark, so the managed
    /// private endpoints to the workspace's own resources serve Spark too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spark_ready: bool,
}

/// The Azure Machine Learning workspace and its associated resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workspace {
    pub name: String,
    pub region: String,
    #[serde(default = "default_subscription")]
    pub subscription: String,
    #[serde(default = "default_resource_group")]
    pub resource_group: String,
    #[serde(default)]
    pub public_network_access: PublicNetworkAccess,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_vault: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container_registry: Option<String>,
    /// `hbi_workspace`: computes also need the Batch back end's key vault.
    #[serde(default)]
    pub hbi: bool,
    #[serde(default)]
    pub customer_managed_key: bool,
    #[serde(default)]
    pub resource_logs: bool,
    /// Registry curated environments are pulled from (`mcr.microsoft.com` or
    /// `viennaglobal.azurecr.io`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_registry: Option<String>,
    #[serde(default)]
    pub managed_network: ManagedNetwork,
}
