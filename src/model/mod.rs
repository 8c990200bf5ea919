//! The design model: serde types for the JSON design format (`schema_version` 1) and its
//! validation. Pure data: no evaluation, no I/O. Elements refer to each other by name; subnets
//! are named `vnet/subnet`. Every other layer reads designs only through these types.

mod address;
mod compute;
mod design;
mod diagnostic;
mod dns;
pub mod excerpt;
mod firewall;
pub mod json_value;
mod limits;
mod load_balancer;
mod network;
mod network_manager;
mod nsg;
mod options;
mod paas;
mod perimeter;
mod route;
mod services;
pub mod sorting;
mod validate;

pub use address::{AddressMatch, ParseError, PortRange, Protocol};
pub use compute::{Compute, ComputeKind, NetworkInterface, NodeCommunication};
pub use design::{Cloud, Design, SCHEMA_VERSION};
pub use diagnostic::{Diagnostic, Severity};
pub use dns::{ConnectionState, DnsRecord, PrivateDnsZone, PrivateEndpoint};
pub use firewall::{
    ApplicationProtocol, ApplicationProtocolPort, ApplicationRule, DnatTarget, ExplicitProxy,
    Firewall, FirewallPolicy, IpGroup, NatRule, NetworkRule, RuleAction, RuleCollection,
    RuleCollectionGroup, ThreatIntelMode,
};
pub use limits::{oversize, DesignSize};
pub use load_balancer::{
    BackendPool, Frontend, HealthProbe, LoadBalancer, LoadBalancerOutboundRule,
    LoadBalancerProtocol, LoadBalancingRule, NoHealthyBackends, ProbeProtocol,
};
pub use network::{
    Gateway, GatewayKind, Peering, PrivateEndpointNetworkPolicies, Subnet, VirtualNetwork,
};
pub use network_manager::{
    AdminAccess, AdminRule, AdminRuleCollection, NetworkGroup, NetworkManager,
};
pub use nsg::{Access, Direction, NetworkSecurityGroup, SecurityRule, SecurityRules};
pub use options::{EvaluationOptions, OptionInfo, StorageEndpointScope, OPTION_INFO};
pub use paas::{
    ManagedIsolationMode, ManagedNetwork, NetworkAcls, OutboundRule, Owner, PaasKind, PaasResource,
    PublicNetworkAccess, SepDefinition, ServiceEndpointPolicy, Workspace,
};
pub use perimeter::{
    InboundAccessRule, NetworkSecurityPerimeter, OutboundAccessRule, PerimeterAccessMode,
    PerimeterAssociation, PerimeterProfile,
};
pub use route::{NextHopType, Route, RouteTable};
pub use services::{ExternalHost, ExternalKind, PlatformService};
pub use validate::{is_control_character, validate};
