//! ARM template evaluation: a template with expressions (as written by hand or compiled from
//! Bicep) becomes the resolved resource JSON that `azure` already converts into a design.
//!
//! Evaluation simulates a deployment without Azure: parameters come from `--param`, a
//! parameters file or their defaults; variables, the function library (`functions/`), copy
//! loops (`copy`), conditions and nested deployments with inner or outer scope (`deployment`)
//! are evaluated; `reference()` reads resources of the same template as the template defines
//! them. What needs a live Azure (keys and secrets from `list*`, run-time properties, linked
//! templates, functions outside the library) becomes a named placeholder, a warning with the
//! JSON path and the expression, and an entry of the summary's "not evaluated" list; the
//! import continues. Templates Azure would reject (syntax or type errors) are errors at their
//! path. Nothing here panics on any input, and evaluation runs within a deterministic budget
//! (`import/budget`, shared with Terraform: steps, bytes of values, output elements, nesting),
//! so no input hangs.
//!
//! Files: `lexer`/`parser` (expression syntax), `evaluator` (one expression), `value`
//! (argument access, placeholders), `functions/` (library by family), `hash` (`uniqueString`,
//! `guid`), `scope` (parameters and variables), `parameters` (where values come from),
//! `environment` (subscription, resource group, region, cloud), `copy`, `resolve` (JSON with
//! expressions → JSON), `deployment` (resources and nested deployments), `run` (the state of
//! one evaluation), `runtime` (values Azure assigns predictably), `convert` (hand-over to `azure`, with paths mapped back).

mod convert;
mod copy;
mod deployment;
mod environment;
mod error;
mod evaluator;
mod functions;
mod hash;
mod lexer;
mod parameters;
mod parser;
mod resolve;
mod run;
mod runtime;
mod scope;
mod value;

use serde_json::Value;

use self::environment::DeploymentContext;
use self::parameters::Supplied;
use self::run::Run;
use super::documents;
use super::LoadError;
use crate::model::Diagnostic;

pub use crate::import::budget::{
    BudgetExceeded, BudgetMeasure, EvaluationLimits, EvaluationUsage, DEFAULT_MAX_EVALUATION_STEPS,
};
pub(crate) use convert::load;

/// What a template deployment is given besides the template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateInputs {
    /// An ARM parameters file: its name (for messages) and text.
    pub parameters_file: Option<(String, String)>,
    /// `name=value` overrides (`--param`), applied after the parameters file; the text is read
    /// as the parameter's declared type (JSON for arrays and objects).
    pub overrides: Vec<(String, String)>,
    /// The resource group's region (`resourceGroup().location`), also the cloud's
    /// (`environment()`); `eastus` when not given.
    pub location: Option<String>,
    /// The evaluation budget of the whole input (all its templates together).
    pub limits: EvaluationLimits,
}

impl TemplateInputs {
    /// Whether nothing is given for a deployment (the budget is not a deployment input).
    pub fn is_empty(&self) -> bool {
        self.parameters_file.is_none() && self.overrides.is_empty() && self.location.is_none()
    }
}

/// Something the evaluation could not compute; a placeholder stands in for it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Unevaluated {
    /// `source: $.json.path` of the value.
    pub path: String,
    /// The template expression (or construct) as written.
    pub expression: String,
    pub reason: String,
}

/// A template, evaluated: its resources as resolved JSON with the JSON path each came from.
pub(crate) struct Evaluated {
    pub(crate) resources: Vec<Value>,
    pub(crate) origins: Vec<String>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) unevaluated: Vec<Unevaluated>,
    pub(crate) usage: EvaluationUsage,
}

/// Whether a document is an ARM template that needs evaluating: it has expressions, copy
/// loops or conditions (expression-free templates import directly).
pub(crate) fn needs_evaluation(document: &Value) -> bool {
    is_template(document)
        && document.as_object().is_some_and(|object| {
            object
                .iter()
                .any(|(key, value)| key != "$schema" && dynamic(value))
        })
}

/// Whether a document is an ARM deployment template.
pub(crate) fn is_template(document: &Value) -> bool {
    let schema = document
        .get("$schema")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    schema.contains("deploymenttemplate")
        || (document.get("resources").is_some() && document.get("contentVersion").is_some())
}

fn dynamic(value: &Value) -> bool {
    match value {
        Value::String(text) => parser::is_expression(text),
        Value::Array(items) => items.iter().any(dynamic),
        Value::Object(object) => object.iter().any(|(key, value)| {
            key == "copy" || key == "condition" || parser::is_expression(key) || dynamic(value)
        }),
        _ => false,
    }
}

/// Evaluates `template` with `inputs` within `limits`. Errors are about the inputs (an
/// unreadable parameters file) or a spent budget; problems in the template are diagnostics.
pub(crate) fn evaluate(
    template: &Value,
    source: &str,
    inputs: &TemplateInputs,
    limits: EvaluationLimits,
) -> Result<Evaluated, LoadError> {
    let mut supplied: Vec<(String, Supplied, String)> = Vec::new();
    if let Some((file_source, text)) = &inputs.parameters_file {
        let documents = documents::split(text, file_source)?;
        let [document] = documents.as_slice() else {
            return Err(LoadError::at(
                file_source,
                None,
                "$",
                format!(
                    "a parameters file holds one JSON document, but this one holds {}",
                    documents.len()
                ),
            ));
        };
        let values = parameters::from_file(document)
            .map_err(|(path, message)| LoadError::at(file_source, None, path, message))?;
        supplied.extend(values.into_iter().map(|(name, value)| {
            let origin = format!(
                "{file_source}: $.parameters{}",
                super::node::member_path(&name)
            );
            (name, value, origin)
        }));
    }
    supplied.extend(inputs.overrides.iter().map(|(name, text)| {
        (
            name.clone(),
            Supplied::Text(text.clone()),
            format!("--param {name}"),
        )
    }));
    let run = Run::new(source, limits);
    deployment::deploy(
        &run,
        template,
        DeploymentContext::top_level(inputs.location.as_deref()),
        supplied,
    );
    if let Some(exceeded) = run.exceeded() {
        return Err(LoadError::budget(source, exceeded));
    }
    let usage = run.usage();
    let emitted = run.emitted();
    let (diagnostics, unevaluated) = run.into_findings();
    let (resources, origins) = emitted
        .into_iter()
        .map(|emitted| (emitted.resource, emitted.origin))
        .unzip();
    Ok(Evaluated {
        resources,
        origins,
        diagnostics,
        unevaluated,
        usage,
    })
}
