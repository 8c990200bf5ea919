//! The Terraform function library as far as Azure network configurations use it: collections
//! and numbers here, strings and encodings in `text`, CIDR arithmetic in `network`. A function
//! outside the library is not an error of the configuration: its call becomes a placeholder,
//! reported. Functions whose result can outgrow their arguments (`range`, `replace`,
//! `format`, `join`) charge the budget for the result's bound before building it.

mod network;
mod text;

use crate::model::sorting;
use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::run::Stop;
use super::values::{equal, number, to_integer, to_number, to_text, type_name};
use crate::import::budget::{Cost, VALUE_BYTES};

/// Why a call gave no value.
#[derive(Debug)]
pub(super) enum Failure {
    /// Arguments Terraform would reject.
    Invalid(String),
    /// A function outside the library: a placeholder stands in, with this reason.
    Unknown(String),
    /// The budget is spent.
    Budget(Stop),
}

pub(super) type Outcome = Result<Value, Failure>;
/// Charges the budget before building a large result.
pub(super) type Charge<'c> = &'c dyn Fn(Cost) -> Result<(), Stop>;

pub(super) fn fail<T>(message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure::Invalid(message.into()))
}

/// Calls function `name` with evaluated `args`.
pub(super) fn call(name: &str, args: &[Value], charge: Charge) -> Outcome {
    if let Some(result) = text::call(name, args, charge) {
        return result;
    }
    if let Some(result) = network::call(name, args) {
        return result;
    }
    match name {
        "length" => length(one(name, args)?),
        "element" => element(args),
        "index" => index(args),
        "lookup" => lookup(args),
        "merge" => merge(args),
        "concat" => concat(args),
        "flatten" => Ok(Value::Array(flatten(one(name, args)?)?)),
        "tolist" | "toset" => to_list(name, one(name, args)?),
        "tomap" => match one(name, args)? {
            object @ Value::Object(_) => Ok(object.clone()),
            other => fail(format!("tomap needs an object, found {}", type_name(other))),
        },
        "coalesce" => args
            .iter()
            .find(|arg| !arg.is_null() && arg.as_str() != Some(""))
            .cloned()
            .map_or_else(|| fail("coalesce: every argument is null or empty"), Ok),
        "coalescelist" => args
            .iter()
            .find(|arg| arg.as_array().is_some_and(|items| !items.is_empty()))
            .cloned()
            .map_or_else(|| fail("coalescelist: every list is empty"), Ok),
        "compact" => Ok(Value::Array(
            list(one(name, args)?)?
                .iter()
                .filter(|item| !item.is_null() && item.as_str() != Some(""))
                .cloned()
                .collect(),
        )),
        "distinct" => Ok(Value::Array(distinct(list(one(name, args)?)?))),
        "contains" => {
            let [collection, wanted] = two(name, args)?;
            Ok(Value::Bool(
                list(collection)?.iter().any(|item| equal(item, wanted)),
            ))
        }
        "keys" => Ok(Value::Array(
            object(one(name, args)?)?
                .keys()
                .cloned()
                .map(Value::String)
                .collect(),
        )),
        "values" => Ok(Value::Array(
            object(one(name, args)?)?.values().cloned().collect(),
        )),
        "zipmap" => {
            let [keys, values] = two(name, args)?;
            let (keys, values) = (list(keys)?, list(values)?);
            if keys.len() != values.len() {
                return fail("zipmap: the lists differ in length");
            }
            let mut members = Map::new();
            for (key, value) in keys.iter().zip(values) {
                members.insert(to_text(key).map_err(Failure::Invalid)?, value.clone());
            }
            Ok(Value::Object(members))
        }
        "range" => range(args, charge),
        "slice" => {
            let [items, start, end] = three(name, args)?;
            let items = list(items)?;
            let (start, end) = (integer(start)?, integer(end)?);
            if start < 0 || end < start || end as usize > items.len() {
                return fail(format!(
                    "slice: {start}..{end} is outside 0..{}",
                    items.len()
                ));
            }
            Ok(Value::Array(items[start as usize..end as usize].to_vec()))
        }
        "reverse" => Ok(Value::Array(
            list(one(name, args)?)?.iter().rev().cloned().collect(),
        )),
        "sort" => {
            let mut texts = list(one(name, args)?)?
                .iter()
                .map(|item| to_text(item).map_err(Failure::Invalid))
                .collect::<Result<Vec<_>, _>>()?;
            sorting::sort(&mut texts);
            Ok(Value::Array(texts.into_iter().map(Value::String).collect()))
        }
        "setunion" => Ok(Value::Array(distinct(
            &args
                .iter()
                .map(list)
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>(),
        ))),
        "one" => match list(one(name, args)?)?.as_slice() {
            [] => Ok(Value::Null),
            [single] => Ok(single.clone()),
            several => fail(format!("one: the list has {} elements", several.len())),
        },
        "sum" => Ok(number(
            list(one(name, args)?)?
                .iter()
                .map(|item| to_number(item).map_err(Failure::Invalid))
                .sum::<Result<f64, _>>()?,
        )),
        "min" | "max" => {
            let numbers = args
                .iter()
                .map(|arg| to_number(arg).map_err(Failure::Invalid))
                .collect::<Result<Vec<_>, _>>()?;
            let pick = if name == "min" { f64::min } else { f64::max };
            numbers
                .into_iter()
                .reduce(pick)
                .map(number)
                .map_or_else(|| fail(format!("{name} needs at least one number")), Ok)
        }
        "abs" => Ok(number(
            to_number(one(name, args)?).map_err(Failure::Invalid)?.abs(),
        )),
        "ceil" => Ok(number(
            to_number(one(name, args)?)
                .map_err(Failure::Invalid)?
                .ceil(),
        )),
        "floor" => Ok(number(
            to_number(one(name, args)?)
                .map_err(Failure::Invalid)?
                .floor(),
        )),
        "tonumber" => match one(name, args)? {
            Value::Null => Ok(Value::Null),
            other => Ok(number(to_number(other).map_err(Failure::Invalid)?)),
        },
        "tobool" => match one(name, args)? {
            Value::Null => Ok(Value::Null),
            other => Ok(Value::Bool(
                super::values::to_bool(other).map_err(Failure::Invalid)?,
            )),
        },
        "tostring" => match one(name, args)? {
            Value::Null => Ok(Value::Null),
            other => Ok(Value::String(to_text(other).map_err(Failure::Invalid)?)),
        },
        other => Err(Failure::Unknown(format!(
            "the function `{other}` is not in vnetlab's Terraform function library"
        ))),
    }
}

pub(super) fn one<'a>(name: &str, args: &'a [Value]) -> Result<&'a Value, Failure> {
    match args {
        [arg] => Ok(arg),
        _ => fail(format!("{name} takes 1 argument, given {}", args.len())),
    }
}

pub(super) fn two<'a>(name: &str, args: &'a [Value]) -> Result<[&'a Value; 2], Failure> {
    match args {
        [a, b] => Ok([a, b]),
        _ => fail(format!("{name} takes 2 arguments, given {}", args.len())),
    }
}

pub(super) fn three<'a>(name: &str, args: &'a [Value]) -> Result<[&'a Value; 3], Failure> {
    match args {
        [a, b, c] => Ok([a, b, c]),
        _ => fail(format!("{name} takes 3 arguments, given {}", args.len())),
    }
}

pub(super) fn list(value: &Value) -> Result<&Vec<Value>, Failure> {
    value.as_array().map_or_else(
        || fail(format!("expected a list, found {}", type_name(value))),
        Ok,
    )
}

fn object(value: &Value) -> Result<&Map<String, Value>, Failure> {
    value.as_object().map_or_else(
        || fail(format!("expected a map, found {}", type_name(value))),
        Ok,
    )
}

pub(super) fn integer(value: &Value) -> Result<i64, Failure> {
    to_integer(value).map_err(Failure::Invalid)
}

pub(super) fn string(value: &Value) -> Result<String, Failure> {
    to_text(value).map_err(Failure::Invalid)
}

fn length(value: &Value) -> Outcome {
    Ok(Value::from(match value {
        Value::Array(items) => items.len(),
        Value::Object(members) => members.len(),
        Value::String(text) => text.chars().count(),
        other => return fail(format!("length of {}", type_name(other))),
    }))
}

fn element(args: &[Value]) -> Outcome {
    let [items, position] = two("element", args)?;
    let items = list(items)?;
    if items.is_empty() {
        return fail("element: the list is empty");
    }
    let position = integer(position)?;
    if position < 0 {
        return fail("element: the index is negative");
    }
    Ok(items[position as usize % items.len()].clone())
}

fn index(args: &[Value]) -> Outcome {
    let [items, wanted] = two("index", args)?;
    list(items)?
        .iter()
        .position(|item| equal(item, wanted))
        .map(Value::from)
        .map_or_else(|| fail("index: the value is not in the list"), Ok)
}

fn lookup(args: &[Value]) -> Outcome {
    let (map, key, default) = match args {
        [map, key] => (map, key, None),
        [map, key, default] => (map, key, Some(default)),
        _ => {
            return fail(format!(
                "lookup takes 2 or 3 arguments, given {}",
                args.len()
            ))
        }
    };
    let key = string(key)?;
    match (object(map)?.get(&key), default) {
        (Some(found), _) => Ok(found.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => fail(format!("lookup: no key `{key}` and no default")),
    }
}

fn merge(args: &[Value]) -> Outcome {
    let mut merged = Map::new();
    for arg in args {
        match arg {
            Value::Null => {}
            Value::Object(members) => merged.extend(members.clone()),
            other => return fail(format!("merge needs maps, found {}", type_name(other))),
        }
    }
    Ok(Value::Object(merged))
}

fn concat(args: &[Value]) -> Outcome {
    let mut items = Vec::new();
    for arg in args {
        items.extend(list(arg)?.iter().cloned());
    }
    Ok(Value::Array(items))
}

fn flatten(value: &Value) -> Result<Vec<Value>, Failure> {
    let mut out = Vec::new();
    for item in list(value)? {
        match item {
            Value::Array(_) => out.extend(flatten(item)?),
            other => out.push(other.clone()),
        }
    }
    Ok(out)
}

/// `tolist` / `toset`: a set is a list without repeats, in Terraform's order (strings sorted).
fn to_list(name: &str, value: &Value) -> Outcome {
    let items = list(value)?;
    if name == "tolist" {
        return Ok(Value::Array(items.clone()));
    }
    let mut unique = distinct(items);
    if unique.iter().all(Value::is_string) {
        sorting::sort_by(&mut unique, |a, b| a.as_str().cmp(&b.as_str()));
    }
    Ok(Value::Array(unique))
}

fn distinct(items: &[Value]) -> Vec<Value> {
    let mut seen = BTreeSet::new();
    items
        .iter()
        .filter(|item| seen.insert(item.to_string()))
        .cloned()
        .collect()
}

fn range(args: &[Value], charge: Charge) -> Outcome {
    let numbers = args
        .iter()
        .map(|arg| to_number(arg).map_err(Failure::Invalid))
        .collect::<Result<Vec<_>, _>>()?;
    let (start, end, step) = match numbers.as_slice() {
        [end] => (0.0, *end, 1.0),
        [start, end] => (*start, *end, if end >= start { 1.0 } else { -1.0 }),
        [start, end, step] => (*start, *end, *step),
        _ => return fail("range takes 1 to 3 arguments"),
    };
    if step == 0.0 || (end - start) * step < 0.0 && start != end {
        return fail("range: the step never reaches the end");
    }
    let count = ((end - start) / step).ceil().max(0.0);
    charge(Cost::bytes((count as u64).saturating_mul(VALUE_BYTES))).map_err(Failure::Budget)?;
    Ok(Value::Array(
        (0..count as u64)
            .map(|i| number(start + step * i as f64))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(name: &str, args: Value) -> Value {
        let args = args.as_array().unwrap().clone();
        call(name, &args, &|_| Ok(())).unwrap_or_else(|e| panic!("{name}: {e:?}"))
    }

    fn fails(name: &str, args: Value) -> bool {
        let args = args.as_array().unwrap().clone();
        matches!(call(name, &args, &|_| Ok(())), Err(Failure::Invalid(_)))
    }

    #[test]
    fn collection_functions() {
        assert_eq!(run("length", json!([[1, 2, 3]])), json!(3));
        assert_eq!(run("length", json!([{"a": 1}])), json!(1));
        assert_eq!(run("length", json!(["héllo"])), json!(5));
        assert_eq!(run("element", json!([["a", "b"], 3])), json!("b"));
        assert!(fails("element", json!([[], 0])));
        assert_eq!(run("index", json!([["a", "b"], "b"])), json!(1));
        assert_eq!(run("lookup", json!([{"a": 1}, "a"])), json!(1));
        assert_eq!(run("lookup", json!([{"a": 1}, "b", 7])), json!(7));
        assert!(fails("lookup", json!([{"a": 1}, "b"])));
        assert_eq!(
            run("merge", json!([{"a": 1, "b": 1}, {"b": 2}])),
            json!({"a": 1, "b": 2})
        );
        assert_eq!(run("concat", json!([[1], [2, 3]])), json!([1, 2, 3]));
        assert_eq!(run("flatten", json!([[[1, [2]], 3]])), json!([1, 2, 3]));
        assert_eq!(run("tolist", json!([["b", "a"]])), json!(["b", "a"]));
        assert_eq!(run("toset", json!([["b", "a", "b"]])), json!(["a", "b"]));
        assert_eq!(run("tomap", json!([{"a": 1}])), json!({"a": 1}));
        assert_eq!(run("coalesce", json!([null, "", "x"])), json!("x"));
        assert_eq!(run("coalescelist", json!([[], [1]])), json!([1]));
        assert_eq!(run("compact", json!([["a", "", null]])), json!(["a"]));
        assert_eq!(run("distinct", json!([[1, 1, 2]])), json!([1, 2]));
        assert_eq!(run("contains", json!([["a"], "a"])), json!(true));
        assert_eq!(run("keys", json!([{"b": 1, "a": 2}])), json!(["a", "b"]));
        assert_eq!(run("values", json!([{"b": 1, "a": 2}])), json!([2, 1]));
        assert_eq!(run("zipmap", json!([["a"], [1]])), json!({"a": 1}));
        assert_eq!(run("range", json!([3])), json!([0, 1, 2]));
        assert_eq!(run("range", json!([1, 7, 3])), json!([1, 4]));
        assert_eq!(run("slice", json!([[1, 2, 3], 1, 2])), json!([2]));
        assert_eq!(run("reverse", json!([[1, 2]])), json!([2, 1]));
        assert_eq!(run("sort", json!([["b", "a"]])), json!(["a", "b"]));
        assert_eq!(
            run("setunion", json!([["a"], ["a", "b"]])),
            json!(["a", "b"])
        );
        assert_eq!(run("one", json!([[4]])), json!(4));
        assert_eq!(run("sum", json!([[1, 2]])), json!(3));
        assert_eq!(run("min", json!([3, 1])), json!(1));
        assert_eq!(run("max", json!([3, 1])), json!(3));
        assert_eq!(run("abs", json!([-2])), json!(2));
        assert_eq!(run("ceil", json!([1.2])), json!(2));
        assert_eq!(run("floor", json!([1.8])), json!(1));
        assert_eq!(run("tonumber", json!(["5"])), json!(5));
        assert_eq!(run("tobool", json!(["true"])), json!(true));
        assert_eq!(run("tostring", json!([5])), json!("5"));
    }

    #[test]
    fn an_unknown_function_is_a_placeholder_not_an_error() {
        assert!(matches!(
            call("templatefile", &[json!("x")], &|_| Ok(())),
            Err(Failure::Unknown(_))
        ));
    }

    #[test]
    fn range_charges_its_size_before_building_it() {
        let refuse = |_: Cost| Err(Stop::Exhausted);
        assert!(matches!(
            call("range", &[json!(1e12)], &refuse),
            Err(Failure::Budget(Stop::Exhausted))
        ));
    }
}
