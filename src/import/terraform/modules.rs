//! A module instance: the root module or a local module called with `source = "./…"`, with
//! its variables (inputs or defaults), locals, resources and outputs, evaluated on demand in
//! dependency order (a reference evaluates what it names first; a cycle is an error). Child
//! modules are instantiated from the same file set, nested to any depth within the budget's
//! depth limit, once per `count` index or `for_each` key (`expansion`). A module whose source is not on disk (the registry, git, a URL) is reported by
//! name with how to vendor it, and its outputs are placeholders, so the rest still loads.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::config::{Location, Mode, Module};
use super::expressions::{text_of, Evaluator, Frame, References};
use super::files::{join, FileSet};
use super::run::{invalid, Run, Stop};
use super::values::unknown;
use crate::import::LoadError;

/// Attributes of a `module` block that are not the module's inputs.
const MODULE_META: [&str; 6] = [
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

pub(super) struct ModuleInstance<'r> {
    pub(super) run: &'r Run,
    files: &'r FileSet<'r>,
    /// Address prefix: "" for the root, `module.net.` for a child.
    pub(super) prefix: String,
    folder: String,
    /// The folders of the modules that called this one, outermost first.
    callers: Vec<String>,
    config: Module,
    variables: BTreeMap<String, Value>,
    locals: RefCell<BTreeMap<String, Value>>,
    resources: RefCell<BTreeMap<String, Value>>,
    outputs: RefCell<BTreeMap<String, Value>>,
    evaluating: RefCell<BTreeSet<String>>,
}

impl<'r> ModuleInstance<'r> {
    /// The module in `folder`, given `inputs` (variable name → value).
    pub(super) fn new(
        run: &'r Run,
        files: &'r FileSet<'r>,
        prefix: String,
        folder: &str,
        callers: Vec<String>,
        inputs: BTreeMap<String, Value>,
        called_at: &Location,
    ) -> Result<Self, LoadError> {
        let config = Module::parse(&files.configuration(folder))?;
        let mut instance = ModuleInstance {
            run,
            files,
            prefix,
            folder: folder.to_string(),
            callers,
            config,
            variables: BTreeMap::new(),
            locals: RefCell::default(),
            resources: RefCell::default(),
            outputs: RefCell::default(),
            evaluating: RefCell::default(),
        };
        let mut variables = BTreeMap::new();
        for (name, declared) in &instance.config.variables {
            let value = match (inputs.get(name), declared.attribute("default")) {
                (Some(given), _) => given.clone(),
                (None, Some(default)) => {
                    let at = declared.attribute_at("default");
                    match (Evaluator {
                        scope: &instance,
                        at: &at,
                    })
                    .eval(default, &Frame::default())
                    {
                        Ok(value) => value,
                        Err(Stop::Exhausted) => Value::Null,
                        Err(Stop::Invalid(message)) => {
                            run.error(&format!("var.{name}"), &at, message);
                            Value::Null
                        }
                    }
                }
                (None, None) => {
                    let what = format!("{}var.{name}", instance.prefix);
                    run.note_unevaluated(
                        &declared.at,
                        &what,
                        "the variable has no default and no value was given (pass -var NAME=VALUE or a .tfvars file)",
                    );
                    unknown(&what)
                }
            };
            variables.insert(name.clone(), value);
        }
        for name in inputs.keys() {
            if !instance.config.variables.contains_key(name) {
                run.warn(
                    &format!("{}var.{name}", instance.prefix),
                    called_at,
                    "a value is given for a variable the module does not declare; ignored",
                );
            }
        }
        instance.variables = variables;
        for (kind, at) in &instance.config.unknown_blocks {
            run.warn(
                kind,
                at,
                "a top-level block Terraform does not define; ignored",
            );
        }
        Ok(instance)
    }

    /// Whether the module declares variable `name`, and its type as written.
    pub(super) fn variable_type(config: &Module, name: &str) -> Option<String> {
        config
            .variables
            .get(name)
            .map(|declared| declared.attribute("type").map(text_of).unwrap_or_default())
    }

    /// Evaluates every resource, module call and output, so every instance is recorded.
    pub(super) fn evaluate_all(&self) -> Result<(), LoadError> {
        let mut failed = false;
        for block in &self.config.resources {
            let result = self
                .resource(block.mode, &block.type_name, &block.name, &block.located.at)
                .map(drop);
            let element = format!("{}{}", self.prefix, block.address());
            failed |= self.settle(result, &element, &block.located.at, true);
        }
        for (name, located) in &self.config.module_calls {
            let result = self.module_outputs(name, &located.at).map(drop);
            let element = format!("{}module.{name}", self.prefix);
            failed |= self.settle(result, &element, &located.at, true);
        }
        for (name, located) in &self.config.outputs {
            let result = self.output(name, located).map(drop);
            let element = format!("{}output.{name}", self.prefix);
            // Outputs describe no network: a broken one is a warning.
            failed |= self.settle(result, &element, &located.at, false);
        }
        match (failed, self.run.exceeded()) {
            (true, Some(exceeded)) => Err(LoadError::budget(&self.folder_name(), exceeded)),
            _ => Ok(()),
        }
    }

    /// Reports an evaluation Terraform would reject (an error, or a warning when `as_error` is
    /// false); whether it stopped because the budget is spent.
    fn settle(
        &self,
        result: Result<(), Stop>,
        element: &str,
        at: &Location,
        as_error: bool,
    ) -> bool {
        match result {
            Ok(()) => false,
            Err(Stop::Exhausted) => true,
            Err(Stop::Invalid(message)) if as_error => {
                self.run.error(element, at, message);
                false
            }
            Err(Stop::Invalid(message)) => {
                self.run.warn(element, at, message);
                false
            }
        }
    }

    fn folder_name(&self) -> String {
        if self.folder.is_empty() {
            ".".to_string()
        } else {
            self.folder.clone()
        }
    }

    fn output(&self, name: &str, located: &super::config::Located) -> Result<Value, Stop> {
        if let Some(value) = self.outputs.borrow().get(name) {
            return Ok(value.clone());
        }
        let at = located.attribute_at("value");
        let value = match located.attribute("value") {
            Some(expr) => (Evaluator {
                scope: self,
                at: &at,
            })
            .eval(expr, &Frame::default())?,
            None => return invalid(format!("output `{name}` has no `value`")),
        };
        self.outputs
            .borrow_mut()
            .insert(name.to_string(), value.clone());
        Ok(value)
    }

    /// Evaluates `key`'s definition once, refusing cycles.
    fn once(
        &self,
        key: &str,
        at: &Location,
        evaluate: impl FnOnce() -> Result<Value, Stop>,
    ) -> Result<Value, Stop> {
        if !self.evaluating.borrow_mut().insert(key.to_string()) {
            return invalid(format!("`{key}` refers to itself (a cycle)"));
        }
        let result = self.run.nested(at, || key.to_string(), evaluate);
        self.evaluating.borrow_mut().remove(key);
        result
    }

    /// Instantiates local module `name` and evaluates it; its outputs as an object.
    fn call_module(&self, name: &str, located: &super::config::Located) -> Result<Value, Stop> {
        let address = format!("{}module.{name}", self.prefix);
        let source = match located.attribute("source") {
            Some(hcl::Expression::String(source)) => source.clone(),
            _ => {
                self.run.error(
                    &address,
                    &located.at,
                    "the module's `source` must be a string literal",
                );
                return Ok(unknown(&address));
            }
        };
        let local = source.starts_with("./") || source.starts_with("../");
        let folder = local.then(|| join(&self.folder, &source)).flatten();
        let Some(folder) = folder.filter(|folder| self.files.has_folder(folder)) else {
            let advice = if local {
                format!("the folder `{source}` is not in the input; include it")
            } else {
                let version = match located.attribute("version") {
                    Some(hcl::Expression::String(version)) => format!(" version {version}"),
                    _ => String::new(),
                };
                format!(
                    "module `{source}`{version} is not on disk: run `terraform init`, copy \
                     `.terraform/modules/{name}` into the configuration (e.g. `modules/{name}`) and set \
                     `source = \"./modules/{name}\"`; its resources are not imported and its outputs are placeholders"
                )
            };
            self.run.warn(&address, &located.at, advice.clone());
            self.run.note_unevaluated(&located.at, &address, &advice);
            return Ok(unknown(&address));
        };
        if folder == self.folder || self.callers.contains(&folder) {
            self.run.error(
                &address,
                &located.at,
                format!("`{source}` is a module that contains this call (a cycle): not imported"),
            );
            return Ok(unknown(&address));
        }
        let expansion = self.expansion(located, &address)?;
        let mut instances = Vec::new();
        for (instance_address, frame) in expansion.instances(&address) {
            instances.push(self.instantiate(&instance_address, &folder, located, &frame)?);
        }
        Ok(expansion.collect(&address, instances))
    }

    /// One instance of a local module call at `address`, its inputs evaluated with `frame`
    /// (`count.index`, `each`): its outputs as an object.
    fn instantiate(
        &self,
        address: &str,
        folder: &str,
        located: &super::config::Located,
        frame: &Frame,
    ) -> Result<Value, Stop> {
        let mut inputs = BTreeMap::new();
        for attribute in located.body().attributes() {
            let key = attribute.key.as_str();
            if MODULE_META.contains(&key) {
                continue;
            }
            let at = located.attribute_at(key);
            match (Evaluator {
                scope: self,
                at: &at,
            })
            .eval(&attribute.expr, frame)
            {
                Ok(value) => {
                    inputs.insert(key.to_string(), value);
                }
                Err(Stop::Invalid(message)) => {
                    self.run
                        .error(address, &at, format!("input `{key}`: {message}"))
                }
                Err(stop) => return Err(stop),
            }
        }
        let child = match ModuleInstance::new(
            self.run,
            self.files,
            format!("{address}."),
            folder,
            self.callers
                .iter()
                .cloned()
                .chain([self.folder.clone()])
                .collect(),
            inputs,
            &located.at,
        ) {
            Ok(child) => child,
            Err(error) => {
                self.run.error(address, &located.at, error.to_string());
                return Ok(unknown(address));
            }
        };
        if child.evaluate_all().is_err() {
            return Err(Stop::Exhausted);
        }
        let mut outputs = Map::new();
        for (output, output_located) in &child.config.outputs {
            let value = match child.output(output, output_located) {
                Ok(value) => value,
                Err(Stop::Invalid(_)) => unknown(&format!("{address}.{output}")),
                Err(stop) => return Err(stop),
            };
            outputs.insert(output.clone(), value);
        }
        Ok(Value::Object(outputs))
    }
}

impl References for ModuleInstance<'_> {
    fn run(&self) -> &Run {
        self.run
    }

    fn variable(&self, name: &str, _at: &Location) -> Result<Value, Stop> {
        match self.variables.get(name) {
            Some(value) => Ok(value.clone()),
            None => invalid(format!("`var.{name}` is not declared")),
        }
    }

    fn local(&self, name: &str, at: &Location) -> Result<Value, Stop> {
        if let Some(value) = self.locals.borrow().get(name) {
            return Ok(value.clone());
        }
        let Some((expr, written_at)) = self.config.locals.get(name) else {
            return invalid(format!("`local.{name}` is not declared"));
        };
        let value = self.once(&format!("local.{name}"), at, || {
            Evaluator {
                scope: self,
                at: written_at,
            }
            .eval(expr, &Frame::default())
        })?;
        self.locals
            .borrow_mut()
            .insert(name.to_string(), value.clone());
        Ok(value)
    }

    fn resource(
        &self,
        mode: Mode,
        type_name: &str,
        name: &str,
        at: &Location,
    ) -> Result<Option<Value>, Stop> {
        let Some(block) = self
            .config
            .resources
            .iter()
            .find(|b| b.mode == mode && b.type_name == type_name && b.name == name)
        else {
            return Ok(None);
        };
        let key = block.address();
        if let Some(value) = self.resources.borrow().get(&key) {
            return Ok(Some(value.clone()));
        }
        let value = self.once(&key, at, || self.expand(block))?;
        self.resources.borrow_mut().insert(key, value.clone());
        Ok(Some(value))
    }

    fn module_outputs(&self, name: &str, at: &Location) -> Result<Value, Stop> {
        let key = format!("module.{name}");
        if let Some(value) = self.resources.borrow().get(&key) {
            return Ok(value.clone());
        }
        let Some((_, located)) = self.config.module_calls.iter().find(|(n, _)| n == name) else {
            return invalid(format!("`module.{name}` is not declared"));
        };
        let value = self.once(&key, at, || self.call_module(name, located))?;
        self.resources.borrow_mut().insert(key, value.clone());
        Ok(value)
    }

    fn path(&self, which: &str) -> Option<Value> {
        let folder = if self.folder.is_empty() {
            "."
        } else {
            &self.folder
        };
        match which {
            "module" => Some(Value::String(folder.to_string())),
            "root" | "cwd" => Some(Value::String(".".to_string())),
            _ => None,
        }
    }
}
