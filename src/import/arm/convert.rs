//! Hands evaluated templates to the resolved-JSON conversion (`azure`): each template document
//! is replaced by the array of its resolved resources, and the conversion's diagnostics, which
//! name positions in that array (`$[3].properties…`), are mapped back to the JSON path of the
//! template resource each came from.

use crate::model::sorting;
use serde_json::Value;

use super::{evaluate, is_template, needs_evaluation, EvaluationUsage, TemplateInputs};
use crate::import::{azure, InputFormat, LoadError, Loaded};

/// Loads documents of which at least one is a template to evaluate (or any template, when
/// `inputs` are given).
pub(crate) fn load(
    documents: Vec<Value>,
    source: &str,
    inputs: &TemplateInputs,
) -> Result<Loaded, LoadError> {
    let numbered = documents.len() > 1;
    let mut converted = Vec::new();
    let mut origins: Vec<Option<Vec<String>>> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut unevaluated = Vec::new();
    let mut usage = EvaluationUsage::default();
    for document in documents {
        let evaluate_it =
            needs_evaluation(&document) || (!inputs.is_empty() && is_template(&document));
        if evaluate_it {
            let evaluated = evaluate(&document, source, inputs, inputs.limits.less(usage))?;
            usage = usage.plus(evaluated.usage);
            diagnostics.extend(evaluated.diagnostics);
            unevaluated.extend(evaluated.unevaluated);
            origins.push(Some(evaluated.origins));
            converted.push(Value::Array(evaluated.resources));
        } else {
            origins.push(None);
            converted.push(document);
        }
    }
    let mut loaded = azure::load(&converted, source)?;
    for diagnostic in &mut loaded.diagnostics {
        diagnostic.path = map_back(&diagnostic.path, source, numbered, &origins);
    }
    for resource in &mut loaded.sources {
        resource.location = map_back(&resource.location, source, numbered, &origins);
    }
    loaded.diagnostics.extend(diagnostics);
    sorting::sort(&mut loaded.diagnostics);
    loaded.diagnostics.dedup();
    sorting::sort(&mut unevaluated);
    unevaluated.dedup();
    loaded.summary.unevaluated = unevaluated;
    loaded.summary.evaluation = Some(usage);
    loaded.format = InputFormat::ArmTemplate;
    Ok(loaded)
}

/// `source: $[i]rest` (or `source, document n: $[i]rest`) → `source: <origin of i>rest`.
fn map_back(
    location: &str,
    source: &str,
    numbered: bool,
    origins: &[Option<Vec<String>>],
) -> String {
    let mapped = (1..=origins.len().max(1)).find_map(|number| {
        let prefix = if numbered {
            format!("{source}, document {number}: $[")
        } else {
            format!("{source}: $[")
        };
        let rest = location.strip_prefix(&prefix)?;
        let (index, tail) = rest.split_once(']')?;
        let origin = origins
            .get(number - 1)?
            .as_ref()?
            .get(index.parse::<usize>().ok()?)?;
        let document = if numbered {
            format!(", document {number}")
        } else {
            String::new()
        };
        Some(format!("{source}{document}: {origin}{tail}"))
    });
    mapped.unwrap_or_else(|| location.to_string())
}
