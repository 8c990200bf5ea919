//! `reference()` and the `list*` functions. `reference` reads a resource of the same
//! deployment (by resource ID, symbolic name or name) as the template defines it — its
//! `properties`, or the whole resource with `'Full'`; a nested deployment's properties hold its
//! evaluated `outputs`. Resources outside the template and `list*` results (keys, secrets,
//! connection strings) are placeholders: they never carry network meaning.

use serde_json::{json, Value};

use super::super::error::EvalError;
use super::super::evaluator::Evaluator;
use super::super::value::{arity, member, string_argument};
use crate::import::budget::Cost;

pub(super) fn call(
    evaluator: &Evaluator,
    name: &str,
    arguments: &[Value],
) -> Option<Result<Value, EvalError>> {
    if name == "reference" {
        return Some(reference(evaluator, arguments));
    }
    if name.starts_with("list") {
        return Some(Ok(evaluator.placeholder(
            &format!("{name}()"),
            &format!("`{name}` returns keys or secrets, which vnetlab does not evaluate"),
        )));
    }
    None
}

fn reference(evaluator: &Evaluator, arguments: &[Value]) -> Result<Value, EvalError> {
    arity("reference", arguments, 1, 3)?;
    let target = string_argument("reference", arguments, 0)?;
    let full = arguments
        .get(2)
        .and_then(Value::as_str)
        .is_some_and(|mode| mode.eq_ignore_ascii_case("full"));
    evaluator.charge(Cost::steps(evaluator.run.slot_count() as u64))?;
    match evaluator.run.reference(evaluator.scope, target) {
        Some(resource) if full => Ok(resource),
        Some(resource) => Ok(resource
            .as_object()
            .and_then(|object| member(object, "properties"))
            .cloned()
            .unwrap_or_else(|| json!({}))),
        None => Ok(evaluator.placeholder(
            &format!("reference('{target}')"),
            &format!(
                "`{target}` is not a resource this template deploys (or its condition is \
                 false), so its run-time state is unknown"
            ),
        )),
    }
}
