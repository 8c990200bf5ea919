//! The topology diagram as a scene of positioned boxes and flow edges in SVG coordinates.
//! VNets are boxes containing their subnets, which contain the computes, private endpoints and
//! firewalls placed in them; the workspace, Azure services and your PaaS resources stand in a
//! column outside the VNet boundary, above the internet and attacker sinks. Every traced flow
//! is an edge (solid ✓ when allowed, dashed ✗ when not; open exfiltration paths are
//! highlighted), and the selected flow is drawn hop by hop through the nodes its trace visits,
//! with the step-through cursor's node lit up. `ui::diagram` renders the scene with yew and
//! [`super::svg`] writes it as a standalone SVG file, so both show the same picture.

use std::collections::BTreeMap;

use crate::engine::{FlowSource, FlowTarget, Hop, Step, Trace};
use crate::model::{Design, Owner};

use super::evaluation::{Evaluation, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Vnet,
    Subnet,
    /// A group box outside the VNets (Azure, internet and attackers, managed VNet).
    Group,
    Compute,
    PrivateEndpoint,
    Firewall,
    Workspace,
    Service,
    Resource,
    /// An attacker-owned destination.
    Sink,
    ExternalHost,
}

impl NodeKind {
    pub fn class(self) -> &'static str {
        match self {
            NodeKind::Vnet => "node-vnet",
            NodeKind::Subnet => "node-subnet",
            NodeKind::Group => "node-group",
            NodeKind::Compute => "node-compute",
            NodeKind::PrivateEndpoint => "node-pe",
            NodeKind::Firewall => "node-firewall",
            NodeKind::Workspace => "node-workspace",
            NodeKind::Service => "node-service",
            NodeKind::Resource => "node-resource",
            NodeKind::Sink => "node-sink",
            NodeKind::ExternalHost => "node-host",
        }
    }

    /// A short text marker so kinds are told apart without colour.
    pub fn marker(self) -> &'static str {
        match self {
            NodeKind::Compute => "▣",
            NodeKind::PrivateEndpoint => "⊙",
            NodeKind::Firewall => "▥",
            NodeKind::Workspace => "◆",
            NodeKind::Service => "☁",
            NodeKind::Resource => "▤",
            NodeKind::Sink => "☠",
            NodeKind::ExternalHost => "◍",
            NodeKind::Vnet | NodeKind::Subnet | NodeKind::Group => "",
        }
    }

    /// Containers draw their label at the top-left, leaves centred.
    pub fn is_container(self) -> bool {
        matches!(self, NodeKind::Vnet | NodeKind::Subnet | NodeKind::Group)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Element key: a name, `vnet/subnet`, or `vnet:NAME` / `group:NAME` for containers.
    pub key: String,
    pub kind: NodeKind,
    pub label: String,
    pub detail: String,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    /// The step-through cursor is at this node.
    pub current: bool,
    /// The selected flow passes through this node.
    pub on_path: bool,
}

impl Node {
    fn centre(&self) -> (i32, i32) {
        (self.x + self.w / 2, self.y + self.h / 2)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub flow_id: String,
    pub label: String,
    /// SVG path data.
    pub path: String,
    pub status: Status,
    pub selected: bool,
    pub icon_x: i32,
    pub icon_y: i32,
}

impl Edge {
    pub fn class(&self) -> String {
        let mut class = format!("edge edge-{}", self.status.class());
        if !matches!(self.status, Status::Passes | Status::ExfiltrationOpen) {
            class.push_str(" edge-blocked");
        }
        if self.selected {
            class.push_str(" edge-selected");
        }
        class
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scene {
    pub width: i32,
    pub height: i32,
    pub title: String,
    /// Containers first, so leaves are drawn on top of them.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// The selected flow and the hop the step-through cursor is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection<'a> {
    pub flow_id: &'a str,
    pub step: usize,
}

const MARGIN: i32 = 20;
const LEFT_WIDTH: i32 = 480;
const RIGHT_X: i32 = 550;
const RIGHT_WIDTH: i32 = 220;
const ITEM_W: i32 = 100;
const ITEM_H: i32 = 36;
const GAP: i32 = 8;
const HEADER: i32 = 24;
const ITEMS_PER_ROW: i32 = 4;

/// Lays out `design` with the flows of `evaluation` and the selection.
pub fn layout(design: &Design, evaluation: &Evaluation, selection: Option<Selection>) -> Scene {
    let mut scene = Scene {
        width: RIGHT_X + RIGHT_WIDTH + MARGIN,
        title: format!("Topology of {}", design.name),
        ..Scene::default()
    };
    let left_bottom = place_vnets(design, &mut scene.nodes);
    let right_bottom = place_outside(design, &mut scene.nodes);
    scene.height = left_bottom.max(right_bottom) + MARGIN;
    let index: BTreeMap<String, usize> = scene
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| (node.key.clone(), i))
        .collect();
    for result in &evaluation.results {
        let selected = selection.is_some_and(|s| s.flow_id == result.question.id);
        let (Some(from), Some(to)) = (
            source_key(&result.trace).and_then(|k| index.get(&k)),
            destination_key(design, &result.trace).and_then(|k| index.get(&k)),
        ) else {
            continue;
        };
        let (path, icon) = if selected {
            let keys = path_keys(design, &result.trace);
            let points: Vec<(i32, i32)> = keys
                .iter()
                .filter_map(|key| index.get(key).map(|i| scene.nodes[*i].centre()))
                .collect();
            polyline(&points)
        } else {
            curve(&scene.nodes[*from], &scene.nodes[*to])
        };
        scene.edges.push(Edge {
            flow_id: result.question.id.clone(),
            label: format!("{}: {}", result.question.label, result.trace.verdict),
            path,
            status: result.status(),
            selected,
            icon_x: icon.0,
            icon_y: icon.1,
        });
    }
    // The selected edge is drawn last, on top.
    scene.edges.sort_by_key(|edge| edge.selected);
    if let Some(selection) = selection {
        if let Some(result) = evaluation.find(selection.flow_id) {
            highlight(
                design,
                &result.trace,
                selection.step,
                &index,
                &mut scene.nodes,
            );
        }
    }
    scene
}

fn highlight(
    design: &Design,
    trace: &Trace,
    step: usize,
    index: &BTreeMap<String, usize>,
    nodes: &mut [Node],
) {
    for key in path_keys(design, trace) {
        if let Some(i) = index.get(&key) {
            nodes[*i].on_path = true;
        }
    }
    let current = trace
        .hops
        .get(step)
        .and_then(|hop| node_for_hop(design, trace, hop));
    if let Some(i) = current.and_then(|key| index.get(&key)) {
        nodes[*i].current = true;
    }
}

/// The nodes a trace visits, in order, without repeats in a row.
fn path_keys(design: &Design, trace: &Trace) -> Vec<String> {
    let mut keys: Vec<String> = source_key(trace).into_iter().collect();
    for hop in &trace.hops {
        if let Some(key) = node_for_hop(design, trace, hop) {
            if keys.last() != Some(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

fn source_key(trace: &Trace) -> Option<String> {
    match &trace.flow.source {
        FlowSource::Element(name) => Some(name.clone()),
        FlowSource::Address(_) => None,
    }
}

fn destination_key(design: &Design, trace: &Trace) -> Option<String> {
    match &trace.flow.destination {
        FlowTarget::Element(name) => Some(name.clone()),
        FlowTarget::Fqdn(fqdn) => element_with_fqdn(design, fqdn),
        FlowTarget::Address(_) => None,
    }
}

fn element_with_fqdn(design: &Design, fqdn: &str) -> Option<String> {
    let services = design.services.iter().map(|s| (&s.name, &s.fqdns));
    let hosts = design.external_hosts.iter().map(|h| (&h.name, &h.fqdns));
    services
        .chain(hosts)
        .find(|(_, fqdns)| fqdns.iter().any(|f| f.eq_ignore_ascii_case(fqdn)))
        .map(|(name, _)| name.clone())
}

/// The diagram node a hop happened at: NSGs and route tables light up the subnet they are
/// attached to, a NIC its subnet, a DNS answer the destination.
pub fn node_for_hop(design: &Design, trace: &Trace, hop: &Hop) -> Option<String> {
    if hop.step == Step::Dns {
        return destination_key(design, trace);
    }
    let element = hop.element.trim_end_matches(" (NIC)");
    let subnets = design.virtual_networks.iter().flat_map(|vnet| {
        vnet.subnets
            .iter()
            .map(move |subnet| (format!("{}/{}", vnet.name, subnet.name), subnet))
    });
    for (id, subnet) in subnets {
        let attached = subnet.nsg.as_deref() == Some(element)
            || subnet.route_table.as_deref() == Some(element);
        if id == element || attached {
            return Some(id);
        }
    }
    Some(element.to_string())
}

fn place_vnets(design: &Design, nodes: &mut Vec<Node>) -> i32 {
    let mut y = MARGIN;
    for vnet in &design.virtual_networks {
        let vnet_index = nodes.len();
        let spaces: Vec<String> = vnet.address_space.iter().map(|s| s.to_string()).collect();
        nodes.push(container(
            format!("vnet:{}", vnet.name),
            NodeKind::Vnet,
            format!(
                "VNet {} ({}, {})",
                vnet.name,
                vnet.region,
                spaces.join(", ")
            ),
            MARGIN,
            y,
            LEFT_WIDTH,
        ));
        let mut inner_y = y + HEADER + 4;
        for subnet in &vnet.subnets {
            let id = format!("{}/{}", vnet.name, subnet.name);
            let items = subnet_items(design, &id);
            let subnet_index = nodes.len();
            let mut label = format!("{} {}", subnet.name, subnet.prefix);
            if let Some(nsg) = &subnet.nsg {
                label.push_str(&format!(" · NSG {nsg}"));
            }
            if let Some(table) = &subnet.route_table {
                label.push_str(&format!(" · UDR {table}"));
            }
            nodes.push(container(
                id,
                NodeKind::Subnet,
                label,
                MARGIN + 10,
                inner_y,
                LEFT_WIDTH - 20,
            ));
            let bottom = place_grid(items, MARGIN + 20, inner_y + HEADER, nodes);
            nodes[subnet_index].h = bottom - inner_y + GAP;
            inner_y = bottom + 2 * GAP;
        }
        nodes[vnet_index].h = inner_y - y;
        y = inner_y + 2 * GAP;
    }
    let managed: Vec<Leaf> = design
        .computes
        .iter()
        .filter(|compute| compute.nic.is_none())
        .map(|compute| leaf(&compute.name, NodeKind::Compute, "managed VNet"))
        .collect();
    if !managed.is_empty() {
        let group = nodes.len();
        nodes.push(container(
            "group:managed".to_string(),
            NodeKind::Group,
            "Managed VNet (Microsoft)".to_string(),
            MARGIN,
            y,
            LEFT_WIDTH,
        ));
        let bottom = place_grid(managed, MARGIN + 10, y + HEADER, nodes);
        nodes[group].h = bottom - y + GAP;
        y = bottom + 2 * GAP;
    }
    y
}

/// A leaf before placement: key, kind and detail line.
type Leaf = (String, NodeKind, String);

fn leaf(name: &str, kind: NodeKind, detail: impl Into<String>) -> Leaf {
    (name.to_string(), kind, detail.into())
}

fn subnet_items(design: &Design, subnet: &str) -> Vec<Leaf> {
    let computes = design.computes.iter().filter_map(|compute| {
        let nic = compute.nic.as_ref().filter(|nic| nic.subnet == subnet)?;
        let mut detail = nic.private_ip.to_string();
        if let Some(public) = nic.public_ip {
            detail.push_str(&format!(" · {public}"));
        }
        Some(leaf(&compute.name, NodeKind::Compute, detail))
    });
    let endpoints = design
        .private_endpoints
        .iter()
        .filter(|endpoint| endpoint.subnet == subnet)
        .map(|endpoint| {
            let detail = format!("{} → {}", endpoint.private_ip, endpoint.target);
            leaf(&endpoint.name, NodeKind::PrivateEndpoint, detail)
        });
    let firewalls = design
        .firewalls
        .iter()
        .filter(|firewall| firewall.subnet == subnet)
        .map(|firewall| {
            leaf(
                &firewall.name,
                NodeKind::Firewall,
                firewall.private_ip.to_string(),
            )
        });
    computes.chain(endpoints).chain(firewalls).collect()
}

/// Places leaves in rows of four from `(x, y)`; returns the bottom of the last row.
fn place_grid(items: Vec<Leaf>, x: i32, y: i32, nodes: &mut Vec<Node>) -> i32 {
    let rows = items.len().div_ceil(ITEMS_PER_ROW as usize).max(1) as i32;
    for (i, (key, kind, detail)) in items.into_iter().enumerate() {
        let (row, column) = (i as i32 / ITEMS_PER_ROW, i as i32 % ITEMS_PER_ROW);
        nodes.push(Node {
            label: key.clone(),
            key,
            kind,
            detail,
            x: x + column * (ITEM_W + 12),
            y: y + row * (ITEM_H + GAP),
            w: ITEM_W,
            h: ITEM_H,
            current: false,
            on_path: false,
        });
    }
    y + rows * (ITEM_H + GAP)
}

fn container(key: String, kind: NodeKind, label: String, x: i32, y: i32, w: i32) -> Node {
    Node {
        key,
        kind,
        label,
        detail: String::new(),
        x,
        y,
        w,
        h: HEADER,
        current: false,
        on_path: false,
    }
}

fn place_outside(design: &Design, nodes: &mut Vec<Node>) -> i32 {
    let mut azure: Vec<Leaf> = design
        .workspaces
        .iter()
        .map(|w| leaf(&w.name, NodeKind::Workspace, "AML workspace"))
        .collect();
    azure.extend(
        design
            .services
            .iter()
            .filter(|s| s.owner != Owner::Attacker)
            .map(|s| leaf(&s.name, NodeKind::Service, s.service_tag.clone())),
    );
    let mut outside: Vec<Leaf> = Vec::new();
    for resource in &design.resources {
        let detail = format!("{:?} · {:?}", resource.kind, resource.owner).to_lowercase();
        match resource.owner {
            Owner::Attacker => outside.push(leaf(&resource.name, NodeKind::Sink, detail)),
            _ => azure.push(leaf(&resource.name, NodeKind::Resource, detail)),
        }
    }
    for service in design
        .services
        .iter()
        .filter(|s| s.owner == Owner::Attacker)
    {
        outside.push(leaf(
            &service.name,
            NodeKind::Sink,
            service.service_tag.clone(),
        ));
    }
    for host in &design.external_hosts {
        let kind = match host.owner {
            Owner::Attacker => NodeKind::Sink,
            _ => NodeKind::ExternalHost,
        };
        outside.push(leaf(
            &host.name,
            kind,
            host.fqdns
                .first()
                .cloned()
                .unwrap_or_else(|| host.ip.to_string()),
        ));
    }
    let mut y = MARGIN;
    for (key, title, items) in [
        (
            "group:azure",
            "Azure services and PaaS (outside the VNet)",
            azure,
        ),
        (
            "group:internet",
            "Internet, on-premises and attacker sinks",
            outside,
        ),
    ] {
        if items.is_empty() {
            continue;
        }
        let group = nodes.len();
        nodes.push(container(
            key.to_string(),
            NodeKind::Group,
            title.to_string(),
            RIGHT_X,
            y,
            RIGHT_WIDTH,
        ));
        let mut item_y = y + HEADER + 4;
        for (key, kind, detail) in items {
            nodes.push(Node {
                label: key.clone(),
                key,
                kind,
                detail,
                x: RIGHT_X + 12,
                y: item_y,
                w: RIGHT_WIDTH - 24,
                h: ITEM_H,
                current: false,
                on_path: false,
            });
            item_y += ITEM_H + GAP;
        }
        nodes[group].h = item_y - y;
        y = item_y + 2 * GAP;
    }
    y
}

/// A curve between the facing sides of two nodes; returns the path and its midpoint.
fn curve(from: &Node, to: &Node) -> (String, (i32, i32)) {
    let rightwards = to.centre().0 >= from.centre().0;
    let (start_x, end_x) = if rightwards {
        (from.x + from.w, to.x)
    } else {
        (from.x, to.x + to.w)
    };
    let (start_y, end_y) = (from.centre().1, to.centre().1);
    let bend = ((end_x - start_x).abs() / 2).max(40);
    let (c1, c2) = if rightwards {
        (start_x + bend, end_x - bend)
    } else {
        (start_x - bend, end_x + bend)
    };
    let path = format!("M{start_x} {start_y} C{c1} {start_y} {c2} {end_y} {end_x} {end_y}");
    ((path), ((start_x + end_x) / 2, (start_y + end_y) / 2))
}

fn polyline(points: &[(i32, i32)]) -> (String, (i32, i32)) {
    let path = points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x} {y}", if i == 0 { "M" } else { " L" }))
        .collect();
    let last = points.last().copied().unwrap_or_default();
    (path, last)
}
