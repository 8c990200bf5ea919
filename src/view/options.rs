//! The semantics options panel: every [`OPTION_INFO`] entry with the design's current value and
//! the control that edits it (a checkbox for a yes/no option, a select for the storage endpoint
//! scope, a number for limits). Values go through the options' JSON form, so every key of
//! `EvaluationOptions` is covered without a hand-written match.

use crate::model::json_value::{from_json_value, to_json_value};
use serde_json::Value;

use crate::model::{EvaluationOptions, OptionInfo, OPTION_INFO};

/// The choices of `storage_endpoint_scope`, as serialised.
pub const STORAGE_ENDPOINT_SCOPES: [&str; 2] = ["same_region", "same_region_and_paired"];

/// How an option is edited, with its current value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionControl {
    Bool(bool),
    Choice {
        value: String,
        choices: &'static [&'static str],
    },
    Number(u64),
}

/// One option as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionRow {
    pub info: OptionInfo,
    pub control: OptionControl,
    /// Whether the value differs from the default (the documents' suggestion).
    pub changed: bool,
}

fn as_object(options: &EvaluationOptions) -> serde_json::Map<String, Value> {
    match to_json_value(options) {
        Ok(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

/// Every option of `options`, in `OPTION_INFO` order.
pub fn option_rows(options: &EvaluationOptions) -> Vec<OptionRow> {
    let values = as_object(options);
    let defaults = as_object(&EvaluationOptions::default());
    OPTION_INFO
        .iter()
        .map(|info| {
            let value = values.get(info.key).cloned().unwrap_or(Value::Null);
            let control = match &value {
                Value::Bool(on) => OptionControl::Bool(*on),
                Value::Number(n) => OptionControl::Number(n.as_u64().unwrap_or_default()),
                other => OptionControl::Choice {
                    value: other.as_str().unwrap_or_default().to_string(),
                    choices: &STORAGE_ENDPOINT_SCOPES,
                },
            };
            OptionRow {
                info: *info,
                control,
                changed: defaults.get(info.key) != Some(&value),
            }
        })
        .collect()
}

/// `options` with `key` set from `text`, read as the option's type.
pub fn set_option(
    options: &EvaluationOptions,
    key: &str,
    text: &str,
) -> Result<EvaluationOptions, String> {
    let mut values = as_object(options);
    let text = text.trim();
    let current = values
        .get(key)
        .ok_or_else(|| format!("there is no semantics option named {key}"))?;
    let value = match current {
        Value::Bool(_) => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(format!("{key} is true or false")),
        },
        Value::Number(_) => match text.parse::<u32>() {
            Ok(n) if n > 0 => Value::from(n),
            _ => return Err(format!("{key} is a whole number above 0")),
        },
        _ => Value::String(text.to_string()),
    };
    values.insert(key.to_string(), value);
    from_json_value(&Value::Object(values)).map_err(|_| format!("`{text}` is not a value of {key}"))
}
