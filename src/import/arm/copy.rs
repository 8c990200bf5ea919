//! Copy loops. A resource `copy` repeats a resource `count` times; a `copy` array inside an
//! object (property copy) builds array properties from an `input` template; a `copy` array in
//! the `variables` section builds array variables. `copyIndex()` reads the resource loop's
//! index, `copyIndex('name')` a named loop's, `copyIndex(offset)` adds an offset.

use serde_json::{Map, Value};

use super::error::EvalError;
use super::evaluator::Site;
use super::resolve::{resolve, strict};
use super::run::Run;
use super::scope::Scope;
use super::value::{as_int, type_name};
use crate::import::budget::Cost;

/// ARM's limit on the iterations of one loop; it also bounds what hostile input can expand to.
pub(super) const MAX_COPIES: i64 = 800;

/// The loop indices in effect where an expression is evaluated.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct CopyIndices {
    /// The resource loop: its name and index.
    resource: Option<(String, i64)>,
    /// Property and variable loops, innermost last.
    named: Vec<(String, i64)>,
}

impl CopyIndices {
    pub(super) fn resource_loop(name: &str, index: i64) -> Self {
        CopyIndices {
            resource: Some((name.to_string(), index)),
            named: Vec::new(),
        }
    }

    /// These indices plus the named loop `name` at `index`.
    pub(super) fn with_loop(&self, name: &str, index: i64) -> Self {
        let mut copy = self.clone();
        copy.named.push((name.to_string(), index));
        copy
    }

    /// `copyIndex()` (the resource loop, else the innermost loop) or `copyIndex('name')`.
    pub(super) fn index(&self, name: Option<&str>) -> Result<i64, EvalError> {
        match name {
            None => self
                .resource
                .as_ref()
                .or(self.named.last())
                .map(|(_, index)| *index)
                .ok_or_else(|| EvalError::invalid("`copyIndex()` is used outside a copy loop")),
            Some(name) => self
                .named
                .iter()
                .rev()
                .chain(self.resource.iter())
                .find(|(loop_name, _)| loop_name.eq_ignore_ascii_case(name))
                .map(|(_, index)| *index)
                .ok_or_else(|| {
                    EvalError::invalid(format!("`copyIndex('{name}')` names no enclosing loop"))
                }),
        }
    }
}

/// The iteration count of a loop: an int from 0 to 800.
pub(super) fn count<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    copy: &CopyIndices,
    site: &Site,
    value: Option<&'t Value>,
) -> Result<i64, EvalError> {
    let value = value.ok_or_else(|| EvalError::invalid("the copy loop has no `count`"))?;
    let count = strict(run, scope, copy, site, value)?;
    match as_int(&count) {
        Some(count) if (0..=MAX_COPIES).contains(&count) => Ok(count),
        Some(count) => Err(EvalError::invalid(format!(
            "copy count {count} is outside 0..={MAX_COPIES}"
        ))),
        None => Err(EvalError::invalid(format!(
            "the copy count must be an int, but is {}",
            type_name(&count)
        ))),
    }
}

/// Expands the property copies of an object (`"copy": [{name, count, input}]`) into `out`.
pub(super) fn property_copies<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    copy: &CopyIndices,
    site: &Site,
    entries: &'t [Value],
    out: &mut Map<String, Value>,
) {
    for (index, entry) in entries.iter().enumerate() {
        let path = format!("{}.copy[{index}]", site.path);
        let entry_site = Site {
            path: &path,
            element: site.element,
        };
        let Some(name) = entry.get("name").and_then(Value::as_str) else {
            run.report_invalid(&entry_site, "copy", "a property copy needs a `name`");
            continue;
        };
        if let Some(items) = repeat(run, scope, copy, &entry_site, entry, name) {
            out.insert(name.to_string(), Value::Array(items));
        }
    }
}

/// The value of a variable defined in the `copy` array of the `variables` section.
pub(super) fn variable_copy<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    site: &Site,
    entry: &'t Value,
) -> Value {
    let name = entry.get("name").and_then(Value::as_str).unwrap_or("copy");
    Value::Array(repeat(run, scope, &CopyIndices::default(), site, entry, name).unwrap_or_default())
}

/// `input` evaluated `count` times with the loop `name` at each index; `None` when the count
/// cannot be evaluated (reported).
fn repeat<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    copy: &CopyIndices,
    site: &Site,
    entry: &'t Value,
    name: &str,
) -> Option<Vec<Value>> {
    let count_path = format!("{}.count", site.path);
    let count_site = Site {
        path: &count_path,
        element: site.element,
    };
    let count = match count(run, scope, copy, &count_site, entry.get("count")) {
        Ok(count) => count,
        Err(error) => {
            run.report(&count_site, &describe(entry.get("count")), &error);
            return None;
        }
    };
    let input_path = format!("{}.input", site.path);
    let input_site = Site {
        path: &input_path,
        element: site.element,
    };
    let Some(input) = entry.get("input") else {
        run.report_invalid(site, "copy", "a copy loop needs an `input`");
        return None;
    };
    let mut items = Vec::new();
    for index in 0..count {
        if run.charge(&input_site, name, Cost::element()).is_err() {
            return None;
        }
        items.push(resolve(
            run,
            scope,
            &copy.with_loop(name, index),
            &input_site,
            input,
        ));
    }
    Some(items)
}

/// The text of a value for a diagnostic's expression field.
pub(super) fn describe(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => "(missing)".to_string(),
    }
}
