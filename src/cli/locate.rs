//! Where a JSON path (`$.computes[3].nic.subnet`, `$["odd key"]`) points in a JSON text: its
//! line, for report locations that CI systems show on the pull request's diff, and the byte
//! spans of values and object members, for edits that keep the rest of the text as written.
//! A small scanner that skips what the path does not enter, so it needs no parse tree with
//! positions.

use std::ops::Range;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Member(String),
    Index(usize),
}

/// One member of an object in the text: where its key starts, where its value is, and where
/// the comma after it is, if one follows.
#[derive(Debug)]
pub struct MemberSpan {
    pub key: String,
    pub key_start: usize,
    pub value: Range<usize>,
    pub comma: Option<usize>,
}

/// The byte range of the value at `segments` in `text`.
pub fn value_span(text: &str, segments: &[Segment]) -> Option<Range<usize>> {
    let mut cursor = Cursor { text, position: 0 };
    let start = cursor.find(segments)?;
    cursor.skip_value()?;
    Some(start..cursor.position)
}

/// The byte ranges of the items of the array starting at `open` (its `[`), and the position of
/// its closing `]`.
pub fn array_items(text: &str, open: usize) -> Option<(Vec<Range<usize>>, usize)> {
    let mut cursor = Cursor {
        text,
        position: open,
    };
    cursor.expect(b'[')?;
    let mut items = Vec::new();
    loop {
        cursor.skip_whitespace();
        match cursor.peek()? {
            b']' => return Some((items, cursor.position)),
            b',' => cursor.position += 1,
            _ => {
                let start = cursor.position;
                cursor.skip_value()?;
                items.push(start..cursor.position);
            }
        }
    }
}

/// The members of the object starting at `open` (its `{`), in order, and the position of its
/// closing `}`.
pub fn object_members(text: &str, open: usize) -> Option<(Vec<MemberSpan>, usize)> {
    let mut cursor = Cursor {
        text,
        position: open,
    };
    cursor.expect(b'{')?;
    let mut members = Vec::new();
    loop {
        cursor.skip_whitespace();
        if cursor.peek()? == b'}' {
            return Some((members, cursor.position));
        }
        let key_start = cursor.position;
        let key = cursor.string()?;
        cursor.expect(b':')?;
        cursor.skip_whitespace();
        let value_start = cursor.position;
        cursor.skip_value()?;
        let value = value_start..cursor.position;
        cursor.skip_whitespace();
        let comma = (cursor.peek()? == b',').then_some(cursor.position);
        if comma.is_some() {
            cursor.position += 1;
        }
        members.push(MemberSpan {
            key,
            key_start,
            value,
            comma,
        });
    }
}

/// The 1-based line where the value at `path` starts in `text`; `None` when the path is not
/// in the text (or not a path).
pub fn line_of(text: &str, path: &str) -> Option<usize> {
    let segments = parse_path(path)?;
    let mut cursor = Cursor { text, position: 0 };
    let position = cursor.find(&segments)?;
    Some(text[..position].matches('\n').count() + 1)
}

fn parse_path(path: &str) -> Option<Vec<Segment>> {
    let mut rest = path.strip_prefix('$')?;
    let mut segments = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            segments.push(Segment::Member(after[..end].to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("[\"") {
            // A quoted member: a JSON string up to the closing `"]`.
            let mut cursor = Cursor {
                text: rest,
                position: 1,
            };
            let member = cursor.string()?;
            segments.push(Segment::Member(member));
            rest = after.get(cursor.position - 2..)?.strip_prefix(']')?;
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            segments.push(Segment::Index(after[..end].parse().ok()?));
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(segments)
}

struct Cursor<'a> {
    text: &'a str,
    position: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.position).copied()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.position += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_whitespace();
        (self.peek()? == byte).then(|| self.position += 1)
    }

    /// Reads the JSON string starting at the cursor, decoded.
    fn string(&mut self) -> Option<String> {
        let start = self.position;
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.position += 2,
                b'"' => {
                    self.position += 1;
                    break;
                }
                _ => self.position += 1,
            }
        }
        serde_json::from_str(self.text.get(start..self.position)?).ok()
    }

    fn skip_value(&mut self) -> Option<()> {
        self.skip_whitespace();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.position += 1;
                loop {
                    self.skip_whitespace();
                    match self.peek()? {
                        b if b == close => {
                            self.position += 1;
                            return Some(());
                        }
                        b',' | b':' => self.position += 1,
                        _ => self.skip_value()?,
                    }
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b']' | b'}') && !b.is_ascii_whitespace())
                {
                    self.position += 1;
                }
                Some(())
            }
        }
    }

    /// The position where the value at `segments` (relative to the cursor) starts.
    fn find(&mut self, segments: &[Segment]) -> Option<usize> {
        self.skip_whitespace();
        let Some((first, rest)) = segments.split_first() else {
            return Some(self.position);
        };
        match first {
            Segment::Member(wanted) => {
                self.expect(b'{')?;
                loop {
                    let key = self.string()?;
                    self.expect(b':')?;
                    if &key == wanted {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    self.expect(b',')?;
                }
            }
            Segment::Index(wanted) => {
                self.expect(b'[')?;
                for _ in 0..*wanted {
                    self.skip_value()?;
                    self.expect(b',')?;
                }
                self.skip_whitespace();
                if self.peek()? == b']' {
                    return None;
                }
                self.find(rest)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"odd \\\"key\": {\n    \"c\": [\n      true,\n      null\n    ]\n  }\n}";

    #[test]
    fn paths_resolve_to_the_line_of_their_value() {
        assert_eq!(line_of(TEXT, "$"), Some(1));
        assert_eq!(line_of(TEXT, "$.a[1].b"), Some(2));
        assert_eq!(line_of(TEXT, "$[\"odd \\\"key\"].c[1]"), Some(6));
        assert_eq!(line_of(TEXT, "$[\"odd \\\"key\"].c"), Some(4));
        assert_eq!(line_of(TEXT, "$.a[2]"), None);
        assert_eq!(line_of("{\"e\": []}", "$.e[0]"), None);
        assert_eq!(line_of(TEXT, "$.missing"), None);
        assert_eq!(line_of(TEXT, "no path"), None);
    }
}
