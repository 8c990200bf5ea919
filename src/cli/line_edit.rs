//! An edit of a text file as CI systems take it (a SARIF replacement): the lines to replace and
//! the text to put there, the smallest single such edit between two versions of the file.

/// Replace lines `start_line..=end_line` (1-based, without the last line's line break) with
/// `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineEdit {
    pub start_line: usize,
    pub end_line: usize,
    pub text: String,
}

/// The smallest single edit turning `original` into `edited`: the lines between their common
/// first and last lines. `None` when they are equal. The edit always replaces at least one
/// line with at least one, so a pure insertion or deletion takes a neighbouring line with it.
pub fn between(original: &str, edited: &str) -> Option<LineEdit> {
    if original == edited {
        return None;
    }
    let old: Vec<&str> = original.lines().collect();
    let new: Vec<&str> = edited.lines().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let room = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let (mut start, mut old_end, mut new_end) = (prefix, old.len() - suffix, new.len() - suffix);
    if start == old_end || start == new_end {
        if old_end < old.len() {
            old_end += 1;
            new_end += 1;
        } else if start > 0 {
            start -= 1;
        } else {
            return Some(LineEdit {
                start_line: 1,
                end_line: 1,
                text: edited.to_string(),
            });
        }
    }
    Some(LineEdit {
        start_line: start + 1,
        end_line: old_end,
        text: new[start..new_end].join("\n"),
    })
}
