//! Azure Load Balancer (Standard): frontend IP configurations, backend pools of NICs, health
//! probes, load-balancing rules (HA ports included) and outbound rules.
//!
//! A load balancer is internal when its frontends hold private addresses in a subnet (an
//! internal load balancer's frontend is what a `VirtualAppliance` route names to reach a pool of
//! network virtual appliances) and public when they hold public IP addresses (its outbound
//! rules give the pool an internet identity). Microsoft Learn, "Azure Load Balancer
//! components": "Private IP address selection creates an internal load balancer. Public IP
//! address selection creates a public load balancer."

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

/// The transport a load-balancing or outbound rule covers (`All` for both TCP and UDP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LoadBalancerProtocol {
    #[serde(alias = "tcp")]
    Tcp,
    #[serde(alias = "udp")]
    Udp,
    #[serde(alias = "all")]
    All,
}

/// How a health probe checks a backend: a TCP connection, or an HTTP(S) request (which also
/// needs the TCP connection to the port first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ProbeProtocol {
    #[serde(alias = "tcp")]
    Tcp,
    #[serde(alias = "http")]
    Http,
    #[serde(alias = "https")]
    Https,
}

/// What a rule does when every member of its pool fails the probe (`noHealthyBackendsBehavior`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum NoHealthyBackends {
    /// No new flows go to the pool (Azure's default).
    #[default]
    AllProbedDown,
    /// New flows go to every member as if all were healthy (a last resort).
    AllProbedUp,
}

impl NoHealthyBackends {
    fn is_default(&self) -> bool {
        *self == NoHealthyBackends::AllProbedDown
    }
}

/// A frontend IP configuration: a private address in a subnet (internal) or a public IP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frontend {
    pub name: String,
    /// `vnet/subnet` of a private frontend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip: Option<Ipv4Addr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<Ipv4Addr>,
}

/// A backend pool: the computes whose NIC (IP configuration) is a member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackendPool {
    pub name: String,
    /// Compute names (each compute has one NIC IP configuration).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
}

/// A health probe, sent from 168.63.129.16 (the `AzureLoadBalancer` service tag) to each backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthProbe {
    pub name: String,
    pub protocol: ProbeProtocol,
    pub port: u16,
    #[serde(default, skip_serializing_if = "NoHealthyBackends::is_default")]
    pub no_healthy_backends: NoHealthyBackends,
}

/// A load-balancing rule. Protocol `All` with frontend and backend port 0 is an HA ports rule:
/// every TCP and UDP flow on every port (internal load balancers only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancingRule {
    pub name: String,
    pub frontend: String,
    pub backend_pool: String,
    pub protocol: LoadBalancerProtocol,
    pub frontend_port: u16,
    pub backend_port: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<String>,
}

impl LoadBalancingRule {
    /// An HA ports rule: protocol `All`, ports 0.
    pub fn is_ha_ports(&self) -> bool {
        self.protocol == LoadBalancerProtocol::All
            && self.frontend_port == 0
            && self.backend_port == 0
    }
}

/// An outbound rule of a public load balancer: the backend pool's internet traffic leaves
/// with the frontends' public IPs (source NAT).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerOutboundRule {
    pub name: String,
    pub frontends: Vec<String>,
    pub backend_pool: String,
    pub protocol: LoadBalancerProtocol,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancer {
    pub name: String,
    pub frontends: Vec<Frontend>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backend_pools: Vec<BackendPool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<HealthProbe>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<LoadBalancingRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outbound_rules: Vec<LoadBalancerOutboundRule>,
}

impl LoadBalancer {
    /// Internal: every frontend is a private address (a load balancer with no frontend counts
    /// as public, which no `VirtualAppliance` route can name).
    pub fn is_internal(&self) -> bool {
        !self.frontends.is_empty() && self.frontends.iter().all(|f| f.public_ip.is_none())
    }

    pub fn frontend(&self, name: &str) -> Option<&Frontend> {
        self.frontends.iter().find(|f| f.name == name)
    }

    pub fn pool(&self, name: &str) -> Option<&BackendPool> {
        self.backend_pools.iter().find(|p| p.name == name)
    }

    pub fn probe(&self, name: &str) -> Option<&HealthProbe> {
        self.probes.iter().find(|p| p.name == name)
    }

    /// The frontend that stands for the whole load balancer (a flow `--to` it, the diagram's
    /// placement): the first by name, whatever the order of the list.
    pub fn main_frontend(&self) -> Option<&Frontend> {
        self.frontends.iter().min_by(|a, b| a.name.cmp(&b.name))
    }

    /// The private frontend at `ip`, if any.
    pub fn frontend_at(&self, ip: Ipv4Addr) -> Option<&Frontend> {
        self.frontends.iter().find(|f| f.private_ip == Some(ip))
    }
}
