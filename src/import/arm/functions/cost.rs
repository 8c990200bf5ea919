//! What a library function costs the evaluation budget beyond its arguments and result, which
//! `eval` charges anyway: the comparisons of functions that are not linear in their input, and
//! the output of functions whose result can be much larger than their arguments, charged from a
//! bound computed before the result is built (so it is never allocated when over budget).

use serde_json::Value;

use crate::import::budget::{string_bytes, value_size, Cost, VALUE_BYTES};

/// `json` turns at most two characters (`0,`) into one value.
const JSON_BYTES_PER_CHAR: u64 = VALUE_BYTES / 2;

pub(super) fn of(name: &str, arguments: &[Value]) -> Cost {
    match name {
        "union" | "intersection" => Cost::steps(pairwise_comparisons(arguments)),
        "replace" => Cost::bytes(replaced_bytes(arguments)),
        "join" => Cost::bytes(joined_bytes(arguments)),
        "format" => Cost::bytes(formatted_bytes(arguments)),
        "split" => Cost::bytes(split_bytes(arguments)),
        "json" => Cost::bytes(text_len(arguments.first()).saturating_mul(JSON_BYTES_PER_CHAR)),
        _ => Cost::default(),
    }
}

/// Array items compared with each other: every item against every kept one.
fn pairwise_comparisons(arguments: &[Value]) -> u64 {
    let items: u64 = arguments
        .iter()
        .filter_map(Value::as_array)
        .map(|items| items.len() as u64)
        .sum();
    items.saturating_mul(items)
}

fn text_len(value: Option<&Value>) -> u64 {
    value
        .and_then(Value::as_str)
        .map_or(0, |text| text.len() as u64)
}

fn size(value: Option<&Value>) -> u64 {
    value.and_then(value_size).unwrap_or(0)
}

fn replaced_bytes(arguments: &[Value]) -> u64 {
    let (Some(text), Some(old)) = (
        arguments.first().and_then(Value::as_str),
        arguments.get(1).and_then(Value::as_str),
    ) else {
        return 0;
    };
    if old.is_empty() {
        return 0;
    }
    let occurrences = text.matches(old).count() as u64;
    string_bytes(
        (text.len() as u64).saturating_add(occurrences.saturating_mul(text_len(arguments.get(2)))),
    )
}

fn joined_bytes(arguments: &[Value]) -> u64 {
    let count = arguments
        .first()
        .and_then(Value::as_array)
        .map_or(0, |items| items.len() as u64);
    size(arguments.first()).saturating_add(count.saturating_mul(text_len(arguments.get(1))))
}

/// Every `{` may insert the largest argument.
fn formatted_bytes(arguments: &[Value]) -> u64 {
    let Some(pattern) = arguments.first().and_then(Value::as_str) else {
        return 0;
    };
    let items = pattern.matches('{').count() as u64;
    let largest = arguments
        .iter()
        .skip(1)
        .map(|argument| size(Some(argument)))
        .max()
        .unwrap_or(0);
    string_bytes(pattern.len() as u64).saturating_add(items.saturating_mul(largest))
}

/// At most one part per character, plus one.
fn split_bytes(arguments: &[Value]) -> u64 {
    let length = text_len(arguments.first());
    length
        .saturating_add(1)
        .saturating_mul(VALUE_BYTES)
        .saturating_add(length)
}
