//! Edges: every flow of the evaluation is drawn, aggregated into one edge per pair of drawn
//! nodes (a flow inside a collapsed container counts for the container), with the number of
//! flows and the worst status; edges leaving one side of a node fan out along it so they can
//! be told apart and clicked. The selected flow is drawn separately along the nodes its hops
//! visit — source, NSGs (at the subnet or NIC they are attached to), routes, firewall or
//! appliance, endpoint, destination; DNS answers are not places, so they are skipped — and
//! the packet stands at the step-through cursor's hop.

use crate::model::sorting;
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

/// A cubic Bézier curve.
#[derive(Debug, Clone, Copy)]
struct Curve([(f64, f64); 4]);

impl Curve {
    fn path(&self) -> String {
        let [p0, p1, p2, p3] = self.0.map(|(x, y)| (x.round(), y.round()));
        format!(
            "M{} {} C{} {} {} {} {} {}",
            p0.0, p0.1, p1.0, p1.1, p2.0, p2.1, p3.0, p3.1
        )
    }

    fn at(&self, t: f64) -> (i32, i32) {
        let [p0, p1, p2, p3] = self.0;
        let u = 1.0 - t;
        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        (
            (a * p0.0 + b * p1.0 + c * p2.0 + d * p3.0).round() as i32,
            (a * p0.1 + b * p1.1 + c * p2.1 + d * p3.1).round() as i32,
        )
    }
}

/// A curve from `start` leaving by `side` to `end`, with tangents along the side's normal.
fn curve(start: (i32, i32), side: Side, end: (i32, i32)) -> Curve {
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
    Curve([(x0, y0), (x1, y1), (x2, y2), (x3, y3)])
}

/// A loop on the right side of `rect`, for flows whose two ends are drawn as one node.
fn self_loop(rect: Rect) -> Curve {
    let x = f64::from(rect.x + rect.w);
    let top = f64::from(rect.y + rect.h / 4);
    let bottom = f64::from(rect.y + 3 * rect.h / 4);
    Curve([
        (x, top),
        (x + 36.0, top - 12.0),
        (x + 36.0, bottom + 12.0),
        (x, bottom),
    ])
}

/// The width and height of a badge showing `text`.
pub fn badge_size(text: &str) -> (i32, i32) {
    (text.chars().count() as i32 * 8 + 8, 17)
}

fn intersects(a: Rect, b: Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// Where a badge goes along `curve`: the first point from the start (on the curve, then just
/// above, below or beside it) whose badge covers no
/// node's text (leaves, collapsed boxes, container headers) and no badge placed before; else
/// the point covering the fewest elements, then the fewest badges.
fn badge_point(curve: &Curve, size: (i32, i32), obstacles: &[Rect], placed: &[Rect]) -> (i32, i32) {
    let rect_at = |(x, y): (i32, i32)| Rect {
        x: x - size.0 / 2,
        y: y - size.1 / 2,
        w: size.0,
        h: size.1,
    };
    // On the curve first; beside it when two close boxes leave no room on it.
    let along: Vec<(i32, i32)> = (1..=19)
        .map(|step| curve.at(f64::from(step) / 20.0))
        .collect();
    let (dx, dy) = (size.0 / 2 + 14, size.1 + 4);
    let beside = [1, 2]
        .into_iter()
        .flat_map(|ring| [(0, -dy), (0, dy), (-dx, 0), (dx, 0)].map(|(x, y)| (x * ring, y * ring)))
        .flat_map(|(ox, oy)| along.iter().map(move |&(x, y)| (x + ox, y + oy)));
    let candidates = along.iter().copied().chain(beside);
    let mut best: Option<((i32, i32), usize)> = None;
    for point in candidates {
        let rect = rect_at(point);
        // Covering an element hides its text; covering a badge only stacks two counts.
        let covered = 100 * obstacles.iter().filter(|o| intersects(**o, rect)).count()
            + placed.iter().filter(|o| intersects(**o, rect)).count();
        if covered == 0 {
            return point;
        }
        if best.is_none_or(|(_, fewest)| covered < fewest) {
            best = Some((point, covered));
        }
    }
    best.map_or_else(|| curve.at(0.5), |(point, _)| point)
}

/// What a badge must not cover: every drawn leaf or collapsed box, and the title band of every
/// expanded container.
fn badge_obstacles(graph: &Graph, visible: &Visible) -> Vec<Rect> {
    (0..graph.nodes.len())
        .filter(|&i| visible.of(i) == i)
        .filter_map(|i| {
            let rect = visible.placement.rects[i]?;
            let node = &graph.nodes[i];
            let expanded = node
                .children
                .first()
                .is_some_and(|&child| visible.placement.rects[child].is_some());
            Some(if expanded {
                Rect {
                    h: super::place::header_height(!node.detail.is_empty()),
                    ..rect
                }
            } else {
                rect
            })
        })
        .collect()
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
        sorting::sort(&mut users);
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
    let obstacles = badge_obstacles(graph, visible);
    let mut placed: Vec<Rect> = Vec::new();
    pairs
        .into_values()
        .zip(geometry)
        .enumerate()
        .map(|(i, ((from, to, results), chosen))| {
            let curve = match chosen {
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
            let badge = match (problems, flows.len()) {
                (0, 1) => String::new(),
                (0, n) => format!("{} {n}", status.icon()),
                (p, n) if p == n && n == 1 => status.icon().to_string(),
                (p, n) if p == n => format!("{} {n}", status.icon()),
                (p, n) => format!("{} {p}/{n}", status.icon()),
            };
            let (label_x, label_y) = if badge.is_empty() {
                curve.at(0.5)
            } else {
                let size = badge_size(&badge);
                let point = badge_point(&curve, size, &obstacles, &placed);
                placed.push(Rect {
                    x: point.0 - size.0 / 2,
                    y: point.1 - size.1 / 2,
                    w: size.0,
                    h: size.1,
                });
                point
            };
            let title = edge_title(visible.label(from), visible.label(to), &flows);
            super::Edge {
                from: visible.key(from).to_string(),
                to: visible.key(to).to_string(),
                flow_ids: flows.iter().map(|f| f.question.id.clone()).collect(),
                status,
                problems,
                path: curve.path(),
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
            let path = curve(anchor(ra, out, 0.3), out, anchor(rb, into, 0.3)).path();
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
    // The drawn nodes in order, and for each hop the index of the point it happened at.
    let mut points: Vec<usize> = vec![visible.of(source)];
    let mut marked: Vec<usize> = vec![visible.of(source)];
    let mut hop_point: Vec<usize> = Vec::with_capacity(trace.hops.len());
    let mut hop_nodes: Vec<Option<usize>> = Vec::with_capacity(trace.hops.len());
    let mut position = source;
    for hop in &trace.hops {
        let node = hop_node(graph, design, hop, position, destination).map(|n| visible.of(n));
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
        hop_point.push(points.len() - 1);
    }
    let current_point = hop_point.get(selection.step).copied().unwrap_or(0);
    let index: BTreeMap<String, usize> = scene
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.key.clone(), i))
        .collect();
    let mark = |scene: &mut Scene, node: usize, current: bool| {
        if let Some(&i) = index.get(&graph.nodes[node].key) {
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
        let segment = curve(anchor(a, out, 0.0), out, anchor(b, into, 0.0)).path();
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
