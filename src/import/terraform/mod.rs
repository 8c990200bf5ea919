//! Terraform import: a configuration folder evaluated offline, without Terraform, providers or
//! credentials, into the resolved ARM resource JSON that `azure` converts (so one converter per
//! resource family serves every input format); and `terraform show -json` plan and state
//! documents (`plan`), detected automatically.
//!
//! Evaluation (`files` → `config` → `modules` / `expansion` / `instances` → `expressions` +
//! `functions`):
//! every `.tf` file of the root folder, variable values from `terraform.tfvars`,
//! `*.auto.tfvars`, `-var-file` and `-var` (in Terraform's order of precedence), locals,
//! templates, `count`, `for_each`, `dynamic` blocks, conditionals, `for` expressions, splats,
//! resource, data and module references, and local modules nested to any depth. Values known
//! only after apply are what Azure would assign where that is determined (`computed`: ARM ids,
//! an Azure Firewall's private IP) and otherwise named placeholders (`values`), each reported
//! in the summary's "not evaluated" list with its file, line and expression. Registry modules
//! that are not on disk are reported with how to vendor them; the rest still loads. The
//! evaluation runs within the same deterministic budget as ARM templates (`import/budget`).
//!
//! Lowering (`lower/`) maps each azurerm resource to its ARM shape; diagnostics of the
//! conversion are pointed back at the `.tf` file and line of the resource they concern.

mod computed;
mod config;
mod expansion;
mod expressions;
mod files;
mod functions;
mod instances;
mod lower;
mod modules;
mod plan;
mod run;
mod values;
mod variables;

use crate::model::sorting;
use serde_json::Value;

use self::files::FileSet;
use self::modules::ModuleInstance;
use self::run::Run;
use super::{azure, EvaluationLimits, InputFormat, LoadError, Loaded};

pub use files::SourceFile;
pub(crate) use plan::{is_plan_or_state, load_plan};

/// What a configuration is evaluated with besides its files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TerraformInputs {
    /// `-var-file` files (name, text), applied in order after the automatic ones.
    pub variable_files: Vec<(String, String)>,
    /// `-var NAME=VALUE`, applied last.
    pub variables: Vec<(String, String)>,
    /// The evaluation budget.
    pub limits: EvaluationLimits,
}

/// Loads a Terraform configuration: `files` (paths relative to the root module's folder),
/// named `source` in messages.
pub fn load_terraform(
    files: &[SourceFile],
    source: &str,
    inputs: &TerraformInputs,
) -> Result<Loaded, LoadError> {
    let set = FileSet::new(files);
    let root_files = set.configuration("");
    if root_files.is_empty() {
        return Err(LoadError::whole(
            source,
            "no `.tf` file in the folder: nothing to import",
        ));
    }
    let root_config = config::Module::parse(&root_files)?;
    let run = Run::new(inputs.limits);
    let values = variables::root_values(&set, &root_config, inputs, &run)?;
    let at = config::Location {
        file: source.to_string(),
        line: 1,
    };
    for file in files.iter().filter(|f| f.path.ends_with(".json")) {
        run.warn(
            &file.path,
            &config::Location {
                file: file.path.clone(),
                line: 1,
            },
            "Terraform's JSON configuration syntax is not read: this file is ignored",
        );
    }
    let root = ModuleInstance::new(&run, &set, String::new(), "", Vec::new(), values, &at)?;
    root.evaluate_all()?;
    let usage = run.usage();
    let (instances, diagnostics, unevaluated) = run.into_parts();
    let lowered = lower::lower(&instances, root_config.azurerm_major);
    let mut loaded = azure::load(&[Value::Array(lowered.resources)], source)?;
    for diagnostic in &mut loaded.diagnostics {
        diagnostic.path = map_back(&diagnostic.path, source, &lowered.origins);
    }
    for resource in &mut loaded.sources {
        resource.location = map_back(&resource.location, source, &lowered.origins);
    }
    loaded.diagnostics.extend(diagnostics);
    loaded.diagnostics.extend(lowered.diagnostics);
    sorting::sort(&mut loaded.diagnostics);
    loaded.diagnostics.dedup();
    for (type_name, count) in lowered.ignored {
        *loaded.summary.ignored.entry(type_name).or_default() += count;
    }
    loaded.summary.unevaluated = unevaluated;
    loaded.summary.evaluation = Some(usage);
    loaded.format = InputFormat::Terraform;
    Ok(loaded)
}

/// `source: $[i]rest` → `file.tf:line address rest`.
fn map_back(location: &str, source: &str, origins: &[String]) -> String {
    let mapped = (|| {
        let rest = location.strip_prefix(&format!("{source}: $["))?;
        let (index, tail) = rest.split_once(']')?;
        let origin = origins.get(index.parse::<usize>().ok()?)?;
        Some(format!(
            "{origin}{}",
            if tail.is_empty() {
                String::new()
            } else {
                format!(" ${tail}")
            }
        ))
    })();
    mapped.unwrap_or_else(|| location.to_string())
}
