//! The Azure resource types the import understands, in the order they are converted: referenced
//! elements and parents come before the resources that refer to them or live in them.

/// A supported resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Kind {
    ApplicationSecurityGroup,
    IpGroup,
    PublicIpAddress,
    NatGateway,
    NetworkSecurityGroup,
    SecurityRule,
    DefaultSecurityRule,
    RouteTable,
    Route,
    ServiceEndpointPolicy,
    ServiceEndpointPolicyDefinition,
    VirtualNetwork,
    Subnet,
    VirtualNetworkPeering,
    PrivateDnsZone,
    VirtualNetworkLink,
    DnsARecord,
    StorageAccount,
    KeyVault,
    ContainerRegistry,
    Workspace,
    FirewallPolicy,
    RuleCollectionGroup,
    AzureFirewall,
    VirtualMachine,
    NetworkInterface,
    LoadBalancer,
    LoadBalancerBackendPool,
    PrivateEndpoint,
    PrivateDnsZoneGroup,
    WorkspaceCompute,
    LocalNetworkGateway,
    Connection,
    VirtualNetworkGateway,
    BastionHost,
    ManagedCluster,
    AgentPool,
    NetworkManager,
    NetworkGroup,
    StaticMember,
    SecurityAdminConfiguration,
    AdminRuleCollection,
    AdminRule,
    NetworkSecurityPerimeter,
    PerimeterProfile,
    PerimeterAccessRule,
    PerimeterAssociation,
}

/// Each kind's ARM type, as Azure spells it.
const TYPES: [(Kind, &str); 47] = [
    (
        Kind::ApplicationSecurityGroup,
        "Microsoft.Network/applicationSecurityGroups",
    ),
    (Kind::IpGroup, "Microsoft.Network/ipGroups"),
    (Kind::PublicIpAddress, "Microsoft.Network/publicIPAddresses"),
    (Kind::NatGateway, "Microsoft.Network/natGateways"),
    (
        Kind::NetworkSecurityGroup,
        "Microsoft.Network/networkSecurityGroups",
    ),
    (
        Kind::SecurityRule,
        "Microsoft.Network/networkSecurityGroups/securityRules",
    ),
    (
        Kind::DefaultSecurityRule,
        "Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
    ),
    (Kind::RouteTable, "Microsoft.Network/routeTables"),
    (Kind::Route, "Microsoft.Network/routeTables/routes"),
    (
        Kind::ServiceEndpointPolicy,
        "Microsoft.Network/serviceEndpointPolicies",
    ),
    (
        Kind::ServiceEndpointPolicyDefinition,
        "Microsoft.Network/serviceEndpointPolicies/serviceEndpointPolicyDefinitions",
    ),
    (Kind::VirtualNetwork, "Microsoft.Network/virtualNetworks"),
    (Kind::Subnet, "Microsoft.Network/virtualNetworks/subnets"),
    (
        Kind::VirtualNetworkPeering,
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    ),
    (Kind::PrivateDnsZone, "Microsoft.Network/privateDnsZones"),
    (
        Kind::VirtualNetworkLink,
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    ),
    (Kind::DnsARecord, "Microsoft.Network/privateDnsZones/A"),
    (Kind::StorageAccount, "Microsoft.Storage/storageAccounts"),
    (Kind::KeyVault, "Microsoft.KeyVault/vaults"),
    (
        Kind::ContainerRegistry,
        "Microsoft.ContainerRegistry/registries",
    ),
    (
        Kind::Workspace,
        "Microsoft.MachineLearningServices/workspaces",
    ),
    (Kind::FirewallPolicy, "Microsoft.Network/firewallPolicies"),
    (
        Kind::RuleCollectionGroup,
        "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
    ),
    (Kind::AzureFirewall, "Microsoft.Network/azureFirewalls"),
    (Kind::VirtualMachine, "Microsoft.Compute/virtualMachines"),
    (
        Kind::NetworkInterface,
        "Microsoft.Network/networkInterfaces",
    ),
    (Kind::LoadBalancer, "Microsoft.Network/loadBalancers"),
    (
        Kind::LoadBalancerBackendPool,
        "Microsoft.Network/loadBalancers/backendAddressPools",
    ),
    (Kind::PrivateEndpoint, "Microsoft.Network/privateEndpoints"),
    (
        Kind::PrivateDnsZoneGroup,
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
    ),
    (
        Kind::WorkspaceCompute,
        "Microsoft.MachineLearningServices/workspaces/computes",
    ),
    (
        Kind::LocalNetworkGateway,
        "Microsoft.Network/localNetworkGateways",
    ),
    (Kind::Connection, "Microsoft.Network/connections"),
    (
        Kind::VirtualNetworkGateway,
        "Microsoft.Network/virtualNetworkGateways",
    ),
    (Kind::BastionHost, "Microsoft.Network/bastionHosts"),
    (
        Kind::ManagedCluster,
        "Microsoft.ContainerService/managedClusters",
    ),
    (
        Kind::AgentPool,
        "Microsoft.ContainerService/managedClusters/agentPools",
    ),
    (Kind::NetworkManager, "Microsoft.Network/networkManagers"),
    (
        Kind::NetworkGroup,
        "Microsoft.Network/networkManagers/networkGroups",
    ),
    (
        Kind::StaticMember,
        "Microsoft.Network/networkManagers/networkGroups/staticMembers",
    ),
    (
        Kind::SecurityAdminConfiguration,
        "Microsoft.Network/networkManagers/securityAdminConfigurations",
    ),
    (
        Kind::AdminRuleCollection,
        "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
    ),
    (
        Kind::AdminRule,
        "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
    ),
    (
        Kind::NetworkSecurityPerimeter,
        "Microsoft.Network/networkSecurityPerimeters",
    ),
    (
        Kind::PerimeterProfile,
        "Microsoft.Network/networkSecurityPerimeters/profiles",
    ),
    (
        Kind::PerimeterAccessRule,
        "Microsoft.Network/networkSecurityPerimeters/profiles/accessRules",
    ),
    (
        Kind::PerimeterAssociation,
        "Microsoft.Network/networkSecurityPerimeters/resourceAssociations",
    ),
];

impl Kind {
    /// The kind of an ARM type (case-insensitive, as ARM is).
    pub(super) fn of_type(type_path: &str) -> Option<Kind> {
        TYPES
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(type_path.trim()))
            .map(|(kind, _)| *kind)
    }

    /// The kind of a type read from a resource ID. IDs in real inputs sometimes name the wrong
    /// parent type (`privateLinkServices/x/privateDnsZoneGroups/y`), so when the whole type is
    /// unknown the namespace, the last type segment and the nesting depth decide.
    pub(super) fn of_id_type(type_path: &str) -> Option<Kind> {
        Kind::of_type(type_path).or_else(|| {
            let wanted = Signature::of(type_path);
            let mut candidates = TYPES
                .iter()
                .filter(|(_, name)| Signature::of(name) == wanted);
            match (candidates.next(), candidates.next()) {
                (Some((kind, _)), None) => Some(*kind),
                _ => None,
            }
        })
    }

    /// The ARM type name.
    pub(super) fn type_name(self) -> &'static str {
        TYPES
            .iter()
            .find(|(kind, _)| *kind == self)
            .map(|(_, name)| *name)
            .unwrap_or_default()
    }

    /// How many parents the resource has: 0 for `virtualNetworks`, 1 for `virtualNetworks/subnets`.
    pub(super) fn depth(self) -> usize {
        self.type_name().matches('/').count().saturating_sub(1)
    }

    /// What users call it, for messages.
    pub(super) fn describe(self) -> &'static str {
        match self {
            Kind::ApplicationSecurityGroup => "application security group",
            Kind::IpGroup => "IP group",
            Kind::PublicIpAddress => "public IP address",
            Kind::NatGateway => "NAT gateway",
            Kind::NetworkSecurityGroup => "NSG",
            Kind::SecurityRule => "security rule",
            Kind::DefaultSecurityRule => "default security rule",
            Kind::RouteTable => "route table",
            Kind::Route => "route",
            Kind::ServiceEndpointPolicy => "service endpoint policy",
            Kind::ServiceEndpointPolicyDefinition => "service endpoint policy definition",
            Kind::VirtualNetwork => "VNet",
            Kind::Subnet => "subnet",
            Kind::VirtualNetworkPeering => "VNet peering",
            Kind::PrivateDnsZone => "private DNS zone",
            Kind::VirtualNetworkLink => "virtual network link",
            Kind::DnsARecord => "A record set",
            Kind::StorageAccount => "storage account",
            Kind::KeyVault => "key vault",
            Kind::ContainerRegistry => "container registry",
            Kind::Workspace => "AML workspace",
            Kind::FirewallPolicy => "firewall policy",
            Kind::RuleCollectionGroup => "rule collection group",
            Kind::AzureFirewall => "Azure Firewall",
            Kind::VirtualMachine => "virtual machine",
            Kind::NetworkInterface => "network interface",
            Kind::LoadBalancer => "load balancer",
            Kind::LoadBalancerBackendPool => "backend pool",
            Kind::PrivateEndpoint => "private endpoint",
            Kind::PrivateDnsZoneGroup => "private DNS zone group",
            Kind::WorkspaceCompute => "AML compute",
            Kind::LocalNetworkGateway => "local network gateway",
            Kind::Connection => "gateway connection",
            Kind::VirtualNetworkGateway => "virtual network gateway",
            Kind::BastionHost => "Azure Bastion host",
            Kind::ManagedCluster => "AKS cluster",
            Kind::AgentPool => "AKS agent pool",
            Kind::NetworkManager => "network manager",
            Kind::NetworkGroup => "network group",
            Kind::StaticMember => "network group member",
            Kind::SecurityAdminConfiguration => "security admin configuration",
            Kind::AdminRuleCollection => "admin rule collection",
            Kind::AdminRule => "security admin rule",
            Kind::NetworkSecurityPerimeter => "network security perimeter",
            Kind::PerimeterProfile => "perimeter profile",
            Kind::PerimeterAccessRule => "perimeter access rule",
            Kind::PerimeterAssociation => "perimeter resource association",
        }
    }
}

/// Namespace, last type segment and depth of a type path, lower-cased.
#[derive(PartialEq, Eq)]
struct Signature {
    namespace: String,
    leaf: String,
    depth: usize,
}

impl Signature {
    fn of(type_path: &str) -> Signature {
        let segments: Vec<&str> = type_path.split('/').collect();
        Signature {
            namespace: segments.first().unwrap_or(&"").to_ascii_lowercase(),
            leaf: segments.last().unwrap_or(&"").to_ascii_lowercase(),
            depth: segments.len().saturating_sub(2),
        }
    }
}
