//! The evaluation budget: one template or Terraform configuration evaluation may do a bounded
//! amount of work, so hostile or mistaken input (doubling chains, amplifying `replace`, nested
//! loops over `range`, `count` over huge numbers) stops with an error instead of hanging or
//! exhausting memory — in the CLI and in the browser alike. ARM templates (`arm`) and Terraform
//! (`terraform`) share it.
//!
//! Four counters, all deterministic (never a clock), so the same input always stops at the
//! same place:
//! - steps: one per expression node evaluated, per template JSON node resolved, per lambda
//!   application, plus the comparisons of functions that are not linear (`union`,
//!   `intersection`, `reference` lookups);
//! - bytes: the size of every value produced (an expression's result, a resolved literal, a
//!   lambda's bound values), counted when it is produced — a sound upper bound of the bytes
//!   alive at any time; functions whose output can outgrow their input (`replace`, `join`,
//!   `format`, `split`, `padLeft`, `json`) are charged their output's bound before building it;
//! - elements: resources declared and items of property, variable and output copy loops;
//! - depth: definitions evaluated inside one another (variables, parameters, resources read by
//!   `reference()`, nested deployments), which bounds the native stack; values nest at most
//!   [`MAX_VALUE_NESTING`] levels.
//!
//! The first counter to pass its limit stops the evaluation: every later charge fails at once,
//! so the rest of the template unwinds quickly, and the import fails with the JSON path and
//! the expression being evaluated when the limit was passed.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde_json::Value;

/// Why a charge was refused: the budget is spent (the budget holds where and why), or a value
/// nests deeper than [`MAX_VALUE_NESTING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refused {
    Exhausted,
    TooDeep,
}

/// Default step limit; bytes and elements scale with it (see [`EvaluationLimits::with_max_steps`]).
pub const DEFAULT_MAX_EVALUATION_STEPS: u64 = 2_000_000;
/// Bytes of values per step of the budget.
const BYTES_PER_STEP: u64 = 16;
/// Steps of the budget per output element.
const STEPS_PER_ELEMENT: u64 = 50;
/// Definitions evaluated inside one another (variable → variable → …).
const MAX_DEPTH: u64 = 64;
/// Values nest at most this deep (as serde_json parses JSON); deeper values are an error.
pub(crate) const MAX_VALUE_NESTING: usize = 128;
/// The bytes one JSON value occupies before its contents (a fixed figure, so the count is the
/// same on every platform).
pub(crate) const VALUE_BYTES: u64 = 32;

/// How much one template evaluation may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvaluationLimits {
    pub steps: u64,
    pub bytes: u64,
    pub elements: u64,
    pub depth: u64,
}

impl EvaluationLimits {
    /// The budget `--max-evaluation-steps` sets: `steps` steps, 16 bytes of values per step
    /// and one output element per 50 steps; the depth limit stays.
    pub fn with_max_steps(steps: u64) -> Self {
        EvaluationLimits {
            steps,
            bytes: steps.saturating_mul(BYTES_PER_STEP),
            elements: steps / STEPS_PER_ELEMENT,
            depth: MAX_DEPTH,
        }
    }

    /// What is left of these limits after `usage` (the depth limit is not consumed).
    pub fn less(self, usage: EvaluationUsage) -> Self {
        EvaluationLimits {
            steps: self.steps.saturating_sub(usage.steps),
            bytes: self.bytes.saturating_sub(usage.bytes),
            elements: self.elements.saturating_sub(usage.elements),
            depth: self.depth,
        }
    }
}

impl EvaluationUsage {
    /// Both evaluations' counters together (for depth, the deeper one).
    pub fn plus(self, other: EvaluationUsage) -> Self {
        EvaluationUsage {
            steps: self.steps.saturating_add(other.steps),
            bytes: self.bytes.saturating_add(other.bytes),
            elements: self.elements.saturating_add(other.elements),
            depth: self.depth.max(other.depth),
        }
    }
}

impl Default for EvaluationLimits {
    fn default() -> Self {
        EvaluationLimits::with_max_steps(DEFAULT_MAX_EVALUATION_STEPS)
    }
}

/// What an evaluation used (for `depth`, the deepest nesting reached).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvaluationUsage {
    pub steps: u64,
    pub bytes: u64,
    pub elements: u64,
    pub depth: u64,
}

/// The counter that passed its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetMeasure {
    Steps,
    Bytes,
    Elements,
    Depth,
}

impl BudgetMeasure {
    fn describe(self, limit: u64) -> String {
        match self {
            BudgetMeasure::Steps => format!("more than {limit} evaluation steps"),
            BudgetMeasure::Bytes => format!("more than {limit} bytes of values"),
            BudgetMeasure::Elements => {
                format!("more than {limit} resources and copy-loop items")
            }
            BudgetMeasure::Depth => {
                format!("definitions nested more than {limit} deep (variables, references, deployments)")
            }
        }
    }
}

/// Why and where an evaluation stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetExceeded {
    pub measure: BudgetMeasure,
    pub limit: u64,
    /// The counters when the evaluation stopped, without the charge that was refused (work
    /// done and values produced; a refused value was built only when its size could not be
    /// known before).
    pub usage: EvaluationUsage,
    /// JSON path of the value being evaluated.
    pub path: String,
    /// The expression being evaluated (shortened).
    pub expression: String,
}

impl fmt::Display for BudgetExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let raise = match self.measure {
            BudgetMeasure::Depth => "a template nesting this deep is not evaluated".to_string(),
            _ => format!(
                "the CLI raises the budget with --max-evaluation-steps (default \
                 {DEFAULT_MAX_EVALUATION_STEPS} steps; bytes and elements scale with it)"
            ),
        };
        write!(
            f,
            "`{}`: the evaluation budget is exhausted: {}; {raise}",
            self.expression,
            self.measure.describe(self.limit)
        )
    }
}

/// What one charge costs.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Cost {
    pub(crate) steps: u64,
    pub(crate) bytes: u64,
    pub(crate) elements: u64,
}

impl Cost {
    pub(crate) fn steps(steps: u64) -> Self {
        Cost {
            steps,
            ..Cost::default()
        }
    }

    pub(crate) fn bytes(bytes: u64) -> Self {
        Cost {
            bytes,
            ..Cost::default()
        }
    }

    pub(crate) fn element() -> Self {
        Cost {
            elements: 1,
            ..Cost::default()
        }
    }
}

/// The counters of one evaluation.
pub(crate) struct Budget {
    limits: EvaluationLimits,
    usage: Cell<EvaluationUsage>,
    depth: Cell<u64>,
    exceeded: RefCell<Option<BudgetExceeded>>,
}

impl Budget {
    pub(crate) fn new(limits: EvaluationLimits) -> Self {
        Budget {
            limits,
            usage: Cell::new(EvaluationUsage::default()),
            depth: Cell::new(0),
            exceeded: RefCell::new(None),
        }
    }

    pub(crate) fn usage(&self) -> EvaluationUsage {
        self.usage.get()
    }

    pub(crate) fn exceeded(&self) -> Option<BudgetExceeded> {
        self.exceeded.borrow().clone()
    }

    /// Adds `cost`; `Exhausted` once any limit has been passed (here or before).
    pub(crate) fn charge(&self, path: &str, expression: &str, cost: Cost) -> Result<(), Refused> {
        self.charge_at(|| (path.to_string(), expression.to_string()), cost)
    }

    /// Like [`Budget::charge`], building the path and expression only when the charge is
    /// refused (for callers that would otherwise format them on every step).
    pub(crate) fn charge_at(
        &self,
        site: impl FnOnce() -> (String, String),
        cost: Cost,
    ) -> Result<(), Refused> {
        if self.exceeded.borrow().is_some() {
            return Err(Refused::Exhausted);
        }
        let mut usage = self.usage.get();
        usage.steps = usage.steps.saturating_add(cost.steps);
        usage.bytes = usage.bytes.saturating_add(cost.bytes);
        usage.elements = usage.elements.saturating_add(cost.elements);
        let limits = self.limits;
        let passed = [
            (BudgetMeasure::Steps, usage.steps, limits.steps),
            (BudgetMeasure::Bytes, usage.bytes, limits.bytes),
            (BudgetMeasure::Elements, usage.elements, limits.elements),
        ]
        .into_iter()
        .find(|(_, used, limit)| used > limit);
        match passed {
            Some((measure, _, limit)) => {
                let (path, expression) = site();
                Err(self.stop(&path, &expression, measure, limit))
            }
            None => {
                self.usage.set(usage);
                Ok(())
            }
        }
    }

    /// Charges the size of `value`, which must nest at most [`MAX_VALUE_NESTING`] levels.
    pub(crate) fn charge_value(
        &self,
        path: &str,
        expression: &str,
        value: &Value,
    ) -> Result<(), Refused> {
        match value_size(value) {
            Some(bytes) => self.charge(path, expression, Cost::bytes(bytes)),
            None => Err(Refused::TooDeep),
        }
    }

    /// Enters a definition evaluated inside the current one; [`Budget::leave`] when done.
    pub(crate) fn enter(&self, path: &str, expression: &str) -> Result<(), Refused> {
        if self.exceeded.borrow().is_some() {
            return Err(Refused::Exhausted);
        }
        let depth = self.depth.get() + 1;
        self.depth.set(depth);
        let mut usage = self.usage.get();
        usage.depth = usage.depth.max(depth);
        self.usage.set(usage);
        if depth > self.limits.depth {
            return Err(self.stop(path, expression, BudgetMeasure::Depth, self.limits.depth));
        }
        Ok(())
    }

    pub(crate) fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }

    fn stop(&self, path: &str, expression: &str, measure: BudgetMeasure, limit: u64) -> Refused {
        *self.exceeded.borrow_mut() = Some(BudgetExceeded {
            measure,
            limit,
            usage: self.usage.get(),
            path: path.to_string(),
            expression: crate::model::excerpt::excerpt(expression),
        });
        Refused::Exhausted
    }
}

/// The bytes `value` occupies (see [`VALUE_BYTES`]), or `None` when it nests deeper than
/// [`MAX_VALUE_NESTING`]. Iterative, so a deep value cannot overflow the stack here.
pub(crate) fn value_size(value: &Value) -> Option<u64> {
    let mut total = 0u64;
    let mut pending: Vec<(&Value, usize)> = vec![(value, 1)];
    while let Some((value, depth)) = pending.pop() {
        if depth > MAX_VALUE_NESTING {
            return None;
        }
        total = total.saturating_add(VALUE_BYTES);
        match value {
            Value::String(text) => total = total.saturating_add(text.len() as u64),
            Value::Array(items) => pending.extend(items.iter().map(|item| (item, depth + 1))),
            Value::Object(object) => {
                for (key, item) in object {
                    total = total.saturating_add(VALUE_BYTES + key.len() as u64);
                    pending.push((item, depth + 1));
                }
            }
            _ => {}
        }
    }
    Some(total)
}

/// The bytes of a string of `length` bytes as a value.
pub(crate) fn string_bytes(length: u64) -> u64 {
    VALUE_BYTES.saturating_add(length)
}
