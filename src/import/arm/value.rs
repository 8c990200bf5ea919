//! ARM values are JSON values; this file holds what the function library needs to read them:
//! type names for messages, typed argument access, string conversion as `string()` and
//! `concat` do it, and placeholders — values vnetlab cannot know (secrets from `listKeys`,
//! run-time state) that stand in without changing networking.

use serde_json::{Map, Value};

use super::error::EvalError;

/// Placeholders are strings with this prefix; member access and indexing on one yield it again,
/// so `listKeys(...).keys[0].value` stays one placeholder.
const PLACEHOLDER_PREFIX: &str = "<unevaluated ";

/// A placeholder naming what it stands for.
pub(super) fn placeholder(what: &str) -> Value {
    Value::String(format!("{PLACEHOLDER_PREFIX}{what}>"))
}

pub(super) fn is_placeholder(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.starts_with(PLACEHOLDER_PREFIX))
}

/// "a string", "an array"…, for messages.
pub(super) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "an int",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The `index`-th argument of a function, or an error naming the function.
pub(super) fn argument<'v>(
    function: &str,
    arguments: &'v [Value],
    index: usize,
) -> Result<&'v Value, EvalError> {
    arguments.get(index).ok_or_else(|| {
        EvalError::invalid(format!(
            "`{function}` needs at least {} argument(s), but has {}",
            index + 1,
            arguments.len()
        ))
    })
}

/// Checks the argument count is within `min..=max`.
pub(super) fn arity(
    function: &str,
    arguments: &[Value],
    min: usize,
    max: usize,
) -> Result<(), EvalError> {
    if arguments.len() < min || arguments.len() > max {
        let wanted = if min == max {
            format!("{min}")
        } else if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        return Err(EvalError::invalid(format!(
            "`{function}` takes {wanted} argument(s), but has {}",
            arguments.len()
        )));
    }
    Ok(())
}

pub(super) fn string_argument<'v>(
    function: &str,
    arguments: &'v [Value],
    index: usize,
) -> Result<&'v str, EvalError> {
    let value = argument(function, arguments, index)?;
    value
        .as_str()
        .ok_or_else(|| wrong_type(function, index, "a string", value))
}

pub(super) fn int_argument(
    function: &str,
    arguments: &[Value],
    index: usize,
) -> Result<i64, EvalError> {
    let value = argument(function, arguments, index)?;
    as_int(value).ok_or_else(|| wrong_type(function, index, "an int", value))
}

pub(super) fn bool_argument(
    function: &str,
    arguments: &[Value],
    index: usize,
) -> Result<bool, EvalError> {
    let value = argument(function, arguments, index)?;
    value
        .as_bool()
        .ok_or_else(|| wrong_type(function, index, "a bool", value))
}

pub(super) fn array_argument<'v>(
    function: &str,
    arguments: &'v [Value],
    index: usize,
) -> Result<&'v Vec<Value>, EvalError> {
    let value = argument(function, arguments, index)?;
    value
        .as_array()
        .ok_or_else(|| wrong_type(function, index, "an array", value))
}

pub(super) fn wrong_type(function: &str, index: usize, wanted: &str, found: &Value) -> EvalError {
    EvalError::invalid(format!(
        "argument {} of `{function}` must be {wanted}, but is {}",
        index + 1,
        type_name(found)
    ))
}

/// An integer (JSON numbers ARM accepts as ints: whole numbers in `i64`).
pub(super) fn as_int(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    })
}

/// The text of a value as `string()` and `concat`/`format` write it: strings as they are,
/// everything else as compact JSON (`True`/`False` for bools, as ARM writes them).
pub(super) fn to_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Case-insensitive member lookup (ARM property names are case-insensitive).
pub(super) fn member<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}
