//! Import: load user input into a [`Design`](crate::model::Design), never panicking.
//!
//! Two formats are recognised automatically:
//! - vnetlab's design JSON (an object with `schema_version`), parsed with exact JSON paths,
//!   lines and columns for bad values, then validated;
//! - resolved Azure resource JSON, as `az ... show` and REST GET return it: one resource, a
//!   JSON array or `{"value": [...]}` list, an ARM template without template expressions, a
//!   REST API example file (its 200 or 201 body), or several documents concatenated. The
//!   resources are converted family by family (`azure`); every problem becomes a
//!   diagnostic naming the source, the JSON path and the element.
//!
//! ARM templates with expressions, copy loops or conditions are evaluated first (`arm`, with
//! the parameters, parameters file and region of [`TemplateInputs`]) and their resolved
//! resources converted the same way.
//!
//! Documents that are Azure data but not resources (effective routes or security rules, service
//! tag lists) load as an empty design with a warning saying what was ignored, so a user who
//! picked the wrong file learns why nothing appeared.
//!
//! The module is pure (the CLI reads files and passes text and a source name) and depends only
//! on `model`.

mod arm;
mod azure;
mod budget;
mod design_json;
mod documents;
mod error;
mod json_locate;
mod loaded;
mod node;
mod summary;
mod terraform;

pub use arm::{
    BudgetExceeded, BudgetMeasure, EvaluationLimits, EvaluationUsage, TemplateInputs, Unevaluated,
    DEFAULT_MAX_EVALUATION_STEPS,
};
pub use design_json::{design_text, parse_typed};
pub use error::LoadError;
#[cfg(not(target_arch = "wasm32"))]
pub use json_locate::tracked_segments;
pub use json_locate::{error_path, json_path, value_at, PathSegment};
pub use loaded::{InputFormat, Loaded, ResourceSource};
pub use summary::ImportSummary;
pub use terraform::{load_terraform, SourceFile, TerraformInputs};

use crate::model::oversize;

/// Loads `text` (named `source` in messages, usually the file name), detecting its format.
/// Errors mean nothing could be loaded; problems that still leave a design are diagnostics.
pub fn load_input(text: &str, source: &str) -> Result<Loaded, LoadError> {
    load_template(text, source, &TemplateInputs::default())
}

/// Like [`load_input`], deploying ARM templates with `inputs` (parameters and region). Inputs
/// given for an input that holds no template are an error, so they are never silently unused.
/// A design larger than its options' size limits (`max_design_elements`, `max_design_rules`)
/// is an error, so it never reaches the engine.
pub fn load_template(
    text: &str,
    source: &str,
    inputs: &TemplateInputs,
) -> Result<Loaded, LoadError> {
    if inputs.is_empty() {
        if let Some(loaded) = load_if_design(text, source) {
            return loaded;
        }
        if design_json::is_single_design(text) {
            return within_limits(design_json::load(text, source)?, source);
        }
    }
    let documents = documents::split(text, source)?;
    let has_template = documents.iter().any(arm::is_template);
    if !inputs.is_empty() && !has_template {
        return Err(LoadError::at(
            source,
            None,
            "$",
            "template parameters and --location apply to ARM templates, but the input holds none",
        ));
    }
    within_limits(load_documents(text, source, inputs, documents)?, source)
}

/// `text` loaded when it parses, in one pass, as one well-typed design (then validated and
/// checked against its size limits); `None` for anything else, which [`load_template`] and
/// [`load_design`] go on to tell apart. A design admits no member of its own beyond its
/// fields, so such a text is neither a lab nor an ARM parameters file.
pub fn load_if_design(text: &str, source: &str) -> Option<Result<Loaded, LoadError>> {
    design_json::parse_well_typed(text)
        .map(|design| within_limits(design_json::validated(design, source), source))
}

/// `loaded`, unless its design is larger than its options' size limits.
fn within_limits(loaded: Loaded, source: &str) -> Result<Loaded, LoadError> {
    match oversize(&loaded.design) {
        Some(message) => Err(LoadError::at(source, None, "$", message)),
        None => Ok(loaded),
    }
}

/// Loads `text` only if it is one vnetlab design (parsed, validated, within its size limits):
/// what share links and the autosave carry. Anything else — an ARM template, Azure JSON,
/// several documents — is an error saying what it holds instead.
pub fn load_design(text: &str, source: &str) -> Result<Loaded, LoadError> {
    if let Some(loaded) = load_if_design(text, source) {
        return loaded;
    }
    if design_json::is_single_design(text) {
        return within_limits(design_json::load(text, source)?, source);
    }
    let documents = documents::split(text, source)?;
    match documents.as_slice() {
        [document] if design_json::is_design(document) => {
            within_limits(design_json::load(text, source)?, source)
        }
        [document] => {
            let holds = if arm::is_template(document) {
                "an ARM template"
            } else {
                "JSON without `schema_version` (Azure resources or other data)"
            };
            Err(LoadError::at(
                source,
                None,
                "$",
                format!("expected a vnetlab design, found {holds}; import it instead"),
            ))
        }
        several => Err(LoadError::at(
            source,
            None,
            "$",
            format!(
                "expected one vnetlab design, found {} JSON documents",
                several.len()
            ),
        )),
    }
}

fn load_documents(
    text: &str,
    source: &str,
    inputs: &TemplateInputs,
    documents: Vec<serde_json::Value>,
) -> Result<Loaded, LoadError> {
    let first_is_design = documents.first().is_some_and(design_json::is_design);
    if first_is_design {
        if documents.len() > 1 {
            return Err(LoadError::at(
                source,
                Some(2),
                "$",
                format!(
                    "a design file holds one JSON document, but this input holds {}",
                    documents.len()
                ),
            ));
        }
        design_json::load(text, source)
    } else if let Some(design) = documents.iter().position(design_json::is_design) {
        Err(LoadError::at(
            source,
            Some(design + 1),
            "$",
            "the input mixes a vnetlab design with other documents; load the design on its own",
        ))
    } else if documents.len() == 1
        && inputs.is_empty()
        && terraform::is_plan_or_state(&documents[0])
    {
        terraform::load_plan(&documents[0], source)
    } else {
        load_resources(source, inputs, documents)
    }
}

fn load_resources(
    source: &str,
    inputs: &TemplateInputs,
    documents: Vec<serde_json::Value>,
) -> Result<Loaded, LoadError> {
    if documents.iter().any(arm::needs_evaluation) || !inputs.is_empty() {
        arm::load(documents, source, inputs)
    } else {
        azure::load(&documents, source)
    }
}
