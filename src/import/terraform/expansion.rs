//! `count` and `for_each` of a resource, data source or module call: how many instances, their
//! addresses (`x[0]`, `x["key"]`) and what each one binds (`count.index`, `each.key`,
//! `each.value`). A value only apply knows, a negative count or a collection that is not a
//! map or a set is an error at its line, and the block gets no instance (its references
//! become a placeholder). Every instance is charged to the budget before any is built, so a
//! huge `count` stops at once.

use serde_json::{json, Map, Value};

use super::config::{Located, Location};
use super::expressions::{Evaluator, Frame};
use super::modules::ModuleInstance;
use super::run::Stop;
use super::values::{contains_unknown, to_integer, to_text, type_name, unknown};
use crate::import::budget::Cost;

/// The instances a block has.
pub(super) enum Expansion {
    /// Neither `count` nor `for_each`: one instance at the block's address.
    Single,
    Count(i64),
    /// `for_each` keys (a set's items are their own keys) and values.
    ForEach(Vec<(String, Value)>),
    /// `count` / `for_each` could not be used (reported): no instance.
    Refused,
}

impl Expansion {
    /// Each instance's address and the names it binds.
    pub(super) fn instances(&self, address: &str) -> Vec<(String, Frame)> {
        match self {
            Expansion::Single => vec![(address.to_string(), Frame::default())],
            Expansion::Count(count) => (0..*count)
                .map(|index| {
                    let frame = Frame::default().with("count", json!({ "index": index }));
                    (format!("{address}[{index}]"), frame)
                })
                .collect(),
            Expansion::ForEach(pairs) => pairs
                .iter()
                .map(|(key, value)| {
                    let frame =
                        Frame::default().with("each", json!({ "key": key, "value": value }));
                    (format!("{address}[{}]", Value::String(key.clone())), frame)
                })
                .collect(),
            Expansion::Refused => Vec::new(),
        }
    }

    /// What a reference to the block yields, given its instances' values in order: the one
    /// value, a list (`count`), a map by key (`for_each`), or a placeholder.
    pub(super) fn collect(&self, address: &str, mut values: Vec<Value>) -> Value {
        match self {
            Expansion::Single => values.pop().unwrap_or(Value::Null),
            Expansion::Count(_) => Value::Array(values),
            Expansion::ForEach(pairs) => Value::Object(
                pairs
                    .iter()
                    .map(|(key, _)| key.clone())
                    .zip(values)
                    .collect::<Map<String, Value>>(),
            ),
            Expansion::Refused => unknown(address),
        }
    }
}

impl ModuleInstance<'_> {
    /// The expansion of `located` (a resource, data or module block) at `address`.
    pub(super) fn expansion(&self, located: &Located, address: &str) -> Result<Expansion, Stop> {
        let expansion = if let Some(count) = located.attribute("count") {
            let at = located.attribute_at("count");
            match self.known(count, &at, address, "count")? {
                None => Expansion::Refused,
                Some(value) => match to_integer(&value) {
                    Ok(count) if count >= 0 => Expansion::Count(count),
                    Ok(negative) => self.refuse(address, &at, format!("count is {negative}")),
                    Err(message) => self.refuse(address, &at, message),
                },
            }
        } else if let Some(for_each) = located.attribute("for_each") {
            let at = located.attribute_at("for_each");
            match self.known(for_each, &at, address, "for_each")? {
                None => Expansion::Refused,
                Some(Value::Object(members)) => Expansion::ForEach(members.into_iter().collect()),
                Some(Value::Array(items)) => {
                    let keys: Result<Vec<(String, Value)>, String> = items
                        .into_iter()
                        .map(|item| to_text(&item).map(|key| (key, item)))
                        .collect();
                    match keys {
                        Ok(pairs) => Expansion::ForEach(pairs),
                        Err(message) => self.refuse(address, &at, message),
                    }
                }
                Some(other) => self.refuse(
                    address,
                    &at,
                    format!("for_each needs a map or a set, found {}", type_name(&other)),
                ),
            }
        } else {
            Expansion::Single
        };
        let count = match &expansion {
            Expansion::Single => 1,
            Expansion::Count(count) => *count as u64,
            Expansion::ForEach(pairs) => pairs.len() as u64,
            Expansion::Refused => 0,
        };
        let cost = Cost {
            elements: count,
            ..Cost::default()
        };
        self.run.charge(&located.at, || address.to_string(), cost)?;
        Ok(expansion)
    }

    /// `expr`'s value when it is known; `None` (reported) when it is not or is invalid.
    fn known(
        &self,
        expr: &hcl::Expression,
        at: &Location,
        address: &str,
        what: &str,
    ) -> Result<Option<Value>, Stop> {
        match (Evaluator { scope: self, at }).eval(expr, &Frame::default()) {
            Ok(value) if contains_unknown(&value) => {
                self.run.error(
                    address,
                    at,
                    format!("`{what}` depends on values known only after apply; not imported"),
                );
                Ok(None)
            }
            Ok(value) => Ok(Some(value)),
            Err(Stop::Invalid(message)) => {
                self.run
                    .error(address, at, format!("`{what}`: {message}; not imported"));
                Ok(None)
            }
            Err(stop) => Err(stop),
        }
    }

    fn refuse(&self, address: &str, at: &Location, message: String) -> Expansion {
        self.run
            .error(address, at, format!("{message}; not imported"));
        Expansion::Refused
    }
}
