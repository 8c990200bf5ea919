//! Text measurement without a browser: the advance widths of DejaVu Sans (the widest common
//! sans-serif, Debian's default, and what headless Chromium draws with here), so a label that
//! fits by this measure fits in any narrower system font too. The layout sizes boxes with it
//! and shortens what does not fit with an ellipsis; the full text stays in the node's tooltip.

/// Advance width of `c` in em (DejaVu Sans Book; bold is scaled by [`BOLD`]).
fn advance(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '\'' | '|' => 0.28,
        'f' | 't' | 'r' => 0.42,
        ' ' | '.' | ',' | ':' | ';' | '!' | '·' => 0.32,
        '-' | '/' | '\\' | '(' | ')' | '[' | ']' | '{' | '}' => 0.4,
        'm' => 0.98,
        'w' => 0.82,
        'a'..='z' => 0.64,
        'I' | 'J' => 0.32,
        'M' | 'W' => 0.99,
        'A'..='Z' => 0.77,
        '0'..='9' => 0.64,
        '_' | '*' | '+' | '=' | '<' | '>' | '#' | '$' | '?' | '"' => 0.84,
        '%' | '&' | '@' => 1.0,
        // Arrows, markers and other symbols: assume a full em.
        _ => 1.0,
    }
}

/// Bold text is about 8 % wider than Book in DejaVu Sans.
const BOLD: f64 = 1.08;

/// The width of `text` at `size` CSS px.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = text.chars().map(advance).sum();
    em * size * if bold { BOLD } else { 1.0 }
}

/// `text` shortened with "…" to fit `max_width` at `size` px (unchanged when it fits).
pub fn ellipsize(text: &str, max_width: f64, size: f64, bold: bool) -> String {
    if text_width(text, size, bold) <= max_width {
        return text.to_string();
    }
    let scale = size * if bold { BOLD } else { 1.0 };
    let budget = max_width - advance('…') * scale;
    let mut width = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        width += advance(c) * scale;
        if width > budget {
            break;
        }
        out.push(c);
    }
    let trimmed = out.trim_end();
    format!("{trimmed}…")
}
