//! The template function library, one file per family. Names are case-insensitive. `if` and
//! the lambda functions evaluate their arguments themselves (only the taken branch, a lambda
//! body per item); every other function gets its evaluated arguments. A placeholder argument
//! makes the result that placeholder, so one unknown value is reported once, where it arises.
//! A function outside the library is `Unsupported`, with its name.

mod collection;
mod conversion;
mod cost;
mod deployment;
mod lambda;
mod logical;
mod numeric;
mod reference;
mod resource_id;
mod string;

pub(super) use resource_id::{resource_id, split_resource_id};

use serde_json::Value;

use super::error::EvalError;
use super::evaluator::{Evaluator, Locals};
use super::parser::Expr;
use super::value::is_placeholder;

/// A family's pure functions: `None` when the name is not one of them.
type Family = fn(&str, &[Value]) -> Option<Result<Value, EvalError>>;

const PURE_FAMILIES: [Family; 5] = [
    string::call,
    collection::call,
    logical::call,
    numeric::call,
    conversion::call,
];

pub(super) fn call(
    evaluator: &Evaluator,
    name: &str,
    arguments: &[Expr],
    locals: &Locals,
) -> Result<Value, EvalError> {
    let lower = name.to_ascii_lowercase();
    if lower == "if" {
        return logical::if_then_else(evaluator, arguments, locals);
    }
    if let Some(result) = lambda::call(evaluator, &lower, arguments, locals) {
        return result;
    }
    let values = evaluator.arguments(arguments, locals)?;
    if let Some(unknown) = values.iter().find(|value| is_placeholder(value)) {
        return Ok(unknown.clone());
    }
    evaluator.charge(cost::of(&lower, &values))?;
    let result = PURE_FAMILIES
        .iter()
        .find_map(|family| family(&lower, &values))
        .or_else(|| deployment::call(evaluator, &lower, &values))
        .or_else(|| resource_id::call(evaluator, &lower, &values))
        .or_else(|| reference::call(evaluator, &lower, &values));
    match result {
        Some(result) => result,
        None => Err(EvalError::unsupported(format!(
            "the function `{name}` is not supported by vnetlab"
        ))),
    }
}
