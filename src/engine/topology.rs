//! The design as a graph: elements are nodes, containment, peering and private-link targets
//! are edges. petgraph stays private: callers use [`ElementId`]s, never node indices.

use crate::model::sorting;
use std::collections::BTreeMap;

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;
use petgraph::Direction as EdgeDirection;
use serde::{Deserialize, Serialize};

use crate::model::{Design, Peering, RouteTable, Subnet, VirtualNetwork};

/// A design element's identity, stable across edits and safe to serialise.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum ElementId {
    Vnet(String),
    /// `vnet/subnet`.
    Subnet(String),
    Compute(String),
    PrivateEndpoint(String),
    Firewall(String),
    Resource(String),
    Workspace(String),
    Service(String),
    External(String),
    Gateway(String),
}

impl ElementId {
    pub fn name(&self) -> &str {
        match self {
            ElementId::Vnet(n)
            | ElementId::Subnet(n)
            | ElementId::Compute(n)
            | ElementId::PrivateEndpoint(n)
            | ElementId::Firewall(n)
            | ElementId::Resource(n)
            | ElementId::Workspace(n)
            | ElementId::Service(n)
            | ElementId::External(n)
            | ElementId::Gateway(n) => n,
        }
    }
}

/// How two elements relate.
#[derive(Debug, Clone, PartialEq)]
pub enum Relation {
    /// VNet → subnet, subnet → NIC-holding element.
    Contains,
    /// One direction of a VNet peering (local → remote) with its settings.
    Peers(Peering),
    /// Private endpoint → the resource it serves.
    Targets,
}

/// The design's topology graph.
#[derive(Debug, Clone, Default)]
pub struct Topology {
    graph: StableDiGraph<ElementId, Relation>,
    index: BTreeMap<ElementId, NodeIndex>,
    /// The first VNet of each name (a lookup by name finds the first), by index in the design.
    vnet_index: BTreeMap<String, usize>,
    /// The first route table of each name, by index in the design.
    route_table_index: BTreeMap<String, usize>,
    /// Private endpoints by the VNet their subnet reference names, as indices in design order.
    endpoints_by_vnet: BTreeMap<String, Vec<usize>>,
}

impl Topology {
    pub fn build(design: &Design) -> Self {
        let mut topology = Topology::default();
        for (i, vnet) in design.virtual_networks.iter().enumerate() {
            topology.vnet_index.entry(vnet.name.clone()).or_insert(i);
        }
        for (i, table) in design.route_tables.iter().enumerate() {
            topology
                .route_table_index
                .entry(table.name.clone())
                .or_insert(i);
        }
        for (i, endpoint) in design.private_endpoints.iter().enumerate() {
            if let Some((vnet, _)) = endpoint.subnet.split_once('/') {
                let endpoints = topology.endpoints_by_vnet.entry(vnet.into()).or_default();
                endpoints.push(i);
            }
        }
        for vnet in &design.virtual_networks {
            let vnet_id = ElementId::Vnet(vnet.name.clone());
            for subnet in &vnet.subnets {
                let subnet_id = ElementId::Subnet(format!("{}/{}", vnet.name, subnet.name));
                topology.link(vnet_id.clone(), subnet_id, Relation::Contains);
            }
            topology.node(vnet_id);
        }
        for compute in &design.computes {
            let id = ElementId::Compute(compute.name.clone());
            match &compute.nic {
                Some(nic) => topology.link(
                    ElementId::Subnet(nic.subnet.clone()),
                    id,
                    Relation::Contains,
                ),
                None => {
                    topology.node(id);
                }
            }
        }
        for firewall in &design.firewalls {
            topology.link(
                ElementId::Subnet(firewall.subnet.clone()),
                ElementId::Firewall(firewall.name.clone()),
                Relation::Contains,
            );
        }
        for endpoint in &design.private_endpoints {
            let id = ElementId::PrivateEndpoint(endpoint.name.clone());
            topology.link(
                ElementId::Subnet(endpoint.subnet.clone()),
                id.clone(),
                Relation::Contains,
            );
            let target = if design.workspaces.iter().any(|w| w.name == endpoint.target) {
                ElementId::Workspace(endpoint.target.clone())
            } else {
                ElementId::Resource(endpoint.target.clone())
            };
            topology.link(id, target, Relation::Targets);
        }
        for peering in &design.peerings {
            topology.link(
                ElementId::Vnet(peering.local_vnet.clone()),
                ElementId::Vnet(peering.remote_vnet.clone()),
                Relation::Peers(peering.clone()),
            );
        }
        for gateway in &design.gateways {
            topology.link(
                ElementId::Vnet(gateway.vnet.clone()),
                ElementId::Gateway(gateway.name.clone()),
                Relation::Contains,
            );
        }
        for resource in &design.resources {
            topology.node(ElementId::Resource(resource.name.clone()));
        }
        for workspace in &design.workspaces {
            topology.node(ElementId::Workspace(workspace.name.clone()));
        }
        for service in &design.services {
            topology.node(ElementId::Service(service.name.clone()));
        }
        for host in &design.external_hosts {
            topology.node(ElementId::External(host.name.clone()));
        }
        topology
    }

    fn node(&mut self, id: ElementId) -> NodeIndex {
        if let Some(&index) = self.index.get(&id) {
            return index;
        }
        let index = self.graph.add_node(id.clone());
        self.index.insert(id, index);
        index
    }

    fn link(&mut self, from: ElementId, to: ElementId, relation: Relation) {
        let from = self.node(from);
        let to = self.node(to);
        self.graph.add_edge(from, to, relation);
    }

    /// The first VNet of `design` (the design this topology was built from) named `name`.
    pub fn vnet<'d>(&self, design: &'d Design, name: &str) -> Option<&'d VirtualNetwork> {
        self.vnet_index
            .get(name)
            .and_then(|&i| design.virtual_networks.get(i))
    }

    /// Subnet `vnet/subnet` of `design` (the design this topology was built from), in the first
    /// VNet of that name.
    pub fn subnet<'d>(
        &self,
        design: &'d Design,
        id: &str,
    ) -> Option<(&'d VirtualNetwork, &'d Subnet)> {
        let (vnet_name, subnet_name) = id.split_once('/')?;
        let vnet = self.vnet(design, vnet_name)?;
        Some((vnet, vnet.subnets.iter().find(|s| s.name == subnet_name)?))
    }

    /// The first route table of `design` (the design this topology was built from) named
    /// `name`, with its index.
    pub fn route_table<'d>(
        &self,
        design: &'d Design,
        name: &str,
    ) -> Option<(usize, &'d RouteTable)> {
        let &i = self.route_table_index.get(name)?;
        Some((i, design.route_tables.get(i)?))
    }

    /// Indices (in design order) of the private endpoints whose subnet is in a VNet named
    /// `vnet`.
    pub fn private_endpoints_in(&self, vnet: &str) -> &[usize] {
        self.endpoints_by_vnet.get(vnet).map_or(&[], Vec::as_slice)
    }

    pub fn contains(&self, id: &ElementId) -> bool {
        self.index.contains_key(id)
    }

    /// All elements, in a deterministic order.
    pub fn elements(&self) -> impl Iterator<Item = &ElementId> {
        self.index.keys()
    }

    /// Peerings from `vnet` whose reverse direction also exists (Azure: `Connected`), as
    /// (local → remote settings, remote → local settings).
    pub fn connected_peerings(&self, vnet: &str) -> Vec<(&Peering, &Peering)> {
        let Some(&local) = self.index.get(&ElementId::Vnet(vnet.to_string())) else {
            return Vec::new();
        };
        let mut peerings: Vec<(&Peering, &Peering)> = self
            .graph
            .edges_directed(local, EdgeDirection::Outgoing)
            .filter_map(|edge| {
                let Relation::Peers(outgoing) = edge.weight() else {
                    return None;
                };
                let incoming = self.graph.edges_connecting(edge.target(), local).find_map(
                    |back| match back.weight() {
                        Relation::Peers(p) => Some(p),
                        _ => None,
                    },
                )?;
                Some((outgoing, incoming))
            })
            .collect();
        sorting::sort_by(&mut peerings, |a, b| a.0.remote_vnet.cmp(&b.0.remote_vnet));
        peerings
    }

    /// Peerings from `vnet` that have no reverse direction (Azure: `Initiated`, no traffic).
    pub fn unconnected_peerings(&self, vnet: &str) -> Vec<&Peering> {
        let Some(&local) = self.index.get(&ElementId::Vnet(vnet.to_string())) else {
            return Vec::new();
        };
        self.graph
            .edges_directed(local, EdgeDirection::Outgoing)
            .filter_map(|edge| match edge.weight() {
                Relation::Peers(p)
                    if !self
                        .graph
                        .edges_connecting(edge.target(), local)
                        .any(|e| matches!(e.weight(), Relation::Peers(_))) =>
                {
                    Some(p)
                }
                _ => None,
            })
            .collect()
    }

    /// Elements directly contained in `parent` (subnets of a VNet, NIC holders of a subnet).
    pub fn children(&self, parent: &ElementId) -> Vec<&ElementId> {
        let Some(&index) = self.index.get(parent) else {
            return Vec::new();
        };
        let mut children: Vec<&ElementId> = self
            .graph
            .edges_directed(index, EdgeDirection::Outgoing)
            .filter(|edge| matches!(edge.weight(), Relation::Contains))
            .map(|edge| &self.graph[edge.target()])
            .collect();
        sorting::sort(&mut children);
        children
    }
}
