//! Reading a design, resolved Azure JSON, an ARM template or a Terraform configuration (a
//! folder, a `.tf` file, or plan / state JSON), with `--option` overrides; for templates,
//! `--parameters`, `--param` and `--location`; for Terraform, `-var` and `-var-file`.

use std::ffi::OsString;
use std::fs;
use std::path::Path;

use clap::Args;

use crate::import::{
    load_template, load_terraform, EvaluationLimits, Loaded, SourceFile, TemplateInputs,
    TerraformInputs, DEFAULT_MAX_EVALUATION_STEPS,
};
use crate::model::EvaluationOptions;

/// The input every subcommand takes.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// A design file (JSON with `schema_version`), resolved Azure resource JSON, an ARM
    /// template, a Terraform plan or state (`terraform show -json`), or a Terraform
    /// configuration: a folder or one `.tf` file (its folder is read).
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
    /// Terraform only: a variable value, `-var NAME=VALUE` (as Terraform reads it: the raw
    /// string for a string variable, an HCL expression otherwise). Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub variables: Vec<String>,
    /// Terraform only: a variables file (`.tfvars`), after `terraform.tfvars` and
    /// `*.auto.tfvars`. Repeatable.
    #[arg(long = "var-file", value_name = "FILE.tfvars")]
    pub variable_files: Vec<String>,
    /// ARM templates and Terraform: the evaluation budget in steps (bytes of values and output elements
    /// scale with it); raise it for a template that exceeds the default.
    #[arg(long = "max-evaluation-steps", value_name = "N",
          default_value_t = DEFAULT_MAX_EVALUATION_STEPS)]
    pub max_evaluation_steps: u64,
}

impl InputArgs {
    /// Loads the input and applies option overrides; errors name the file and the problem.
    pub fn load(&self) -> Result<Loaded, String> {
        let path = Path::new(&self.input);
        if path.is_dir() || self.input.ends_with(".tf") {
            let mut loaded = self.load_terraform(path)?;
            loaded.design.options = apply_overrides(&loaded.design.options, &self.options)?;
            return Ok(loaded);
        }
        if !self.variables.is_empty() || !self.variable_files.is_empty() {
            return Err(format!(
                "{}: -var and -var-file apply to a Terraform folder or .tf file",
                self.input
            ));
        }
        let text = fs::read_to_string(&self.input).map_err(|e| format!("{}: {e}", self.input))?;
        let inputs = self.template_inputs()?;
        let mut loaded = load_template(&text, &self.input, &inputs).map_err(|e| e.to_string())?;
        loaded.design.options = apply_overrides(&loaded.design.options, &self.options)?;
        Ok(loaded)
    }

    /// The Terraform configuration in `path` (a folder, or a `.tf` file's folder).
    fn load_terraform(&self, path: &Path) -> Result<Loaded, String> {
        if self.parameters.is_some() || !self.params.is_empty() || self.location.is_some() {
            return Err(format!(
                "{}: --parameters, --param and --location apply to ARM templates; use -var and -var-file",
                self.input
            ));
        }
        let folder = if path.is_dir() {
            path
        } else {
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        let files = read_terraform_folder(folder).map_err(|e| format!("{}: {e}", self.input))?;
        let variable_files = self
            .variable_files
            .iter()
            .map(|path| read_named(path))
            .collect::<Result<Vec<_>, _>>()?;
        let variables = name_values(&self.variables, "-var")?;
        let inputs = TerraformInputs {
            variable_files,
            variables,
            limits: EvaluationLimits::with_max_steps(self.max_evaluation_steps),
        };
        load_terraform(&files, &self.input, &inputs).map_err(|e| e.to_string())
    }

    fn template_inputs(&self) -> Result<TemplateInputs, String> {
        let parameters_file = self.parameters.as_deref().map(read_named).transpose()?;
        let overrides = name_values(&self.params, "--param")?;
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

/// Terraform's single-dash `-var` and `-var-file` as the long options they are here.
pub(super) fn terraform_flag(argument: OsString) -> OsString {
    match argument.to_str() {
        Some(flag) if flag == "-var" || flag.starts_with("-var=") => {
            OsString::from(format!("-{flag}"))
        }
        Some(flag) if flag == "-var-file" || flag.starts_with("-var-file=") => {
            OsString::from(format!("-{flag}"))
        }
        _ => argument,
    }
}

/// The `.tf` and `.tfvars` files (and their `.json` forms, which the import reports) of
/// `folder` and of its subfolders (local modules), with paths relative to it; hidden folders
/// (`.terraform`, `.git`) are skipped.
pub fn read_terraform_folder(folder: &Path) -> std::io::Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    let mut pending = vec![(folder.to_path_buf(), String::new())];
    while let Some((directory, relative)) = pending.pop() {
        let mut entries = fs::read_dir(&directory)?.collect::<Result<Vec<_>, _>>()?;
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().to_string();
            let path = if relative.is_empty() {
                name.clone()
            } else {
                format!("{relative}/{name}")
            };
            let kind = entry.file_type()?;
            if kind.is_dir() && !name.starts_with('.') {
                pending.push((entry.path(), path));
            } else if kind.is_file()
                && [".tf", ".tfvars", ".tf.json", ".tfvars.json"]
                    .iter()
                    .any(|suffix| name.ends_with(suffix))
            {
                let text = fs::read_to_string(entry.path())?;
                files.push(SourceFile { path, text });
            }
        }
    }
    Ok(files)
}

/// A file's path and text, or an error naming the path.
fn read_named(path: &str) -> Result<(String, String), String> {
    fs::read_to_string(path)
        .map(|text| (path.to_string(), text))
        .map_err(|e| format!("{path}: {e}"))
}

/// `NAME=VALUE` entries of `flag` (`-var`, `--param`) as pairs, or an error naming the entry.
fn name_values(entries: &[String], flag: &str) -> Result<Vec<(String, String)>, String> {
    entries
        .iter()
        .map(|entry| {
            entry
                .split_once('=')
                .map(|(name, value)| (name.trim().to_string(), value.to_string()))
                .filter(|(name, _)| !name.is_empty())
                .ok_or_else(|| format!("{flag} {entry}: expected NAME=VALUE"))
        })
        .collect()
}
