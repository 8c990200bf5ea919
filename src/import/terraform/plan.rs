//! `terraform show -json` documents: a plan (`planned_values`, with `resource_changes[].
//! change.after_unknown` saying which values only apply will know) or a state (`values`).
//! Both hold `root_module` with `resources` and nested `child_modules`, each resource with its
//! `address`, `type`, `mode` and attribute `values` — the same attributes the HCL evaluation
//! produces, so they are lowered the same way (https://developer.hashicorp.com/terraform/internals/json-format).

use serde_json::Value;

use super::config::{Location, Mode};
use super::lower::{self, ids};
use super::run::Instance;
use super::values::unknown;
use crate::import::{azure, InputFormat, LoadError, Loaded, Unevaluated};

/// Whether `document` is a plan or state from `terraform show -json`.
pub(crate) fn is_plan_or_state(document: &Value) -> bool {
    document.get("format_version").is_some()
        && (document.get("planned_values").is_some()
            || document.get("values").is_some()
            || document.get("terraform_version").is_some())
}

/// Loads a plan or state document.
pub(crate) fn load_plan(document: &Value, source: &str) -> Result<Loaded, LoadError> {
    let values = document
        .get("planned_values")
        .or_else(|| document.get("values"))
        .and_then(|values| values.get("root_module"));
    let Some(root) = values else {
        return Err(LoadError::at(
            source,
            None,
            "$",
            "a Terraform JSON document without `planned_values.root_module` or `values.root_module` (an empty state?)",
        ));
    };
    let mut instances = Vec::new();
    let mut unevaluated = Vec::new();
    collect(
        root,
        "$.planned_values.root_module",
        document,
        &mut instances,
        &mut unevaluated,
        source,
    );
    let lowered = lower::lower(&instances);
    let mut loaded = azure::load(&[Value::Array(lowered.resources)], source)?;
    for diagnostic in &mut loaded.diagnostics {
        if let Some(rest) = diagnostic.path.strip_prefix(&format!("{source}: $[")) {
            if let Some((index, tail)) = rest.split_once(']') {
                if let Some(origin) = index
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| lowered.origins.get(i))
                {
                    diagnostic.path = format!("{origin}{tail}");
                }
            }
        }
    }
    loaded.diagnostics.extend(lowered.diagnostics);
    loaded.diagnostics.sort();
    for (type_name, count) in lowered.ignored {
        *loaded.summary.ignored.entry(type_name).or_default() += count;
    }
    unevaluated.sort();
    unevaluated.dedup();
    loaded.summary.unevaluated = unevaluated;
    loaded.format = InputFormat::TerraformPlan;
    Ok(loaded)
}

fn collect(
    module: &Value,
    path: &str,
    document: &Value,
    instances: &mut Vec<Instance>,
    unevaluated: &mut Vec<Unevaluated>,
    source: &str,
) {
    for (index, resource) in module["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let address = resource["address"].as_str().unwrap_or_default().to_string();
        let mut attributes = resource["values"].clone();
        if !attributes.is_object() {
            attributes = Value::Object(Default::default());
        }
        let type_name = resource["type"].as_str().unwrap_or_default().to_string();
        if let Some(members) = attributes.as_object_mut() {
            if !members.get("id").is_some_and(Value::is_string) {
                if let Some(id) = ids::arm_id(&type_name, members) {
                    members.insert("id".to_string(), Value::String(id));
                }
            }
        }
        let at = Location {
            file: format!("{source}: {path}.resources[{index}]"),
            line: 0,
        };
        if let Some(after_unknown) = after_unknown(document, &address) {
            mark_unknown(&mut attributes, after_unknown, &address, &at, unevaluated);
        }
        instances.push(Instance {
            address,
            mode: if resource["mode"] == "data" {
                Mode::Data
            } else {
                Mode::Managed
            },
            type_name,
            attributes,
            at,
        });
    }
    for (index, child) in module["child_modules"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        collect(
            child,
            &format!("{path}.child_modules[{index}]"),
            document,
            instances,
            unevaluated,
            source,
        );
    }
}

fn after_unknown<'d>(document: &'d Value, address: &str) -> Option<&'d Value> {
    document["resource_changes"]
        .as_array()?
        .iter()
        .find(|change| change["address"] == address)
        .map(|change| &change["change"]["after_unknown"])
}

/// Replaces values `after_unknown` marks `true` with placeholders (ARM ids are computed
/// from names instead), reporting each.
fn mark_unknown(
    attributes: &mut Value,
    after_unknown: &Value,
    address: &str,
    at: &Location,
    unevaluated: &mut Vec<Unevaluated>,
) {
    let Some(marks) = after_unknown.as_object() else {
        return;
    };
    for (key, mark) in marks {
        let what = format!("{address}.{key}");
        match mark {
            Value::Bool(true) if key == "id" => {}
            Value::Bool(true) => {
                unevaluated.push(Unevaluated {
                    path: at.file.clone(),
                    expression: what.clone(),
                    reason: "known only after apply (after_unknown)".to_string(),
                });
                attributes[key] = unknown(&what);
            }
            nested @ (Value::Object(_) | Value::Array(_)) => {
                if let Some(inner) = attributes.get_mut(key) {
                    match (inner, nested) {
                        (Value::Array(items), Value::Array(marks)) => {
                            for (item, mark) in items.iter_mut().zip(marks) {
                                mark_unknown(item, mark, &what, at, unevaluated);
                            }
                        }
                        (inner, nested) => mark_unknown(inner, nested, &what, at, unevaluated),
                    }
                }
            }
            _ => {}
        }
    }
}
