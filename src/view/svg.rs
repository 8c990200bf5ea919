//! The diagram exported as a standalone SVG file: the same [`Scene`] the page draws, with an
//! embedded stylesheet (the file is viewed without app.css) and every name XML-escaped.

use std::fmt::Write;

use super::diagram::Scene;

const STYLE: &str = "text{font-family:system-ui,sans-serif;font-size:11px;fill:#1b2430}\
.node-vnet{fill:#eef3f9;stroke:#0b5cad}.node-subnet{fill:#fff;stroke:#8aa4c2}\
.node-group{fill:#f6f6f6;stroke:#9aa3ad;stroke-dasharray:5 3}\
.node-sink{fill:#fdecea;stroke:#b42318}rect{fill:#fff;stroke:#5b6675}\
.current{stroke:#ffb300;stroke-width:4}.on-path{stroke-width:2.5}\
.edge{fill:none;stroke-width:1.5;opacity:.6}.edge-good{stroke:#1a7f37}.edge-bad{stroke:#b42318}\
.edge-exfil{stroke:#b54708;stroke-width:3;opacity:.9}.edge-blocked{stroke-dasharray:5 4}\
.edge-selected{stroke-width:4;opacity:1}";

/// The scene as an SVG document.
pub fn render(scene: &Scene) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><title>{title}</title><style>{STYLE}</style>"#,
        w = scene.width,
        h = scene.height,
        title = escape(&scene.title)
    );
    for node in &scene.nodes {
        let mut class = node.kind.class().to_string();
        if node.on_path {
            class.push_str(" on-path");
        }
        if node.current {
            class.push_str(" current");
        }
        let _ = write!(
            out,
            r#"<g><rect class="{class}" x="{}" y="{}" width="{}" height="{}" rx="6"/>"#,
            node.x, node.y, node.w, node.h
        );
        let (text_x, text_y) = if node.kind.is_container() {
            (node.x + 8, node.y + 16)
        } else {
            (node.x + 6, node.y + 15)
        };
        let _ = write!(
            out,
            r#"<text x="{text_x}" y="{text_y}">{} {}</text>"#,
            node.kind.marker(),
            escape(&node.label)
        );
        if !node.detail.is_empty() {
            let _ = write!(
                out,
                r#"<text x="{text_x}" y="{}">{}</text>"#,
                text_y + 14,
                escape(&node.detail)
            );
        }
        out.push_str("</g>");
    }
    for edge in &scene.edges {
        let _ = write!(
            out,
            r#"<path class="{}" d="{}"><title>{}</title></path><text x="{}" y="{}">{}</text>"#,
            edge.class(),
            edge.path,
            escape(&edge.label),
            edge.icon_x,
            edge.icon_y,
            edge.status.icon()
        );
    }
    out.push_str("</svg>");
    out
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
