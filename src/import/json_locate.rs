//! The JSON path of the place serde_json reported an error at, found by scanning the text up to
//! the error's line and column.
//!
//! Typed parsing reports a bad value by JSON path. A path-tracking deserializer would find it
//! while parsing, but it doubles every deserializer's code in the browser's wasm; serde_json
//! already says where it stopped, so the path is recovered from the text afterwards, and only
//! when parsing failed. The position is the last byte serde_json read: inside a scalar it names
//! that value, on a member's key (or between the key and its value) that member, and anywhere
//! else in an object or array (its brackets, commas, white space) the container itself —
//! which is where a missing field or a wrong length is reported.

use serde_json::error::Category;
use serde_json::Value;

use super::node::member_path;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// An array element.
    Index(usize),
    /// An object member.
    Key(String),
}

/// serde_path_to_error's path as segments, up to its first step of unknown kind (a key cut
/// short). The CLI tracks paths this way where there is no JSON text to scan (intents read from
/// TOML); in the browser's wasm it is absent.
#[cfg(not(target_arch = "wasm32"))]
pub fn tracked_segments(path: &serde_path_to_error::Path) -> Vec<PathSegment> {
    use serde_path_to_error::Segment;
    path.iter()
        .map_while(|segment| match segment {
            Segment::Seq { index } => Some(PathSegment::Index(*index)),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                Some(PathSegment::Key(key.clone()))
            }
            Segment::Unknown => None,
        })
        .collect()
}

/// `$.virtual_networks[0].subnets[1].prefix`.
pub fn json_path(segments: &[PathSegment]) -> String {
    let mut text = "$".to_string();
    for segment in segments {
        match segment {
            PathSegment::Index(index) => text.push_str(&format!("[{index}]")),
            PathSegment::Key(key) => text.push_str(&member_path(key)),
        }
    }
    text
}

/// The value at `segments` in `document`, if it has one there.
pub fn value_at<'v>(document: &'v Value, segments: &[PathSegment]) -> Option<&'v Value> {
    segments
        .iter()
        .try_fold(document, |value, segment| match segment {
            PathSegment::Index(index) => value.get(index),
            PathSegment::Key(key) => value.get(key),
        })
}

/// The path of the place in `text` where serde_json stopped with `error`: at its line and
/// column (counted in bytes, as serde_json counts them), or, when the text ended early, at its
/// end — the innermost value still open there. A position outside the document names the
/// document (`[]`).
pub fn error_path(text: &str, error: &serde_json::Error) -> Vec<PathSegment> {
    let trailer_is_element = error.classify() == Category::Data;
    if error.classify() == Category::Eof {
        return path_before(text, text.len(), trailer_is_element);
    }
    let line_start = match error.line() {
        0 | 1 => Some(0),
        line => text
            .match_indices('\n')
            .nth(line - 2)
            .map(|(newline, _)| newline + 1),
    };
    match line_start.and_then(|start| (start + error.column()).checked_sub(1)) {
        Some(last_read) => path_before(text, last_read, trailer_is_element),
        None => Vec::new(),
    }
}

/// The path open when the scan of `text` is about to read byte `target` (or the text's end).
fn path_before(text: &str, target: usize, trailer_is_element: bool) -> Vec<PathSegment> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
        target,
        path: Vec::new(),
        trailer_is_element,
    };
    match scanner.value() {
        Err(Reached) => scanner.path,
        // The document ended before the target (trailing characters): the document itself.
        Ok(()) => Vec::new(),
    }
}

/// The scan reached the target byte, the end of the text, or text that is not JSON (where
/// serde_json would have stopped too); [`Scanner::path`] is then the answer.
struct Reached;

struct Scanner<'t> {
    bytes: &'t [u8],
    at: usize,
    target: usize,
    path: Vec<PathSegment>,
    /// Whether an error between an array's element and the next (or its end) is the
    /// element's (a data error) rather than the array's (a syntax error, a text cut short).
    trailer_is_element: bool,
}

impl Scanner<'_> {
    /// The next byte, without consuming it.
    fn peek(&self) -> Result<u8, Reached> {
        self.bytes.get(self.at).copied().ok_or(Reached)
    }

    /// Consumes the next byte in the current path; reaching the target stops the scan here.
    fn take(&mut self) -> Result<u8, Reached> {
        let byte = self.peek()?;
        if self.at == self.target {
            return Err(Reached);
        }
        self.at += 1;
        Ok(byte)
    }

    fn expect(&mut self, byte: u8) -> Result<(), Reached> {
        if self.peek()? != byte {
            return Err(Reached);
        }
        self.take().map(drop)
    }

    fn skip_white_space(&mut self) -> Result<(), Reached> {
        while matches!(self.peek()?, b' ' | b'\t' | b'\n' | b'\r') {
            self.take()?;
        }
        Ok(())
    }

    fn value(&mut self) -> Result<(), Reached> {
        self.skip_white_space()?;
        match self.peek()? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string(),
            byte if byte == b'-' || byte.is_ascii_alphanumeric() => self.number_or_literal(),
            _ => Err(Reached),
        }
    }

    /// A number, `true`, `false` or `null`. A text that ends inside `true`, `false` or `null`
    /// ends in the value; one that ends after a whole value, in what holds it.
    fn number_or_literal(&mut self) -> Result<(), Reached> {
        let start = self.at;
        loop {
            match self.peek() {
                Ok(byte) if byte.is_ascii_alphanumeric() || b"+-.".contains(&byte) => {
                    self.take()?;
                }
                Ok(_) => return Ok(()),
                Err(reached) => {
                    let token = &self.bytes[start..];
                    let cut_literal = token.first().is_some_and(u8::is_ascii_alphabetic)
                        && !matches!(token, b"true" | b"false" | b"null");
                    return if cut_literal { Err(reached) } else { Ok(()) };
                }
            }
        }
    }

    fn string(&mut self) -> Result<(), Reached> {
        self.expect(b'"')?;
        loop {
            match self.take()? {
                b'"' => return Ok(()),
                b'\\' => {
                    self.take()?;
                }
                _ => {}
            }
        }
    }

    /// The key of the member starting here, unescaped, read without consuming it.
    fn peek_key(&self) -> Option<String> {
        let rest = self.bytes.get(self.at..)?;
        let mut escaped = false;
        let length = rest.iter().skip(1).position(|&byte| {
            let closes = byte == b'"' && !escaped;
            escaped = byte == b'\\' && !escaped;
            closes
        })?;
        serde_json::from_slice(&rest[..length + 2]).ok()
    }

    fn object(&mut self) -> Result<(), Reached> {
        self.expect(b'{')?;
        self.skip_white_space()?;
        if self.peek()? == b'}' {
            return self.take().map(drop);
        }
        loop {
            self.skip_white_space()?;
            let key = self.peek_key().ok_or(Reached)?;
            self.path.push(PathSegment::Key(key));
            self.string()?;
            let colon = self.skip_white_space().and_then(|()| self.expect(b':'));
            if colon.is_err() && self.at == self.bytes.len() {
                // A text that ends before a member's value ends in the object.
                self.path.pop();
            }
            colon?;
            self.value()?;
            self.path.pop();
            self.skip_white_space()?;
            match self.take()? {
                b',' => continue,
                b'}' => return Ok(()),
                _ => return Err(Reached),
            }
        }
    }

    /// What follows an element, up to the next one or the closing bracket, is the element's
    /// when [`Scanner::trailer_is_element`]: serde_json places an error found after reading an
    /// element whole (an untagged enum, a value buffered before it is typed) past it.
    fn array(&mut self) -> Result<(), Reached> {
        self.expect(b'[')?;
        self.skip_white_space()?;
        if self.peek()? == b']' {
            return self.take().map(drop);
        }
        for index in 0.. {
            self.path.push(PathSegment::Index(index));
            self.value()?;
            if !self.trailer_is_element {
                self.path.pop();
            }
            let more = self.after_element()?;
            if self.trailer_is_element {
                self.path.pop();
            }
            if !more {
                break;
            }
        }
        Ok(())
    }

    /// Reads what follows an array's element: `true` when another element follows.
    fn after_element(&mut self) -> Result<bool, Reached> {
        self.skip_white_space()?;
        match self.take()? {
            b',' => self.skip_white_space().map(|()| true),
            b']' => Ok(false),
            _ => Err(Reached),
        }
    }
}
