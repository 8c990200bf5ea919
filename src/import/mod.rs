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
mod design_json;
mod documents;
mod error;
mod loaded;
mod node;
mod summary;

pub use arm::{TemplateInputs, Unevaluated};
pub use design_json::{json_path, parse_typed};
pub use error::LoadError;
pub use loaded::{InputFormat, Loaded, ResourceSource};
pub use summary::ImportSummary;

/// Loads `text` (named `source` in messages, usually the file name), detecting its format.
/// Errors mean nothing could be loaded; problems that still leave a design are diagnostics.
pub fn load_input(text: &str, source: &str) -> Result<Loaded, LoadError> {
    load_template(text, source, &TemplateInputs::default())
}

/// Like [`load_input`], deploying ARM templates with `inputs` (parameters and region). Inputs
/// given for an input that holds no template are an error, so they are never silently unused.
pub fn load_template(
    text: &str,
    source: &str,
    inputs: &TemplateInputs,
) -> Result<Loaded, LoadError> {
    let documents = documents::split(text, source)?;
    let has_template = documents.iter().any(arm::is_template);
    if !inputs.is_empty() && !has_template {
        return Err(LoadError::whole(
            source,
            "template parameters and --location apply to ARM templates, but the input holds none",
        ));
    }
    let first_is_design = documents.first().is_some_and(design_json::is_design);
    if first_is_design {
        if documents.len() > 1 {
            return Err(LoadError::whole(
                source,
                format!(
                    "a design file holds one JSON document, but this input holds {}",
                    documents.len()
                ),
            ));
        }
        design_json::load(text, source)
    } else if documents.iter().any(design_json::is_design) {
        Err(LoadError::whole(
            source,
            "the input mixes a vnetlab design with other documents; load the design on its own",
        ))
    } else if documents.iter().any(arm::needs_evaluation) || !inputs.is_empty() {
        arm::load(documents, source, inputs)
    } else {
        azure::load(&documents, source)
    }
}
