//! One HCL expression evaluated the way Terraform evaluates it: literals, templates with
//! interpolations and `%{if}` / `%{for}` directives, operators, conditionals, `for`
//! expressions, splats, indexes and attribute access, function calls (`functions`), and
//! references (`var.`, `local.`, resources, `data.`, `module.`, `each.`, `count.`, `path.`),
//! which the module being evaluated resolves ([`References`]).
//!
//! Values known only after apply are placeholders (`values`): reading through one yields it
//! again and a function given one yields a placeholder for its call, so what is unknown is
//! carried, reported once where it arises, and never guessed. Every node evaluated costs a
//! step of the budget and every value built is charged its size, so no expression hangs.

use hcl::expr::{
    BinaryOperator, Conditional, ForExpr, FuncCall, Operation, TraversalOperator, UnaryOperator,
};
use hcl::template::{Directive, Element, Strip};
use hcl::{Expression, ObjectKey, Template};
use serde_json::{Map, Value};

use super::config::{Location, Mode};
use super::functions;
use super::run::{invalid, Run, Stop};
use super::values::{
    contains_unknown, equal, is_unknown, number, to_bool, to_number, to_text, type_name, unknown,
};
use crate::import::budget::{string_bytes, Cost};

/// What a reference names, resolved by the module being evaluated.
pub(super) trait References {
    fn run(&self) -> &Run;
    /// `var.NAME`.
    fn variable(&self, name: &str, at: &Location) -> Result<Value, Stop>;
    /// `local.NAME`.
    fn local(&self, name: &str, at: &Location) -> Result<Value, Stop>;
    /// A resource or data source: an object, a list (`count`) or a map (`for_each`) of
    /// instances; `None` when the module declares no such block.
    fn resource(
        &self,
        mode: Mode,
        type_name: &str,
        name: &str,
        at: &Location,
    ) -> Result<Option<Value>, Stop>;
    /// `module.NAME`: the called module's outputs as an object.
    fn module_outputs(&self, name: &str, at: &Location) -> Result<Value, Stop>;
    /// `path.module`, `path.root`, `path.cwd`.
    fn path(&self, which: &str) -> Option<Value>;
}

/// Names bound while evaluating: `each`, `count`, `self`, `for` variables, dynamic block
/// iterators (innermost last).
#[derive(Debug, Clone, Default)]
pub(super) struct Frame {
    bindings: Vec<(String, Value)>,
}

impl Frame {
    pub(super) fn with(&self, name: &str, value: Value) -> Frame {
        let mut bindings = self.bindings.clone();
        bindings.push((name.to_string(), value));
        Frame { bindings }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.bindings
            .iter()
            .rev()
            .find(|(bound, _)| bound == name)
            .map(|(_, value)| value)
    }
}

/// Reference roots that do not name a resource or data source.
const NON_RESOURCE_ROOTS: [&str; 5] = ["var", "local", "module", "path", "terraform"];

/// A traversal being applied: the whole expression (for messages) and whether it starts at a
/// resource or data source, whose unset attributes are computed by the provider.
struct Traversal<'e> {
    whole: &'e Expression,
    of_resource: bool,
}

/// Evaluates expressions written at one place of a module.
pub(super) struct Evaluator<'s> {
    pub(super) scope: &'s dyn References,
    pub(super) at: &'s Location,
}

impl Evaluator<'_> {
    pub(super) fn eval(&self, expr: &Expression, frame: &Frame) -> Result<Value, Stop> {
        self.scope
            .run()
            .charge(self.at, || text_of(expr), Cost::steps(1))?;
        match expr {
            Expression::Null => Ok(Value::Null),
            Expression::Bool(flag) => Ok(Value::Bool(*flag)),
            Expression::Number(n) => Ok(n.as_f64().map_or(Value::Null, number)),
            Expression::String(text) => Ok(Value::String(text.clone())),
            Expression::Array(items) => items
                .iter()
                .map(|item| self.eval(item, frame))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Expression::Object(object) => {
                let mut members = Map::new();
                for (key, value) in object {
                    let key = match key {
                        ObjectKey::Identifier(name) => name.to_string(),
                        ObjectKey::Expression(Expression::Variable(name)) => name.to_string(),
                        ObjectKey::Expression(key) => self.text(&self.eval(key, frame)?)?,
                        other => return invalid(format!("unsupported object key `{other:?}`")),
                    };
                    members.insert(key, self.eval(value, frame)?);
                }
                Ok(Value::Object(members))
            }
            Expression::TemplateExpr(template) => {
                let template = Template::from_expr(template)
                    .or_else(|error| invalid(format!("template: {error}")))?;
                // Each interpolated piece is charged as it is appended (`template`).
                Ok(Value::String(self.template(&template, frame)?))
            }
            Expression::Variable(name) => self.variable(name.as_str(), frame),
            Expression::Traversal(traversal) => {
                self.traversal(expr, &traversal.expr, &traversal.operators, frame)
            }
            Expression::FuncCall(call) => self.call(expr, call, frame),
            Expression::Parenthesis(inner) => self.eval(inner, frame),
            Expression::Conditional(conditional) => self.conditional(expr, conditional, frame),
            Expression::Operation(operation) => self.operation(expr, operation, frame),
            Expression::ForExpr(for_expr) => self.for_expr(expr, for_expr, frame),
            other => invalid(format!("unsupported expression `{}`", text_of(other))),
        }
    }

    /// A placeholder for `expr`, reported with `reason`.
    pub(super) fn unknown(&self, expr: &str, reason: &str) -> Value {
        self.scope.run().note_unevaluated(self.at, expr, reason);
        unknown(expr)
    }

    fn produced(&self, expr: &Expression, value: Value) -> Result<Value, Stop> {
        self.scope
            .run()
            .charge_value(self.at, || text_of(expr), &value)?;
        Ok(value)
    }

    fn text(&self, value: &Value) -> Result<String, Stop> {
        to_text(value).map_err(Stop::Invalid)
    }

    fn variable(&self, name: &str, frame: &Frame) -> Result<Value, Stop> {
        match frame.get(name) {
            Some(value) => Ok(value.clone()),
            None => invalid(format!("unknown name `{name}`")),
        }
    }

    fn traversal(
        &self,
        whole: &Expression,
        head: &Expression,
        operators: &[TraversalOperator],
        frame: &Frame,
    ) -> Result<Value, Stop> {
        let (start, rest, of_resource) = match head {
            Expression::Variable(name) if frame.get(name.as_str()).is_none() => {
                let (start, rest) = self.reference(whole, name.as_str(), operators)?;
                (start, rest, !NON_RESOURCE_ROOTS.contains(&name.as_str()))
            }
            other => (self.eval(other, frame)?, operators, false),
        };
        let traversal = Traversal { whole, of_resource };
        self.apply(&traversal, start, rest, frame)
    }

    /// The value a reference's root names and the operators left to apply.
    fn reference<'o>(
        &self,
        whole: &Expression,
        root: &str,
        operators: &'o [TraversalOperator],
    ) -> Result<(Value, &'o [TraversalOperator]), Stop> {
        let attribute = |index: usize| match operators.get(index) {
            Some(TraversalOperator::GetAttr(name)) => Ok(name.to_string()),
            _ => invalid(format!(
                "`{}`: `{root}` needs an attribute name",
                text_of(whole)
            )),
        };
        let scope = self.scope;
        Ok(match root {
            "var" => (scope.variable(&attribute(0)?, self.at)?, &operators[1..]),
            "local" => (scope.local(&attribute(0)?, self.at)?, &operators[1..]),
            "module" => (
                scope.module_outputs(&attribute(0)?, self.at)?,
                &operators[1..],
            ),
            "path" => {
                let which = attribute(0)?;
                match scope.path(&which) {
                    Some(value) => (value, &operators[1..]),
                    None => return invalid(format!("unknown `path.{which}`")),
                }
            }
            "terraform" => match attribute(0)?.as_str() {
                "workspace" => (Value::String("default".into()), &operators[1..]),
                other => return invalid(format!("unknown `terraform.{other}`")),
            },
            "data" => {
                let (type_name, name) = (attribute(0)?, attribute(1)?);
                match scope.resource(Mode::Data, &type_name, &name, self.at)? {
                    Some(value) => (value, &operators[2..]),
                    None => {
                        return invalid(format!(
                            "`data.{type_name}.{name}` is not declared in this module"
                        ))
                    }
                }
            }
            "each" | "count" | "self" => return invalid(format!("`{root}` is not available here")),
            type_name => {
                let name = attribute(0)?;
                match scope.resource(Mode::Managed, type_name, &name, self.at)? {
                    Some(value) => (value, &operators[1..]),
                    None => {
                        return invalid(format!(
                            "`{type_name}.{name}` is not declared in this module"
                        ))
                    }
                }
            }
        })
    }

    fn apply(
        &self,
        traversal: &Traversal,
        mut value: Value,
        operators: &[TraversalOperator],
        frame: &Frame,
    ) -> Result<Value, Stop> {
        let whole = traversal.whole;
        for (position, operator) in operators.iter().enumerate() {
            if is_unknown(&value) {
                return Ok(value);
            }
            value = match operator {
                TraversalOperator::GetAttr(name) => self.member(traversal, value, name.as_str())?,
                TraversalOperator::Index(index) => {
                    let index = self.eval(index, frame)?;
                    self.index(whole, value, &index)?
                }
                TraversalOperator::LegacyIndex(index) => {
                    self.index(whole, value, &Value::from(*index))?
                }
                TraversalOperator::AttrSplat | TraversalOperator::FullSplat => {
                    let items = match value {
                        Value::Null => Vec::new(),
                        Value::Array(items) => items,
                        single => vec![single],
                    };
                    let rest = &operators[position + 1..];
                    let results = items
                        .into_iter()
                        .map(|item| self.apply(traversal, item, rest, frame))
                        .collect::<Result<Vec<_>, _>>()?;
                    return Ok(Value::Array(results));
                }
            };
        }
        Ok(value)
    }

    /// Attribute `name` of `value`. A resource's attribute the configuration does not set is
    /// one the provider computes: a placeholder (reported); anywhere else a missing attribute
    /// is an error, as in Terraform.
    fn member(&self, traversal: &Traversal, value: Value, name: &str) -> Result<Value, Stop> {
        let whole = traversal.whole;
        match value {
            Value::Object(mut members) => match members.remove(name) {
                Some(found) => Ok(found),
                None if traversal.of_resource => Ok(self.unknown(
                    &text_of(whole),
                    &format!("`{name}` is not set in the configuration; known only after apply"),
                )),
                None => invalid(format!("`{}`: no attribute `{name}`", text_of(whole))),
            },
            Value::Null => invalid(format!("`{}`: the value is null", text_of(whole))),
            other => invalid(format!(
                "`{}`: {} has no attribute `{name}`",
                text_of(whole),
                type_name(&other)
            )),
        }
    }

    fn index(&self, whole: &Expression, value: Value, index: &Value) -> Result<Value, Stop> {
        if is_unknown(index) {
            return Ok(unknown(&text_of(whole)));
        }
        match value {
            Value::Array(mut items) => {
                let position = super::values::to_integer(index).map_err(Stop::Invalid)?;
                if position < 0 || position as usize >= items.len() {
                    return invalid(format!(
                        "`{}`: index {position} is out of range (length {})",
                        text_of(whole),
                        items.len()
                    ));
                }
                Ok(items.swap_remove(position as usize))
            }
            Value::Object(mut members) => {
                let key = self.text(index)?;
                members.remove(&key).map_or_else(
                    || invalid(format!("`{}`: no key `{key}`", text_of(whole))),
                    Ok,
                )
            }
            other => invalid(format!(
                "`{}`: {} cannot be indexed",
                text_of(whole),
                type_name(&other)
            )),
        }
    }

    fn call(&self, whole: &Expression, call: &FuncCall, frame: &Frame) -> Result<Value, Stop> {
        let name = call.name.name.as_str();
        if !call.name.namespace.is_empty() {
            return Ok(self.unknown(
                &text_of(whole),
                "provider-defined functions are not evaluated",
            ));
        }
        if name == "try" || name == "can" {
            return self.try_call(name, call, frame);
        }
        let mut arguments = call
            .args
            .iter()
            .map(|arg| self.eval(arg, frame))
            .collect::<Result<Vec<_>, _>>()?;
        if call.expand_final {
            match arguments.pop() {
                Some(Value::Array(items)) => arguments.extend(items),
                Some(other) => {
                    return invalid(format!(
                        "`{}`: `...` needs a list, found {}",
                        text_of(whole),
                        type_name(&other)
                    ))
                }
                None => {}
            }
        }
        let run = self.scope.run();
        let expression = text_of(whole);
        match functions::call(name, &arguments, &|cost| {
            run.charge(self.at, || expression.clone(), cost)
        }) {
            Ok(value) => self.produced(whole, value),
            Err(functions::Failure::Unknown(reason)) => Ok(self.unknown(&expression, &reason)),
            Err(functions::Failure::Budget(stop)) => Err(stop),
            Err(functions::Failure::Invalid(_)) if arguments.iter().any(contains_unknown) => {
                Ok(unknown(&expression))
            }
            Err(functions::Failure::Invalid(message)) => {
                invalid(format!("`{expression}`: {message}"))
            }
        }
    }

    /// `try(a, b, …)`: the first argument that evaluates; `can(x)`: whether it does.
    fn try_call(&self, name: &str, call: &FuncCall, frame: &Frame) -> Result<Value, Stop> {
        for arg in &call.args {
            match self.eval(arg, frame) {
                // An unknown value stays unknown, as in Terraform: no fallback is taken for it.
                Ok(value) if is_unknown(&value) => return Ok(value),
                Ok(_) if name == "can" => return Ok(Value::Bool(true)),
                Ok(value) => return Ok(value),
                Err(Stop::Exhausted) => return Err(Stop::Exhausted),
                Err(Stop::Invalid(_)) if name == "can" => return Ok(Value::Bool(false)),
                Err(Stop::Invalid(_)) => {}
            }
        }
        invalid(format!("`{name}`: no argument could be evaluated"))
    }

    fn conditional(
        &self,
        whole: &Expression,
        conditional: &Conditional,
        frame: &Frame,
    ) -> Result<Value, Stop> {
        let condition = self.eval(&conditional.cond_expr, frame)?;
        if is_unknown(&condition) {
            return Ok(self.unknown(&text_of(whole), "the condition is known only after apply"));
        }
        if to_bool(&condition).map_err(Stop::Invalid)? {
            self.eval(&conditional.true_expr, frame)
        } else {
            self.eval(&conditional.false_expr, frame)
        }
    }

    fn operation(
        &self,
        whole: &Expression,
        operation: &Operation,
        frame: &Frame,
    ) -> Result<Value, Stop> {
        match operation {
            Operation::Unary(unary) => {
                let value = self.eval(&unary.expr, frame)?;
                if is_unknown(&value) {
                    return Ok(unknown(&text_of(whole)));
                }
                match unary.operator {
                    UnaryOperator::Neg => Ok(number(-to_number(&value).map_err(Stop::Invalid)?)),
                    UnaryOperator::Not => Ok(Value::Bool(!to_bool(&value).map_err(Stop::Invalid)?)),
                }
            }
            Operation::Binary(binary) => {
                let left = self.eval(&binary.lhs_expr, frame)?;
                // `&&` and `||` decide on the left operand when they can.
                match (binary.operator, to_bool(&left)) {
                    (BinaryOperator::And, Ok(false)) => return Ok(Value::Bool(false)),
                    (BinaryOperator::Or, Ok(true)) => return Ok(Value::Bool(true)),
                    _ => {}
                }
                let right = self.eval(&binary.rhs_expr, frame)?;
                if is_unknown(&left) || is_unknown(&right) {
                    return Ok(unknown(&text_of(whole)));
                }
                binary_operation(binary.operator, &left, &right)
                    .map_err(|message| Stop::Invalid(format!("`{}`: {message}", text_of(whole))))
            }
        }
    }

    fn for_expr(
        &self,
        whole: &Expression,
        for_expr: &ForExpr,
        frame: &Frame,
    ) -> Result<Value, Stop> {
        let collection = self.eval(&for_expr.collection_expr, frame)?;
        if is_unknown(&collection) {
            return Ok(self.unknown(&text_of(whole), "the collection is known only after apply"));
        }
        let items = entries(&collection)
            .map_err(|message| Stop::Invalid(format!("`{}`: {message}", text_of(whole))))?;
        let mut list = Vec::new();
        let mut object = Map::new();
        for (key, value) in items {
            self.scope
                .run()
                .charge(self.at, || text_of(whole), Cost::steps(1))?;
            let mut inner = frame.with(for_expr.value_var.as_str(), value);
            if let Some(key_var) = &for_expr.key_var {
                inner = inner.with(key_var.as_str(), key);
            }
            if let Some(condition) = &for_expr.cond_expr {
                let keep = self.eval(condition, &inner)?;
                if !to_bool(&keep).map_err(Stop::Invalid)? {
                    continue;
                }
            }
            let value = self.eval(&for_expr.value_expr, &inner)?;
            match &for_expr.key_expr {
                None => list.push(value),
                Some(key_expr) => {
                    let key = self.text(&self.eval(key_expr, &inner)?)?;
                    if for_expr.grouping {
                        let group = object
                            .entry(key)
                            .or_insert_with(|| Value::Array(Vec::new()));
                        if let Value::Array(group) = group {
                            group.push(value);
                        }
                    } else if object.insert(key.clone(), value).is_some() {
                        return invalid(format!(
                            "`{}`: duplicate key `{key}` (use `...` to group)",
                            text_of(whole)
                        ));
                    }
                }
            }
        }
        let result = if for_expr.key_expr.is_some() {
            Value::Object(object)
        } else {
            Value::Array(list)
        };
        self.produced(whole, result)
    }

    fn template(&self, template: &Template, frame: &Frame) -> Result<String, Stop> {
        let mut out = String::new();
        let elements = template.elements();
        for (position, element) in elements.iter().enumerate() {
            match element {
                Element::Literal(literal) => {
                    let strip_start = position > 0 && strips_after(&elements[position - 1]);
                    let strip_end = elements.get(position + 1).is_some_and(strips_before);
                    let mut text = literal.as_str();
                    if strip_start {
                        text = text.trim_start();
                    }
                    if strip_end {
                        text = text.trim_end();
                    }
                    out.push_str(text);
                }
                Element::Interpolation(interpolation) => {
                    let value = self.eval(&interpolation.expr, frame)?;
                    let text = self.text(&value)?;
                    self.scope.run().charge(
                        self.at,
                        || text_of(&interpolation.expr),
                        Cost::bytes(string_bytes(text.len() as u64)),
                    )?;
                    out.push_str(&text);
                }
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(if_directive) => {
                        let condition = self.eval(&if_directive.cond_expr, frame)?;
                        if is_unknown(&condition) {
                            out.push_str(unknown("%{if}").as_str().unwrap_or_default());
                        } else if to_bool(&condition).map_err(Stop::Invalid)? {
                            out.push_str(&self.template(&if_directive.true_template, frame)?);
                        } else if let Some(otherwise) = &if_directive.false_template {
                            out.push_str(&self.template(otherwise, frame)?);
                        }
                    }
                    Directive::For(for_directive) => {
                        let collection = self.eval(&for_directive.collection_expr, frame)?;
                        for (key, value) in entries(&collection).map_err(Stop::Invalid)? {
                            let mut inner = frame.with(for_directive.value_var.as_str(), value);
                            if let Some(key_var) = &for_directive.key_var {
                                inner = inner.with(key_var.as_str(), key);
                            }
                            out.push_str(&self.template(&for_directive.template, &inner)?);
                        }
                    }
                },
            }
        }
        Ok(out)
    }
}

fn strips_after(element: &Element) -> bool {
    match element {
        Element::Interpolation(i) => matches!(i.strip, Strip::End | Strip::Both),
        Element::Directive(_) => false,
        Element::Literal(_) => false,
    }
}

fn strips_before(element: &Element) -> bool {
    match element {
        Element::Interpolation(i) => matches!(i.strip, Strip::Start | Strip::Both),
        Element::Directive(_) => false,
        Element::Literal(_) => false,
    }
}

/// (key, value) pairs of a list (index keys) or an object (string keys).
pub(super) fn entries(collection: &Value) -> Result<Vec<(Value, Value)>, String> {
    match collection {
        Value::Array(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(index, item)| (Value::from(index), item.clone()))
            .collect()),
        Value::Object(members) => Ok(members
            .iter()
            .map(|(key, value)| (Value::String(key.clone()), value.clone()))
            .collect()),
        Value::Null => Ok(Vec::new()),
        other => Err(format!("cannot iterate over {}", type_name(other))),
    }
}

fn binary_operation(
    operator: BinaryOperator,
    left: &Value,
    right: &Value,
) -> Result<Value, String> {
    use BinaryOperator::*;
    Ok(match operator {
        Eq => Value::Bool(equal(left, right)),
        NotEq => Value::Bool(!equal(left, right)),
        And => Value::Bool(to_bool(left)? && to_bool(right)?),
        Or => Value::Bool(to_bool(left)? || to_bool(right)?),
        comparison @ (Less | LessEq | Greater | GreaterEq) => {
            let (a, b) = (to_number(left)?, to_number(right)?);
            Value::Bool(match comparison {
                Less => a < b,
                LessEq => a <= b,
                Greater => a > b,
                _ => a >= b,
            })
        }
        arithmetic => {
            let (a, b) = (to_number(left)?, to_number(right)?);
            let result = match arithmetic {
                Plus => a + b,
                Minus => a - b,
                Mul => a * b,
                Div if b == 0.0 => return Err("division by zero".to_string()),
                Div => a / b,
                Mod if b == 0.0 => return Err("modulo by zero".to_string()),
                _ => a % b,
            };
            number(result)
        }
    })
}

/// An expression as written (HCL formatting), for messages.
pub(super) fn text_of(expr: &Expression) -> String {
    expr.to_string()
}
