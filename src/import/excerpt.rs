//! Values quoted in messages are cut to [`EXCERPT_CHARS`] characters with their full length, so
//! a megabyte-long bad value never becomes a megabyte-long error line.

/// Characters of a value quoted in a message.
pub const EXCERPT_CHARS: usize = 120;

/// `text` as quoted in a message: whole when short, else its start, `…` and its length.
pub fn excerpt(text: &str) -> String {
    let length = text.chars().count();
    if length <= EXCERPT_CHARS {
        text.to_string()
    } else {
        let start: String = text.chars().take(EXCERPT_CHARS).collect();
        format!("{start}… ({length} characters)")
    }
}
