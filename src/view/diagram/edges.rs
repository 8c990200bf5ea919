//! Edges: every flow of the evaluation is drawn, aggregated into one edge per pair of drawn
//! nodes (a flow inside a collapsed container counts for the container), with the number of
//! flows and the worst status; edges leaving one side of a node fan out along it so they can
//! be told apart and clicked. The selected flow is drawn separately along the nodes its hops
//! visit — source, NSGs (at the subnet or NIC they are attached to), routes, firewall or
//! appliance, endpoint, destination; DNS answers are not places, so they are skipped — and
//! the packet stands at the step-through cursor's hop.

use std::collections::BTreeMap;

use crate::engine::{Hop, Step};
use crate::model::Design;

use super::graph::Graph;
use super::place::{Placement, Rect};
use super::{FlowPath, Link, Scene, Selection};
use crate::view::evaluation::{Evaluation, Status};

/// The two nodes of one flow (graph indices) and the flow's index in the evaluation.
#[derive(Debug, Clone, Copy)]
pub struct FlowEnd {
    pub result: usize,
    pub from: usize,
    pub to: usize,
}

/// The graph nodes of every flow's two ends (adding nodes for ends the design lacks).
pub fn flow_ends(graph: &mut Graph, design: &Design, evaluation: &Evaluation) -> Vec<FlowEnd> {
    evaluation
        .results
        .iter()
        .enumerate()
        .map(|(result, flow)| FlowEnd {
            result,
            from: graph.source(design, &flow.trace.flow.source),
            to: graph.destination(design, &flow.trace.flow.destination),
        })
        .collect()
}

/// Which node stands for a graph node on the drawing: itself, or its outermost collapsed
/// ancestor.
pub struct Visible<'a> {
    graph: &'a Graph,
    placement: &'a Placement,
    shown: Vec<usize>,
}

impl<'a> Visible<'a> {
    pub fn new(
        graph: &'a Graph,
        collapsed: &std::collections::BTreeSet<String>,
        placement: &'a Placement,
    ) -> Self {
        let shown = (0..graph.nodes.len())
            .map(|index| {
                graph
                    .ancestors(index)
                    .filter(|&a| collapsed.contains(&graph.nodes[a].key))
                    .last()
                    .unwrap_or(index)
            })
            .collect();
        Visible {
            graph,
            placement,
            shown,
        }
    }

    pub fn of(&self, index: usize) -> usize {
        self.shown[index]
    }

    pub fn rect(&self, index: usize) -> Rect {
        self.placement.rects[self.of(index)].unwrap_or_default()
    }

    fn key(&self, index: usize) -> &str {
        &self.graph.nodes[self.of(index)].key
    }

    fn label(&self, index: usize) -> &str {
        &self.graph.nodes[self.of(index)].label
    }

    /// Whether drawn node `outer` contains drawn node `inner`.
    fn contains(&self, outer: usize, inner: usize) -> bool {
        self.graph.ancestors(inner).any(|a| a == outer)
    }
}

/// How bad a status is, for an edge's worst status.
fn severity(status: Status) -> u8 {
    match status {
        Status::Passes => 0,
        Status::ExfiltrationClosed => 1,
        Status::Fails => 2,
        Status::ExfiltrationOpen => 3,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Top,
    Bottom,
    Left,
    Right,
}

/// Which sides of `a` and `b` a line between them leaves and enters by.
fn sides(a: Rect, b: Rect) -> (Side, Side) {
    if b.y >= a.y + a.h - 4 {
        (Side::Bottom, Side::Top)
    } else if b.y + b.h <= a.y + 4 {
        (Side::Top, Side::Bottom)
    } else if b.centre_x() >= a.centre_x() {
        (Side::Right, Side::Left)
    } else {
        (Side::Left, Side::Right)
    }
}

/// The point at `offset` (-0.5..0.5 of the side's length) along `side` of `rect`.
fn anchor(rect: Rect, side: Side, offset: f64) -> (i32, i32) {
    let along = |length: i32| (f64::from(length) * offset).round() as i32;
    match side {
        Side::Top => (rect.centre_x() + along(rect.w), rect.y),
        Side::Bottom => (rect.centre_x() + along(rect.w), rect.y + rect.h),
        Side::Left => (rect.x, rect.y + rect.h / 2 + along(rect.h)),
        Side::Right => (rect.x + rect.w, rect.y + rect.h / 2 + along(rect.h)),
    }
}

/// How far along an edge its badge sits from the start, in px.
const BADGE_OFFSET: f64 = 22.0;

/// A cubic curve from `start` leaving by `side` to `end`; returns the path and the point of
/// its badge.
fn curve(start: (i32, i32), side: Side, end: (i32, i32)) -> (String, (i32, i32)) {
    let (x0, y0) = (f64::from(start.0), f64::from(start.1));
    let (x3, y3) = (f64::from(end.0), f64::from(end.1));
    let ((x1, y1), (x2, y2)) = match side {
        Side::Top | Side::Bottom => {
            let bend = ((y3 - y0).abs() / 2.0).max(30.0) * if y3 >= y0 { 1.0 } else { -1.0 };
            ((x0, y0 + bend), (x3, y3 - bend))
        }
        Side::Left | Side::Right => {
            let bend = ((x3 - x0).abs() / 2.0).max(30.0) * if x3 >= x0 { 1.0 } else { -1.0 };
            ((x0 + bend, y0), (x3 - bend, y3))
        }
    };
    // The badge sits just after the start, in the gap between the source and what lies
    // beyond it, rather than at the middle where the curve may cross other boxes.
    let at = |t: f64| {
        let u = 1.0 - t;
        (
            u * u * u * x0 + 3.0 * u * u * t * x1 + 3.0 * u * t * t * x2 + t * t * t * x3,
            u * u * u * y0 + 3.0 * u * u * t * y1 + 3.0 * u * t * t * y2 + t * t * t * y3,
        )
    };
    let badge = (1..=25)
        .map(|step| at(f64::from(step) / 50.0))
        .find(|(x, y)| (x - x0).abs() + (y - y0).abs() >= BADGE_OFFSET)
        .unwrap_or_else(|| at(0.5));
    let mid = (badge.0.round() as i32, badge.1.round() as i32);
    let path = format!(
        "M{x0} {y0} C{} {} {} {} {x3} {y3}",
        x1.round(),
        y1.round(),
        x2.round(),
        y2.round()
    );
    (path, mid)
}

/// A loop on the right side of `rect`, for flows whose two ends are drawn as one node.
fn self_loop(rect: Rect) -> (String, (i32, i32)) {
    let x = rect.x + rect.w;
    let (top, bottom) = (rect.y + rect.h / 4, rect.y + 3 * rect.h / 4);
    let path = format!(
        "M{x} {top} C{} {} {} {} {x} {bottom}",
        x + 36,
        top - 12,
        x + 36,
        bottom + 12
    );
    (path, (x + 27, rect.y + rect.h / 2))
}

/// One edge per pair of drawn nodes that exchange flows.
pub fn aggregate(
    graph: &Graph,
    visible: &Visible,
    ends: &[FlowEnd],
    evaluation: &Evaluation,
    selection: Option<Selection>,
) -> Vec<super::Edge> {
    let mut pairs: BTreeMap<(String, String), (usize, usize, Vec<usize>)> = BTreeMap::new();
    for end in ends {
        let (from, to) = (visible.of(end.from), visible.of(end.to));
        pairs
            .entry((graph.nodes[from].key.clone(), graph.nodes[to].key.clone()))
            .or_insert((from, to, Vec::new()))
            .2
            .push(end.result);
    }
    // Fan the anchors of each node side out, ordered by where the other end is.
    let mut geometry: Vec<Option<(Side, Side)>> = Vec::new();
    let mut by_side: BTreeMap<(usize, Side), Vec<(i32, usize)>> = BTreeMap::new();
    for (i, (from, to, _)) in pairs.values().enumerate() {
        let (a, b) = (visible.rect(*from), visible.rect(*to));
        let looped = from == to || visible.contains(*from, *to) || visible.contains(*to, *from);
        let chosen = (!looped).then(|| sides(a, b));
        if let Some((out, into)) = chosen {
            by_side
                .entry((*from, out))
                .or_default()
                .push((b.centre_x(), i));
            by_side
                .entry((*to, into))
                .or_default()
                .push((a.centre_x(), i));
        }
        geometry.push(chosen);
    }
    let mut offsets: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for ((node, _), mut users) in by_side {
        users.sort();
        let n = users.len() as f64;
        for (slot, (_, edge)) in users.into_iter().enumerate() {
            let offset = if n <= 1.0 {
                0.0
            } else {
                (slot as f64 / (n - 1.0) - 0.5) * 0.7
            };
            offsets.insert((edge, node), offset);
        }
    }
    let selected_id = selection.map(|s| s.flow_id);
    pairs
        .into_values()
        .zip(geometry)
        .enumerate()
        .map(|(i, ((from, to, results), chosen))| {
            let (path, (label_x, label_y)) = match chosen {
                None => {
                    let inner = if visible.contains(from, to) { to } else { from };
                    self_loop(visible.rect(inner))
                }
                Some((out, into)) => {
                    let start = anchor(visible.rect(from), out, offsets[&(i, from)]);
                    let end = anchor(visible.rect(to), into, offsets[&(i, to)]);
                    curve(start, out, end)
                }
            };
            let flows: Vec<_> = results.iter().map(|&r| &evaluation.results[r]).collect();
            let status = flows
                .iter()
                .map(|f| f.status())
                .max_by_key(|s| severity(*s))
                .unwrap_or(Status::Passes);
            let problems = flows.iter().filter(|f| f.status().is_problem()).count();
            let count = flows.len();
            let badge = match (problems, count) {
                (0, 1) => String::new(),
                (0, n) => format!("{} {n}", status.icon()),
                (p, n) if p == n && n == 1 => status.icon().to_string(),
                (p, n) if p == n => format!("{} {n}", status.icon()),
                (p, n) => format!("{} {p}/{n}", status.icon()),
            };
            let title = edge_title(visible.label(from), visible.label(to), &flows);
            super::Edge {
                from: visible.key(from).to_string(),
                to: visible.key(to).to_string(),
                flow_ids: flows.iter().map(|f| f.question.id.clone()).collect(),
                status,
                problems,
                path,
                label_x,
                label_y,
                badge,
                title,
                selected: selected_id.is_some_and(|id| flows.iter().any(|f| f.question.id == id)),
            }
        })
        .collect()
}

/// "ci → Azure Storage: 3 flows — 1 open exfiltration path, 2 allowed".
fn edge_title(from: &str, to: &str, flows: &[&crate::view::evaluation::FlowResult]) -> String {
    let count = |status: Status| flows.iter().filter(|f| f.status() == status).count();
    let parts: Vec<String> = [
        (Status::ExfiltrationOpen, "open exfiltration path(s)"),
        (Status::Fails, "broken flow(s)"),
        (Status::ExfiltrationClosed, "closed exfiltration path(s)"),
        (Status::Passes, "working flow(s)"),
    ]
    .into_iter()
    .filter_map(|(status, words)| {
        let n = count(status);
        (n > 0).then(|| format!("{n} {words}"))
    })
    .collect();
    format!(
        "{from} → {to}: {} flow(s) — {}",
        flows.len(),
        parts.join(", ")
    )
}

/// The peerings between VNets, one line per pair.
pub fn peerings(design: &Design, graph: &Graph, visible: &Visible) -> Vec<Link> {
    let mut pairs: BTreeMap<(String, String), (bool, bool)> = BTreeMap::new();
    for peering in &design.peerings {
        let forward = peering.local_vnet <= peering.remote_vnet;
        let key = if forward {
            (peering.local_vnet.clone(), peering.remote_vnet.clone())
        } else {
            (peering.remote_vnet.clone(), peering.local_vnet.clone())
        };
        let entry = pairs.entry(key).or_default();
        if forward {
            entry.0 = true;
        } else {
            entry.1 = true;
        }
    }
    pairs
        .into_iter()
        .filter_map(|((a, b), (ab, ba))| {
            let a_index = graph.index_of(&format!("vnet:{a}"))?;
            let b_index = graph.index_of(&format!("vnet:{b}"))?;
            let (ra, rb) = (visible.rect(a_index), visible.rect(b_index));
            let (out, into) = sides(ra, rb);
            let (path, _) = curve(anchor(ra, out, 0.3), out, anchor(rb, into, 0.3));
            let connected = ab && ba;
            let state = if connected {
                "connected (both directions)"
            } else {
                "one direction only: traffic does not flow"
            };
            Some(Link {
                path,
                title: format!("Peering {a} ↔ {b}: {state}"),
                connected,
            })
        })
        .collect()
}

/// The drawn node a hop happened at, if it happened at a place: NSGs at the subnet or NIC
/// they filter for this flow, routes at their subnet, controls at their element. `position`
/// is the last node the path reached; `destination` the flow's destination node.
fn hop_node(
    graph: &Graph,
    design: &Design,
    hop: &Hop,
    position: usize,
    destination: usize,
) -> Option<usize> {
    match hop.step {
        Step::Dns => return None,
        Step::Delivered => return Some(destination),
        _ => {}
    }
    if let Some(index) = graph.key_of(&hop.element).and_then(|k| graph.index_of(k)) {
        return Some(index);
    }
    if !matches!(hop.step, Step::NsgOutbound | Step::NsgInbound) {
        return None;
    }
    let subnets = design.virtual_networks.iter().flat_map(|vnet| {
        vnet.subnets
            .iter()
            .filter(|s| s.nsg.as_deref() == Some(hop.element.as_str()))
            .map(move |s| format!("{}/{}", vnet.name, s.name))
    });
    let nics = design
        .computes
        .iter()
        .filter(|c| {
            c.nic
                .as_ref()
                .is_some_and(|nic| nic.nsg.as_deref() == Some(hop.element.as_str()))
        })
        .map(|c| c.name.clone());
    let candidates: Vec<usize> = subnets
        .chain(nics)
        .filter_map(|key| graph.index_of(&key))
        .collect();
    let near = if hop.step == Step::NsgOutbound {
        position
    } else {
        destination
    };
    let related =
        |candidate: &usize| *candidate == near || graph.ancestors(near).any(|a| a == *candidate);
    candidates
        .iter()
        .copied()
        .find(related)
        .or_else(|| candidates.first().copied())
}

/// Marks the selected flow's nodes and draws its path with the packet at the cursor.
pub fn select(
    scene: &mut Scene,
    graph: &Graph,
    visible: &Visible,
    design: &Design,
    evaluation: &Evaluation,
    ends: &[FlowEnd],
    selection: Selection,
) {
    let found = ends
        .iter()
        .find(|end| evaluation.results[end.result].question.id == selection.flow_id);
    let Some(&FlowEnd {
        result,
        from: source,
        to: destination,
    }) = found
    else {
        return;
    };
    let result = &evaluation.results[result];
    let trace = &result.trace;
    let lookup = graph;
    // The drawn nodes in order, and for each hop the index of the point it happened at.
    let mut points: Vec<usize> = vec![visible.of(source)];
    let mut marked: Vec<usize> = vec![visible.of(source)];
    let mut hop_point: Vec<Option<usize>> = Vec::with_capacity(trace.hops.len());
    let mut hop_nodes: Vec<Option<usize>> = Vec::with_capacity(trace.hops.len());
    let mut position = source;
    for hop in &trace.hops {
        let node = hop_node(lookup, design, hop, position, destination).map(|n| visible.of(n));
        hop_nodes.push(node);
        if let Some(node) = node {
            marked.push(node);
            let last = *points.last().unwrap_or(&node);
            // A container around the path's current node (its subnet's NSG or routes) is lit
            // up but not a bend: the line stays at the leaf.
            let around_last = visible.contains(node, last);
            if node != last && !around_last {
                if visible.contains(last, node) && points.len() > 1 {
                    points.pop();
                }
                points.push(node);
                position = node;
            }
        }
        hop_point.push(Some(points.len() - 1));
    }
    let current_point = hop_point
        .get(selection.step)
        .copied()
        .flatten()
        .unwrap_or(0);
    let index: BTreeMap<String, usize> = scene
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.key.clone(), i))
        .collect();
    let mark = |scene: &mut Scene, node: usize, current: bool| {
        if let Some(&i) = index.get(graph_key(lookup, node)) {
            scene.nodes[i].on_path = true;
            scene.nodes[i].current |= current;
        }
    };
    for &node in &marked {
        mark(scene, node, false);
    }
    let current_node = hop_nodes
        .get(selection.step)
        .copied()
        .flatten()
        .unwrap_or(points[current_point]);
    mark(scene, current_node, true);
    let mut path = String::new();
    for pair in points.windows(2) {
        let (a, b) = (visible.rect(pair[0]), visible.rect(pair[1]));
        let (out, into) = sides(a, b);
        let (segment, _) = curve(anchor(a, out, 0.0), out, anchor(b, into, 0.0));
        if !path.is_empty() {
            path.push(' ');
        }
        path.push_str(&segment);
    }
    let packet = visible.rect(points[current_point]);
    scene.selected_path = Some(FlowPath {
        path,
        packet_x: packet.centre_x(),
        packet_y: packet.y + packet.h / 2,
        status: result.status(),
    });
}

fn graph_key(graph: &Graph, index: usize) -> &str {
    &graph.nodes[index].key
}
