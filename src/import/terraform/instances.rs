//! A resource or data block expanded into its instances — one, one per `count.index`, or one
//! per `for_each` key — each evaluated into an object: attributes, nested blocks as lists of
//! objects (`dynamic` blocks expanded), and the attributes Azure assigns that can be known
//! offline (`computed`). An attribute that cannot be evaluated is an error at its line and is
//! left out; the rest of the resource still loads.

use hcl::{Body, Expression};
use serde_json::{json, Map, Value};

use super::computed;
use super::config::{attribute, Located, ResourceBlock};
use super::expressions::{entries, text_of, Evaluator, Frame};
use super::modules::ModuleInstance;
use super::run::{Instance, Stop};
use super::values::{is_unknown, to_integer, to_text};
use crate::import::budget::Cost;

/// Attributes that steer Terraform rather than describe the resource.
const META_ATTRIBUTES: [&str; 5] = ["count", "for_each", "depends_on", "provider", "iterator"];
/// Nested blocks that steer Terraform rather than describe the resource.
const META_BLOCKS: [&str; 5] = [
    "lifecycle",
    "provisioner",
    "connection",
    "timeouts",
    "precondition",
];

impl ModuleInstance<'_> {
    /// Evaluates `block`'s instances: an object, a list (`count`) or a map (`for_each`).
    pub(super) fn expand(&self, block: &ResourceBlock) -> Result<Value, Stop> {
        let address = format!("{}{}", self.prefix, block.address());
        let located = &block.located;
        if let Some(count) = located.attribute("count") {
            let at = located.attribute_at("count");
            let value = Evaluator {
                scope: self,
                at: &at,
            }
            .eval(count, &Frame::default());
            let count = match value.and_then(|v| self.known(&address, &at, "count", v)) {
                Ok(Some(value)) => to_integer(&value).map_err(Stop::Invalid),
                Ok(None) => return Ok(super::values::unknown(&address)),
                Err(stop) => Err(stop),
            };
            let count = match count {
                Ok(count) if count >= 0 => count,
                Ok(negative) => return self.refuse(&address, &at, format!("count is {negative}")),
                Err(Stop::Invalid(message)) => return self.refuse(&address, &at, message),
                Err(stop) => return Err(stop),
            };
            self.charge_instances(located, &address, count as u64)?;
            let mut instances = Vec::new();
            for index in 0..count {
                let frame = Frame::default().with("count", json!({ "index": index }));
                let key = format!("{address}[{index}]");
                instances.push(self.instance(block, &key, &frame)?);
            }
            return Ok(Value::Array(instances));
        }
        if let Some(for_each) = located.attribute("for_each") {
            let at = located.attribute_at("for_each");
            let value = Evaluator {
                scope: self,
                at: &at,
            }
            .eval(for_each, &Frame::default());
            let collection = match value.and_then(|v| self.known(&address, &at, "for_each", v)) {
                Ok(Some(collection)) => collection,
                Ok(None) => return Ok(super::values::unknown(&address)),
                Err(Stop::Invalid(message)) => return self.refuse(&address, &at, message),
                Err(stop) => return Err(stop),
            };
            let pairs = match collection {
                Value::Object(members) => members.into_iter().collect::<Vec<_>>(),
                Value::Array(items) => {
                    let mut pairs = Vec::new();
                    for item in items {
                        match to_text(&item) {
                            Ok(key) => pairs.push((key, item)),
                            Err(message) => return self.refuse(&address, &at, message),
                        }
                    }
                    pairs
                }
                other => {
                    return self.refuse(
                        &address,
                        &at,
                        format!(
                            "for_each needs a map or a set, found {}",
                            super::values::type_name(&other)
                        ),
                    )
                }
            };
            self.charge_instances(located, &address, pairs.len() as u64)?;
            let mut instances = Map::new();
            for (key, value) in pairs {
                let frame = Frame::default().with("each", json!({ "key": key, "value": value }));
                let instance_address = format!("{address}[{}]", Value::String(key.clone()));
                let object = self.instance(block, &instance_address, &frame)?;
                instances.insert(key, object);
            }
            return Ok(Value::Object(instances));
        }
        self.charge_instances(located, &address, 1)?;
        self.instance(block, &address, &Frame::default())
    }

    /// Charges `count` output elements before any instance is built, so a huge `count` or
    /// `for_each` stops at once.
    fn charge_instances(&self, located: &Located, address: &str, count: u64) -> Result<(), Stop> {
        let cost = Cost {
            elements: count,
            ..Cost::default()
        };
        self.run.charge(&located.at, || address.to_string(), cost)
    }

    /// `Some(value)` when it is known; `None` (reported) when only apply would know it.
    fn known(
        &self,
        address: &str,
        at: &super::config::Location,
        what: &str,
        value: Value,
    ) -> Result<Option<Value>, Stop> {
        if super::values::contains_unknown(&value) {
            self.run.error(
                address,
                at,
                format!("`{what}` depends on values known only after apply; the resource is not imported"),
            );
            return Ok(None);
        }
        Ok(Some(value))
    }

    fn refuse(
        &self,
        address: &str,
        at: &super::config::Location,
        message: String,
    ) -> Result<Value, Stop> {
        self.run.error(
            address,
            at,
            format!("{message}; the resource is not imported"),
        );
        Ok(super::values::unknown(address))
    }

    fn instance(&self, block: &ResourceBlock, address: &str, frame: &Frame) -> Result<Value, Stop> {
        let located = &block.located;
        let mut attributes = self.body_object(located.body(), located, address, frame)?;
        computed::fill(&block.type_name, &mut attributes, self.run);
        let attributes = Value::Object(attributes);
        self.run.add_instance(Instance {
            address: address.to_string(),
            mode: block.mode,
            type_name: block.type_name.clone(),
            attributes: attributes.clone(),
            at: located.at.clone(),
        });
        Ok(attributes)
    }

    /// A body as an object: attributes, then nested blocks as lists of objects.
    fn body_object(
        &self,
        body: &Body,
        located: &Located,
        address: &str,
        frame: &Frame,
    ) -> Result<Map<String, Value>, Stop> {
        let mut object = Map::new();
        for attribute in body.attributes() {
            let name = attribute.key.as_str();
            if META_ATTRIBUTES.contains(&name) {
                continue;
            }
            let at = located.attribute_at(name);
            match (Evaluator {
                scope: self,
                at: &at,
            })
            .eval(&attribute.expr, frame)
            {
                Ok(value) => {
                    object.insert(name.to_string(), value);
                }
                Err(Stop::Invalid(message)) => {
                    self.run.error(address, &at, format!("`{name}`: {message}"))
                }
                Err(stop) => return Err(stop),
            }
        }
        for block in body.blocks() {
            let kind = block.identifier.as_str();
            if META_BLOCKS.contains(&kind) {
                continue;
            }
            if kind == "dynamic" {
                let Some(label) = block.labels.first().map(|l| l.as_str().to_string()) else {
                    self.run
                        .error(address, &located.at, "a `dynamic` block needs a label");
                    continue;
                };
                let items = self.dynamic(&block.body, &label, located, address, frame)?;
                push_all(&mut object, &label, items);
                continue;
            }
            let nested = self.body_object(&block.body, located, address, frame)?;
            push_all(&mut object, kind, vec![Value::Object(nested)]);
        }
        Ok(object)
    }

    /// A `dynamic "label"` block: its `content` once per `for_each` item, the iterator
    /// (`label` or `iterator = name`) bound to `{key, value}`.
    fn dynamic(
        &self,
        body: &Body,
        label: &str,
        located: &Located,
        address: &str,
        frame: &Frame,
    ) -> Result<Vec<Value>, Stop> {
        let at = located.at.clone();
        let iterator = match attribute(body, "iterator") {
            Some(Expression::Variable(name)) => name.to_string(),
            Some(other) => text_of(other),
            None => label.to_string(),
        };
        let Some(for_each) = attribute(body, "for_each") else {
            self.run.error(
                address,
                &at,
                format!("dynamic \"{label}\" has no `for_each`"),
            );
            return Ok(Vec::new());
        };
        let collection = match (Evaluator {
            scope: self,
            at: &at,
        })
        .eval(for_each, frame)
        {
            Ok(collection) if is_unknown(&collection) => {
                self.run.error(address, &at, format!("dynamic \"{label}\": `for_each` is known only after apply; no block imported"));
                return Ok(Vec::new());
            }
            Ok(collection) => collection,
            Err(Stop::Invalid(message)) => {
                self.run
                    .error(address, &at, format!("dynamic \"{label}\": {message}"));
                return Ok(Vec::new());
            }
            Err(stop) => return Err(stop),
        };
        let Some(content) = body.blocks().find(|b| b.identifier.as_str() == "content") else {
            self.run.error(
                address,
                &at,
                format!("dynamic \"{label}\" has no `content` block"),
            );
            return Ok(Vec::new());
        };
        let pairs = entries(&collection).map_err(Stop::Invalid);
        let pairs = match pairs {
            Ok(pairs) => pairs,
            Err(Stop::Invalid(message)) => {
                self.run
                    .error(address, &at, format!("dynamic \"{label}\": {message}"));
                return Ok(Vec::new());
            }
            Err(stop) => return Err(stop),
        };
        let mut items = Vec::new();
        for (key, value) in pairs {
            // A set's items are their own keys.
            let key = if collection.is_array() {
                value.clone()
            } else {
                key
            };
            let inner = frame.with(&iterator, json!({ "key": key, "value": value }));
            items.push(Value::Object(self.body_object(
                &content.body,
                located,
                address,
                &inner,
            )?));
        }
        Ok(items)
    }
}

fn push_all(object: &mut Map<String, Value>, name: &str, items: Vec<Value>) {
    let entry = object
        .entry(name.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = entry {
        list.extend(items);
    }
}
