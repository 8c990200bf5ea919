//! Logical and comparison functions: `if` (only the taken branch is evaluated, as in ARM),
//! `equals`, `not`, `and`, `or`, `bool`, `coalesce`, `less`/`greater` (and `…OrEquals`),
//! `true()`, `false()`, `null()`.

use std::cmp::Ordering;

use serde_json::Value;

use super::super::error::EvalError;
use super::super::evaluator::{Evaluator, Locals};
use super::super::parser::Expr;
use super::super::value::{argument, arity, as_int, bool_argument, is_placeholder, type_name};

pub(super) fn call(name: &str, arguments: &[Value]) -> Option<Result<Value, EvalError>> {
    let result = match name {
        "equals" => arity(name, arguments, 2, 2).map(|()| {
            Value::Bool(equals(
                arguments.first().unwrap_or(&Value::Null),
                arguments.get(1).unwrap_or(&Value::Null),
            ))
        }),
        "not" => arity(name, arguments, 1, 1)
            .and_then(|()| bool_argument(name, arguments, 0))
            .map(|value| Value::Bool(!value)),
        "and" => all_bools(name, arguments).map(|values| Value::Bool(values.iter().all(|v| *v))),
        "or" => all_bools(name, arguments).map(|values| Value::Bool(values.iter().any(|v| *v))),
        "bool" => to_bool(arguments),
        "coalesce" => Ok(arguments
            .iter()
            .find(|value| !value.is_null())
            .cloned()
            .unwrap_or(Value::Null)),
        "less" => compare(name, arguments, |o| o == Ordering::Less),
        "lessorequals" => compare(name, arguments, |o| o != Ordering::Greater),
        "greater" => compare(name, arguments, |o| o == Ordering::Greater),
        "greaterorequals" => compare(name, arguments, |o| o != Ordering::Less),
        "true" => arity(name, arguments, 0, 0).map(|()| Value::Bool(true)),
        "false" => arity(name, arguments, 0, 0).map(|()| Value::Bool(false)),
        "null" => arity(name, arguments, 0, 0).map(|()| Value::Null),
        _ => return None,
    };
    Some(result)
}

/// `if(condition, then, else)`: only the chosen branch is evaluated.
pub(super) fn if_then_else(
    evaluator: &Evaluator,
    arguments: &[Expr],
    locals: &Locals,
) -> Result<Value, EvalError> {
    let [condition, then, otherwise] = arguments else {
        return Err(EvalError::invalid(format!(
            "`if` takes 3 arguments, but has {}",
            arguments.len()
        )));
    };
    let condition = evaluator.eval(condition, locals)?;
    if is_placeholder(&condition) {
        return Ok(condition);
    }
    match condition {
        Value::Bool(true) => evaluator.eval(then, locals),
        Value::Bool(false) => evaluator.eval(otherwise, locals),
        other => Err(EvalError::invalid(format!(
            "the condition of `if` must be a bool, but is {}",
            type_name(&other)
        ))),
    }
}

/// ARM equality: numbers by value, strings case-sensitively, arrays and objects deeply.
fn equals(left: &Value, right: &Value) -> bool {
    match (as_int(left), as_int(right)) {
        (Some(left), Some(right)) => left == right,
        _ => left == right,
    }
}

fn all_bools(name: &str, arguments: &[Value]) -> Result<Vec<bool>, EvalError> {
    arity(name, arguments, 1, usize::MAX)?;
    (0..arguments.len())
        .map(|index| bool_argument(name, arguments, index))
        .collect()
}

/// `bool('true')`, `bool(1)`, `bool(true)`.
fn to_bool(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("bool", arguments, 1, 1)?;
    match argument("bool", arguments, 0)? {
        Value::Bool(value) => Ok(Value::Bool(*value)),
        Value::String(text) if text.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
        Value::String(text) if text.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
        value => match as_int(value) {
            Some(number) => Ok(Value::Bool(number != 0)),
            None => Err(EvalError::invalid(format!(
                "`bool` cannot convert {}",
                type_name(value)
            ))),
        },
    }
}

/// Ints by value, strings ordinally.
fn compare(
    name: &str,
    arguments: &[Value],
    accept: fn(Ordering) -> bool,
) -> Result<Value, EvalError> {
    arity(name, arguments, 2, 2)?;
    let left = argument(name, arguments, 0)?;
    let right = argument(name, arguments, 1)?;
    let ordering = match (left, right) {
        (Value::String(left), Value::String(right)) => left.cmp(right),
        _ => match (as_int(left), as_int(right)) {
            (Some(left), Some(right)) => left.cmp(&right),
            _ => {
                return Err(EvalError::invalid(format!(
                    "`{name}` compares two ints or two strings, not {} and {}",
                    type_name(left),
                    type_name(right)
                )))
            }
        },
    };
    Ok(Value::Bool(accept(ordering)))
}
