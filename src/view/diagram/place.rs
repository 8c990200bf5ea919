//! Placement: a layered layout of the compound graph, our own because no layout crate handles
//! nested boxes within the page's wasm budget. It works in three steps:
//!
//! 1. **Measure** bottom-up: a leaf is as wide as its label and detail need ([`super::text`]),
//!    within [`LEAF_MIN_W`]..[`LEAF_MAX_W`] (longer text is ellipsized); a container packs its
//!    children in rows no wider than the width it is given (a subnet wraps its members, a VNet
//!    its subnets), under a header for its title.
//! 2. **Order** each layer after the VNets by the barycentre heuristic of layered (Sugiyama)
//!    layouts: a member of a group outside the VNets sits under the mean x of the nodes it
//!    exchanges flows with, which keeps edges short and reduces crossings; ties by name.
//! 3. **Stack** the layers (on-premises, spoke VNets, hub VNets, Azure, internet and sinks)
//!    top to bottom; each layer packs its top-level boxes into centred rows of the scene
//!    width, so the drawing uses the width it is given and grows downwards.
//!
//! A collapsed container is drawn as one leaf-sized box; its contents get no position.

use crate::model::sorting;
use std::collections::BTreeSet;

use super::graph::{Graph, Layer, LAYERS};
use super::text::text_width;

pub const MARGIN: i32 = 16;
pub const LEAF_H: i32 = 42;
pub const LEAF_MIN_W: i32 = 132;
pub const LEAF_MAX_W: i32 = 240;
pub const PAD: i32 = 8;
pub const GAP: i32 = 10;
pub const LABEL_SIZE: f64 = 12.0;
pub const DETAIL_SIZE: f64 = 11.0;
/// Room between the rows of top-level boxes in a layer, for edges and their badges.
const LAYER_ROW_GAP: i32 = 30;
/// Room between layers for edges to bend.
const LAYER_GAP: i32 = 40;
/// A container's title line, and the detail line under it when it has one.
pub const TITLE_H: i32 = 22;
pub const DETAIL_H: i32 = 14;
/// Room a container's −/+ button takes at the right of its title.
pub const COLLAPSE_BUTTON_W: i32 = 24;
/// Width of the kind marker and the space after it.
pub const MARKER_W: f64 = 16.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl Rect {
    pub fn centre_x(&self) -> i32 {
        self.x + self.w / 2
    }
}

/// Where every node is; `None` inside a collapsed container.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub rects: Vec<Option<Rect>>,
    pub width: i32,
    pub height: i32,
}

/// The header height of a container with or without a detail line.
pub fn header_height(has_detail: bool) -> i32 {
    TITLE_H + if has_detail { DETAIL_H } else { 0 }
}

struct Placer<'g> {
    graph: &'g Graph,
    collapsed: &'g BTreeSet<String>,
    /// Flow ends (graph indices), for the barycentre ordering.
    links: &'g [(usize, usize)],
    /// Positions relative to the parent (absolute for top-level nodes once a layer is placed).
    relative: Vec<Option<Rect>>,
    /// Absolute centre x of placed nodes, for the barycentres of later layers.
    placed_x: Vec<Option<i32>>,
    /// Each node's children in drawing order.
    children: Vec<Vec<usize>>,
}

/// Places `graph` in a scene `width` wide.
pub fn place(
    graph: &Graph,
    collapsed: &BTreeSet<String>,
    links: &[(usize, usize)],
    width: i32,
) -> Placement {
    let mut placer = Placer {
        graph,
        collapsed,
        links,
        relative: vec![None; graph.nodes.len()],
        placed_x: vec![None; graph.nodes.len()],
        children: graph.nodes.iter().map(|n| n.children.clone()).collect(),
    };
    let inner = width - 2 * MARGIN;
    // VNet layers first: the layers around them are ordered by their positions.
    let mut bands: Vec<(Layer, Vec<usize>, i32)> = Vec::new();
    for layer in [
        Layer::Spokes,
        Layer::Hubs,
        Layer::Azure,
        Layer::Internet,
        Layer::OnPremises,
    ] {
        let (members, height) = placer.place_layer(layer, inner);
        bands.push((layer, members, height));
    }
    sorting::sort_by_key(&mut bands, |(layer, _, _)| {
        LAYERS.iter().position(|l| l == layer)
    });
    let mut y = MARGIN;
    let mut rects = vec![None; graph.nodes.len()];
    for (_, members, height) in bands {
        if members.is_empty() {
            continue;
        }
        for index in members {
            placer.absolute(index, 0, y, &mut rects);
        }
        y += height + LAYER_GAP;
    }
    Placement {
        rects,
        width,
        height: (y - LAYER_GAP + MARGIN).max(2 * MARGIN),
    }
}

impl Placer<'_> {
    fn is_collapsed(&self, index: usize) -> bool {
        let node = &self.graph.nodes[index];
        !node.children.is_empty() && self.collapsed.contains(&node.key)
    }

    /// Places the top-level nodes of `layer` in centred rows; returns them and the height.
    fn place_layer(&mut self, layer: Layer, inner: i32) -> (Vec<usize>, i32) {
        let mut members: Vec<usize> = (0..self.graph.nodes.len())
            .filter(|&i| self.graph.nodes[i].parent.is_none() && self.graph.nodes[i].layer == layer)
            .collect();
        let ordered = !matches!(layer, Layer::Spokes | Layer::Hubs);
        if ordered {
            for &member in &members {
                self.order_children(member);
            }
            self.order(&mut members);
        }
        let packed = self.arrange(&members, inner, LAYER_ROW_GAP, true, (MARGIN, 0));
        for &member in &members {
            self.record_x(member, 0);
        }
        (members, packed.height)
    }

    /// Records the absolute centre x of `index` and its descendants.
    fn record_x(&mut self, index: usize, origin_x: i32) {
        let Some(rect) = self.relative[index] else {
            return;
        };
        let x = origin_x + rect.x;
        self.placed_x[index] = Some(x + rect.w / 2);
        for child in self.children[index].clone() {
            self.record_x(child, x);
        }
    }

    /// The mean x of the placed nodes that exchange flows with `index` or its descendants.
    fn barycentre(&self, index: usize) -> Option<f64> {
        let inside = |node: usize| {
            node == index || self.graph.ancestors(node).any(|ancestor| ancestor == index)
        };
        let mut sum = 0.0;
        let mut count = 0.0;
        for &(a, b) in self.links {
            let other = match (inside(a), inside(b)) {
                (true, false) => b,
                (false, true) => a,
                _ => continue,
            };
            let placed = std::iter::once(other)
                .chain(self.graph.ancestors(other))
                .find_map(|n| self.placed_x[n]);
            if let Some(x) = placed {
                sum += f64::from(x);
                count += 1.0;
            }
        }
        (count > 0.0).then(|| sum / count)
    }

    /// Sorts `nodes` by barycentre (unconnected last), then by key.
    fn order(&self, nodes: &mut [usize]) {
        let mut keyed: Vec<(Option<f64>, usize)> =
            nodes.iter().map(|&n| (self.barycentre(n), n)).collect();
        sorting::sort_by(&mut keyed, |(a, an), (b, bn)| {
            let by_position = match (a, b) {
                (Some(a), Some(b)) => a.total_cmp(b),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            by_position.then_with(|| self.graph.nodes[*an].key.cmp(&self.graph.nodes[*bn].key))
        });
        for (slot, (_, node)) in nodes.iter_mut().zip(keyed) {
            *slot = node;
        }
    }

    fn order_children(&mut self, index: usize) {
        let mut children = std::mem::take(&mut self.children[index]);
        self.order(&mut children);
        for &child in &children {
            self.order_children(child);
        }
        self.children[index] = children;
    }

    /// Sizes `index` within `max_w` and positions its children relative to it.
    fn measure(&mut self, index: usize, max_w: i32) -> (i32, i32) {
        let node = &self.graph.nodes[index];
        if node.children.is_empty() {
            return (leaf_width(&node.label, &node.detail).min(max_w), LEAF_H);
        }
        if self.is_collapsed(index) {
            let detail = super::collapsed_detail(self.graph.descendants(index));
            // Room for the expand button beside the title.
            let w = leaf_width(&node.label, &detail) + COLLAPSE_BUTTON_W;
            return (w.min(max_w), LEAF_H);
        }
        let header = header_height(!node.detail.is_empty());
        let title_w = text_width(&node.label, LABEL_SIZE, true).ceil() as i32 + COLLAPSE_BUTTON_W;
        let inner = max_w - 2 * PAD;
        let children = self.children[index].clone();
        let packed = self.arrange(&children, inner, GAP, false, (PAD, header));
        let w =
            (packed.width.max(title_w.min(inner)) + 2 * PAD).clamp(LEAF_MIN_W.min(max_w), max_w);
        (w, header + packed.height + PAD)
    }

    /// Measures `nodes` within `max_w`, packs them in rows and records their rectangles at
    /// `origin` in their parent (the scene for top-level nodes).
    fn arrange(
        &mut self,
        nodes: &[usize],
        max_w: i32,
        gap: i32,
        centre: bool,
        origin: (i32, i32),
    ) -> Packed {
        let sizes: Vec<(i32, i32)> = nodes.iter().map(|&n| self.measure(n, max_w)).collect();
        let packed = pack(&sizes, max_w, gap, centre);
        for (i, &node) in nodes.iter().enumerate() {
            let ((x, y), (w, h)) = (packed.positions[i], sizes[i]);
            self.relative[node] = Some(Rect {
                x: origin.0 + x,
                y: origin.1 + y,
                w,
                h,
            });
        }
        packed
    }

    /// Writes the absolute rectangles of `index` and its descendants.
    fn absolute(&self, index: usize, origin_x: i32, origin_y: i32, out: &mut [Option<Rect>]) {
        let Some(rect) = self.relative[index] else {
            return;
        };
        let rect = Rect {
            x: origin_x + rect.x,
            y: origin_y + rect.y,
            ..rect
        };
        out[index] = Some(rect);
        if self.is_collapsed(index) {
            return;
        }
        for &child in &self.children[index] {
            self.absolute(child, rect.x, rect.y, out);
        }
    }
}

/// A leaf's width: its marker and bold label, or its detail line, whichever is wider.
pub fn leaf_width(label: &str, detail: &str) -> i32 {
    let label_w = text_width(label, LABEL_SIZE, true) + MARKER_W;
    let detail_w = text_width(detail, DETAIL_SIZE, false);
    let w = label_w.max(detail_w).ceil() as i32 + 2 * PAD;
    w.clamp(LEAF_MIN_W, LEAF_MAX_W)
}

struct Packed {
    positions: Vec<(i32, i32)>,
    width: i32,
    height: i32,
}

/// Packs boxes left to right in rows no wider than `max_w` (a box wider than that gets a row of
/// its own); `centre` centres each row in `max_w`.
fn pack(sizes: &[(i32, i32)], max_w: i32, gap: i32, centre: bool) -> Packed {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut row_w = 0;
    for (i, &(w, _)) in sizes.iter().enumerate() {
        match rows.last_mut() {
            Some(row) if row_w + gap + w <= max_w => {
                row.push(i);
                row_w += gap + w;
            }
            _ => {
                rows.push(vec![i]);
                row_w = w;
            }
        }
    }
    let mut positions = vec![(0, 0); sizes.len()];
    let (mut y, mut width) = (0, 0);
    for row in rows {
        let row_w: i32 =
            row.iter().map(|&i| sizes[i].0).sum::<i32>() + gap * (row.len() as i32 - 1);
        let row_h = row.iter().map(|&i| sizes[i].1).max().unwrap_or(0);
        let mut x = if centre {
            ((max_w - row_w) / 2).max(0)
        } else {
            0
        };
        for i in row {
            positions[i] = (x, y);
            x += sizes[i].0 + gap;
        }
        width = width.max(row_w);
        y += row_h + gap;
    }
    Packed {
        positions,
        width,
        height: (y - gap).max(0),
    }
}
