//! Integer functions: `int`, `add`, `sub`, `mul`, `div`, `mod`, `min`, `max`. Overflow and
//! division by zero are errors, as in ARM, never a panic.

use serde_json::Value;

use super::super::error::EvalError;
use super::super::value::{argument, arity, as_int, int_argument, type_name, wrong_type};

pub(super) fn call(name: &str, arguments: &[Value]) -> Option<Result<Value, EvalError>> {
    let result = match name {
        "int" => to_int(arguments),
        "add" => binary(name, arguments, i64::checked_add),
        "sub" => binary(name, arguments, i64::checked_sub),
        "mul" => binary(name, arguments, i64::checked_mul),
        "div" => binary(name, arguments, i64::checked_div),
        "mod" => binary(name, arguments, i64::checked_rem),
        "min" => extreme(name, arguments, Iterator::min),
        "max" => extreme(name, arguments, Iterator::max),
        _ => return None,
    };
    Some(result)
}

fn to_int(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("int", arguments, 1, 1)?;
    let value = argument("int", arguments, 0)?;
    let number = match value {
        Value::String(text) => text.trim().parse::<i64>().ok(),
        Value::Bool(flag) => Some(i64::from(*flag)),
        other => as_int(other),
    };
    number
        .map(Value::from)
        .ok_or_else(|| EvalError::invalid(format!("`int` cannot convert {}", describe(value))))
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(text) => format!("'{text}'"),
        other => type_name(other).to_string(),
    }
}

fn binary(
    name: &str,
    arguments: &[Value],
    operation: fn(i64, i64) -> Option<i64>,
) -> Result<Value, EvalError> {
    arity(name, arguments, 2, 2)?;
    let left = int_argument(name, arguments, 0)?;
    let right = int_argument(name, arguments, 1)?;
    operation(left, right).map(Value::from).ok_or_else(|| {
        EvalError::invalid(format!(
            "`{name}({left}, {right})` overflows or divides by zero"
        ))
    })
}

/// `min`/`max` of int arguments or of one array of ints.
fn extreme(
    name: &str,
    arguments: &[Value],
    pick: fn(std::vec::IntoIter<i64>) -> Option<i64>,
) -> Result<Value, EvalError> {
    arity(name, arguments, 1, usize::MAX)?;
    let values: &[Value] = match arguments {
        [Value::Array(items)] => items,
        other => other,
    };
    let numbers = values
        .iter()
        .enumerate()
        .map(|(index, value)| as_int(value).ok_or_else(|| wrong_type(name, index, "an int", value)))
        .collect::<Result<Vec<i64>, _>>()?;
    pick(numbers.into_iter())
        .map(Value::from)
        .ok_or_else(|| EvalError::invalid(format!("`{name}` of an empty array")))
}
