//! A read-only view of one JSON value that knows where it is: its document number (when the
//! input holds several) and its JSON path (`$.properties.subnets[1].properties.addressPrefix`).
//! Importers read the input through it so that every diagnostic can name the exact place.

use serde_json::Value;

#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    pub(crate) value: &'a Value,
    /// 1-based document number when the input holds several concatenated documents.
    pub(crate) document: Option<usize>,
    pub(crate) path: String,
}

impl<'a> Node<'a> {
    pub(crate) fn root(value: &'a Value, document: Option<usize>) -> Self {
        Node {
            value,
            document,
            path: "$".to_string(),
        }
    }

    /// The member `key` of an object, or `None` when absent or `null`. An exact match wins;
    /// otherwise the first case-insensitive match (the Azure CLI and the REST API disagree on
    /// the case of some names, e.g. `privateIpAddress` / `privateIPAddress`).
    pub(crate) fn get(&self, key: &str) -> Option<Node<'a>> {
        let object = self.value.as_object()?;
        let (name, value) = object.get_key_value(key).or_else(|| {
            object
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(key))
        })?;
        if value.is_null() {
            return None;
        }
        Some(self.child(name, value))
    }

    /// The members of an object in key order.
    pub(crate) fn entries(&self) -> Vec<(&'a str, Node<'a>)> {
        self.value
            .as_object()
            .map(|object| {
                object
                    .iter()
                    .filter(|(_, value)| !value.is_null())
                    .map(|(name, value)| (name.as_str(), self.child(name, value)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The items of an array; empty for anything else.
    pub(crate) fn items(&self) -> Vec<Node<'a>> {
        self.value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .enumerate()
                    .map(|(index, value)| Node {
                        value,
                        document: self.document,
                        path: format!("{}[{index}]", self.path),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn as_str(&self) -> Option<&'a str> {
        self.value.as_str()
    }

    /// A member's string value, ignoring other types (for shape detection, not conversion).
    pub(crate) fn str_at(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(|node| node.as_str())
    }

    /// The ARM `properties` object of a resource or sub-resource; the Azure CLI flattens it into
    /// the object itself, so without one the object is its own properties.
    pub(crate) fn properties(&self) -> Node<'a> {
        match self.get("properties") {
            Some(properties) if properties.value.is_object() => properties,
            _ => self.clone(),
        }
    }

    /// "a string", "an array"…: the JSON type, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    fn child(&self, key: &str, value: &'a Value) -> Node<'a> {
        Node {
            value,
            document: self.document,
            path: format!("{}{}", self.path, member_path(key)),
        }
    }
}

/// `.name` for identifier-like keys, `["api-version"]` otherwise.
pub(crate) fn member_path(key: &str) -> String {
    let mut chars = key.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        format!(".{key}")
    } else {
        format!("[{}]", Value::String(key.to_string()))
    }
}
