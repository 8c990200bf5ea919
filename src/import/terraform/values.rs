//! Terraform values as JSON values, plus the one thing JSON lacks: a value known only after
//! `terraform apply` (a `random_string` result, an attribute the provider computes). Such a
//! value is a placeholder string naming what it stands for (`<unknown random_string.x.result>`);
//! an expression using it yields it again (a template embeds it), so what is unknown stays
//! visible in names and is never silently taken for something else.
//!
//! Also the conversions Terraform applies implicitly: numbers and booleans to strings in
//! templates, strings to numbers and booleans in arithmetic and conditions.

use serde_json::{Number, Value};

const UNKNOWN_PREFIX: &str = "<unknown ";

/// A placeholder for `what` (an address and attribute, or an expression).
pub(super) fn unknown(what: &str) -> Value {
    Value::String(format!("{UNKNOWN_PREFIX}{what}>"))
}

/// Whether `value` is a placeholder or a string embedding one.
pub(super) fn is_unknown(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.contains(UNKNOWN_PREFIX))
}

/// Whether `value` holds a placeholder anywhere inside it.
pub(super) fn contains_unknown(value: &Value) -> bool {
    match value {
        Value::String(_) => is_unknown(value),
        Value::Array(items) => items.iter().any(contains_unknown),
        Value::Object(members) => members.values().any(contains_unknown),
        _ => false,
    }
}

/// "a string", "a list"…, for messages.
pub(super) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The string Terraform converts a primitive to (templates, `tostring`, map keys).
pub(super) fn to_text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Bool(flag) => Ok(flag.to_string()),
        Value::Number(number) => Ok(number_text(number)),
        Value::Null => Err("a null value cannot be used as a string".to_string()),
        other => Err(format!("{} cannot be used as a string", type_name(other))),
    }
}

fn number_text(number: &Number) -> String {
    match (number.as_i64(), number.as_f64()) {
        (Some(integer), _) => integer.to_string(),
        (None, Some(float)) if float.fract() == 0.0 && float.abs() < 1e15 => {
            format!("{}", float as i64)
        }
        _ => number.to_string(),
    }
}

/// The number `value` is or converts to.
pub(super) fn to_number(value: &Value) -> Result<f64, String> {
    match value {
        Value::Number(number) => number
            .as_f64()
            .ok_or_else(|| format!("{number} is not a usable number")),
        Value::String(text) => text
            .trim()
            .parse::<f64>()
            .map_err(|_| format!("`{text}` is not a number")),
        other => Err(format!("{} is not a number", type_name(other))),
    }
}

/// A whole number `value` is or converts to.
pub(super) fn to_integer(value: &Value) -> Result<i64, String> {
    let number = to_number(value)?;
    if number.fract() != 0.0 || !number.is_finite() || number.abs() > 9.0e15 {
        return Err(format!("{number} is not a whole number"));
    }
    Ok(number as i64)
}

/// The bool `value` is or converts to (`"true"` / `"false"` convert).
pub(super) fn to_bool(value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(flag) => Ok(*flag),
        Value::String(text) if text == "true" => Ok(true),
        Value::String(text) if text == "false" => Ok(false),
        other => Err(format!("{} is not a bool", type_name(other))),
    }
}

/// A JSON number for `number`: an integer when it is whole.
pub(super) fn number(number: f64) -> Value {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        Value::from(number as i64)
    } else {
        Number::from_f64(number).map_or(Value::Null, Value::Number)
    }
}

/// Terraform equality: numbers by value, everything else structurally.
pub(super) fn equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => left == right,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_are_seen_inside_strings_and_collections() {
        let placeholder = unknown("random_string.x.result");
        assert!(is_unknown(&placeholder));
        assert!(is_unknown(&json!(format!(
            "kv-{}",
            placeholder.as_str().unwrap()
        ))));
        assert!(contains_unknown(&json!({"a": [placeholder]})));
        assert!(!contains_unknown(&json!({"a": ["plain"]})));
    }

    #[test]
    fn primitives_convert_as_terraform_converts_them() {
        assert_eq!(to_text(&json!(4)).unwrap(), "4");
        assert_eq!(to_text(&json!(4.0)).unwrap(), "4");
        assert_eq!(to_text(&json!(true)).unwrap(), "true");
        assert!(to_text(&json!([1])).is_err());
        assert_eq!(to_number(&json!("12")).unwrap(), 12.0);
        assert_eq!(to_integer(&json!("3")).unwrap(), 3);
        assert!(to_integer(&json!(2.5)).is_err());
        assert!(to_bool(&json!("true")).unwrap());
        assert!(to_bool(&json!(1)).is_err());
        assert_eq!(number(3.0), json!(3));
        assert!(equal(&json!(1), &json!(1.0)));
    }
}
