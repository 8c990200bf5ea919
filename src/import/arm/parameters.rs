//! Parameter values. A parameter takes, in order: the value supplied for it (`--param`, then
//! the parameters file for the top-level template; the deployment's `parameters` for a nested
//! one), its `defaultValue` (evaluated in its template's scope), `null` when it is nullable, or
//! else a stand-in with a warning — the parameter's own name for strings, the first allowed
//! value, `false`, `0`, `[]` or `{}` — so that an import without a parameters file still shows
//! the network. Secure parameters never hold network meaning and stand in as placeholders.

use serde_json::{Map, Value};

use super::copy::CopyIndices;
use super::evaluator::Site;
use super::resolve::resolve;
use super::run::Run;
use super::scope::{Parameter, Scope};
use super::value::{as_int, placeholder, type_name};
use crate::import::node::member_path;

/// A value supplied for a parameter.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Supplied {
    /// Already a JSON value (a parameters file, a nested deployment's `parameters`).
    Value(Value),
    /// `--param name=text`: read according to the parameter's declared type.
    Text(String),
}

/// The declared parameters of `template`, each with what `supplied` holds for it. Supplied
/// names the template does not declare are reported (`origin` says where they came from).
pub(super) fn declared<'t>(
    run: &Run<'t>,
    template: &'t Value,
    template_path: &str,
    supplied: Vec<(String, Supplied, String)>,
) -> Vec<Parameter<'t>> {
    let declarations: Vec<(&String, &'t Value)> = template
        .get("parameters")
        .and_then(Value::as_object)
        .map(|section| section.iter().collect())
        .unwrap_or_default();
    for (name, _, origin) in &supplied {
        let declared = declarations
            .iter()
            .any(|(declared, _)| declared.eq_ignore_ascii_case(name));
        if !declared {
            let site = Site {
                path: origin,
                element: "parameters",
            };
            run.warn(
                &site,
                format!("`{name}` is given a value but the template declares no such parameter; ignored"),
            );
        }
    }
    declarations
        .into_iter()
        .map(|(name, declaration)| {
            let value = supplied
                .iter()
                .rev()
                .find(|(given, _, _)| given.eq_ignore_ascii_case(name))
                .map(|(_, value, _)| value.clone());
            Parameter {
                name: name.clone(),
                declaration,
                path: format!("{template_path}.parameters{}", member_path(name)),
                supplied: value,
            }
        })
        .collect()
}

/// The value of `parameter` in `scope` (see the module documentation for the order).
pub(super) fn parameter_value<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    parameter: &Parameter<'t>,
) -> Value {
    let site = Site {
        path: &parameter.path,
        element: "parameters",
    };
    let declared_type = parameter
        .declaration
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    match &parameter.supplied {
        Some(Supplied::Value(value)) => return value.clone(),
        Some(Supplied::Text(text)) => match typed(&declared_type, text) {
            Ok(value) => return value,
            Err(message) => run.report_invalid(&site, text, &message),
        },
        None => {}
    }
    if let Some(default) = parameter.declaration.get("defaultValue") {
        let default_path = format!("{}.defaultValue", parameter.path);
        return resolve(
            run,
            scope,
            &CopyIndices::default(),
            &site.at(&default_path),
            default,
        );
    }
    if parameter.declaration.get("nullable") == Some(&Value::Bool(true)) {
        return Value::Null;
    }
    if declared_type.starts_with("secure") {
        return placeholder(&format!("parameters('{}')", parameter.name));
    }
    let stand_in = stand_in(&parameter.name, &declared_type, parameter.declaration);
    run.warn(
        &site,
        format!(
            "parameter `{}` has no value and no default: {} stands in (give one with --param {}=VALUE or a parameters file)",
            parameter.name, stand_in, parameter.name
        ),
    );
    stand_in
}

/// `--param` text read as the declared type.
fn typed(declared_type: &str, text: &str) -> Result<Value, String> {
    match declared_type {
        "int" => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`{text}` is not an int")),
        "bool" => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("`{text}` is not a bool (true or false)")),
        },
        "array" | "object" | "secureobject" => {
            let value: Value =
                serde_json::from_str(text).map_err(|e| format!("`{text}` is not JSON: {e}"))?;
            let matches = match declared_type {
                "array" => value.is_array(),
                _ => value.is_object(),
            };
            if matches {
                Ok(value)
            } else {
                Err(format!(
                    "the value is {}, not {declared_type}",
                    type_name(&value)
                ))
            }
        }
        _ => Ok(Value::String(text.to_string())),
    }
}

fn stand_in(name: &str, declared_type: &str, declaration: &Value) -> Value {
    if let Some(first) = declaration
        .get("allowedValues")
        .and_then(Value::as_array)
        .and_then(|values| values.first())
    {
        return first.clone();
    }
    match declared_type {
        "int" => Value::from(declaration.get("minValue").and_then(as_int).unwrap_or(0)),
        "bool" => Value::Bool(false),
        "array" => Value::Array(Vec::new()),
        "object" => Value::Object(Map::new()),
        _ => Value::String(name.to_string()),
    }
}

/// The values of an ARM parameters file (`{"parameters": {"name": {"value": …}}}`); a Key
/// Vault `reference` becomes a placeholder. Errors say where (a JSON path) and why the file is
/// unusable.
pub(super) fn from_file(document: &Value) -> Result<Vec<(String, Supplied)>, (String, String)> {
    let section = match document.get("parameters") {
        Some(Value::Object(section)) => section,
        Some(other) => {
            return Err((
                "$.parameters".to_string(),
                format!(
                    "expected an object of parameters, found {}",
                    type_name(other)
                ),
            ))
        }
        None => {
            return Err((
                "$".to_string(),
                "a parameters file has a `parameters` object".to_string(),
            ))
        }
    };
    section
        .iter()
        .map(|(name, entry)| {
            let path = format!("$.parameters{}", member_path(name));
            let value = match (entry.get("value"), entry.get("reference")) {
                (Some(value), _) => value.clone(),
                (None, Some(_)) => placeholder(&format!("Key Vault reference for `{name}`")),
                (None, None) if !entry.is_object() => {
                    return Err((
                        path,
                        format!(
                            "parameter `{name}`: expected an object with `value` or `reference`, found {}",
                            type_name(entry)
                        ),
                    ))
                }
                (None, None) => {
                    return Err((
                        path,
                        format!("parameter `{name}` has neither `value` nor `reference`"),
                    ))
                }
            };
            Ok((name.clone(), Supplied::Value(value)))
        })
        .collect()
}

/// Reads a nested deployment's `parameters` (already resolved): `{"name": {"value": …}}`.
pub(super) fn from_deployment(parameters: &Value, path: &str) -> Vec<(String, Supplied, String)> {
    parameters
        .as_object()
        .map(|section| {
            section
                .iter()
                .map(|(name, entry)| {
                    let value = entry.get("value").cloned().unwrap_or_else(|| {
                        placeholder(&format!("Key Vault reference for `{name}`"))
                    });
                    (
                        name.clone(),
                        Supplied::Value(value),
                        format!("{path}{}", member_path(name)),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}
