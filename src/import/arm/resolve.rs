//! Turns template JSON into resolved JSON: every expression string is evaluated, `[[` escapes
//! are unescaped, expression object keys are evaluated, and property copies are expanded.
//! `resolve` never fails: a problem is reported at its JSON path with its expression, and the
//! value becomes a placeholder so the rest of the resource still imports. `strict` is for the
//! values a resource cannot exist without (name, type, condition, copy count).

use serde_json::{Map, Value};

use super::copy::{property_copies, CopyIndices};
use super::error::EvalError;
use super::evaluator::{Evaluator, Site};
use super::parser::{parse, template_string, TemplateString};
use super::run::Run;
use super::scope::Scope;
use super::value::{placeholder, to_text};
use crate::import::budget::{string_bytes, Cost, VALUE_BYTES};
use crate::import::node::member_path;

/// The resolved form of `value`; problems are reported and replaced by placeholders.
pub(super) fn resolve<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    copy: &CopyIndices,
    site: &Site,
    value: &'t Value,
) -> Value {
    // A string is charged where it is evaluated; other nodes are charged their own bytes here.
    let node_bytes = if value.is_string() { 0 } else { VALUE_BYTES };
    let cost = Cost {
        steps: 1,
        bytes: node_bytes,
        elements: 0,
    };
    if run.charge(site, "(template value)", cost).is_err() {
        return Value::Null;
    }
    match value {
        Value::String(text) => match evaluate_string(run, scope, copy, site, text) {
            Ok(value) => value,
            Err(error) => {
                run.report(site, text, &error);
                placeholder(text)
            }
        },
        Value::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| {
                    let path = format!("{}[{index}]", site.path);
                    resolve(run, scope, copy, &site.at(&path), item)
                })
                .collect(),
        ),
        Value::Object(object) => Value::Object(resolve_object(run, scope, copy, site, object)),
        literal => literal.clone(),
    }
}

fn resolve_object<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    copy: &CopyIndices,
    site: &Site,
    object: &'t Map<String, Value>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in object {
        let path = format!("{}{}", site.path, member_path(key));
        let member_site = site.at(&path);
        if key.eq_ignore_ascii_case("copy") {
            if let Some(entries) = value.as_array().filter(|e| e.iter().all(is_copy_entry)) {
                property_copies(run, scope, copy, site, entries, &mut out);
                continue;
            }
        }
        let resolved_key = match evaluate_string(run, scope, copy, &member_site, key) {
            Ok(resolved) => to_text(&resolved),
            Err(error) => {
                run.report(&member_site, key, &error);
                key.clone()
            }
        };
        out.insert(resolved_key, resolve(run, scope, copy, &member_site, value));
    }
    out
}

fn is_copy_entry(entry: &Value) -> bool {
    entry.get("name").is_some() && entry.get("count").is_some() && entry.get("input").is_some()
}

/// A value that must evaluate: strings are evaluated strictly, other values resolved.
pub(super) fn strict<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    copy: &CopyIndices,
    site: &Site,
    value: &'t Value,
) -> Result<Value, EvalError> {
    match value {
        Value::String(text) => evaluate_string(run, scope, copy, site, text),
        other => Ok(resolve(run, scope, copy, site, other)),
    }
}

/// One template string: a literal (unescaped) or an evaluated expression.
pub(super) fn evaluate_string<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    copy: &CopyIndices,
    site: &Site,
    text: &str,
) -> Result<Value, EvalError> {
    match template_string(text) {
        TemplateString::Literal(literal) => {
            run.charge(site, text, Cost::bytes(string_bytes(literal.len() as u64)))?;
            Ok(Value::String(literal))
        }
        TemplateString::Expression(expression) => {
            let parsed = parse(expression)?;
            let evaluator = Evaluator {
                run,
                scope,
                copy,
                site,
                expression: text,
            };
            evaluator.eval(&parsed, &Vec::new())
        }
    }
}
