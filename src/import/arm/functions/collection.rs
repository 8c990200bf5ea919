//! Array, object and generic collection functions: `length`, `empty`, `contains`, `union`,
//! `intersection`, `createArray`, `createObject`, `array`, `first`, `last`, `take`, `skip`,
//! `range`, `join`, `items`, `tryGet`, `shallowMerge`. `length`, `empty`, `contains`, `first`,
//! `last`, `take` and `skip` also work on strings (in characters), as in ARM.

use crate::model::sorting;
use serde_json::{Map, Value};

use super::super::copy::MAX_COPIES;
use super::super::error::EvalError;
use super::super::value::{
    argument, arity, array_argument, int_argument, member, string_argument, to_text, type_name,
    wrong_type,
};

pub(super) fn call(name: &str, arguments: &[Value]) -> Option<Result<Value, EvalError>> {
    let result = match name {
        "length" => length(arguments),
        "empty" => empty(arguments),
        "contains" => contains(arguments),
        "union" => union(arguments),
        "intersection" => intersection(arguments),
        "createarray" => Ok(Value::Array(arguments.to_vec())),
        "createobject" => create_object(arguments),
        "array" => array(arguments),
        "first" | "last" => end(name, arguments),
        "take" => slice(name, arguments, |count, len| 0..count.min(len)),
        "skip" => slice(name, arguments, |count, len| count.min(len)..len),
        "range" => range(arguments),
        "join" => join(arguments),
        "items" => items(arguments),
        "tryget" => try_get(arguments),
        "shallowmerge" => shallow_merge(arguments),
        _ => return None,
    };
    Some(result)
}

fn length(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("length", arguments, 1, 1)?;
    let length = match argument("length", arguments, 0)? {
        Value::String(text) => text.chars().count(),
        Value::Array(items) => items.len(),
        Value::Object(object) => object.len(),
        other => return Err(wrong_type("length", 0, "a string, array or object", other)),
    };
    Ok(Value::from(length))
}

fn empty(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("empty", arguments, 1, 1)?;
    let empty = match argument("empty", arguments, 0)? {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(object) => object.is_empty(),
        other => return Err(wrong_type("empty", 0, "a string, array or object", other)),
    };
    Ok(Value::Bool(empty))
}

/// Strings: case-sensitive substring; arrays: an equal item; objects: a key
/// (case-insensitive).
fn contains(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("contains", arguments, 2, 2)?;
    let wanted = argument("contains", arguments, 1)?;
    let found = match argument("contains", arguments, 0)? {
        Value::String(text) => text.contains(&to_text(wanted)),
        Value::Array(items) => items.contains(wanted),
        Value::Object(object) => member(object, &to_text(wanted)).is_some(),
        Value::Null => false,
        other => {
            return Err(wrong_type(
                "contains",
                0,
                "a string, array or object",
                other,
            ))
        }
    };
    Ok(Value::Bool(found))
}

/// Objects: members merged, later ones winning; arrays: items in order without duplicates.
fn union(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("union", arguments, 1, usize::MAX)?;
    match arguments.first() {
        Some(Value::Object(_)) | Some(Value::Null) => {
            let mut merged = Map::new();
            for (index, argument) in arguments.iter().enumerate() {
                match argument {
                    Value::Object(object) => merged.extend(object.clone()),
                    Value::Null => {}
                    other => return Err(wrong_type("union", index, "an object", other)),
                }
            }
            Ok(Value::Object(merged))
        }
        _ => {
            let mut items: Vec<Value> = Vec::new();
            for (index, argument) in arguments.iter().enumerate() {
                for item in argument
                    .as_array()
                    .ok_or_else(|| wrong_type("union", index, "an array", argument))?
                {
                    if !items.contains(item) {
                        items.push(item.clone());
                    }
                }
            }
            Ok(Value::Array(items))
        }
    }
}

fn intersection(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("intersection", arguments, 2, usize::MAX)?;
    match arguments.first() {
        Some(Value::Object(first)) => {
            let mut common = first.clone();
            for (index, argument) in arguments.iter().enumerate().skip(1) {
                let object = argument
                    .as_object()
                    .ok_or_else(|| wrong_type("intersection", index, "an object", argument))?;
                common.retain(|key, value| object.get(key) == Some(value));
            }
            Ok(Value::Object(common))
        }
        _ => {
            let mut common = array_argument("intersection", arguments, 0)?.clone();
            for index in 1..arguments.len() {
                let other = array_argument("intersection", arguments, index)?;
                common.retain(|item| other.contains(item));
            }
            common.dedup();
            Ok(Value::Array(common))
        }
    }
}

fn create_object(arguments: &[Value]) -> Result<Value, EvalError> {
    if !arguments.len().is_multiple_of(2) {
        return Err(EvalError::invalid(
            "`createObject` takes key/value pairs, but has an odd number of arguments",
        ));
    }
    let mut object = Map::new();
    for (pair, chunk) in arguments.chunks_exact(2).enumerate() {
        if let [key, value] = chunk {
            let key = key
                .as_str()
                .ok_or_else(|| wrong_type("createObject", pair * 2, "a string key", key))?;
            object.insert(key.to_string(), value.clone());
        }
    }
    Ok(Value::Object(object))
}

fn array(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("array", arguments, 1, 1)?;
    Ok(match argument("array", arguments, 0)? {
        Value::Array(items) => Value::Array(items.clone()),
        other => Value::Array(vec![other.clone()]),
    })
}

/// `first`/`last` of an array (null when empty) or a string (a one-character string).
fn end(name: &str, arguments: &[Value]) -> Result<Value, EvalError> {
    arity(name, arguments, 1, 1)?;
    let first = name == "first";
    match argument(name, arguments, 0)? {
        Value::Array(items) => {
            let item = if first { items.first() } else { items.last() };
            Ok(item.cloned().unwrap_or(Value::Null))
        }
        Value::String(text) => {
            let character = if first {
                text.chars().next()
            } else {
                text.chars().next_back()
            };
            Ok(Value::String(
                character.map(String::from).unwrap_or_default(),
            ))
        }
        other => Err(wrong_type(name, 0, "an array or a string", other)),
    }
}

/// `take`/`skip` on an array or a string; negative counts count as 0.
fn slice(
    name: &str,
    arguments: &[Value],
    range: fn(usize, usize) -> std::ops::Range<usize>,
) -> Result<Value, EvalError> {
    arity(name, arguments, 2, 2)?;
    let count = usize::try_from(int_argument(name, arguments, 1)?.max(0)).unwrap_or(usize::MAX);
    match argument(name, arguments, 0)? {
        Value::Array(items) => Ok(Value::Array(
            items
                .get(range(count, items.len()))
                .unwrap_or_default()
                .to_vec(),
        )),
        Value::String(text) => {
            let chars: Vec<char> = text.chars().collect();
            Ok(Value::String(
                chars
                    .get(range(count, chars.len()))
                    .unwrap_or_default()
                    .iter()
                    .collect(),
            ))
        }
        other => Err(wrong_type(name, 0, "an array or a string", other)),
    }
}

/// `range(start, count)`; the count is limited like a copy loop's.
fn range(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("range", arguments, 2, 2)?;
    let start = int_argument("range", arguments, 0)?;
    let count = int_argument("range", arguments, 1)?;
    if !(0..=MAX_COPIES * 10).contains(&count) {
        return Err(EvalError::invalid(format!(
            "`range` count {count} is outside 0..={}",
            MAX_COPIES * 10
        )));
    }
    let end = start
        .checked_add(count)
        .ok_or_else(|| EvalError::invalid("`range` overflows"))?;
    Ok(Value::Array((start..end).map(Value::from).collect()))
}

fn join(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("join", arguments, 2, 2)?;
    let items = array_argument("join", arguments, 0)?;
    let delimiter = string_argument("join", arguments, 1)?;
    Ok(Value::String(
        items
            .iter()
            .map(to_text)
            .collect::<Vec<_>>()
            .join(delimiter),
    ))
}

/// `items(object)`: `[{key, value}]` sorted by key.
fn items(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("items", arguments, 1, 1)?;
    let value = argument("items", arguments, 0)?;
    let object = value
        .as_object()
        .ok_or_else(|| wrong_type("items", 0, "an object", value))?;
    let mut entries: Vec<(&String, &Value)> = object.iter().collect();
    sorting::sort_by_key(&mut entries, |(key, _)| key.to_lowercase());
    Ok(Value::Array(
        entries
            .into_iter()
            .map(|(key, value)| serde_json::json!({ "key": key, "value": value }))
            .collect(),
    ))
}

/// `tryGet(value, key-or-index, …)`: null where a step is missing instead of an error.
fn try_get(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("tryGet", arguments, 2, usize::MAX)?;
    let mut current = argument("tryGet", arguments, 0)?.clone();
    for step in arguments.iter().skip(1) {
        current = match (&current, step) {
            (Value::Object(object), Value::String(key)) => {
                member(object, key).cloned().unwrap_or(Value::Null)
            }
            (Value::Array(items), index) => index
                .as_u64()
                .and_then(|index| usize::try_from(index).ok())
                .and_then(|index| items.get(index))
                .cloned()
                .unwrap_or(Value::Null),
            (Value::Null, _) => Value::Null,
            (other, step) => {
                return Err(EvalError::invalid(format!(
                    "`tryGet` cannot look up {} in {}",
                    type_name(step),
                    type_name(other)
                )))
            }
        };
    }
    Ok(current)
}

/// `shallowMerge(array of objects)`.
fn shallow_merge(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("shallowMerge", arguments, 1, 1)?;
    let mut merged = Map::new();
    for (index, item) in array_argument("shallowMerge", arguments, 0)?
        .iter()
        .enumerate()
    {
        match item {
            Value::Object(object) => merged.extend(object.clone()),
            Value::Null => {}
            other => {
                return Err(EvalError::invalid(format!(
                    "item {index} of `shallowMerge` must be an object, but is {}",
                    type_name(other)
                )))
            }
        }
    }
    Ok(Value::Object(merged))
}
