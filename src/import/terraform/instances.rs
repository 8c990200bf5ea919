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
use super::values::is_unknown;

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
        let mut instances = Vec::new();
        let expansion = self.expansion(located, &address)?;
        for (instance_address, frame) in expansion.instances(&address) {
            instances.push(self.instance(block, &instance_address, &frame)?);
        }
        Ok(expansion.collect(&address, instances))
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
