//! Reading a design (or resolved Azure JSON) from a file, with `--option` overrides.

use std::fs;

use clap::Args;

use crate::import::{load_input, Loaded};
use crate::model::EvaluationOptions;

/// The input every subcommand takes.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// A design file (JSON with `schema_version`) or resolved Azure resource JSON.
    pub input: String,
    /// Override an evaluation option, e.g. `--option udr_prefixes_in_virtual_network=false`
    /// (see README "Semantics options"). Repeatable.
    #[arg(long = "option", value_name = "NAME=VALUE")]
    pub options: Vec<String>,
}

impl InputArgs {
    /// Loads the input and applies option overrides; errors name the file and the problem.
    pub fn load(&self) -> Result<Loaded, String> {
        let text = fs::read_to_string(&self.input).map_err(|e| format!("{}: {e}", self.input))?;
        let mut loaded = load_input(&text, &self.input).map_err(|e| e.to_string())?;
        loaded.design.options = apply_overrides(&loaded.design.options, &self.options)?;
        Ok(loaded)
    }
}

fn apply_overrides(
    options: &EvaluationOptions,
    overrides: &[String],
) -> Result<EvaluationOptions, String> {
    let mut value = serde_json::to_value(options).map_err(|e| e.to_string())?;
    for entry in overrides {
        let (name, raw) = entry
            .split_once('=')
            .ok_or_else(|| format!("--option {entry}: expected NAME=VALUE"))?;
        let object = value.as_object_mut().ok_or("options are not an object")?;
        if !object.contains_key(name) {
            let known: Vec<&String> = object.keys().collect();
            return Err(format!(
                "--option {entry}: unknown option `{name}` (known: {known:?})"
            ));
        }
        let parsed = serde_json::from_str(raw)
            .unwrap_or_else(|_| serde_json::Value::String(raw.to_string()));
        object.insert(name.to_string(), parsed);
    }
    serde_json::from_value(value).map_err(|e| format!("--option: {e}"))
}
