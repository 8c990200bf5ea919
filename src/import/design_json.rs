//! vnetlab's own design format: typed parsing that reports a bad value by JSON path, line and
//! column, then structural validation.

use serde_json::{Deserializer, Value};
use serde_path_to_error::Segment;

use crate::model::{validate, Design};

use super::documents::message_of;
use super::node::member_path;
use super::{ImportSummary, InputFormat, LoadError, Loaded};

/// Whether a document is a design rather than Azure resources: an object with `schema_version`.
pub(crate) fn is_design(document: &Value) -> bool {
    document
        .as_object()
        .is_some_and(|object| object.contains_key("schema_version"))
}

/// Parses `text`, known to hold exactly one design document, and validates it. Validation
/// diagnostics point into the input, so their paths are prefixed with the source name.
pub(crate) fn load(text: &str, source: &str) -> Result<Loaded, LoadError> {
    let design: Design = parse_typed(text, source)?;
    let diagnostics = validate(&design)
        .into_iter()
        .map(|mut diagnostic| {
            diagnostic.path = format!("{source}: {}", diagnostic.path);
            diagnostic
        })
        .collect();
    let summary = ImportSummary::new(&design, Default::default());
    Ok(Loaded {
        design,
        format: InputFormat::Design,
        diagnostics,
        summary,
        sources: Vec::new(),
    })
}

/// Parses `text` as a `T` (a design, a lab file), reporting a bad value by JSON path, line and
/// column in `source`.
pub fn parse_typed<T: serde::de::DeserializeOwned>(
    text: &str,
    source: &str,
) -> Result<T, LoadError> {
    let mut deserializer = Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = json_path(error.path());
        let inner = error.inner();
        LoadError::at(source, None, path, message_of(inner))
            .with_position(inner.line(), inner.column())
    })
}

/// `$.virtual_networks[0].subnets[1].prefix` from serde_path_to_error's segments.
pub fn json_path(path: &serde_path_to_error::Path) -> String {
    let mut text = "$".to_string();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => text.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                text.push_str(&member_path(key))
            }
            Segment::Unknown => text.push_str("[?]"),
        }
    }
    text
}
