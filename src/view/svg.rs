//! The diagram exported as a standalone SVG file: the same [`Scene`] the page draws (nodes,
//! peerings, aggregated edges with their badges, the selected flow), with a legend under it, an
//! embedded stylesheet (the file is viewed without the app's CSS) and every name XML-escaped.
//! Labels are the scene's shortened ones, so none is clipped; full names are in `<title>`s.

use std::fmt::Write;

use super::diagram::text::text_width;
use super::diagram::{layout, LayoutOptions, Scene, Selection, DEFAULT_WIDTH, LEGEND_KINDS};
use super::evaluation::Status;
use super::state::AppState;

const STYLE: &str =
    "text{font-family:system-ui,'DejaVu Sans',sans-serif;font-size:11px;fill:#1b2430}\
.label{font-size:12px;font-weight:600}rect{fill:#fff;stroke:#5b6675}\
.node-vnet{fill:#eef3f9;stroke:#0b5cad}.node-subnet{fill:#fbfcfe;stroke:#8aa4c2}\
.node-group{fill:#f6f6f6;stroke:#9aa3ad;stroke-dasharray:5 3}\
.node-sink{fill:#fdecea;stroke:#b42318}.node-firewall,.node-lb{fill:#fff4e5}\
.current{stroke:#6a3fc9;stroke-width:4}.on-path{stroke:#0b5cad;stroke-width:2.5}\
.edge{fill:none;stroke-width:2}.edge-passes{stroke:#1a7f37;opacity:.7}\
.edge-fails{stroke:#b54708;stroke-dasharray:6 4}.edge-exfil-open{stroke:#b42318;stroke-width:4}\
.edge-exfil-closed{stroke:#8a94a3;stroke-dasharray:3 4}.edge-selected{stroke-width:4.5}\
.peering{fill:none;stroke:#0b5cad;stroke-width:2;stroke-dasharray:2 3}\
.flow-path{fill:none;stroke:#0b5cad;stroke-width:3}\
.badge{font-size:11px;font-weight:700}.badge-bg{fill:#fff;stroke:none;opacity:.9}";

/// The diagram as the app shows it — the drawn flows (closed paths and traced flows
/// included), the collapsed VNets and groups, the selected flow at its step — at the default
/// width, as an SVG document.
pub fn export(state: &AppState) -> String {
    let evaluation = state.drawn_evaluation();
    let design = &evaluation.analysed;
    let selection = state.selected.as_deref().map(|flow_id| Selection {
        flow_id,
        step: state.step,
    });
    let mut options = LayoutOptions::opening(design, DEFAULT_WIDTH);
    if let Some(collapsed) = &state.diagram_collapsed {
        options.collapsed = collapsed.clone();
    }
    render(&layout(design, &evaluation, selection, &options))
}

/// The scene as an SVG document.
pub fn render(scene: &Scene) -> String {
    let mut out = String::new();
    let legend = legend_lines(scene);
    let (w, h) = (scene.width, scene.height + 18 * legend.len() as i32 + 8);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><title>{}</title><style>{STYLE}</style><rect x="0" y="0" width="{w}" height="{h}" style="fill:#fff;stroke:none"/>"#,
        escape(&scene.title)
    );
    for node in scene.nodes.iter().filter(|n| n.container) {
        write_node(&mut out, node);
    }
    for link in &scene.links {
        let _ = write!(
            out,
            r#"<path class="peering" d="{}"><title>{}</title></path>"#,
            link.path,
            escape(&link.title)
        );
    }
    for edge in &scene.edges {
        let _ = write!(
            out,
            r#"<path class="{}" d="{}"><title>{}</title></path>"#,
            edge.class(),
            edge.path,
            escape(&edge.title)
        );
    }
    for node in scene.nodes.iter().filter(|n| !n.container) {
        write_node(&mut out, node);
    }
    if let Some(path) = &scene.selected_path {
        let _ = write!(out, r#"<path class="flow-path" d="{}"/>"#, path.path);
    }
    for edge in scene.edges.iter().filter(|e| !e.badge.is_empty()) {
        let (width, _) = super::diagram::edges::badge_size(&edge.badge);
        let _ = write!(
            out,
            r#"<rect class="badge-bg" x="{}" y="{}" width="{width}" height="15" rx="3"/><text class="badge" x="{}" y="{}" text-anchor="middle" style="fill:{}">{}</text>"#,
            edge.label_x - width / 2,
            edge.label_y - 8,
            edge.label_x,
            edge.label_y + 4,
            status_colour(edge.status),
            escape(&edge.badge)
        );
    }
    write_legend(&mut out, scene, &legend);
    out.push_str("</svg>");
    out
}

fn write_node(out: &mut String, node: &super::diagram::Node) {
    let mut class = node.kind.class().to_string();
    if node.on_path {
        class.push_str(" on-path");
    }
    if node.current {
        class.push_str(" current");
    }
    let (text_x, text_y) = node.text_origin();
    let marker = if node.collapsed {
        "▸ "
    } else if node.kind.marker().is_empty() {
        ""
    } else {
        node.kind.marker()
    };
    let spacer = if marker.is_empty() || marker.ends_with(' ') {
        ""
    } else {
        " "
    };
    let _ = write!(
        out,
        r#"<g><title>{}</title><rect class="{class}" x="{}" y="{}" width="{}" height="{}" rx="6"/><text class="label" x="{text_x}" y="{text_y}">{marker}{spacer}{}</text>"#,
        escape(&node.title()),
        node.x,
        node.y,
        node.w,
        node.h,
        escape(&node.shown_label)
    );
    if !node.shown_detail.is_empty() {
        let _ = write!(
            out,
            r#"<text x="{text_x}" y="{}">{}</text>"#,
            text_y + 15,
            escape(&node.shown_detail)
        );
    }
    out.push_str("</g>");
}

fn status_colour(status: Status) -> &'static str {
    match status {
        Status::Passes => "#1a7f37",
        Status::Fails => "#b54708",
        Status::ExfiltrationOpen => "#b42318",
        Status::ExfiltrationClosed => "#5b6675",
    }
}

/// The legend's lines: the element kinds wrapped to the scene's width, the edge styles, a note.
fn legend_lines(scene: &Scene) -> Vec<Vec<(&'static str, String)>> {
    let room = f64::from(scene.width - 32);
    let mut lines: Vec<Vec<(&'static str, String)>> = vec![Vec::new()];
    let mut used = 0.0;
    for kind in LEGEND_KINDS {
        let item = format!("{} {}", kind.marker(), kind.noun());
        let width = text_width(&item, 11.0, false) + 16.0;
        if used + width > room && used > 0.0 {
            lines.push(Vec::new());
            used = 0.0;
        }
        used += width;
        lines.last_mut().expect("a line").push(("#1b2430", item));
    }
    lines.push(
        [
            ("#1a7f37", "━ ✓ working flow"),
            ("#b54708", "┅ ✗ broken required flow"),
            ("#b42318", "━ ✗ open exfiltration path"),
            ("#5b6675", "┅ ✓ closed path"),
            ("#0b5cad", "┈ VNet peering"),
        ]
        .into_iter()
        .map(|(colour, text)| (colour, text.to_string()))
        .collect(),
    );
    lines.push(vec![(
        "#1b2430",
        "Numbers on edges count flows (✗ 2/5: two of five are problems). The analysis adds the attacker sinks and the Azure services the design does not model.".to_string(),
    )]);
    lines
}

fn write_legend(out: &mut String, scene: &Scene, lines: &[Vec<(&'static str, String)>]) {
    for (row, line) in lines.iter().enumerate() {
        let y = scene.height + 16 + 18 * row as i32;
        let mut x = 16.0;
        for (colour, text) in line {
            let _ = write!(
                out,
                r#"<text x="{x:.0}" y="{y}" style="fill:{colour}">{}</text>"#,
                escape(text)
            );
            x += text_width(text, 11.0, false) + 16.0;
        }
    }
}

/// Escapes text for XML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
