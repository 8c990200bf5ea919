//! The state of one configuration's evaluation, shared by all its modules: the budget (the
//! same deterministic budget as ARM templates), what could not be evaluated, diagnostics, and
//! the resource instances evaluated so far (by address, and by ARM id so that a resource
//! can read what another one it references holds).

use crate::model::sorting;
use std::cell::RefCell;
use std::collections::BTreeMap;

use serde_json::Value;

use super::config::{Location, Mode};
use crate::import::budget::{value_size, Budget, Cost, Refused};
use crate::import::{BudgetExceeded, EvaluationLimits, EvaluationUsage, Unevaluated};
use crate::model::Diagnostic;

/// Why an evaluation stopped: an expression Terraform would reject or that this evaluator does
/// not support (a message), or the budget is spent (the budget says where).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Stop {
    Invalid(String),
    Exhausted,
}

impl From<Refused> for Stop {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::Exhausted => Stop::Exhausted,
            Refused::TooDeep => Stop::Invalid("the value nests too deep".to_string()),
        }
    }
}

pub(super) fn invalid<T>(message: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Invalid(message.into()))
}

/// One evaluated resource instance.
#[derive(Debug, Clone)]
pub(super) struct Instance {
    /// `module.net.azurerm_subnet.x["a"]`.
    pub(super) address: String,
    pub(super) mode: Mode,
    pub(super) type_name: String,
    /// Attributes and nested blocks (a list of objects per block type), computed ones added.
    pub(super) attributes: Value,
    pub(super) at: Location,
}

pub(super) struct Run {
    budget: Budget,
    unevaluated: RefCell<Vec<Unevaluated>>,
    diagnostics: RefCell<Vec<Diagnostic>>,
    instances: RefCell<BTreeMap<String, Instance>>,
}

impl Run {
    pub(super) fn new(limits: EvaluationLimits) -> Self {
        Run {
            budget: Budget::new(limits),
            unevaluated: RefCell::new(Vec::new()),
            diagnostics: RefCell::new(Vec::new()),
            instances: RefCell::new(BTreeMap::new()),
        }
    }

    /// Charges `cost` for work on `expression` at `at` (both formatted only if refused).
    pub(super) fn charge(
        &self,
        at: &Location,
        expression: impl FnOnce() -> String,
        cost: Cost,
    ) -> Result<(), Stop> {
        Ok(self
            .budget
            .charge_at(|| (at.to_string(), expression()), cost)?)
    }

    /// Charges the size of `value`, produced by `expression` at `at`.
    pub(super) fn charge_value(
        &self,
        at: &Location,
        expression: impl FnOnce() -> String,
        value: &Value,
    ) -> Result<(), Stop> {
        match value_size(value) {
            Some(bytes) => self.charge(at, expression, Cost::bytes(bytes)),
            None => Err(Stop::from(Refused::TooDeep)),
        }
    }

    /// Evaluates `nested` (a definition read from inside another) within the depth limit.
    pub(super) fn nested<T>(
        &self,
        at: &Location,
        expression: impl FnOnce() -> String,
        nested: impl FnOnce() -> Result<T, Stop>,
    ) -> Result<T, Stop> {
        self.budget.enter(&at.to_string(), &expression())?;
        let result = nested();
        self.budget.leave();
        result
    }

    pub(super) fn exceeded(&self) -> Option<BudgetExceeded> {
        self.budget.exceeded()
    }

    pub(super) fn usage(&self) -> EvaluationUsage {
        self.budget.usage()
    }

    /// Records that `expression` at `at` stands for a placeholder, and why.
    pub(super) fn note_unevaluated(&self, at: &Location, expression: &str, reason: &str) {
        self.unevaluated.borrow_mut().push(Unevaluated {
            path: at.to_string(),
            expression: crate::model::excerpt::excerpt(expression),
            reason: reason.to_string(),
        });
    }

    pub(super) fn warn(&self, element: &str, at: &Location, message: impl Into<String>) {
        self.diagnostics
            .borrow_mut()
            .push(Diagnostic::warning(element, at.to_string(), message));
    }

    pub(super) fn error(&self, element: &str, at: &Location, message: impl Into<String>) {
        self.diagnostics
            .borrow_mut()
            .push(Diagnostic::error(element, at.to_string(), message));
    }

    pub(super) fn add_instance(&self, instance: Instance) {
        self.instances
            .borrow_mut()
            .insert(instance.address.clone(), instance);
    }

    /// The attributes of the evaluated instance whose `id` is `id` (ARM ids compare
    /// case-insensitively).
    pub(super) fn instance_with_id(&self, id: &str) -> Option<Value> {
        self.instances
            .borrow()
            .values()
            .find(|instance| {
                instance
                    .attributes
                    .get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|own| own.eq_ignore_ascii_case(id))
            })
            .map(|instance| instance.attributes.clone())
    }

    pub(super) fn into_parts(self) -> (Vec<Instance>, Vec<Diagnostic>, Vec<Unevaluated>) {
        let mut unevaluated = self.unevaluated.into_inner();
        sorting::sort(&mut unevaluated);
        unevaluated.dedup();
        (
            self.instances.into_inner().into_values().collect(),
            self.diagnostics.into_inner(),
            unevaluated,
        )
    }
}
