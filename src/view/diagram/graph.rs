//! The compound graph the diagram draws: VNets contain subnets, subnets contain the computes,
//! private endpoints, firewalls, load balancers and gateways placed in them; everything outside the VNets is
//! grouped by what it is (on-premises, Azure platform services — one node per service tag —,
//! your workspace and PaaS resources, the internet, attacker-owned sinks). Each node belongs
//! to a layer, the order in which [`super::place`] stacks them: traffic mostly runs from the
//! spokes down through the hubs to Azure and out to the internet.
//!
//! [`Graph::endpoint`] maps the two ends of any flow to a node, adding a node on demand for an
//! address or a name the design does not model, so every flow can be drawn.

use crate::model::sorting;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::engine::{fqdn_matches, parse_paas_fqdn, FlowSource, FlowTarget, AZURE_HOST_IP};
use crate::model::{Design, ExternalKind, Owner};

use super::names::{host_label, owner_name, paas_kind_name, resource_label, service_label};
use super::NodeKind;

/// The group of your workspaces and PaaS resources.
const PAAS_GROUP: &str = "paas";

/// The node key of the group `name` (what a collapsed set names).
fn group_key(name: &str) -> String {
    format!("group:{name}")
}

/// The node key of the group of your workspaces and PaaS resources.
pub(super) fn paas_group_key() -> String {
    group_key(PAAS_GROUP)
}

/// How many members `design`'s group of your workspaces and PaaS resources has.
pub(super) fn paas_group_size(design: &Design) -> usize {
    let yours = design
        .resources
        .iter()
        .filter(|resource| resource.owner == Owner::Yours)
        .count();
    design.workspaces.len() + yours
}

/// The horizontal bands of the diagram, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    OnPremises,
    Spokes,
    Hubs,
    Azure,
    Internet,
}

pub const LAYERS: [Layer; 5] = [
    Layer::OnPremises,
    Layer::Spokes,
    Layer::Hubs,
    Layer::Azure,
    Layer::Internet,
];

#[derive(Debug, Clone)]
pub struct GraphNode {
    pub key: String,
    pub kind: NodeKind,
    pub label: String,
    pub detail: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub layer: Layer,
}

/// The nodes of a design, by key, with the names that alias them (a service's name → its
/// service tag's node).
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    index: BTreeMap<String, usize>,
    alias: BTreeMap<String, String>,
    home_region: String,
}

impl Graph {
    pub fn of(design: &Design) -> Self {
        let mut graph = Graph {
            home_region: crate::analysis::synthetic::home_region(design),
            ..Graph::default()
        };
        graph.add_vnets(design);
        graph.add_outside(design);
        graph
    }

    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// The node key of a design element's name (a service's name gives its tag's node).
    pub fn key_of<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        if self.index.contains_key(name) {
            return Some(name);
        }
        self.alias.get(name).map(String::as_str)
    }

    /// How many nodes `index` contains, at any depth.
    pub fn descendants(&self, index: usize) -> usize {
        self.nodes[index]
            .children
            .iter()
            .map(|&child| 1 + self.descendants(child))
            .sum()
    }

    /// Ancestors of `index`, innermost first.
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.nodes[index].parent, |i| self.nodes[*i].parent)
    }

    fn add(
        &mut self,
        key: String,
        kind: NodeKind,
        label: String,
        detail: String,
        parent: Option<usize>,
        layer: Layer,
    ) -> usize {
        if let Some(existing) = self.index.get(&key) {
            return *existing;
        }
        let index = self.nodes.len();
        self.index.insert(key.clone(), index);
        self.nodes.push(GraphNode {
            key,
            kind,
            label,
            detail,
            parent,
            children: Vec::new(),
            layer,
        });
        if let Some(parent) = parent {
            self.nodes[parent].children.push(index);
        }
        index
    }

    /// A group box outside the VNets, created when its first member arrives.
    fn group(&mut self, key: &str, title: &str, layer: Layer) -> usize {
        self.add(
            group_key(key),
            NodeKind::Group,
            title.to_string(),
            String::new(),
            None,
            layer,
        )
    }

    /// The group of your workspaces and PaaS resources ([`paas_group_size`] counts them).
    fn paas_group(&mut self) -> usize {
        self.group(
            PAAS_GROUP,
            "Your workspace and PaaS resources",
            Layer::Azure,
        )
    }

    fn add_vnets(&mut self, design: &Design) {
        let mut vnets: Vec<_> = design.virtual_networks.iter().collect();
        sorting::sort_by(&mut vnets, |a, b| a.name.cmp(&b.name));
        for vnet in vnets {
            let subnet_ids = || {
                vnet.subnets
                    .iter()
                    .map(move |s| format!("{}/{}", vnet.name, s.name))
            };
            let holds_compute = design.computes.iter().any(|c| {
                c.nic.as_ref().is_some_and(|nic| {
                    subnet_ids().any(|id| id == nic.subnet)
                        && c.kind != crate::model::ComputeKind::NetworkVirtualAppliance
                })
            });
            let holds_transit = design
                .firewalls
                .iter()
                .any(|f| subnet_ids().any(|id| id == f.subnet))
                || design.load_balancers.iter().any(|lb| {
                    lb.is_internal()
                        && load_balancer_subnet(design, lb)
                            .is_some_and(|s| subnet_ids().any(|id| id == s))
                })
                || design.gateways.iter().any(|g| g.vnet == vnet.name);
            let layer = if holds_transit && !holds_compute {
                Layer::Hubs
            } else {
                Layer::Spokes
            };
            let spaces: Vec<String> = vnet.address_space.iter().map(|s| s.to_string()).collect();
            let vnet_index = self.add(
                format!("vnet:{}", vnet.name),
                NodeKind::Vnet,
                format!("VNet {}", vnet.name),
                format!("{} · {}", spaces.join(", "), vnet.region),
                None,
                layer,
            );
            // Subnets holding computes last, so their flows leave the VNet downwards without
            // crossing the other subnets.
            let mut subnets: Vec<_> = vnet.subnets.iter().collect();
            let holds_source = |subnet: &crate::model::Subnet| {
                let id = format!("{}/{}", vnet.name, subnet.name);
                design
                    .computes
                    .iter()
                    .any(|c| c.nic.as_ref().is_some_and(|nic| nic.subnet == id))
            };
            sorting::sort_by_key(&mut subnets, |s| (holds_source(s), s.name.clone()));
            for subnet in subnets {
                let id = format!("{}/{}", vnet.name, subnet.name);
                let mut detail = subnet.prefix.to_string();
                if let Some(nsg) = &subnet.nsg {
                    detail.push_str(&format!(" · NSG {nsg}"));
                }
                if let Some(table) = &subnet.route_table {
                    detail.push_str(&format!(" · routes {table}"));
                }
                if !subnet.service_endpoints.is_empty() {
                    detail.push_str(" · service endpoints");
                }
                let subnet_index = self.add(
                    id.clone(),
                    NodeKind::Subnet,
                    format!("Subnet {}", subnet.name),
                    detail,
                    Some(vnet_index),
                    layer,
                );
                self.add_subnet_members(design, &id, subnet_index, layer);
            }
            let mut gateways: Vec<_> = design
                .gateways
                .iter()
                .filter(|g| g.vnet == vnet.name)
                .collect();
            sorting::sort_by(&mut gateways, |a, b| a.name.cmp(&b.name));
            for gateway in gateways {
                let kind = match gateway.kind {
                    crate::model::GatewayKind::Vpn => "VPN gateway",
                    crate::model::GatewayKind::ExpressRoute => "ExpressRoute gateway",
                };
                let prefixes: Vec<String> = gateway
                    .on_premises_prefixes
                    .iter()
                    .map(|p| p.to_string())
                    .collect();
                self.add(
                    gateway.name.clone(),
                    NodeKind::Gateway,
                    gateway.name.clone(),
                    format!("{kind} · on-premises {}", prefixes.join(", ")),
                    Some(vnet_index),
                    layer,
                );
            }
        }
        let mut managed: Vec<_> = design.computes.iter().filter(|c| c.nic.is_none()).collect();
        sorting::sort_by(&mut managed, |a, b| a.name.cmp(&b.name));
        for compute in managed {
            let group = self.group("managed", "Managed VNet (Microsoft-managed)", Layer::Spokes);
            self.add(
                compute.name.clone(),
                NodeKind::Compute,
                compute.name.clone(),
                format!("{} · managed VNet", compute_kind_name(compute.kind)),
                Some(group),
                Layer::Spokes,
            );
        }
    }

    fn add_subnet_members(&mut self, design: &Design, subnet: &str, parent: usize, layer: Layer) {
        let mut members: Vec<(String, NodeKind, String, String)> = Vec::new();
        for compute in &design.computes {
            let Some(nic) = compute.nic.as_ref().filter(|nic| nic.subnet == subnet) else {
                continue;
            };
            let mut detail = format!("{} · {}", compute_kind_name(compute.kind), nic.private_ip);
            if let Some(public) = nic.public_ip {
                detail.push_str(&format!(" · public {public}"));
            }
            let kind = if compute.kind == crate::model::ComputeKind::NetworkVirtualAppliance {
                NodeKind::Appliance
            } else {
                NodeKind::Compute
            };
            members.push((compute.name.clone(), kind, compute.name.clone(), detail));
        }
        for endpoint in design
            .private_endpoints
            .iter()
            .filter(|e| e.subnet == subnet)
        {
            members.push((
                endpoint.name.clone(),
                NodeKind::PrivateEndpoint,
                endpoint.name.clone(),
                format!(
                    "private endpoint {} → {} ({})",
                    endpoint.private_ip, endpoint.target, endpoint.sub_resource
                ),
            ));
        }
        for firewall in design.firewalls.iter().filter(|f| f.subnet == subnet) {
            members.push((
                firewall.name.clone(),
                NodeKind::Firewall,
                firewall.name.clone(),
                format!("Azure Firewall · {}", firewall.private_ip),
            ));
        }
        for lb in design
            .load_balancers
            .iter()
            .filter(|lb| load_balancer_subnet(design, lb).as_deref() == Some(subnet))
        {
            members.push((
                lb.name.clone(),
                NodeKind::LoadBalancer,
                lb.name.clone(),
                load_balancer_detail(lb),
            ));
        }
        // Computes (where flows start) in the last rows, for the same reason.
        sorting::sort_by_key(&mut members, |(key, kind, _, _)| {
            (*kind == NodeKind::Compute, key.clone())
        });
        for (key, kind, label, detail) in members {
            self.add(key, kind, label, detail, Some(parent), layer);
        }
    }

    fn add_outside(&mut self, design: &Design) {
        let mut workspaces: Vec<_> = design.workspaces.iter().collect();
        sorting::sort_by(&mut workspaces, |a, b| a.name.cmp(&b.name));
        for workspace in workspaces {
            let group = self.paas_group();
            self.add(
                workspace.name.clone(),
                NodeKind::Workspace,
                workspace.name.clone(),
                format!("AML workspace · {}", workspace.region),
                Some(group),
                Layer::Azure,
            );
        }
        let mut resources: Vec<_> = design.resources.iter().collect();
        sorting::sort_by(&mut resources, |a, b| a.name.cmp(&b.name));
        for resource in resources {
            let detail = format!(
                "{} · {} · {}",
                paas_kind_name(resource.kind),
                owner_name(resource.owner),
                resource.region
            );
            let label = resource_label(resource, &self.home_region);
            let (group, kind, layer) = match resource.owner {
                Owner::Attacker => (
                    self.group("attacker", "Attacker-owned sinks", Layer::Internet),
                    NodeKind::Sink,
                    Layer::Internet,
                ),
                Owner::Microsoft => (
                    self.group("services", "Azure platform services", Layer::Azure),
                    NodeKind::Resource,
                    Layer::Azure,
                ),
                Owner::Yours => (self.paas_group(), NodeKind::Resource, Layer::Azure),
            };
            self.add(
                resource.name.clone(),
                kind,
                label,
                detail,
                Some(group),
                layer,
            );
        }
        let mut services: Vec<_> = design.services.iter().collect();
        sorting::sort_by(&mut services, |a, b| a.name.cmp(&b.name));
        for service in services {
            if service.owner == Owner::Attacker {
                let group = self.group("attacker", "Attacker-owned sinks", Layer::Internet);
                self.add(
                    service.name.clone(),
                    NodeKind::Sink,
                    service_label(service),
                    format!("service tag {}", service.service_tag),
                    Some(group),
                    Layer::Internet,
                );
                continue;
            }
            // One node per service tag: every service of the tag is an alias of it.
            let key = format!("tag:{}", service.service_tag.to_ascii_lowercase());
            let group = self.group("services", "Azure platform services", Layer::Azure);
            let label = super::names::service_tag_name(&service.service_tag);
            let index = self.add(
                key.clone(),
                NodeKind::Service,
                label,
                format!("service tag {}", service.service_tag),
                Some(group),
                Layer::Azure,
            );
            let own_name = !service
                .name
                .starts_with(crate::analysis::synthetic::SYNTHETIC_PREFIX);
            if own_name && !self.nodes[index].detail.contains(&service.name) {
                self.nodes[index]
                    .detail
                    .push_str(&format!(" · {}", service.name));
            }
            self.alias.insert(service.name.clone(), key);
        }
        let mut hosts: Vec<_> = design.external_hosts.iter().collect();
        sorting::sort_by(&mut hosts, |a, b| a.name.cmp(&b.name));
        for host in hosts {
            let address = host
                .fqdns
                .first()
                .cloned()
                .unwrap_or_else(|| host.ip.to_string());
            let (group, kind, layer, detail) = match (host.owner, host.kind) {
                (Owner::Attacker, _) => (
                    self.group("attacker", "Attacker-owned sinks", Layer::Internet),
                    NodeKind::Sink,
                    Layer::Internet,
                    format!("internet host {address}"),
                ),
                (_, ExternalKind::OnPremises) => (
                    self.group("onprem", "On-premises and clients", Layer::OnPremises),
                    NodeKind::ExternalHost,
                    Layer::OnPremises,
                    format!("on-premises {}", host.ip),
                ),
                (_, ExternalKind::Internet) => (
                    self.group("internet", "Internet", Layer::Internet),
                    NodeKind::ExternalHost,
                    Layer::Internet,
                    format!("internet host {address}"),
                ),
            };
            self.add(
                host.name.clone(),
                kind,
                host_label(host),
                detail,
                Some(group),
                layer,
            );
        }
    }

    /// The node a flow starts at, added on demand for an address.
    pub fn source(&mut self, design: &Design, source: &FlowSource) -> usize {
        match source {
            FlowSource::Element(name) => self.element(name),
            FlowSource::Address(ip) => self.address(design, *ip),
        }
    }

    /// The node a flow goes to: an element, the element owning an address or a name, or a
    /// node added for an address or a name the design does not model.
    pub fn destination(&mut self, design: &Design, target: &FlowTarget) -> usize {
        match target {
            FlowTarget::Element(name) => self.element(name),
            FlowTarget::Address(ip) => self.address(design, *ip),
            FlowTarget::Fqdn(fqdn) => self.fqdn(design, fqdn),
        }
    }

    fn element(&mut self, name: &str) -> usize {
        match self.key_of(name).and_then(|key| self.index_of(key)) {
            Some(index) => index,
            None => {
                let group = self.group("internet", "Internet", Layer::Internet);
                self.add(
                    name.to_string(),
                    NodeKind::ExternalHost,
                    name.to_string(),
                    "not in the design".to_string(),
                    Some(group),
                    Layer::Internet,
                )
            }
        }
    }

    fn fqdn(&mut self, design: &Design, fqdn: &str) -> usize {
        let services = design.services.iter().map(|s| (&s.name, &s.fqdns));
        let hosts = design.external_hosts.iter().map(|h| (&h.name, &h.fqdns));
        let named = services
            .chain(hosts)
            .find(|(_, fqdns)| fqdns.iter().any(|pattern| fqdn_matches(pattern, fqdn)))
            .map(|(name, _)| name.clone());
        if let Some(name) = named {
            return self.element(&name);
        }
        if let Some(paas) = parse_paas_fqdn(fqdn, design.cloud) {
            if let Some(index) = self.key_of(&paas.resource).and_then(|k| self.index_of(k)) {
                return index;
            }
        }
        let group = self.group("internet", "Internet", Layer::Internet);
        self.add(
            format!("fqdn:{}", fqdn.to_ascii_lowercase()),
            NodeKind::ExternalHost,
            fqdn.to_string(),
            "name not in the design".to_string(),
            Some(group),
            Layer::Internet,
        )
    }

    fn address(&mut self, design: &Design, ip: Ipv4Addr) -> usize {
        if let Some(name) = element_with_address(design, ip) {
            return self.element(&name);
        }
        if ip == AZURE_HOST_IP {
            let group = self.group("services", "Azure platform services", Layer::Azure);
            return self.add(
                format!("address:{ip}"),
                NodeKind::Service,
                "Azure host".to_string(),
                format!("{ip} · AzureLoadBalancer"),
                Some(group),
                Layer::Azure,
            );
        }
        let group = self.group("internet", "Internet", Layer::Internet);
        self.add(
            format!("address:{ip}"),
            NodeKind::ExternalHost,
            format!("Address {ip}"),
            "not in the design".to_string(),
            Some(group),
            Layer::Internet,
        )
    }
}

/// The element that owns `ip` (a NIC, endpoint, firewall, host, service or resource).
fn element_with_address(design: &Design, ip: Ipv4Addr) -> Option<String> {
    let computes = design
        .computes
        .iter()
        .filter(|c| {
            c.nic
                .as_ref()
                .is_some_and(|nic| nic.private_ip == ip || nic.public_ip == Some(ip))
        })
        .map(|c| &c.name);
    let endpoints = design
        .private_endpoints
        .iter()
        .filter(|e| e.private_ip == ip)
        .map(|e| &e.name);
    let firewalls = design
        .firewalls
        .iter()
        .filter(|f| {
            f.private_ip == ip || f.public_ip == Some(ip) || f.additional_public_ips.contains(&ip)
        })
        .map(|f| &f.name);
    let load_balancers = design
        .load_balancers
        .iter()
        .filter(|lb| {
            lb.frontends
                .iter()
                .any(|f| f.private_ip == Some(ip) || f.public_ip == Some(ip))
        })
        .map(|lb| &lb.name);
    let hosts = design
        .external_hosts
        .iter()
        .filter(|h| h.ip == ip)
        .map(|h| &h.name);
    let services = design
        .services
        .iter()
        .filter(|s| s.public_ip == Some(ip))
        .map(|s| &s.name);
    let resources = design
        .resources
        .iter()
        .filter(|r| r.public_ip == Some(ip))
        .map(|r| &r.name);
    computes
        .chain(endpoints)
        .chain(firewalls)
        .chain(load_balancers)
        .chain(hosts)
        .chain(services)
        .chain(resources)
        .next()
        .cloned()
}

/// The subnet a load balancer is drawn in: an internal one's main frontend's subnet, a public
/// one's first backend (by name) with a NIC.
pub fn load_balancer_subnet(design: &Design, lb: &crate::model::LoadBalancer) -> Option<String> {
    if let Some(subnet) = lb.main_frontend().and_then(|f| f.subnet.clone()) {
        return Some(subnet);
    }
    let mut members: Vec<&String> = lb.backend_pools.iter().flat_map(|p| &p.members).collect();
    sorting::sort(&mut members);
    members.into_iter().find_map(|member| {
        design
            .computes
            .iter()
            .find(|c| &c.name == member)
            .and_then(|c| c.nic.as_ref())
            .map(|nic| nic.subnet.clone())
    })
}

/// `internal load balancer · 10.1.1.10 · HA ports` / `public load balancer · 52.0.0.1 · outbound`.
fn load_balancer_detail(lb: &crate::model::LoadBalancer) -> String {
    let mut addresses: Vec<std::net::Ipv4Addr> = lb
        .frontends
        .iter()
        .filter_map(|f| f.private_ip.or(f.public_ip))
        .collect();
    sorting::sort(&mut addresses);
    let addresses: Vec<String> = addresses.iter().map(ToString::to_string).collect();
    let mut detail = format!(
        "{} load balancer · {}",
        if lb.is_internal() {
            "internal"
        } else {
            "public"
        },
        addresses.join(", ")
    );
    if lb.rules.iter().any(|r| r.is_ha_ports()) {
        detail.push_str(" · HA ports");
    }
    if !lb.outbound_rules.is_empty() {
        detail.push_str(" · outbound rules");
    }
    detail
}

pub fn compute_kind_name(kind: crate::model::ComputeKind) -> &'static str {
    use crate::model::ComputeKind;
    match kind {
        ComputeKind::ComputeInstance => "compute instance",
        ComputeKind::ComputeCluster => "compute cluster",
        ComputeKind::VirtualMachine => "virtual machine",
        ComputeKind::JumpBox => "jump box",
        ComputeKind::AksNodePool => "AKS node pool",
        ComputeKind::NetworkVirtualAppliance => "network virtual appliance",
        ComputeKind::ServerlessSpark => "serverless Spark",
    }
}
