//! The design document: every element of one Azure network design, plus the evaluation options
//! that belong with it. This is the JSON file users load, save and share.

use serde::{Deserialize, Serialize};

use super::{
    Compute, EvaluationOptions, ExternalHost, Firewall, FirewallPolicy, Gateway, IpGroup,
    LoadBalancer, NetworkManager, NetworkSecurityGroup, NetworkSecurityPerimeter, PaasResource,
    Peering, PlatformService, PrivateDnsZone, PrivateEndpoint, RouteTable, ServiceEndpointPolicy,
    VirtualNetwork, Workspace,
};

/// The version of the design format this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// Which Azure cloud the design lives in; decides public FQDN suffixes and private DNS zones.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Cloud {
    #[default]
    Public,
    UsGovernment,
}

/// A whole design. Names are unique per element kind; subnets are referred to as `vnet/subnet`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Design {
    pub schema_version: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub cloud: Cloud,
    #[serde(default)]
    pub options: EvaluationOptions,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub virtual_networks: Vec<VirtualNetwork>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peerings: Vec<Peering>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<Gateway>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_security_groups: Vec<NetworkSecurityGroup>,
    /// Azure Virtual Network Manager instances with their security admin rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_managers: Vec<NetworkManager>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub application_security_groups: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_tables: Vec<RouteTable>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub computes: Vec<Compute>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_endpoints: Vec<PrivateEndpoint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_dns_zones: Vec<PrivateDnsZone>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firewalls: Vec<Firewall>,
    /// Azure Load Balancers (internal ones in front of network virtual appliances, public
    /// ones giving backends an outbound identity).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancers: Vec<LoadBalancer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firewall_policies: Vec<FirewallPolicy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ip_groups: Vec<IpGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_endpoint_policies: Vec<ServiceEndpointPolicy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<PaasResource>,
    /// Network security perimeters around storage accounts and key vaults.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_security_perimeters: Vec<NetworkSecurityPerimeter>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workspaces: Vec<Workspace>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<PlatformService>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_hosts: Vec<ExternalHost>,
}

impl Design {
    /// An empty design of the current schema version.
    pub fn new(name: impl Into<String>) -> Self {
        Design {
            schema_version: SCHEMA_VERSION,
            name: name.into(),
            ..Design::default()
        }
    }

    /// The firewall policy `name` and its ancestors, root first, each with its index; a
    /// missing parent or a cycle ends the chain.
    pub fn policy_chain(&self, name: &str) -> Vec<(usize, &FirewallPolicy)> {
        let mut chain: Vec<(usize, &FirewallPolicy)> = Vec::new();
        let mut next = Some(name);
        while let Some(current) = next.take() {
            let Some((index, policy)) = self
                .firewall_policies
                .iter()
                .enumerate()
                .find(|(_, p)| p.name == current)
            else {
                break;
            };
            if chain.iter().any(|(i, _)| *i == index) {
                break;
            }
            chain.push((index, policy));
            next = policy.parent.as_deref();
        }
        chain.reverse();
        chain
    }

    /// The firewalls that apply the rules of policy `name`: directly, or through a child policy
    /// at any depth.
    pub fn firewalls_using_policy<'d>(
        &'d self,
        name: &'d str,
    ) -> impl Iterator<Item = &'d Firewall> {
        self.firewalls.iter().filter(move |firewall| {
            firewall.policy.as_deref().is_some_and(|own| {
                self.policy_chain(own)
                    .iter()
                    .any(|(_, policy)| policy.name == name)
            })
        })
    }
}

pub(crate) fn default_true() -> bool {
    true
}

pub(crate) fn is_true(value: &bool) -> bool {
    *value
}
