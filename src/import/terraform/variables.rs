//! The root module's variable values, in Terraform's order of precedence (later wins):
//! `terraform.tfvars`, `*.auto.tfvars` (by name), each `-var-file`, each `-var NAME=VALUE`.
//! A `.tfvars` file holds constant expressions; a `-var` value is the raw string for a
//! variable of type `string` (or no type) and an HCL expression otherwise, as in Terraform.

use std::collections::BTreeMap;

use serde_json::Value;

use super::config::{Location, Mode, Module};
use super::expressions::{Evaluator, Frame, References};
use super::files::FileSet;
use super::modules::ModuleInstance;
use super::run::{invalid, Run, Stop};
use super::TerraformInputs;
use crate::import::LoadError;

pub(super) fn root_values(
    files: &FileSet,
    root: &Module,
    inputs: &TerraformInputs,
    run: &Run,
) -> Result<BTreeMap<String, Value>, LoadError> {
    let mut values = BTreeMap::new();
    let variable_files = files
        .automatic_variable_files()
        .into_iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .chain(inputs.variable_files.iter().cloned());
    for (name, text) in variable_files {
        read_file(&name, &text, root, run, &mut values)?;
    }
    for (name, raw) in &inputs.variables {
        let declared = ModuleInstance::variable_type(root, name);
        let value = match declared.as_deref() {
            None => {
                return Err(LoadError::whole(
                    "-var",
                    format!("`{name}`: the root module declares no such variable"),
                ))
            }
            Some(kind) if kind.is_empty() || kind == "string" => Value::String(raw.clone()),
            Some(_) => {
                let expr = hcl::edit::parser::parse_expr(raw)
                    .map_err(|e| LoadError::whole("-var", format!("`{name}`: {}", e.message())))?;
                constant(run, "-var", 1, &hcl::Expression::from(expr))
                    .map_err(|message| LoadError::whole("-var", format!("`{name}`: {message}")))?
            }
        };
        values.insert(name.clone(), value);
    }
    Ok(values)
}

fn read_file(
    name: &str,
    text: &str,
    root: &Module,
    run: &Run,
    values: &mut BTreeMap<String, Value>,
) -> Result<(), LoadError> {
    let body = hcl::edit::parser::parse_body(text).map_err(|error| {
        let location = error.location();
        LoadError::whole(name, error.message().to_string())
            .with_position(location.line(), location.column())
    })?;
    for structure in body.into_iter() {
        let Some(attribute) = structure.as_attribute() else {
            continue;
        };
        let line = hcl::edit::Span::span(attribute)
            .map_or(1, |span| super::files::line_of(text, span.start));
        let key = attribute.key.to_string();
        if !root.variables.contains_key(&key) {
            run.warn(
                &format!("var.{key}"),
                &Location {
                    file: name.to_string(),
                    line,
                },
                "a value for a variable the root module does not declare; ignored",
            );
            continue;
        }
        let expr = hcl::Expression::from(attribute.value.clone());
        let value = constant(run, name, line, &expr).map_err(|message| {
            LoadError::at(name, None, key.clone(), message).with_position(line, 1)
        })?;
        values.insert(key, value);
    }
    Ok(())
}

/// A constant expression: references are errors.
fn constant(run: &Run, file: &str, line: usize, expr: &hcl::Expression) -> Result<Value, String> {
    let at = Location {
        file: file.to_string(),
        line,
    };
    let scope = Constant { run };
    match (Evaluator {
        scope: &scope,
        at: &at,
    })
    .eval(expr, &Frame::default())
    {
        Ok(value) => Ok(value),
        Err(Stop::Invalid(message)) => Err(message),
        Err(Stop::Exhausted) => Err("the evaluation budget is exhausted".to_string()),
    }
}

/// A scope with nothing to refer to (variable files hold constants).
struct Constant<'r> {
    run: &'r Run,
}

impl References for Constant<'_> {
    fn run(&self) -> &Run {
        self.run
    }
    fn variable(&self, name: &str, _: &Location) -> Result<Value, Stop> {
        invalid(format!("`var.{name}`: variable values must be constants"))
    }
    fn local(&self, name: &str, _: &Location) -> Result<Value, Stop> {
        invalid(format!("`local.{name}`: variable values must be constants"))
    }
    fn resource(
        &self,
        _: Mode,
        type_name: &str,
        name: &str,
        _: &Location,
    ) -> Result<Option<Value>, Stop> {
        invalid(format!(
            "`{type_name}.{name}`: variable values must be constants"
        ))
    }
    fn module_outputs(&self, name: &str, _: &Location) -> Result<Value, Stop> {
        invalid(format!(
            "`module.{name}`: variable values must be constants"
        ))
    }
    fn path(&self, _: &str) -> Option<Value> {
        None
    }
}
