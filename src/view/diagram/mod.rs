//! The topology diagram as a scene of positioned boxes and aggregated flow edges, in CSS pixels
//! at 100 % zoom. [`graph`] builds the compound graph (VNets ⊃ subnets ⊃ computes, endpoints,
//! firewalls; groups outside the VNets; one node per service tag), [`place`] lays it out in
//! layers that fill the width it is given, [`edges`] draws one edge per pair of nodes that
//! exchange flows (with the count and the worst status) and the selected flow along its real
//! hops, [`details`] answers "what is this node / edge", and [`viewport`] does the zoom and
//! pan arithmetic. `ui::diagram` renders the scene with yew and [`super::svg`] writes the same
//! scene as a standalone file, so both show one picture.

pub mod details;
pub mod edges;
pub mod graph;
pub mod names;
pub mod place;
pub mod text;
pub mod viewport;

use std::collections::BTreeSet;

use crate::model::Design;

use super::evaluation::{Evaluation, Status};
use graph::{paas_group_key, paas_group_size, Graph};
use place::{place, Rect, DETAIL_SIZE, LABEL_SIZE, MARKER_W, PAD};

/// From the top of a text line to the title's baseline, and the height of a line, in px: the
/// title (12 px) and detail (11 px) lines are drawn 15–16 px apart.
const TEXT_ASCENT: i32 = 12;
const TEXT_LINE: i32 = 16;
use text::ellipsize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Vnet,
    Subnet,
    /// A group box outside the VNets (on-premises, Azure services, PaaS, internet, sinks,
    /// managed VNet).
    Group,
    Compute,
    Appliance,
    PrivateEndpoint,
    Firewall,
    /// An Azure Load Balancer: an internal one in its frontend's subnet, a public one in its
    /// backends' subnet.
    LoadBalancer,
    Gateway,
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
            NodeKind::Appliance => "node-appliance",
            NodeKind::PrivateEndpoint => "node-pe",
            NodeKind::Firewall => "node-firewall",
            NodeKind::LoadBalancer => "node-lb",
            NodeKind::Gateway => "node-gateway",
            NodeKind::Workspace => "node-workspace",
            NodeKind::Service => "node-service",
            NodeKind::Resource => "node-resource",
            NodeKind::Sink => "node-sink",
            NodeKind::ExternalHost => "node-host",
        }
    }

    /// A text marker so kinds are told apart without colour.
    pub fn marker(self) -> &'static str {
        match self {
            NodeKind::Compute => "▣",
            NodeKind::Appliance => "⇄",
            NodeKind::PrivateEndpoint => "⊙",
            NodeKind::Firewall => "▥",
            NodeKind::LoadBalancer => "⚖",
            NodeKind::Gateway => "⇅",
            NodeKind::Workspace => "◆",
            NodeKind::Service => "☁",
            NodeKind::Resource => "▤",
            NodeKind::Sink => "☠",
            NodeKind::ExternalHost => "◍",
            NodeKind::Vnet | NodeKind::Subnet | NodeKind::Group => "",
        }
    }

    /// What the kind is, in words (legend, tooltips, screen readers).
    pub fn noun(self) -> &'static str {
        match self {
            NodeKind::Vnet => "virtual network",
            NodeKind::Subnet => "subnet",
            NodeKind::Group => "group",
            NodeKind::Compute => "compute",
            NodeKind::Appliance => "network virtual appliance",
            NodeKind::PrivateEndpoint => "private endpoint",
            NodeKind::Firewall => "Azure Firewall",
            NodeKind::LoadBalancer => "load balancer",
            NodeKind::Gateway => "virtual network gateway",
            NodeKind::Workspace => "AML workspace",
            NodeKind::Service => "Azure service (service tag)",
            NodeKind::Resource => "PaaS resource",
            NodeKind::Sink => "attacker-owned sink",
            NodeKind::ExternalHost => "host outside Azure",
        }
    }
}

/// The legend: every leaf kind with its marker, for the page and the SVG export.
pub const LEGEND_KINDS: [NodeKind; 11] = [
    NodeKind::Compute,
    NodeKind::PrivateEndpoint,
    NodeKind::Firewall,
    NodeKind::LoadBalancer,
    NodeKind::Appliance,
    NodeKind::Gateway,
    NodeKind::Workspace,
    NodeKind::Service,
    NodeKind::Resource,
    NodeKind::ExternalHost,
    NodeKind::Sink,
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Element key: a name, `vnet/subnet`, `vnet:NAME`, `group:NAME`, `tag:TAG` (one node per
    /// service tag), `address:IP` or `fqdn:NAME` (flow ends the design does not model).
    pub key: String,
    pub kind: NodeKind,
    pub label: String,
    pub detail: String,
    /// The label and detail as drawn: shortened with "…" to fit the box.
    pub shown_label: String,
    pub shown_detail: String,
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    /// A container with contents (VNets and groups can be collapsed).
    pub collapsible: bool,
    pub collapsed: bool,
    /// Drawn as a box with a header (an expanded container).
    pub container: bool,
    /// The step-through cursor is at this node.
    pub current: bool,
    /// The selected flow passes through this node.
    pub on_path: bool,
}

impl Node {
    pub fn rect(&self) -> Rect {
        Rect {
            x: self.x,
            y: self.y,
            w: self.w,
            h: self.h,
        }
    }

    /// The full text of the node: its tooltip and accessible name.
    pub fn title(&self) -> String {
        let mut title = format!("{} ({})", self.label, self.kind.noun());
        if !self.detail.is_empty() {
            title.push_str(&format!(" — {}", self.detail));
        }
        title
    }

    /// Where the title and detail lines start (the title's baseline).
    pub fn text_origin(&self) -> (i32, i32) {
        (self.x + PAD, self.y + 16)
    }

    /// The box the page draws the title and detail lines in (x, y, width, height): HTML text
    /// in the SVG, whose baselines fall where [`Node::text_origin`] puts them, clear of the
    /// collapse button.
    pub fn text_box(&self) -> (i32, i32, i32, i32) {
        let (x, baseline) = self.text_origin();
        let button = if self.collapsible {
            place::COLLAPSE_BUTTON_W
        } else {
            0
        };
        let lines = if self.shown_detail.is_empty() { 1 } else { 2 };
        (
            x,
            baseline - TEXT_ASCENT,
            self.w - 2 * PAD - button,
            lines * TEXT_LINE,
        )
    }
}

/// Every flow between one pair of drawn nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// The flows' question ids, in the flows panel's order.
    pub flow_ids: Vec<String>,
    /// The worst status among them (open exfiltration, then broken, then fine).
    pub status: Status,
    /// How many of the flows are problems (broken required flows, open paths).
    pub problems: usize,
    /// SVG path data.
    pub path: String,
    pub label_x: i32,
    pub label_y: i32,
    /// The short text on the edge: icon and count; empty for a single working flow, which its
    /// solid green line says already.
    pub badge: String,
    /// The full description: tooltip and accessible name.
    pub title: String,
    /// The selected flow is one of these.
    pub selected: bool,
}

impl Edge {
    /// `from→to`, unique in a scene.
    pub fn key(&self) -> String {
        format!("{}→{}", self.from, self.to)
    }

    pub fn class(&self) -> String {
        let mut class = format!("edge edge-{}", status_class(self.status));
        if self.selected {
            class.push_str(" edge-selected");
        }
        class
    }
}

/// The CSS class suffix of an edge's worst status.
pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::Passes => "passes",
        Status::Fails => "fails",
        Status::ExfiltrationOpen => "exfil-open",
        Status::ExfiltrationClosed => "exfil-closed",
    }
}

/// A peering between two VNets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub path: String,
    pub title: String,
    /// Both directions exist (traffic flows only then).
    pub connected: bool,
}

/// The selected flow drawn along its hops, with the packet at the step-through cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowPath {
    pub path: String,
    pub packet_x: i32,
    pub packet_y: i32,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scene {
    pub width: i32,
    pub height: i32,
    pub title: String,
    /// Containers before what they contain, so leaves are drawn on top.
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub links: Vec<Link>,
    pub selected_path: Option<FlowPath>,
}

impl Scene {
    pub fn node(&self, key: &str) -> Option<&Node> {
        self.nodes.iter().find(|node| node.key == key)
    }

    pub fn edge(&self, key: &str) -> Option<&Edge> {
        self.edges.iter().find(|edge| edge.key() == key)
    }
}

/// The selected flow and the hop the step-through cursor is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection<'a> {
    pub flow_id: &'a str,
    pub step: usize,
}

/// The width a layout gets when no page measures it (SVG export, tests).
pub const DEFAULT_WIDTH: i32 = 960;
/// The narrowest layout: below it the page pans instead.
pub const MIN_WIDTH: i32 = 420;
/// Designs with more VNets or drawn elements than these open collapsed to their VNets.
pub const LARGE_VNETS: usize = 8;
pub const LARGE_ELEMENTS: usize = 80;

/// How to lay a design out: the width to fill and the containers drawn collapsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutOptions {
    pub width: i32,
    pub collapsed: BTreeSet<String>,
}

impl LayoutOptions {
    /// The options a design opens with at `width`: large designs collapsed to their VNets.
    pub fn opening(design: &Design, width: i32) -> Self {
        LayoutOptions {
            width,
            collapsed: default_collapsed(design),
        }
    }
}

/// A large design's group of your workspaces and PaaS resources opens collapsed when it
/// holds more than this many (a 100-spoke design has a thousand storage accounts).
pub const LARGE_PAAS_GROUP: usize = 24;

/// Every VNet of a large design (more than [`LARGE_VNETS`] VNets or [`LARGE_ELEMENTS`]
/// elements), and its PaaS group when it holds more than [`LARGE_PAAS_GROUP`], so it opens
/// legible; nothing for a small one.
pub fn default_collapsed(design: &Design) -> BTreeSet<String> {
    if !is_large(design) {
        return BTreeSet::new();
    }
    let paas = (paas_group_size(design) > LARGE_PAAS_GROUP).then(paas_group_key);
    design
        .virtual_networks
        .iter()
        .map(|vnet| format!("vnet:{}", vnet.name))
        .chain(paas)
        .collect()
}

/// Whether `design` has more than [`LARGE_VNETS`] VNets or [`LARGE_ELEMENTS`] elements: it
/// opens collapsed, and the page lays it out and builds its element tree lazily.
pub fn is_large(design: &Design) -> bool {
    let elements = design.computes.len()
        + design.private_endpoints.len()
        + design.firewalls.len()
        + design
            .virtual_networks
            .iter()
            .map(|v| v.subnets.len())
            .sum::<usize>();
    design.virtual_networks.len() > LARGE_VNETS || elements > LARGE_ELEMENTS
}

/// The detail line of a collapsed container holding `inside` elements.
pub fn collapsed_detail(inside: usize) -> String {
    format!("{inside} element(s) inside")
}

/// Lays out `design` with the flows of `evaluation` and the selection.
pub fn layout(
    design: &Design,
    evaluation: &Evaluation,
    selection: Option<Selection>,
    options: &LayoutOptions,
) -> Scene {
    let mut graph = Graph::of(design);
    let ends = edges::flow_ends(&mut graph, design, evaluation);
    let links: Vec<(usize, usize)> = ends.iter().map(|end| (end.from, end.to)).collect();
    let width = options.width.max(MIN_WIDTH);
    let placement = place(&graph, &options.collapsed, &links, width);
    let visible = edges::Visible::new(&graph, &options.collapsed, &placement);
    let mut nodes: Vec<Node> = Vec::new();
    for (index, node) in graph.nodes.iter().enumerate() {
        let Some(rect) = placement.rects[index] else {
            continue;
        };
        let has_children = !node.children.is_empty();
        let collapsed = has_children && options.collapsed.contains(&node.key);
        let detail = if collapsed {
            collapsed_detail(graph.descendants(index))
        } else {
            node.detail.clone()
        };
        let marker = if collapsed { "▸" } else { node.kind.marker() };
        let collapsible = has_children && matches!(node.kind, NodeKind::Vnet | NodeKind::Group);
        let text_w = f64::from(rect.w - 2 * PAD);
        let marker_w = if marker.is_empty() { 0.0 } else { MARKER_W };
        let button_w = if collapsible {
            f64::from(place::COLLAPSE_BUTTON_W)
        } else {
            0.0
        };
        let label_w = text_w - marker_w - button_w;
        nodes.push(Node {
            key: node.key.clone(),
            kind: node.kind,
            shown_label: ellipsize(&node.label, label_w, LABEL_SIZE, true),
            shown_detail: ellipsize(&detail, text_w - button_w, DETAIL_SIZE, false),
            label: node.label.clone(),
            detail,
            x: rect.x,
            y: rect.y,
            w: rect.w,
            h: rect.h,
            collapsible,
            collapsed,
            container: has_children && !collapsed,
            current: false,
            on_path: false,
        });
    }
    let mut scene = Scene {
        width: placement.width,
        height: placement.height,
        title: format!("Topology of {}", design.name),
        nodes,
        edges: edges::aggregate(&graph, &visible, &ends, evaluation, selection),
        links: edges::peerings(design, &graph, &visible),
        selected_path: None,
    };
    if let Some(selection) = selection {
        edges::select(
            &mut scene, &graph, &visible, design, evaluation, &ends, selection,
        );
    }
    scene
}
