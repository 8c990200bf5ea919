//! The state of one template evaluation: the declared resources ("slots", evaluated on demand
//! so `reference()` works whatever the order), the diagnostics, and the list of what could not
//! be evaluated. Everything is behind `RefCell`s because evaluation is re-entrant: a resource's
//! expression may reference another resource, which is then evaluated first. No borrow is held
//! across an evaluation.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::Value;

use super::copy::CopyIndices;
use super::deployment::evaluate_slot;
use super::error::EvalError;
use super::evaluator::Site;
use super::functions::split_resource_id;
use super::runtime::complete;
use super::scope::Scope;
use super::Unevaluated;
use crate::import::budget::{Budget, BudgetExceeded, Cost, EvaluationLimits, EvaluationUsage};
use crate::model::excerpt::excerpt;
use crate::model::Diagnostic;

/// A declared resource of some template.
#[derive(Debug)]
pub(super) struct Slot<'t> {
    pub(super) scope: Rc<Scope<'t>>,
    pub(super) definition: &'t Value,
    /// JSON path of the definition.
    pub(super) path: String,
    pub(super) copy: CopyIndices,
    /// Full type (`Microsoft.Network/virtualNetworks/subnets`) and name (`vnet/subnet`).
    pub(super) type_name: String,
    pub(super) name: String,
    /// Symbolic name (`languageVersion` 2.0), with `[i]` for copy instances.
    pub(super) symbol: Option<String>,
    /// `existing: true`: referenced, not deployed.
    pub(super) existing: bool,
    pub(super) state: SlotState,
}

#[derive(Debug, Clone)]
pub(super) enum SlotState {
    Pending,
    Evaluating,
    /// The resolved resource.
    Done(Value),
    /// Nothing can be known about it (reported when it failed).
    Failed,
}

/// A resolved resource in output order, with the JSON path of its definition.
pub(super) struct Emitted {
    pub(super) resource: Value,
    pub(super) origin: String,
}

pub(super) struct Run<'t> {
    source: String,
    diagnostics: RefCell<Vec<Diagnostic>>,
    unevaluated: RefCell<Vec<Unevaluated>>,
    slots: RefCell<Vec<Slot<'t>>>,
    next_scope: Cell<usize>,
    budget: Budget,
}

impl<'t> Run<'t> {
    pub(super) fn new(source: &str, limits: EvaluationLimits) -> Self {
        Run {
            source: source.to_string(),
            diagnostics: RefCell::new(Vec::new()),
            unevaluated: RefCell::new(Vec::new()),
            slots: RefCell::new(Vec::new()),
            next_scope: Cell::new(0),
            budget: Budget::new(limits),
        }
    }

    /// Charges the budget for work at `site`; `Exhausted` once it is spent.
    pub(super) fn charge(
        &self,
        site: &Site,
        expression: &str,
        cost: Cost,
    ) -> Result<(), EvalError> {
        Ok(self.budget.charge(site.path, expression, cost)?)
    }

    /// Charges the budget for a value produced at `site`.
    pub(super) fn charge_value(
        &self,
        site: &Site,
        expression: &str,
        value: &Value,
    ) -> Result<(), EvalError> {
        Ok(self.budget.charge_value(site.path, expression, value)?)
    }

    /// Evaluates `nested`, a definition inside the current one, within the depth limit.
    pub(super) fn nested<T>(
        &self,
        site: &Site,
        expression: &str,
        nested: impl FnOnce() -> T,
    ) -> Result<T, EvalError> {
        self.budget.enter(site.path, expression)?;
        let result = nested();
        self.budget.leave();
        Ok(result)
    }

    pub(super) fn usage(&self) -> EvaluationUsage {
        self.budget.usage()
    }

    pub(super) fn exceeded(&self) -> Option<BudgetExceeded> {
        self.budget.exceeded()
    }

    pub(super) fn slot_count(&self) -> usize {
        self.slots.borrow().len()
    }

    pub(super) fn new_scope_id(&self) -> usize {
        let id = self.next_scope.get();
        self.next_scope.set(id + 1);
        id
    }

    /// `source: $.path` for a path into the template; other origins (a parameters file's
    /// `file: $.parameters.x`, `--param x`) are complete already.
    fn location(&self, path: &str) -> String {
        if path.starts_with('$') {
            format!("{}: {path}", self.source)
        } else {
            path.to_string()
        }
    }

    /// Reports an evaluation failure of `expression` at `site`: unsupported constructs are
    /// warnings (and listed as not evaluated), invalid ones errors.
    pub(super) fn report(&self, site: &Site, expression: &str, error: &EvalError) {
        match error {
            EvalError::Unsupported(reason) => self.note_unevaluated(site, expression, reason),
            EvalError::Invalid(message) => self.diagnostics.borrow_mut().push(Diagnostic::error(
                site.element,
                self.location(site.path),
                format!("`{}`: {message}", excerpt(expression)),
            )),
            EvalError::Exhausted => {}
        }
    }

    pub(super) fn report_invalid(&self, site: &Site, expression: &str, message: &str) {
        self.report(site, expression, &EvalError::invalid(message));
    }

    /// Records something not evaluated (a placeholder took its place) with a warning.
    pub(super) fn note_unevaluated(&self, site: &Site, expression: &str, reason: &str) {
        let location = self.location(site.path);
        self.diagnostics.borrow_mut().push(Diagnostic::warning(
            site.element,
            location.clone(),
            format!("`{}` not evaluated: {reason}", excerpt(expression)),
        ));
        self.unevaluated.borrow_mut().push(Unevaluated {
            path: location,
            expression: expression.to_string(),
            reason: reason.to_string(),
        });
    }

    pub(super) fn warn(&self, site: &Site, message: impl Into<String>) {
        self.diagnostics.borrow_mut().push(Diagnostic::warning(
            site.element,
            self.location(site.path),
            message,
        ));
    }

    pub(super) fn declare(&self, slot: Slot<'t>) -> usize {
        let mut slots = self.slots.borrow_mut();
        slots.push(slot);
        slots.len() - 1
    }

    /// A copy of what evaluating slot `index` needs, marking it as being evaluated; `None`
    /// when it is not pending.
    pub(super) fn start(&self, index: usize) -> Option<SlotStart<'t>> {
        let mut slots = self.slots.borrow_mut();
        let slot = slots.get_mut(index)?;
        if !matches!(slot.state, SlotState::Pending) {
            return None;
        }
        slot.state = SlotState::Evaluating;
        Some(SlotStart {
            scope: Rc::clone(&slot.scope),
            definition: slot.definition,
            path: slot.path.clone(),
            copy: slot.copy.clone(),
            type_name: slot.type_name.clone(),
            name: slot.name.clone(),
            existing: slot.existing,
        })
    }

    pub(super) fn finish(&self, index: usize, state: SlotState) {
        if let Some(slot) = self.slots.borrow_mut().get_mut(index) {
            slot.state = state;
        }
    }

    /// The resolved resource of slot `index`, evaluating it first if needed; `None` while it
    /// is being evaluated (a cycle) or when it failed.
    pub(super) fn resolved(&self, index: usize) -> Option<Value> {
        evaluate_slot(self, index);
        match self.slots.borrow().get(index).map(|slot| &slot.state) {
            Some(SlotState::Done(value)) => Some(value.clone()),
            _ => None,
        }
    }

    /// The resource `target` names (a resource ID, a symbolic name or a name) as seen from
    /// `scope`, resolved.
    pub(super) fn reference(&self, scope: &Scope<'t>, target: &str) -> Option<Value> {
        let found = {
            let slots = self.slots.borrow();
            let by_id = split_resource_id(target).and_then(|(type_name, name)| {
                slots.iter().position(|slot| {
                    slot.type_name.eq_ignore_ascii_case(&type_name)
                        && slot.name.eq_ignore_ascii_case(&name)
                })
            });
            by_id.or_else(|| {
                let same_scope = |slot: &Slot| slot.scope.id == scope.id;
                slots
                    .iter()
                    .position(|slot| {
                        same_scope(slot)
                            && slot
                                .symbol
                                .as_deref()
                                .is_some_and(|symbol| symbol.eq_ignore_ascii_case(target))
                    })
                    .or_else(|| {
                        slots.iter().position(|slot| {
                            same_scope(slot) && slot.name.eq_ignore_ascii_case(target)
                        })
                    })
            })
        };
        let index = found?;
        let mut resource = self.resolved(index)?;
        let type_name = self
            .slots
            .borrow()
            .get(index)
            .map(|slot| slot.type_name.clone())
            .unwrap_or_default();
        complete(self, scope, &type_name, &mut resource);
        Some(resource)
    }

    /// The deployed resources (not `existing` ones, not deployments) in declaration order.
    pub(super) fn emitted(&self) -> Vec<Emitted> {
        self.slots
            .borrow()
            .iter()
            .filter(|slot| {
                !slot.existing
                    && !slot
                        .type_name
                        .eq_ignore_ascii_case("Microsoft.Resources/deployments")
            })
            .filter_map(|slot| match &slot.state {
                SlotState::Done(resource) => Some(Emitted {
                    resource: resource.clone(),
                    origin: slot.path.clone(),
                }),
                _ => None,
            })
            .collect()
    }

    pub(super) fn into_findings(self) -> (Vec<Diagnostic>, Vec<Unevaluated>) {
        (self.diagnostics.into_inner(), self.unevaluated.into_inner())
    }
}

/// What evaluating one slot needs (copied out so no borrow is held while evaluating).
pub(super) struct SlotStart<'t> {
    pub(super) scope: Rc<Scope<'t>>,
    pub(super) definition: &'t Value,
    pub(super) path: String,
    pub(super) copy: CopyIndices,
    pub(super) type_name: String,
    pub(super) name: String,
    pub(super) existing: bool,
}
