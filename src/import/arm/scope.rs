//! One expression scope: a template's parameters (with their supplied values) and variables,
//! both evaluated lazily, once, in any order (JSON objects do not keep declaration order), with
//! cycles reported; and its deployment context. The top-level
//! template has one; each nested deployment with `inner` scope has its own, while `outer` scope
//! deployments share their parent's.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde_json::Value;

use super::copy::{variable_copy, CopyIndices};
use super::environment::DeploymentContext;
use super::error::EvalError;
use super::evaluator::Site;
use super::parameters::{parameter_value, Supplied};
use super::resolve::resolve;
use super::run::Run;
use crate::import::node::member_path;

/// How a variable is defined.
#[derive(Debug, Clone, Copy)]
enum Definition<'t> {
    Value(&'t Value),
    /// An entry of the `copy` array of the `variables` section.
    Copy(&'t Value),
}

#[derive(Debug, Clone)]
enum State {
    Evaluating,
    Done(Value),
}

/// Parameters and variables have separate names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Namespace {
    Parameter,
    Variable,
}

/// A declared parameter: its declaration, path and the value supplied for it, if any.
#[derive(Debug)]
pub(super) struct Parameter<'t> {
    pub(super) name: String,
    pub(super) declaration: &'t Value,
    pub(super) path: String,
    pub(super) supplied: Option<Supplied>,
}

#[derive(Debug)]
pub(super) struct Scope<'t> {
    /// Distinguishes scopes for symbolic resource names.
    pub(super) id: usize,
    pub(super) deployment: DeploymentContext,
    /// Lower-cased parameter name → declaration and supplied value.
    parameters: BTreeMap<String, Parameter<'t>>,
    /// Lower-cased variable name → definition and its JSON path.
    variables: BTreeMap<String, (Definition<'t>, String)>,
    values: RefCell<BTreeMap<(Namespace, String), State>>,
}

impl<'t> Scope<'t> {
    pub(super) fn new(
        id: usize,
        template: &'t Value,
        template_path: String,
        deployment: DeploymentContext,
        parameters: Vec<Parameter<'t>>,
    ) -> Self {
        let mut variables = BTreeMap::new();
        let section_path = format!("{template_path}.variables");
        if let Some(section) = template.get("variables").and_then(Value::as_object) {
            for (name, definition) in section {
                if name.eq_ignore_ascii_case("copy") && definition.is_array() {
                    for (index, entry) in definition.as_array().into_iter().flatten().enumerate() {
                        if let Some(copy_name) = entry.get("name").and_then(Value::as_str) {
                            variables.insert(
                                copy_name.to_ascii_lowercase(),
                                (
                                    Definition::Copy(entry),
                                    format!("{section_path}.copy[{index}]"),
                                ),
                            );
                        }
                    }
                } else {
                    variables.insert(
                        name.to_ascii_lowercase(),
                        (
                            Definition::Value(definition),
                            format!("{section_path}{}", member_path(name)),
                        ),
                    );
                }
            }
        }
        Scope {
            id,
            deployment,
            parameters: parameters
                .into_iter()
                .map(|parameter| (parameter.name.to_ascii_lowercase(), parameter))
                .collect(),
            variables,
            values: RefCell::new(BTreeMap::new()),
        }
    }

    /// The declared parameter names, for binding them all (so every problem is reported).
    pub(super) fn parameter_names(&self) -> Vec<String> {
        self.parameters.values().map(|p| p.name.clone()).collect()
    }

    /// A parameter's value: supplied, else its default, else a stand-in (reported).
    pub(super) fn parameter(&self, run: &Run<'t>, name: &str) -> Result<Value, EvalError> {
        let parameter = self
            .parameters
            .get(&name.to_ascii_lowercase())
            .ok_or_else(|| {
                EvalError::invalid(format!("the template declares no parameter `{name}`"))
            })?;
        let site = Site {
            path: &parameter.path,
            element: "parameters",
        };
        self.memoized(run, &site, Namespace::Parameter, name, || {
            parameter_value(run, self, parameter)
        })
    }

    /// A variable's value; problems inside it are reported once, at its own path.
    pub(super) fn variable(&self, run: &Run<'t>, name: &str) -> Result<Value, EvalError> {
        let (definition, path) =
            self.variables
                .get(&name.to_ascii_lowercase())
                .ok_or_else(|| {
                    EvalError::invalid(format!("the template declares no variable `{name}`"))
                })?;
        let site = Site {
            path,
            element: "variables",
        };
        self.memoized(run, &site, Namespace::Variable, name, || match definition {
            Definition::Value(value) => resolve(run, self, &CopyIndices::default(), &site, value),
            Definition::Copy(entry) => variable_copy(run, self, &site, entry),
        })
    }

    /// The value of `name`, computed once (inside the budget's depth limit: a definition in
    /// terms of another nests one level deeper).
    fn memoized(
        &self,
        run: &Run<'t>,
        site: &Site,
        namespace: Namespace,
        name: &str,
        compute: impl FnOnce() -> Value,
    ) -> Result<Value, EvalError> {
        let key = (namespace, name.to_ascii_lowercase());
        match self.values.borrow().get(&key) {
            Some(State::Done(value)) => return Ok(value.clone()),
            Some(State::Evaluating) => {
                return Err(EvalError::invalid(format!(
                    "`{name}` is defined in terms of itself"
                )))
            }
            None => {}
        }
        self.values
            .borrow_mut()
            .insert(key.clone(), State::Evaluating);
        let value = run.nested(site, name, compute).inspect_err(|_| {
            self.values.borrow_mut().remove(&key);
        })?;
        self.values
            .borrow_mut()
            .insert(key, State::Done(value.clone()));
        Ok(value)
    }
}
