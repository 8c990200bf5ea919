//! `terraform show -json` documents: a plan (`planned_values`, with `resource_changes[].
//! change.after_unknown` saying which values only apply will know) or a state (`values`).
//! Both hold `root_module` with `resources` and nested `child_modules`, each resource with its
//! `address`, `type`, `mode` and attribute `values` — the same attributes the HCL evaluation
//! produces, so they are lowered the same way (https://developer.hashicorp.com/terraform/internals/json-format).
//!
//! An id only apply will know (an association's `subnet_id` when the subnet is created by the
//! same plan) is resolved through the plan's `configuration`: the expression's `references`
//! name the resource, whose ARM id is computed from its planned names.

use crate::model::sorting;
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
        if document.get("planned_values").is_some() {
            "$.planned_values.root_module"
        } else {
            "$.values.root_module"
        },
        document,
        &mut instances,
        &mut unevaluated,
        source,
    );
    let resolved = resolve_references(&mut instances, document);
    unevaluated.retain(|item| !resolved.contains(&item.expression));
    // A plan holds every attribute with its provider default already filled in.
    let lowered = lower::lower(&instances, None);
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
    sorting::sort(&mut loaded.diagnostics);
    for (type_name, count) in lowered.ignored {
        *loaded.summary.ignored.entry(type_name).or_default() += count;
    }
    sorting::sort(&mut unevaluated);
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

/// Replaces unknown `…_id` attributes with the id of the resource their configuration
/// expression references; returns the `address.attribute` of each one resolved.
fn resolve_references(instances: &mut [Instance], document: &Value) -> Vec<String> {
    let ids: Vec<(String, Option<String>)> = instances
        .iter()
        .map(|i| {
            (
                i.address.clone(),
                i.attributes["id"].as_str().map(str::to_string),
            )
        })
        .collect();
    let mut resolved = Vec::new();
    for instance in instances.iter_mut() {
        let (module, resource, index) = split_address(&instance.address);
        let Some(expressions) =
            configuration(document, &module, &resource).map(|c| &c["expressions"])
        else {
            continue;
        };
        let Some(attributes) = instance.attributes.as_object_mut() else {
            continue;
        };
        for (key, value) in attributes.iter_mut() {
            if !key.ends_with("_id") || !super::values::is_unknown(value) {
                continue;
            }
            let target = reference_id(document, &ids, &module, &expressions[key.as_str()], &index);
            if let Some(id) = target {
                *value = Value::String(id);
                resolved.push(format!("{}.{key}", instance.address));
            }
        }
    }
    resolved
}

/// The id of the resource an expression (`{"references": [...]}`) in module `module` names:
/// a resource of that module (the one with the same `for_each` / `count` index when there
/// are several), or, for `var.x`, what the module call's input `x` references.
fn reference_id(
    document: &Value,
    ids: &[(String, Option<String>)],
    module: &str,
    expression: &Value,
    index: &str,
) -> Option<String> {
    let references = expression["references"].as_array()?;
    references
        .iter()
        .filter_map(Value::as_str)
        .find_map(|reference| {
            if let Some(variable) = reference.strip_prefix("var.") {
                let (parent, call) = parent_module(module)?;
                let input = module_call(document, &parent, &call)?
                    .get("expressions")?
                    .get(variable)?;
                return reference_id(document, ids, &parent, input, index);
            }
            let reference = reference.strip_suffix(".id").unwrap_or(reference);
            let base = format!("{module}{reference}");
            let candidates: Vec<&(String, Option<String>)> = ids
                .iter()
                .filter(|(address, _)| *address == base || address.starts_with(&format!("{base}[")))
                .collect();
            match candidates.as_slice() {
                [only] => only.1.clone(),
                several => several
                    .iter()
                    .find(|(address, _)| !index.is_empty() && address.ends_with(index))
                    .and_then(|(_, id)| id.clone()),
            }
        })
}

/// `module.a.module.b.` → (`module.a.`, `b`).
fn parent_module(module: &str) -> Option<(String, String)> {
    let trimmed = module.strip_suffix('.')?;
    let (parent, call) = trimmed.rsplit_once("module.")?;
    Some((parent.to_string(), call.to_string()))
}

/// The `module_calls` entry `call` of the module at `module`.
fn module_call<'d>(document: &'d Value, module: &str, call: &str) -> Option<&'d Value> {
    module_configuration(document, module)?
        .get("module_calls")?
        .get(call)
}

/// `module.a.module.b.type.name["k"]` → (`module.a.module.b.`, `type.name`, `["k"]`).
fn split_address(address: &str) -> (String, String, String) {
    let (without_index, index) = match address.find('[') {
        Some(at) if address.ends_with(']') => (&address[..at], &address[at..]),
        _ => (address, ""),
    };
    let parts: Vec<&str> = without_index.split('.').collect();
    let split = parts.len().saturating_sub(2);
    let module = parts[..split]
        .iter()
        .map(|p| format!("{p}."))
        .collect::<String>();
    (module, parts[split..].join("."), index.to_string())
}

/// The configuration block of `resource` in the module at `module` (`module.a.` …).
fn configuration<'d>(document: &'d Value, module: &str, resource: &str) -> Option<&'d Value> {
    module_configuration(document, module)?
        .get("resources")?
        .as_array()?
        .iter()
        .find(|block| block["address"] == resource)
}

/// The configuration of the module at `module` (`module.a.` …; "" for the root).
fn module_configuration<'d>(document: &'d Value, module: &str) -> Option<&'d Value> {
    let mut current = document.get("configuration")?.get("root_module")?;
    let names: Vec<&str> = module
        .split('.')
        .filter(|p| !p.is_empty() && *p != "module")
        .collect();
    for name in names {
        current = current.get("module_calls")?.get(name)?.get("module")?;
    }
    Some(current)
}
