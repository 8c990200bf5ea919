//! What a flow's two ends are: the source as a place in the network (a NIC in a subnet, the
//! internet, on-premises, a managed VNet, a Microsoft service acting for a workspace) and the
//! destination as an entity with the address and service tags rules see.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::address::{is_public, Party, PrefixContains, AZURE_HOST_IP, IMDS_IP};
use super::regions::normalise_region;
use super::routing::{compile_subnet_routes, SubnetRoutes};
use super::service_tags::{CanonicalTag, ServiceTagData};
use super::topology::Topology;
use super::Engine;
use crate::model::{
    Compute, Design, Diagnostic, ExternalHost, ExternalKind, Frontend, LoadBalancer,
    ManagedIsolationMode, PaasKind, PaasResource, PlatformService, PrivateEndpoint, Subnet,
    Workspace,
};

/// Where a flow starts.
#[derive(Debug, Clone)]
pub enum Origin<'d> {
    /// Inside a customer subnet: a compute's NIC, a firewall, or a bare address.
    Subnet {
        subnet: String,
        party: Party,
        compute: Option<&'d Compute>,
        firewall: Option<usize>,
    },
    /// AML compute in its workspace's Microsoft-managed VNet.
    Managed {
        compute: &'d Compute,
        workspace: &'d Workspace,
    },
    /// The public internet or an Azure service reaching in from outside the VNets.
    Outside {
        party: Party,
        azure_region: Option<String>,
    },
    /// A Microsoft service acting for the workspace (trusted-service / resource-instance access).
    WorkspaceService { workspace: &'d Workspace },
    /// A storage account or key vault calling out (its network security perimeter's outbound
    /// side applies).
    Resource { resource: &'d PaasResource },
    /// An on-premises client behind a VNet gateway.
    OnPremises { party: Party, gateway_vnet: String },
    /// The Azure host 168.63.129.16 (the `AzureLoadBalancer` tag): health probes and platform
    /// agents reach a NIC directly, without routes, filtered by its inbound NSGs only.
    AzureHost,
}

/// What a destination is.
#[derive(Debug, Clone)]
pub enum Entity<'d> {
    Compute(&'d Compute),
    Firewall(usize),
    PrivateEndpoint(&'d PrivateEndpoint),
    /// A load balancer's frontend address (private or public).
    LoadBalancer {
        lb: &'d LoadBalancer,
        frontend: &'d Frontend,
    },
    /// An address in a subnet that no modelled NIC owns.
    SubnetAddress(String),
    Resource(&'d PaasResource),
    /// A PaaS name the design does not model (e.g. someone else's storage account).
    UnmodelledResource {
        kind: PaasKind,
        name: String,
    },
    Workspace(&'d Workspace),
    Service(&'d PlatformService),
    External(&'d ExternalHost),
    /// 168.63.129.16 or 169.254.169.254: never filtered by NSGs.
    PlatformAddress,
    /// An address behind a gateway.
    OnPremisesAddress,
    /// Any other address (public, or private outside every VNet), or an unknown public name.
    OtherAddress,
}

#[derive(Debug, Clone)]
pub struct Destination<'d> {
    pub party: Party,
    pub entity: Entity<'d>,
    /// The name the client connected to (TLS SNI / Host), when it used one.
    pub fqdn: Option<String>,
    /// The sub-resource the name addresses (blob, file, vault…), for private endpoint checks.
    pub sub_resource: Option<String>,
}

fn service_tag_for(kind: PaasKind) -> &'static str {
    match kind {
        PaasKind::StorageAccount => "Storage",
        PaasKind::KeyVault => "AzureKeyVault",
        PaasKind::ContainerRegistry => "AzureContainerRegistry",
    }
}

/// The tag a modelled public endpoint belongs to, by type and region.
fn membership(service: &str, region: Option<&str>) -> CanonicalTag {
    CanonicalTag::new(service, region.map(normalise_region).as_deref())
}

/// An address of the tag from the shipped data (regional first), for endpoints without one.
fn representative(data: &ServiceTagData, tag: &CanonicalTag) -> Option<Ipv4Addr> {
    data.representative_address(tag)
        .or_else(|| data.representative_address(&CanonicalTag::new(tag.service.clone(), None)))
}

impl Engine {
    pub(super) fn resource_party(&self, resource: &PaasResource) -> Party {
        let tag = membership(service_tag_for(resource.kind), Some(&resource.region));
        Party {
            ip: resource
                .public_ip
                .or_else(|| representative(self.service_tags(), &tag)),
            member_of: vec![tag],
            ..Party::default()
        }
    }

    pub(super) fn unmodelled_resource_party(&self, kind: PaasKind) -> Party {
        let tag = CanonicalTag::new(service_tag_for(kind), None);
        Party {
            ip: None,
            member_of: vec![tag],
            ..Party::default()
        }
    }

    pub(super) fn workspace_party(&self, workspace: &Workspace) -> Party {
        let tag = membership("AzureMachineLearning", Some(&workspace.region));
        Party {
            ip: representative(self.service_tags(), &tag),
            member_of: vec![tag],
            ..Party::default()
        }
    }

    pub(super) fn service_party(&self, service: &PlatformService) -> Party {
        let tag = match super::service_tags::lookup_tag(&service.service_tag) {
            super::service_tags::TagLookup::Known(tag)
            | super::service_tags::TagLookup::Alias { canonical: tag, .. } => match &service.region
            {
                Some(region) if tag.region.is_none() => {
                    CanonicalTag::new(tag.service, Some(&normalise_region(region)))
                }
                _ => tag,
            },
            super::service_tags::TagLookup::Unknown => {
                CanonicalTag::new(service.service_tag.clone(), None)
            }
        };
        Party {
            ip: service
                .public_ip
                .or_else(|| representative(self.service_tags(), &tag)),
            member_of: vec![tag],
            ..Party::default()
        }
    }

    pub(super) fn compute_party(compute: &Compute) -> Party {
        let nic = compute.nic.as_ref();
        Party {
            ip: nic.map(|n| n.private_ip),
            member_of: Vec::new(),
            asgs: nic.map(|n| n.asgs.clone()).unwrap_or_default(),
            outside_azure: false,
        }
    }

    /// The subnet (`vnet/subnet`) containing `ip`, if any.
    pub(super) fn subnet_containing(&self, ip: Ipv4Addr) -> Option<String> {
        let (v, s) = self.lookup.subnet_containing(ip)?;
        let vnet = &self.design.virtual_networks[v];
        Some(format!("{}/{}", vnet.name, vnet.subnets[s].name))
    }

    pub(super) fn on_premises_gateway_vnet(&self, ip: Ipv4Addr) -> Option<String> {
        self.design
            .gateways
            .iter()
            .find(|g| g.on_premises_prefixes.iter().any(|p| p.covers(ip)))
            .map(|g| g.vnet.clone())
    }

    /// The destination entity at `ip`.
    pub(super) fn entity_at(&self, ip: Ipv4Addr) -> (Entity<'_>, Party) {
        let design = &self.design;
        if ip == AZURE_HOST_IP || ip == IMDS_IP {
            return (Entity::PlatformAddress, Party::at(ip));
        }
        if let Some(i) = self.lookup.compute_with_private_ip(ip) {
            let compute = &design.computes[i];
            return (Entity::Compute(compute), Self::compute_party(compute));
        }
        if let Some(i) = self.lookup.endpoint_with_ip(ip) {
            let endpoint = &design.private_endpoints[i];
            return (Entity::PrivateEndpoint(endpoint), Party::at(ip));
        }
        if let Some(index) = design.firewalls.iter().position(|f| f.private_ip == ip) {
            return (Entity::Firewall(index), Party::at(ip));
        }
        if let Some((lb, frontend)) = self.load_balancer_at(ip) {
            return (Entity::LoadBalancer { lb, frontend }, Party::at(ip));
        }
        if let Some(subnet) = self.subnet_containing(ip) {
            return (Entity::SubnetAddress(subnet), Party::at(ip));
        }
        if self.on_premises_gateway_vnet(ip).is_some() {
            return (Entity::OnPremisesAddress, Party::at(ip));
        }
        if let Some(i) = self.lookup.compute_with_public_ip(ip) {
            return (Entity::Compute(&design.computes[i]), Party::at(ip));
        }
        if let Some(index) = design
            .firewalls
            .iter()
            .position(|f| f.public_ip == Some(ip) || f.additional_public_ips.contains(&ip))
        {
            return (Entity::Firewall(index), Party::at(ip));
        }
        if let Some(host) = design.external_hosts.iter().find(|h| h.ip == ip) {
            return (Entity::External(host), Party::external(host));
        }
        if let Some(service) = design.services.iter().find(|s| s.public_ip == Some(ip)) {
            return (Entity::Service(service), self.service_party(service));
        }
        if let Some(i) = self.lookup.resource_with_public_ip(ip) {
            let resource = &design.resources[i];
            return (Entity::Resource(resource), self.resource_party(resource));
        }
        (Entity::OtherAddress, Party::at(ip))
    }

    /// The origin for a raw source address.
    pub(super) fn origin_at(&self, ip: Ipv4Addr) -> Origin<'_> {
        if ip == AZURE_HOST_IP {
            return Origin::AzureHost;
        }
        if let Some(subnet) = self.subnet_containing(ip) {
            let compute = self
                .lookup
                .compute_with_private_ip(ip)
                .map(|i| &self.design.computes[i]);
            let firewall = self
                .design
                .firewalls
                .iter()
                .position(|f| f.private_ip == ip);
            let party = compute
                .map(Self::compute_party)
                .unwrap_or_else(|| Party::at(ip));
            return Origin::Subnet {
                subnet,
                party,
                compute,
                firewall,
            };
        }
        if let Some(gateway_vnet) = self.on_premises_gateway_vnet(ip) {
            return Origin::OnPremises {
                party: Party::at(ip),
                gateway_vnet,
            };
        }
        Origin::Outside {
            party: Party::at(ip),
            azure_region: None,
        }
    }

    pub(super) fn origin_of_external(&self, host: &ExternalHost) -> Origin<'_> {
        match (host.kind, self.on_premises_gateway_vnet(host.ip)) {
            (ExternalKind::OnPremises, Some(gateway_vnet)) => Origin::OnPremises {
                party: Party::external(host),
                gateway_vnet,
            },
            _ => Origin::Outside {
                party: Party::external(host),
                azure_region: None,
            },
        }
    }

    pub(super) fn origin_of_compute<'d>(&'d self, compute: &'d Compute) -> Option<Origin<'d>> {
        let workspace = compute
            .workspace
            .as_ref()
            .and_then(|name| self.design.workspaces.iter().find(|w| &w.name == name));
        if let Some(workspace) =
            workspace.filter(|w| w.managed_network.isolation_mode != ManagedIsolationMode::Disabled)
        {
            return Some(Origin::Managed { compute, workspace });
        }
        let nic = compute.nic.as_ref()?;
        Some(Origin::Subnet {
            subnet: nic.subnet.clone(),
            party: Self::compute_party(compute),
            compute: Some(compute),
            firewall: None,
        })
    }

    pub(super) fn subnet_first_address(&self, subnet: &str) -> Option<Ipv4Addr> {
        let (_, subnet) = self.subnet(subnet)?;
        let first = u32::from(subnet.prefix.network()).checked_add(4)?;
        let address = Ipv4Addr::from(first);
        subnet.prefix.covers(address).then_some(address)
    }

    /// Resolves a subnet written as `vnet/subnet` or, when unique, as `subnet`.
    pub(super) fn subnet_id(&self, name: &str) -> Option<String> {
        if self.subnet(name).is_some() {
            return Some(name.to_string());
        }
        let matches: Vec<String> = self
            .design
            .virtual_networks
            .iter()
            .flat_map(|v| {
                v.subnets
                    .iter()
                    .filter(|s| s.name == name)
                    .map(move |s| format!("{}/{}", v.name, s.name))
            })
            .collect();
        (matches.len() == 1)
            .then(|| matches.into_iter().next())
            .flatten()
    }

    pub(super) fn is_public_party(party: &Party) -> bool {
        party.ip.is_none_or(is_public)
    }
}

/// Routes for traffic entering a VNet from its gateway: the GatewaySubnet's own table when the
/// design has one, otherwise the VNet's system and peering routes.
pub fn gateway_entry_routes(
    design: &Design,
    topology: &Topology,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, SubnetRoutes> {
    let mut routes = BTreeMap::new();
    for gateway in &design.gateways {
        let Some(vnet) = design
            .virtual_networks
            .iter()
            .find(|v| v.name == gateway.vnet)
        else {
            continue;
        };
        let synthetic = Subnet {
            name: "GatewaySubnet".into(),
            prefix: Default::default(),
            nsg: None,
            route_table: None,
            service_endpoints: Vec::new(),
            service_endpoint_policies: Vec::new(),
            private_endpoint_network_policies: Default::default(),
            nat_gateway_ip: None,
            private_by_api_version: None,
            default_outbound_access: false,
        };
        let subnet = vnet
            .subnets
            .iter()
            .find(|s| s.name == "GatewaySubnet")
            .unwrap_or(&synthetic);
        routes.insert(
            vnet.name.clone(),
            compile_subnet_routes(design, topology, vnet, subnet, diagnostics),
        );
    }
    routes
}
