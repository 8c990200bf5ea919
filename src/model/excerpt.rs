//! Values quoted in messages are cut to [`EXCERPT_CHARS`] characters with their full length, so
//! a megabyte-long bad value never becomes a megabyte-long error line. Diagnostics apply it to
//! their element, and to every quoted value (between backticks or double quotes) of their path
//! and message, so no message site can forget it.

/// Characters of a value quoted in a message.
pub const EXCERPT_CHARS: usize = 120;

/// `text` as quoted in a message: whole when short, else its start, `…` and its length. An
/// excerpt stays as it is, so messages built from excerpts can be cut again.
pub fn excerpt(text: &str) -> String {
    let length = text.chars().count();
    if length <= EXCERPT_CHARS || is_excerpt(text) {
        text.to_string()
    } else {
        let start: String = text.chars().take(EXCERPT_CHARS).collect();
        format!("{start}… ({length} characters)")
    }
}

fn is_excerpt(text: &str) -> bool {
    text.strip_suffix(" characters)")
        .and_then(|rest| rest.rsplit_once("… ("))
        .is_some_and(|(start, length)| {
            start.chars().count() == EXCERPT_CHARS && length.parse::<usize>().is_ok()
        })
}

/// `message` with every value quoted between backticks or double quotes cut by [`excerpt`].
pub fn excerpt_quoted(message: &str) -> String {
    if message.chars().count() <= EXCERPT_CHARS {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len().min(4 * EXCERPT_CHARS));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = &rest[open..=open];
        out.push_str(&rest[..=open]);
        let inside = &rest[open + 1..];
        match inside.find(quote) {
            Some(close) => {
                out.push_str(&excerpt(&inside[..close]));
                out.push_str(quote);
                rest = &inside[close + 1..];
            }
            None => {
                out.push_str(&excerpt(inside));
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}
