//! Lambda functions: `map`, `filter`, `reduce`, `sort`, `toObject` with `lambda('x', body)`
//! arguments, and `lambdaVariables('x')` inside a body. The body is evaluated per item with the
//! lambda's parameters bound, so it is handled before the arguments are evaluated.

use serde_json::{Map, Value};

use super::super::error::EvalError;
use super::super::evaluator::{Evaluator, Locals};
use super::super::parser::Expr;
use super::super::value::{to_text, type_name};

/// `None` when `name` is not a lambda function.
pub(super) fn call(
    evaluator: &Evaluator,
    name: &str,
    arguments: &[Expr],
    locals: &Locals,
) -> Option<Result<Value, EvalError>> {
    let result = match name {
        "map" => map(evaluator, arguments, locals),
        "filter" => filter(evaluator, arguments, locals),
        "reduce" => reduce(evaluator, arguments, locals),
        "sort" => sort(evaluator, arguments, locals),
        "toobject" => to_object(evaluator, arguments, locals),
        "lambdavariables" => lambda_variable(evaluator, arguments, locals),
        "lambda" => Err(EvalError::invalid(
            "`lambda` can only be an argument of map, filter, reduce, sort or toObject",
        )),
        _ => return None,
    };
    Some(result)
}

/// A `lambda('a', 'b', body)` argument: parameter names and body.
struct Lambda<'x> {
    parameters: Vec<&'x str>,
    body: &'x Expr,
}

impl<'x> Lambda<'x> {
    fn of(function: &str, expr: Option<&'x Expr>, wanted: usize) -> Result<Self, EvalError> {
        let not_a_lambda = || {
            EvalError::invalid(format!(
                "`{function}` needs a `lambda` with {wanted} parameter(s)"
            ))
        };
        let Some(Expr::Call(name, arguments)) = expr else {
            return Err(not_a_lambda());
        };
        let (body, parameters) = arguments.split_last().ok_or_else(not_a_lambda)?;
        let parameters = parameters
            .iter()
            .map(|parameter| match parameter {
                Expr::String(text) => Ok(text.as_str()),
                _ => Err(not_a_lambda()),
            })
            .collect::<Result<Vec<&str>, _>>()?;
        if !name.eq_ignore_ascii_case("lambda") || parameters.len() != wanted {
            return Err(not_a_lambda());
        }
        Ok(Lambda { parameters, body })
    }

    fn apply(
        &self,
        evaluator: &Evaluator,
        locals: &Locals,
        values: &[Value],
    ) -> Result<Value, EvalError> {
        let mut scope = locals.clone();
        for (parameter, value) in self.parameters.iter().zip(values) {
            scope.push((parameter.to_string(), value.clone()));
        }
        for (_, value) in &scope {
            evaluator.charge_value(value)?;
        }
        evaluator.eval(self.body, &scope)
    }
}

fn array_of(
    evaluator: &Evaluator,
    function: &str,
    expr: Option<&Expr>,
    locals: &Locals,
) -> Result<Vec<Value>, EvalError> {
    let expr = expr.ok_or_else(|| EvalError::invalid(format!("`{function}` needs an array")))?;
    match evaluator.eval(expr, locals)? {
        Value::Array(items) => Ok(items),
        Value::Null => Ok(Vec::new()),
        other => Err(EvalError::invalid(format!(
            "the first argument of `{function}` must be an array, but is {}",
            type_name(&other)
        ))),
    }
}

fn map(evaluator: &Evaluator, arguments: &[Expr], locals: &Locals) -> Result<Value, EvalError> {
    let items = array_of(evaluator, "map", arguments.first(), locals)?;
    let lambda = Lambda::of("map", arguments.get(1), 1)?;
    items
        .into_iter()
        .map(|item| lambda.apply(evaluator, locals, &[item]))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

fn filter(evaluator: &Evaluator, arguments: &[Expr], locals: &Locals) -> Result<Value, EvalError> {
    let items = array_of(evaluator, "filter", arguments.first(), locals)?;
    let lambda = Lambda::of("filter", arguments.get(1), 1)?;
    let mut kept = Vec::new();
    for item in items {
        match lambda.apply(evaluator, locals, std::slice::from_ref(&item))? {
            Value::Bool(true) => kept.push(item),
            Value::Bool(false) => {}
            other => {
                return Err(EvalError::invalid(format!(
                    "the `filter` lambda must return a bool, but returned {}",
                    type_name(&other)
                )))
            }
        }
    }
    Ok(Value::Array(kept))
}

fn reduce(evaluator: &Evaluator, arguments: &[Expr], locals: &Locals) -> Result<Value, EvalError> {
    let items = array_of(evaluator, "reduce", arguments.first(), locals)?;
    let initial = arguments
        .get(1)
        .ok_or_else(|| EvalError::invalid("`reduce` needs an initial value"))?;
    let mut accumulator = evaluator.eval(initial, locals)?;
    let lambda = Lambda::of("reduce", arguments.get(2), 2)?;
    for item in items {
        accumulator = lambda.apply(evaluator, locals, &[accumulator, item])?;
    }
    Ok(accumulator)
}

/// `sort(array, lambda('a', 'b', a-before-b))`: a stable merge sort, O(n log n) lambda calls,
/// which stays total (and panic-free) even when the lambda is not a consistent order.
fn sort(evaluator: &Evaluator, arguments: &[Expr], locals: &Locals) -> Result<Value, EvalError> {
    let items = array_of(evaluator, "sort", arguments.first(), locals)?;
    let lambda = Lambda::of("sort", arguments.get(1), 2)?;
    let before = |a: &Value, b: &Value| -> Result<bool, EvalError> {
        Ok(lambda.apply(evaluator, locals, &[a.clone(), b.clone()])? == Value::Bool(true))
    };
    let mut runs: Vec<Vec<Value>> = items.into_iter().map(|item| vec![item]).collect();
    while runs.len() > 1 {
        let mut merged = Vec::with_capacity(runs.len().div_ceil(2));
        let mut pairs = runs.into_iter();
        while let Some(left) = pairs.next() {
            match pairs.next() {
                Some(right) => merged.push(merge(left, right, &before)?),
                None => merged.push(left),
            }
        }
        runs = merged;
    }
    Ok(Value::Array(runs.pop().unwrap_or_default()))
}

/// Merges two sorted runs; an item of `right` goes first only when it is before the head of
/// `left` (so equal items keep their order).
fn merge(
    left: Vec<Value>,
    right: Vec<Value>,
    before: &impl Fn(&Value, &Value) -> Result<bool, EvalError>,
) -> Result<Vec<Value>, EvalError> {
    let mut out = Vec::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    while let (Some(l), Some(r)) = (left.peek(), right.peek()) {
        let next = if before(r, l)? {
            right.next()
        } else {
            left.next()
        };
        out.extend(next);
    }
    out.extend(left);
    out.extend(right);
    Ok(out)
}

fn to_object(
    evaluator: &Evaluator,
    arguments: &[Expr],
    locals: &Locals,
) -> Result<Value, EvalError> {
    let items = array_of(evaluator, "toObject", arguments.first(), locals)?;
    let key = Lambda::of("toObject", arguments.get(1), 1)?;
    let value = arguments
        .get(2)
        .map(|expr| Lambda::of("toObject", Some(expr), 1))
        .transpose()?;
    let mut object = Map::new();
    for item in items {
        let name = to_text(&key.apply(evaluator, locals, std::slice::from_ref(&item))?);
        let entry = match &value {
            Some(value) => value.apply(evaluator, locals, &[item])?,
            None => item,
        };
        object.insert(name, entry);
    }
    Ok(Value::Object(object))
}

fn lambda_variable(
    evaluator: &Evaluator,
    arguments: &[Expr],
    locals: &Locals,
) -> Result<Value, EvalError> {
    let [name] = arguments else {
        return Err(EvalError::invalid("`lambdaVariables` takes 1 argument"));
    };
    let name = match evaluator.eval(name, locals)? {
        Value::String(name) => name,
        other => {
            return Err(EvalError::invalid(format!(
                "`lambdaVariables` needs a string, but has {}",
                type_name(&other)
            )))
        }
    };
    locals
        .iter()
        .rev()
        .find(|(local, _)| local.eq_ignore_ascii_case(&name))
        .map(|(_, value)| value.clone())
        .ok_or_else(|| EvalError::invalid(format!("no enclosing lambda defines `{name}`")))
}
