//! vnetlab's own design format: typed parsing that reports a bad value by JSON path, line and
//! column, then structural validation.

use crate::model::json_value::to_pretty_json;
use serde_json::Value;

use crate::model::{validate, Design};

use super::documents::message_of;
use super::json_locate::{error_path, json_path, value_at};
use super::{ImportSummary, InputFormat, LoadError, Loaded};

/// Whether `text` is exactly one JSON object with a `schema_version` member: a single design
/// document, told without building its value (the design is then parsed once, typed).
pub(crate) fn is_single_design(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        schema_version: Option<serde::de::IgnoredAny>,
    }
    text.trim_start().starts_with('{')
        && serde_json::from_str::<Probe>(text).is_ok_and(|probe| probe.schema_version.is_some())
}

/// Whether a document is a design rather than Azure resources: an object with `schema_version`.
pub(crate) fn is_design(document: &Value) -> bool {
    document
        .as_object()
        .is_some_and(|object| object.contains_key("schema_version"))
}

/// A design as vnetlab writes design files: pretty JSON with a final line break.
pub fn design_text(design: &Design) -> String {
    to_pretty_json(design).unwrap_or_default() + "\n"
}

/// `text` as a design when it is exactly one well-typed design document, parsed in one pass
/// (a design requires `schema_version`, so nothing else parses as one); `None` for anything
/// else, which [`is_single_design`] and [`load`] then tell and report as before. The common
/// case, a valid design file, is so read once instead of probed and then parsed.
pub(crate) fn parse_well_typed(text: &str) -> Option<Design> {
    serde_json::from_str(text).ok()
}

/// Parses `text`, known to hold exactly one design document, and validates it. Validation
/// diagnostics point into the input, so their paths are prefixed with the source name.
pub(crate) fn load(text: &str, source: &str) -> Result<Loaded, LoadError> {
    Ok(validated(parse_typed(text, source)?, source))
}

/// `design`, read from `source`, with its validation diagnostics.
pub(crate) fn validated(design: Design, source: &str) -> Loaded {
    let diagnostics = validate(&design)
        .into_iter()
        .map(|mut diagnostic| {
            diagnostic.path = format!("{source}: {}", diagnostic.path);
            diagnostic
        })
        .collect();
    let summary = ImportSummary::new(&design, Default::default());
    Loaded {
        design,
        format: InputFormat::Design,
        diagnostics,
        summary,
        sources: Vec::new(),
    }
}

/// Parses `text` as a `T` (a design, a lab file), reporting a bad value by JSON path, line and
/// column in `source`, in the user's terms. The path is found from serde_json's error position
/// ([`error_path`]), so parsing is plain serde_json whether or not the text is valid.
pub fn parse_typed<T: serde::de::DeserializeOwned>(
    text: &str,
    source: &str,
) -> Result<T, LoadError> {
    let error = match serde_json::from_str(text) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let path = error_path(text, &error);
    let found = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|document| value_at(&document, &path).cloned());
    Err(LoadError::at(
        source,
        None,
        json_path(&path),
        in_user_terms(&message_of(&error), found.as_ref()),
    )
    .with_position(error.line(), error.column()))
}

/// serde's wording in the user's: "invalid type: string "x", expected u32" becomes "expected a
/// whole number from 0 to 4294967295, found a string "x""; serde_json's bare "expected value"
/// (a name that is not a string) says what was found.
fn in_user_terms(message: &str, found: Option<&Value>) -> String {
    let found_text = |value: &Value| {
        // Messages cut long quoted values themselves (`LoadError`).
        let text = value.to_string();
        match value {
            Value::Null => "null".to_string(),
            Value::Bool(_) => format!("a bool `{text}`"),
            Value::Number(_) => format!("the number {text}"),
            Value::String(_) => format!("a string {text}"),
            Value::Array(_) => "an array".to_string(),
            Value::Object(_) => "an object".to_string(),
        }
    };
    if message == "expected value" {
        return match found {
            Some(value) => format!(
                "expected one of the names this field accepts (a string), found {}",
                found_text(value)
            ),
            None => message.to_string(),
        };
    }
    let Some((actual, expected)) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .and_then(|rest| rest.rsplit_once(", expected "))
    else {
        return message.to_string();
    };
    let expected = match expected {
        "u8" => "a whole number from 0 to 255".to_string(),
        "u16" => "a whole number from 0 to 65535".to_string(),
        "u32" => "a whole number from 0 to 4294967295".to_string(),
        "u64" | "usize" => "a whole number from 0".to_string(),
        "a sequence" => "an array".to_string(),
        "a map" | "map" => "an object".to_string(),
        "a boolean" => "a bool (true or false)".to_string(),
        other => other.to_string(),
    };
    let actual = match found {
        Some(value) => found_text(value),
        None => actual.to_string(),
    };
    format!("expected {expected}, found {actual}")
}
