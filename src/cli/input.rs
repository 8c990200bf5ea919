//! Reading a design, resolved Azure JSON or an ARM template from a file, with `--option`
//! overrides and, for templates, `--parameters`, `--param` and `--location`.

use std::fs;

use clap::Args;

use crate::import::{
    load_template, EvaluationLimits, Loaded, TemplateInputs, DEFAULT_MAX_EVALUATION_STEPS,
};
use crate::model::EvaluationOptions;

/// The input every subcommand takes.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// A design file (JSON with `schema_version`), resolved Azure resource JSON or an ARM
    /// template.
    pub input: String,
    /// Override an evaluation option, e.g. `--option udr_prefixes_in_virtual_network=false`
    /// (see README "Semantics options"). Repeatable.
    #[arg(long = "option", value_name = "NAME=VALUE")]
    pub options: Vec<String>,
    /// ARM template only: a parameters file (`azuredeploy.parameters.json`).
    #[arg(long = "parameters", value_name = "P.json")]
    pub parameters: Option<String>,
    /// ARM template only: a parameter value, e.g. `--param prefix=ml` (JSON for arrays and
    /// objects); applied after `--parameters`. Repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// ARM template only: the resource group's region (`resourceGroup().location`); eastus
    /// when not given.
    #[arg(long = "location", value_name = "REGION")]
    pub location: Option<String>,
    /// ARM template only: the evaluation budget in steps (bytes of values and output elements
    /// scale with it); raise it for a template that exceeds the default.
    #[arg(long = "max-evaluation-steps", value_name = "N",
          default_value_t = DEFAULT_MAX_EVALUATION_STEPS)]
    pub max_evaluation_steps: u64,
}

impl InputArgs {
    /// Loads the input and applies option overrides; errors name the file and the problem.
    pub fn load(&self) -> Result<Loaded, String> {
        let text = fs::read_to_string(&self.input).map_err(|e| format!("{}: {e}", self.input))?;
        let inputs = self.template_inputs()?;
        let mut loaded = load_template(&text, &self.input, &inputs).map_err(|e| e.to_string())?;
        loaded.design.options = apply_overrides(&loaded.design.options, &self.options)?;
        Ok(loaded)
    }

    fn template_inputs(&self) -> Result<TemplateInputs, String> {
        let parameters_file = match &self.parameters {
            Some(path) => {
                let text = fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
                Some((path.clone(), text))
            }
            None => None,
        };
        let overrides = self
            .params
            .iter()
            .map(|entry| {
                entry
                    .split_once('=')
                    .map(|(name, value)| (name.trim().to_string(), value.to_string()))
                    .filter(|(name, _)| !name.is_empty())
                    .ok_or_else(|| format!("--param {entry}: expected NAME=VALUE"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TemplateInputs {
            parameters_file,
            overrides,
            location: self.location.clone(),
            limits: EvaluationLimits::with_max_steps(self.max_evaluation_steps),
        })
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
