//! Evaluates one parsed expression where it stands: in a scope (parameters, variables,
//! deployment context), inside zero or more copy loops, at a JSON path (for diagnostics), with
//! the lambda variables of any enclosing `lambda`. Member access and indexing follow ARM
//! (case-insensitive property names); on a value returned by `reference()`, a property the
//! template does not define is run-time state and becomes a placeholder.

use serde_json::Value;

use super::copy::CopyIndices;
use super::error::EvalError;
use super::functions;
use super::parser::Expr;
use super::run::Run;
use super::scope::Scope;
use super::value::{as_int, is_placeholder, member, placeholder, type_name};
use crate::import::budget::Cost;

/// Where a value is being evaluated: its JSON path and the element it belongs to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Site<'e> {
    pub(super) path: &'e str,
    pub(super) element: &'e str,
}

impl<'e> Site<'e> {
    /// The same element at another path.
    pub(super) fn at<'p>(&self, path: &'p str) -> Site<'p>
    where
        'e: 'p,
    {
        Site {
            path,
            element: self.element,
        }
    }
}

/// Lambda variables in effect (innermost last).
pub(super) type Locals = Vec<(String, Value)>;

pub(super) struct Evaluator<'e, 't> {
    pub(super) run: &'e Run<'t>,
    pub(super) scope: &'e Scope<'t>,
    pub(super) copy: &'e CopyIndices,
    pub(super) site: &'e Site<'e>,
    /// The whole template string, for diagnostics.
    pub(super) expression: &'e str,
}

impl<'t> Evaluator<'_, 't> {
    /// Evaluates `expr`, charging the budget a step and the size of the value it produces.
    pub(super) fn eval(&self, expr: &Expr, locals: &Locals) -> Result<Value, EvalError> {
        self.charge(Cost::steps(1))?;
        let value = self.eval_node(expr, locals)?;
        self.run.charge_value(self.site, self.expression, &value)?;
        Ok(value)
    }

    /// Charges the budget for work or values of this expression.
    pub(super) fn charge(&self, cost: Cost) -> Result<(), EvalError> {
        self.run.charge(self.site, self.expression, cost)
    }

    /// Charges the budget for a value this expression produces outside `eval`.
    pub(super) fn charge_value(&self, value: &Value) -> Result<(), EvalError> {
        self.run.charge_value(self.site, self.expression, value)
    }

    fn eval_node(&self, expr: &Expr, locals: &Locals) -> Result<Value, EvalError> {
        match expr {
            Expr::String(text) => Ok(Value::String(text.clone())),
            Expr::Integer(number) => Ok(Value::from(*number)),
            Expr::Call(name, arguments) => functions::call(self, name, arguments, locals),
            Expr::Member(base, name) => {
                let value = self.eval(base, locals)?;
                self.member(expr, &value, name)
            }
            Expr::Index(base, index) => {
                let value = self.eval(base, locals)?;
                let index = self.eval(index, locals)?;
                self.index(expr, &value, &index)
            }
        }
    }

    /// Evaluates every argument.
    pub(super) fn arguments(
        &self,
        arguments: &[Expr],
        locals: &Locals,
    ) -> Result<Vec<Value>, EvalError> {
        arguments
            .iter()
            .map(|argument| self.eval(argument, locals))
            .collect()
    }

    /// A placeholder for something vnetlab does not evaluate, recorded as not evaluated.
    pub(super) fn placeholder(&self, what: &str, reason: &str) -> Value {
        self.run
            .note_unevaluated(self.site, self.expression, reason);
        placeholder(what)
    }

    fn member(&self, expr: &Expr, value: &Value, name: &str) -> Result<Value, EvalError> {
        if is_placeholder(value) {
            return Ok(value.clone());
        }
        match value {
            Value::Object(object) => match member(object, name) {
                Some(found) => Ok(found.clone()),
                None => self.missing(expr, &format!("has no property `{name}`")),
            },
            other => Err(EvalError::invalid(format!(
                "cannot read property `{name}` of {}",
                type_name(other)
            ))),
        }
    }

    fn index(&self, expr: &Expr, value: &Value, index: &Value) -> Result<Value, EvalError> {
        if is_placeholder(value) {
            return Ok(value.clone());
        }
        if is_placeholder(index) {
            return Ok(index.clone());
        }
        match (value, index) {
            (Value::Array(items), index) => match as_int(index) {
                Some(position) => match usize::try_from(position)
                    .ok()
                    .and_then(|position| items.get(position))
                {
                    Some(item) => Ok(item.clone()),
                    None => self.missing(
                        expr,
                        &format!(
                            "index {position} is outside the array of {} item(s)",
                            items.len()
                        ),
                    ),
                },
                None => Err(EvalError::invalid(format!(
                    "an array index must be an int, but is {}",
                    type_name(index)
                ))),
            },
            (Value::Object(_), Value::String(name)) => self.member(expr, value, name),
            (other, index) => Err(EvalError::invalid(format!(
                "cannot index {} with {}",
                type_name(other),
                type_name(index)
            ))),
        }
    }

    /// A missing property or item: run-time state on a `reference()` result, an error
    /// elsewhere.
    fn missing(&self, expr: &Expr, problem: &str) -> Result<Value, EvalError> {
        if rooted_in_reference(expr) {
            Ok(self.placeholder(
                "run-time value",
                &format!(
                    "the referenced resource's value {problem} in the template: it is run-time \
                     state Azure assigns"
                ),
            ))
        } else {
            Err(EvalError::invalid(format!("the value {problem}")))
        }
    }
}

/// Whether the chain of member accesses and indexes starts at a `reference()` call.
fn rooted_in_reference(expr: &Expr) -> bool {
    match expr {
        Expr::Member(base, _) | Expr::Index(base, _) => rooted_in_reference(base),
        Expr::Call(name, _) => name.eq_ignore_ascii_case("reference"),
        _ => false,
    }
}
