//! The SVG parts of the diagram: node boxes (containers, then leaves on top), peerings, edges
//! with a wide invisible stroke to click, the selected flow's path and packet, and the edge
//! badges. Every node and edge is a focusable button named by its full text; Enter or Space
//! opens its details card. A component of its own, keyed by node and edge: panning and zooming
//! do not render it again; each node, edge and badge is a component of its own too, so a
//! change renders only those that changed.

use yew::prelude::*;

use super::state::ByPtr;
use crate::view::diagram::{status_class, Edge, Node, Scene};

#[derive(Properties, PartialEq)]
pub struct SceneLayersProps {
    pub scene: ByPtr<Scene>,
    pub focus: Option<FocusTarget>,
    pub onfocus: Callback<FocusTarget>,
    pub ontoggle: Callback<String>,
}

#[function_component(SceneLayers)]
pub fn scene_layers(props: &SceneLayersProps) -> Html {
    let scene = &*props.scene.0;
    let focus = props.focus.as_ref();
    html! {
        <>
            { nodes(scene, true, &props.onfocus, &props.ontoggle, focus) }
            { for scene.links.iter().map(|link| html! {
                <path class={classes!("peering", (!link.connected).then_some("peering-broken"))} d={link.path.clone()}>
                    <title>{ link.title.clone() }</title>
                </path>
            }) }
            { edges(scene, &props.onfocus, focus) }
            { nodes(scene, false, &props.onfocus, &props.ontoggle, focus) }
            if let Some(path) = &scene.selected_path {
                <path class={classes!("flow-path", status_class(path.status))} d={path.path.clone()}
                      marker-end="url(#arrow-path)" data-testid="flow-path" />
            }
            { edge_badges(scene, &props.onfocus) }
            if let Some(path) = &scene.selected_path {
                <circle class="packet" cx={path.packet_x.to_string()} cy={path.packet_y.to_string()} r="7"
                        data-testid="packet" />
            }
        </>
    }
}

/// What the details card shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FocusTarget {
    Node(String),
    Edge(String),
}

/// Opens the card on Enter or Space.
fn on_activate(onfocus: &Callback<FocusTarget>, target: FocusTarget) -> Callback<KeyboardEvent> {
    let onfocus = onfocus.clone();
    Callback::from(move |event: KeyboardEvent| {
        if matches!(event.key().as_str(), "Enter" | " ") {
            event.prevent_default();
            event.stop_propagation();
            onfocus.emit(target.clone());
        }
    })
}

/// The containers (`containers`) or the leaves of the scene.
fn nodes(
    scene: &Scene,
    containers: bool,
    onfocus: &Callback<FocusTarget>,
    ontoggle: &Callback<String>,
    focus: Option<&FocusTarget>,
) -> Html {
    let drawn = scene.nodes.iter().filter(|n| n.container == containers);
    html! {
        <>{ for drawn.map(|n| {
            let focused = focus == Some(&FocusTarget::Node(n.key.clone()));
            html! {
                <SceneNode key={n.key.clone()} node={n.clone()} {focused}
                           onfocus={onfocus.clone()} ontoggle={ontoggle.clone()} />
            }
        }) }</>
    }
}

#[derive(Properties, PartialEq)]
struct SceneNodeProps {
    node: Node,
    focused: bool,
    onfocus: Callback<FocusTarget>,
    ontoggle: Callback<String>,
}

/// One node: a component, so a change of the scene renders only the nodes that changed.
#[function_component(SceneNode)]
fn scene_node(props: &SceneNodeProps) -> Html {
    let SceneNodeProps {
        node,
        focused,
        onfocus,
        ontoggle,
    } = props;
    let focused = *focused;
    let target = FocusTarget::Node(node.key.clone());
    let onclick = {
        let onfocus = onfocus.clone();
        let target = target.clone();
        Callback::from(move |event: MouseEvent| {
            event.stop_propagation();
            onfocus.emit(target.clone())
        })
    };
    let onkeydown = on_activate(onfocus, target);
    let class = classes!(
        "node",
        node.kind.class(),
        node.container.then_some("container"),
        node.collapsed.then_some("collapsed"),
        node.on_path.then_some("on-path"),
        node.current.then_some("current"),
        focused.then_some("focused")
    );
    let marker = if node.collapsed {
        "▸"
    } else {
        node.kind.marker()
    };
    let label = if marker.is_empty() {
        node.shown_label.clone()
    } else {
        format!("{marker} {}", node.shown_label)
    };
    let toggle = node.collapsible.then(|| {
        let onclick = {
            let ontoggle = ontoggle.clone();
            let key = node.key.clone();
            Callback::from(move |event: MouseEvent| {
                event.stop_propagation();
                ontoggle.emit(key.clone())
            })
        };
        let ontoggle = ontoggle.clone();
        let key = node.key.clone();
        let onkeydown = Callback::from(move |event: KeyboardEvent| {
            if matches!(event.key().as_str(), "Enter" | " ") {
                event.prevent_default();
                event.stop_propagation();
                ontoggle.emit(key.clone());
            }
        });
        let (verb, glyph) = if node.collapsed {
            ("Expand", "+")
        } else {
            ("Collapse", "−")
        };
        let x = node.x + node.w - 22;
        html! {
            <g class="collapse-toggle" role="button" tabindex="0" aria-label={format!("{verb} {}", node.label)}
               data-testid={format!("collapse-{}", node.key)} {onclick} {onkeydown}>
                <title>{ format!("{verb} {}", node.label) }</title>
                <rect x={x.to_string()} y={(node.y + 4).to_string()} width="18" height="18" rx="3" />
                { html_in_svg((x, node.y + 4, 18, 18), "collapse-glyph", html! { glyph }) }
            </g>
        }
    });
    html! {
        <g {class} data-testid={format!("node-{}", node.key)} data-current={node.current.to_string()}
           data-on-path={node.on_path.to_string()}
           tabindex="0" role="button" aria-label={node.title()} {onclick} {onkeydown}>
            <title>{ node.title() }</title>
            <rect class="node-box" x={node.x.to_string()} y={node.y.to_string()} width={node.w.to_string()}
                  height={node.h.to_string()} rx="6" data-testid="node-box" />
            { node_text(node, label) }
            { for toggle }
        </g>
    }
}

/// The title and detail lines as HTML in the SVG.
fn node_text(node: &Node, label: String) -> Html {
    let (x, y, width, height) = node.text_box();
    let lines = html! {
        <>
            <div class="node-label" data-testid="node-label">{ label }</div>
            if !node.shown_detail.is_empty() {
                <div class="node-detail" data-testid="node-detail">{ node.shown_detail.clone() }</div>
            }
        </>
    };
    html_in_svg((x, y, width, height), "node-text", lines)
}

/// HTML content in a box of the SVG (x, y, width, height): every text of the diagram is drawn
/// this way, because a change anywhere in an SVG can make the browser lay out each of its
/// `<text>` elements again (7–14 ms on IL5, 10–30 ms on a 50-VNet design), while HTML in a
/// `foreignObject` is laid out again only when it changed.
fn html_in_svg(
    (x, y, width, height): (i32, i32, i32, i32),
    class: &'static str,
    content: Html,
) -> Html {
    html! {
        <foreignObject x={x.to_string()} y={y.to_string()} width={width.to_string()} height={height.to_string()}>
            <div xmlns="http://www.w3.org/1999/xhtml" {class}>{ content }</div>
        </foreignObject>
    }
}

/// The edges, each with its click target.
fn edges(scene: &Scene, onfocus: &Callback<FocusTarget>, focus: Option<&FocusTarget>) -> Html {
    html! {
        <>{ for scene.edges.iter().map(|e| {
            let focused = focus == Some(&FocusTarget::Edge(e.key()));
            html! { <SceneEdge key={e.key()} edge={e.clone()} {focused} onfocus={onfocus.clone()} /> }
        }) }</>
    }
}

fn edge_click(edge: &Edge, onfocus: &Callback<FocusTarget>) -> Callback<MouseEvent> {
    let onfocus = onfocus.clone();
    let target = FocusTarget::Edge(edge.key());
    Callback::from(move |event: MouseEvent| {
        event.stop_propagation();
        onfocus.emit(target.clone())
    })
}

#[derive(Properties, PartialEq)]
struct SceneEdgeProps {
    edge: Edge,
    #[prop_or_default]
    focused: bool,
    onfocus: Callback<FocusTarget>,
}

/// One edge (a component, rendered again only when it changed).
#[function_component(SceneEdge)]
fn scene_edge(props: &SceneEdgeProps) -> Html {
    let SceneEdgeProps {
        edge,
        focused,
        onfocus,
    } = props;
    let onclick = edge_click(edge, onfocus);
    let onkeydown = on_activate(onfocus, FocusTarget::Edge(edge.key()));
    let marker = format!("url(#arrow-{})", status_class(edge.status));
    html! {
        <g class={classes!("edge-group", focused.then_some("focused"))} data-testid={format!("edge-{}", edge.key())}
           data-flows={edge.flow_ids.len().to_string()} data-status={edge.status.text()}
           data-flow-ids={edge.flow_ids.join("\n")}
           tabindex="0" role="button" aria-label={edge.title.clone()} {onclick} {onkeydown}>
            <title>{ edge.title.clone() }</title>
            <path class="edge-hit" d={edge.path.clone()} />
            <path class={edge.class()} d={edge.path.clone()} marker-end={marker} />
        </g>
    }
}

/// The badges (icon and count) on every edge, drawn above the nodes.
fn edge_badges(scene: &Scene, onfocus: &Callback<FocusTarget>) -> Html {
    html! {
        <>{ for scene.edges.iter().filter(|e| !e.badge.is_empty()).map(|edge| html! {
            <EdgeBadge key={edge.key()} edge={edge.clone()} onfocus={onfocus.clone()} />
        }) }</>
    }
}

/// An edge's badge (a component, rendered again only when its edge changed).
#[function_component(EdgeBadge)]
fn edge_badge(props: &SceneEdgeProps) -> Html {
    let edge = &props.edge;
    let (width, _) = crate::view::diagram::edges::badge_size(&edge.badge);
    let onclick = edge_click(edge, &props.onfocus);
    html! {
        <g class={classes!("edge-badge", status_class(edge.status))} {onclick} aria-hidden="true">
            <rect x={(edge.label_x - width / 2).to_string()} y={(edge.label_y - 9).to_string()}
                  width={width.to_string()} height="17" rx="4" />
            { html_in_svg((edge.label_x - width / 2, edge.label_y - 9, width, 17), "badge-text", html! { edge.badge.clone() }) }
        </g>
    }
}
