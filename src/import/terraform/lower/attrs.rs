//! Reading an evaluated azurerm instance: attributes by name, nested blocks (lists of
//! objects), and the small conversions every family needs (ids to `{"id": …}` references,
//! booleans to `Enabled` / `Disabled`).

use serde_json::{json, Map, Value};

/// One instance's attributes.
#[derive(Clone, Copy)]
pub(super) struct Attrs<'a>(pub(super) &'a Map<String, Value>);

impl<'a> Attrs<'a> {
    pub(super) fn get(&self, name: &str) -> Option<&'a Value> {
        self.0.get(name).filter(|value| !value.is_null())
    }

    /// The first of `names` that is set: one attribute under its azurerm 3.x and 4.x names.
    pub(super) fn either(&self, names: &[&str]) -> Option<&'a Value> {
        names.iter().find_map(|name| self.get(name))
    }

    pub(super) fn text(&self, name: &str) -> Option<&'a str> {
        self.get(name).and_then(Value::as_str)
    }

    pub(super) fn flag(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(Value::as_bool)
    }

    /// A list attribute (a single value counts as a list of one).
    pub(super) fn list(&self, name: &str) -> Vec<Value> {
        match self.get(name) {
            Some(Value::Array(items)) => items.clone(),
            Some(single) => vec![single.clone()],
            None => Vec::new(),
        }
    }

    /// The nested blocks named `name`.
    pub(super) fn blocks(&self, name: &str) -> Vec<Attrs<'a>> {
        match self.0.get(name) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_object)
                .map(Attrs)
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(super) fn block(&self, name: &str) -> Option<Attrs<'a>> {
        self.blocks(name).into_iter().next()
    }

    /// `{"id": value}` for an id attribute.
    pub(super) fn reference(&self, name: &str) -> Option<Value> {
        self.get(name).map(|id| json!({ "id": id }))
    }

    /// A list of ids as `[{"id": …}]`.
    pub(super) fn references(&self, name: &str) -> Vec<Value> {
        self.list(name)
            .into_iter()
            .map(|id| json!({ "id": id }))
            .collect()
    }
}

/// `true` → `Enabled`, `false` → `Disabled`.
pub(super) fn enabled(flag: bool) -> Value {
    Value::String(if flag { "Enabled" } else { "Disabled" }.to_string())
}

/// Sets `key` to `value` when there is one.
pub(super) fn put(object: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        object.insert(key.to_string(), value);
    }
}

/// `key` = the singular attribute, else `keys` = the plural one (ARM's pairs such as
/// `sourcePortRange` / `sourcePortRanges`).
pub(super) fn singular_or_plural(
    object: &mut Map<String, Value>,
    attrs: Attrs,
    (single, key): (&str, &str),
    (plural, keys): (&str, &str),
) {
    if let Some(value) = attrs.get(single) {
        object.insert(key.to_string(), value.clone());
    }
    let many = attrs.list(plural);
    if !many.is_empty() {
        object.insert(keys.to_string(), Value::Array(many));
    }
}
