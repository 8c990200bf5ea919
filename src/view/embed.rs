//! Links into the app: the page query (`?embed=1&flow=<id>`), the state a page starts in when
//! its link names a flow, and what the share dialog copies (the share link, the embed link and
//! an `<iframe>` snippet). Pure string work on the page address `ui::browser` reads.

use crate::model::Design;

use super::share;
use super::startup::Startup;
use super::state::{apply, Action, AppState};

/// The embed size the snippet proposes; the embed lays out down to 640×400.
const SNIPPET_WIDTH: u32 = 800;
const SNIPPET_HEIGHT: u32 = 500;

/// What the query string of the page asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageQuery {
    /// `embed=1` (or `embed=true`): the compact read-only layout.
    pub embed: bool,
    /// `flow=<id>`: the flow whose trace opens on load.
    pub flow: Option<String>,
}

/// Reads `?embed=1&flow=<id>` (with or without the `?`); other parameters are ignored.
pub fn parse_query(search: &str) -> PageQuery {
    let mut query = PageQuery::default();
    for pair in search.trim_start_matches('?').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "embed" => query.embed = matches!(value, "1" | "true"),
            "flow" if !value.is_empty() => query.flow = Some(percent_decode(value)),
            _ => {}
        }
    }
    query
}

/// The first state of the page ([`AppState::start`]) with the trace of `flow` open; a flow the
/// design does not have is reported in the banner and the design is shown without it.
pub fn start(startup: Startup, flow: Option<&str>) -> AppState {
    let state = AppState::start(startup);
    let Some(flow) = flow else {
        return state;
    };
    if state.evaluation.find(flow).is_some() {
        return apply(state, Action::Select(Some(flow.to_string())));
    }
    let missing =
        format!("the link opens the flow \u{201c}{flow}\u{201d}, which this design does not have");
    let message = match &state.error {
        Some(error) => format!("{error}; {missing}"),
        None => missing,
    };
    apply(state, Action::ShowError(message))
}

/// The share link: the page address (origin and path, no query or fragment) with the design
/// in the fragment, opening the trace of `flow` when given.
pub fn share_link(page: &str, design: &Design, flow: Option<&str>) -> String {
    link(page, design, false, flow)
}

/// The address of the embed of `design`, opening the trace of `flow` when given.
pub fn embed_link(page: &str, design: &Design, flow: Option<&str>) -> String {
    link(page, design, true, flow)
}

fn link(page: &str, design: &Design, embed: bool, flow: Option<&str>) -> String {
    let parameters: Vec<String> = embed
        .then(|| "embed=1".to_string())
        .into_iter()
        .chain(flow.map(|id| format!("flow={}", percent_encode(id))))
        .collect();
    let query = if parameters.is_empty() {
        String::new()
    } else {
        format!("?{}", parameters.join("&"))
    };
    format!("{page}{query}#{}", share::encode_fragment(design))
}

/// An `<iframe>` for a wiki page showing the embed of `design` (see [`embed_link`]); the
/// design's name is its title, escaped.
pub fn embed_snippet(page: &str, design: &Design, flow: Option<&str>) -> String {
    format!(
        "<iframe src=\"{}\" width=\"{SNIPPET_WIDTH}\" height=\"{SNIPPET_HEIGHT}\" \
         title=\"vnetlab: {}\" loading=\"lazy\" referrerpolicy=\"no-referrer\"></iframe>",
        escape_attribute(&embed_link(page, design, flow)),
        escape_attribute(&design.name)
    )
}

fn escape_attribute(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Percent-encodes every byte but RFC 3986's unreserved characters.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            byte => format!("%{byte:02X}"),
        })
        .collect()
}

/// Decodes `%XX` escapes and `+` (a space in a query); malformed escapes stay as written, and
/// bytes that are not UTF-8 become U+FFFD.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (byte, None) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_coding_round_trips_any_text() {
        for text in ["ci → storage tcp/443", "a&b=c#d?e%f+g", "", "é"] {
            let encoded = percent_encode(text);
            assert!(encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
            assert_eq!(percent_decode(&encoded), text);
        }
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz+x"), "%zz x");
    }
}
