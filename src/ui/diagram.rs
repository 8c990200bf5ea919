//! The topology diagram: draws the view's [`Scene`](crate::view::diagram::Scene) as SVG. Kinds
//! carry a text marker, blocked edges are dashed with ✗, allowed edges solid with ✓, and the
//! step-through cursor's node gets a thick outline, so nothing relies on colour alone.

use yew::prelude::*;

use super::state::use_app;
use crate::view::diagram::{Edge, Node};
use crate::view::state::Action;

#[function_component(Diagram)]
pub fn diagram() -> Html {
    let app = use_app();
    let scene = app.scene.clone();
    let view_box = format!("0 0 {} {}", scene.width, scene.height);
    html! {
        <section class="diagram" aria-label="Topology diagram" data-testid="diagram">
            <svg class="diagram-canvas" viewBox={view_box} role="img" aria-label={scene.title.clone()}
                 preserveAspectRatio="xMidYMin meet">
                { for scene.nodes.iter().map(node) }
                { for scene.edges.iter().map(|e| edge(&app, e)) }
            </svg>
            <p class="legend" aria-hidden="true">
                <span class="legend-good">{ "━ ✓ allowed" }</span>
                <span class="legend-bad">{ "┅ ✗ blocked" }</span>
                <span class="legend-exfil">{ "━ ✗ open exfiltration path" }</span>
                <span>{ "☠ attacker sink · ▣ compute · ⊙ private endpoint · ▥ firewall · ☁ service · ▤ resource" }</span>
            </p>
        </section>
    }
}

fn node(node: &Node) -> Html {
    let class = classes!(
        node.kind.class(),
        node.on_path.then_some("on-path"),
        node.current.then_some("current")
    );
    let (text_x, text_y) = if node.kind.is_container() {
        (node.x + 8, node.y + 16)
    } else {
        (node.x + 6, node.y + 15)
    };
    html! {
        <g data-testid={format!("node-{}", node.key)} data-current={node.current.to_string()}>
            <rect {class} x={node.x.to_string()} y={node.y.to_string()} width={node.w.to_string()}
                  height={node.h.to_string()} rx="6" />
            <text class="node-label" x={text_x.to_string()} y={text_y.to_string()}>
                { format!("{} {}", node.kind.marker(), node.label) }
            </text>
            if !node.detail.is_empty() {
                <text class="node-detail" x={text_x.to_string()} y={(text_y + 14).to_string()}>
                    { node.detail.clone() }
                </text>
            }
        </g>
    }
}

fn edge(app: &super::state::AppContext, edge: &Edge) -> Html {
    let onclick = {
        let app = app.clone();
        let id = edge.flow_id.clone();
        Callback::from(move |_| app.dispatch(Action::Select(Some(id.clone()))))
    };
    html! {
        <g class="edge-group" {onclick}>
            <path class={edge.class()} d={edge.path.clone()}>
                <title>{ edge.label.clone() }</title>
            </path>
            <text class={classes!("edge-icon", edge.status.class())} x={edge.icon_x.to_string()}
                  y={edge.icon_y.to_string()}>{ edge.status.icon() }</text>
        </g>
    }
}
