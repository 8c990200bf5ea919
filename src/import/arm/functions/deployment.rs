//! Functions that read the scope and the deployment: `parameters`, `variables`, `copyIndex`,
//! `resourceGroup`, `subscription`, `deployment`, `environment`, `tenant`. Functions that need
//! a live Azure (`newGuid`, `utcNow`, `managementGroup`, `pickZones`) become placeholders.

use serde_json::Value;

use super::super::error::EvalError;
use super::super::evaluator::Evaluator;
use super::super::value::{arity, as_int, string_argument, type_name};

pub(super) fn call(
    evaluator: &Evaluator,
    name: &str,
    arguments: &[Value],
) -> Option<Result<Value, EvalError>> {
    let context = &evaluator.scope.deployment;
    let result = match name {
        "parameters" => string_argument(name, arguments, 0)
            .and_then(|parameter| evaluator.scope.parameter(evaluator.run, parameter)),
        "variables" => string_argument(name, arguments, 0)
            .and_then(|variable| evaluator.scope.variable(evaluator.run, variable)),
        "copyindex" => copy_index(evaluator, arguments),
        "resourcegroup" => arity(name, arguments, 0, 0).map(|()| context.resource_group_object()),
        "subscription" => arity(name, arguments, 0, 0).map(|()| context.subscription()),
        "deployment" => arity(name, arguments, 0, 0).map(|()| context.deployment()),
        "environment" => arity(name, arguments, 0, 0).map(|()| context.environment()),
        "tenant" => arity(name, arguments, 0, 0).map(|()| context.tenant()),
        "newguid" | "utcnow" | "managementgroup" | "pickzones" => Ok(evaluator.placeholder(
            &format!("{name}()"),
            &format!("`{name}` depends on the live Azure deployment"),
        )),
        _ => return None,
    };
    Some(result)
}

/// `copyIndex()`, `copyIndex(offset)`, `copyIndex('loop')`, `copyIndex('loop', offset)`.
fn copy_index(evaluator: &Evaluator, arguments: &[Value]) -> Result<Value, EvalError> {
    arity("copyIndex", arguments, 0, 2)?;
    let (loop_name, offset) = match arguments {
        [] => (None, 0),
        [Value::String(name)] => (Some(name.as_str()), 0),
        [offset] => (None, offset_of(offset)?),
        [Value::String(name), offset] => (Some(name.as_str()), offset_of(offset)?),
        [other, _] => {
            return Err(EvalError::invalid(format!(
                "the loop name of `copyIndex` must be a string, but is {}",
                type_name(other)
            )))
        }
        _ => (None, 0),
    };
    let index = evaluator.copy.index(loop_name)?;
    index
        .checked_add(offset)
        .map(Value::from)
        .ok_or_else(|| EvalError::invalid("`copyIndex` offset overflows"))
}

fn offset_of(value: &Value) -> Result<i64, EvalError> {
    as_int(value).ok_or_else(|| {
        EvalError::invalid(format!(
            "the offset of `copyIndex` must be an int, but is {}",
            type_name(value)
        ))
    })
}
