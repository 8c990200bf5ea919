//! Importing dropped or picked files: one design, Azure JSON or ARM template, optionally with
//! an ARM parameters file (recognised by its `deploymentParameters` schema or by holding only
//! `parameters`), loaded through [`load_template`]; or the `.tf` and `.tfvars` files of a
//! Terraform root module, loaded through [`load_terraform`] (`terraform.tfvars` and
//! `*.auto.tfvars` as Terraform reads them, any other `.tfvars` as a `-var-file`). The [`ImportReport`] is what the
//! diagnostics panel shows: the summary (elements per type, ignored resources, unevaluated
//! expressions) and every diagnostic, or the reason the import failed.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::design_text::{DesignParts, DesignText};
use super::top_level::TopLevel;
use crate::import::{
    load_if_design, load_template, load_terraform, InputFormat, LoadError, Loaded, SourceFile,
    TemplateInputs, TerraformInputs, Unevaluated,
};
use crate::model::{sorting, Diagnostic};

/// A file as the browser read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub name: String,
    pub text: String,
}

/// What an import did, for the diagnostics panel.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    pub source: String,
    /// The parameters file's name, when one was given.
    pub parameters: Option<String>,
    /// `design`, `Azure resources` or `ARM template`; empty when the import failed.
    pub format: String,
    /// Element type → count.
    pub elements: Vec<(String, usize)>,
    /// Ignored resource type → count.
    pub ignored: Vec<(String, usize)>,
    pub unevaluated: Vec<Unevaluated>,
    pub diagnostics: Vec<Diagnostic>,
    /// Why the import failed (the design was kept).
    pub error: Option<String>,
}

impl ImportReport {
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// One line: `azuredeploy.json (ARM template): 13 element types, 2 unevaluated, 9 diagnostics`.
    pub fn headline(&self) -> String {
        let parameters = self
            .parameters
            .as_ref()
            .filter(|p| **p != self.source)
            .map_or_else(String::new, |p| format!(" with {p}"));
        match &self.error {
            Some(_) => format!("{}{parameters}: import failed, the design is unchanged", self.source),
            None => format!(
                "{}{parameters} ({}): {} element(s), {} unevaluated expression(s), {} diagnostic(s)",
                self.source,
                self.format,
                self.elements.iter().map(|(_, n)| n).sum::<usize>(),
                self.unevaluated.len(),
                self.diagnostics.len()
            ),
        }
    }
}

/// What each file is, from one pass over its top-level members.
#[derive(Clone, Copy, PartialEq)]
enum FileKind {
    Lab,
    Parameters,
    Other,
}

fn file_kinds(files: &[InputFile]) -> Vec<FileKind> {
    files
        .iter()
        .map(|file| match TopLevel::of(&file.text) {
            Some(members) if members.is_lab() => FileKind::Lab,
            Some(members) if members.is_parameters() => FileKind::Parameters,
            _ => FileKind::Other,
        })
        .collect()
}

fn format_name(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Design => "design",
        InputFormat::AzureResources => "Azure resources",
        InputFormat::ArmTemplate => "ARM template",
        InputFormat::Terraform => "Terraform configuration",
        InputFormat::TerraformPlan => "Terraform plan or state",
    }
}

/// What importing files gives the page: the design with its report, the report of the
/// failure, or a lab file to open. The browser computes it in the import module
/// (`src/bin/vnetlab-import.rs`), which also reads the files, so that neither the importers nor
/// the files' text are part of the page's work. The module answers with the design written
/// in parts ([`ImportAnswer`]), which the page reads a few at a time and keeps to hand on as
/// they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ImportOutcome<Design = DesignText> {
    Imported {
        design: Design,
        report: ImportReport,
    },
    Failed(ImportReport),
    /// The files were one lab file: opened as a lab, not imported.
    Lab(InputFile),
}

/// The import module's answer: the outcome with its design in parts.
pub type ImportAnswer = ImportOutcome<DesignParts>;

impl<Design> ImportOutcome<Design> {
    /// The outcome with `change` made to its design.
    pub fn map_design<Changed>(
        self,
        change: impl FnOnce(Design) -> Changed,
    ) -> ImportOutcome<Changed> {
        match self {
            ImportOutcome::Imported { design, report } => ImportOutcome::Imported {
                design: change(design),
                report,
            },
            ImportOutcome::Failed(report) => ImportOutcome::Failed(report),
            ImportOutcome::Lab(file) => ImportOutcome::Lab(file),
        }
    }
}

impl ImportOutcome {
    /// The imported design, when the import gave one.
    pub fn design(&self) -> Option<&crate::model::Design> {
        match self {
            ImportOutcome::Imported { design, .. } => Some(&design.design),
            ImportOutcome::Failed(_) | ImportOutcome::Lab(_) => None,
        }
    }

    /// The outcome as the import module sends it.
    pub fn written(self) -> ImportAnswer {
        self.map_design(|design| DesignParts::write(Rc::unwrap_or_clone(design.design)))
    }
}

/// [`import_files`] as the page takes it; one lab file is handed back to be opened.
pub fn import_outcome(files: &[InputFile]) -> ImportOutcome {
    let imported = match single_design(files) {
        Some(imported) => imported,
        None => {
            let kinds = file_kinds(files);
            if let ([lab], [FileKind::Lab]) = (files, kinds.as_slice()) {
                return ImportOutcome::Lab(lab.clone());
            }
            import_kinds(files, &kinds)
        }
    };
    match imported {
        Ok((loaded, report)) => ImportOutcome::Imported {
            design: DesignText::new(Rc::new(loaded.design)),
            report,
        },
        Err(report) => ImportOutcome::Failed(*report),
    }
}

/// Loads the files: at most one template or design, at most one parameters file. Either the
/// loaded design with its report, or the report of the failure.
pub fn import_files(files: &[InputFile]) -> Result<(Loaded, ImportReport), Box<ImportReport>> {
    single_design(files).unwrap_or_else(|| import_kinds(files, &file_kinds(files)))
}

/// One file that parses as a design — the common case — imported in one pass, without telling
/// its kind first; `None` for anything else.
fn single_design(files: &[InputFile]) -> Option<Result<(Loaded, ImportReport), Box<ImportReport>>> {
    let [file] = files else {
        return None;
    };
    if is_terraform_file(file) {
        return None;
    }
    let loaded = load_if_design(&file.text, &file.name)?;
    Some(reported(loaded, file.name.clone(), None))
}

/// A load's result with its report, or the report of its failure.
fn reported(
    loaded: Result<Loaded, LoadError>,
    source: String,
    parameters: Option<String>,
) -> Result<(Loaded, ImportReport), Box<ImportReport>> {
    match loaded {
        Ok(loaded) => {
            let report = report_of(&loaded, source, parameters);
            Ok((loaded, report))
        }
        Err(error) => Err(failed(source, parameters, error.to_string())),
    }
}

/// The report of an import of `source` (with `parameters`) that failed with `error`.
fn failed(source: String, parameters: Option<String>, error: String) -> Box<ImportReport> {
    Box::new(ImportReport {
        source,
        parameters,
        error: Some(error),
        ..ImportReport::default()
    })
}

/// [`import_files`] with each file's kind already told.
fn import_kinds(
    files: &[InputFile],
    kinds: &[FileKind],
) -> Result<(Loaded, ImportReport), Box<ImportReport>> {
    if files.iter().any(is_terraform_file) {
        return import_terraform(files);
    }
    let (mut parameters, mut inputs): (Vec<&InputFile>, Vec<&InputFile>) = Default::default();
    for (file, kind) in files.iter().zip(kinds) {
        match kind {
            FileKind::Parameters => parameters.push(file),
            _ => inputs.push(file),
        }
    }
    let names = |files: &[&InputFile]| {
        files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fail = |source: String, error: String| {
        failed(source, parameters.first().map(|p| p.name.clone()), error)
    };
    let input = match (inputs.as_slice(), parameters.as_slice()) {
        ([input], [] | [_]) => *input,
        ([], [_]) => {
            return Err(fail(
                names(&parameters),
                "this is an ARM parameters file: drop or pick it together with its template".to_string(),
            ))
        }
        ([], []) => return Err(fail(String::new(), "no file was given".to_string())),
        (inputs, [_, _, ..]) => {
            return Err(fail(
                names(inputs),
                format!("give one parameters file, not {}", names(&parameters)),
            ))
        }
        (inputs, _) => {
            return Err(fail(
                names(inputs),
                "give one design, Azure JSON or template at a time (optionally with its parameters file)".to_string(),
            ))
        }
    };
    let template_inputs = TemplateInputs {
        parameters_file: parameters.first().map(|p| (p.name.clone(), p.text.clone())),
        ..TemplateInputs::default()
    };
    let parameters_name = parameters.first().map(|p| p.name.clone());
    reported(
        load_template(&input.text, &input.name, &template_inputs),
        input.name.clone(),
        parameters_name,
    )
}

/// What a picked or dropped folder without a `.tf` file says.
pub const NO_TERRAFORM_IN_FOLDER: &str =
    "the folder holds no Terraform configuration (.tf files): nothing imported";

/// The name a file picked with a folder (its path under the picked folder, `folder/…`) is
/// imported under: its path inside the folder, for the `.tf` files at any depth (local modules
/// live in subfolders) and the `.tfvars` files beside the root module; `None` for anything
/// else, including hidden folders such as `.terraform` (providers, never read).
pub fn terraform_folder_entry(relative_path: &str) -> Option<String> {
    let (_, inside) = relative_path.split_once('/')?;
    let parts: Vec<&str> = inside.split('/').collect();
    let name = parts.last()?;
    if parts
        .iter()
        .any(|part| part.is_empty() || part.starts_with('.'))
    {
        return None;
    }
    let wanted = name.ends_with(".tf") || (parts.len() == 1 && name.ends_with(".tfvars"));
    wanted.then(|| inside.to_string())
}

fn is_terraform_file(file: &InputFile) -> bool {
    file.name.ends_with(".tf") || file.name.ends_with(".tfvars")
}

/// The `.tf` files as the root module, `terraform.tfvars` / `*.auto.tfvars` beside them, other
/// `.tfvars` files as `-var-file`s (in name order). Other files alongside are refused.
fn import_terraform(files: &[InputFile]) -> Result<(Loaded, ImportReport), Box<ImportReport>> {
    let mut names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    sorting::sort(&mut names);
    let source = names.join(", ");
    let fail = |error: String| {
        Box::new(ImportReport {
            source: source.clone(),
            error: Some(error),
            ..ImportReport::default()
        })
    };
    if let Some(other) = files.iter().find(|f| !is_terraform_file(f)) {
        return Err(fail(format!(
            "`{}` is not a Terraform file: give the .tf and .tfvars files of one configuration, or one JSON file",
            other.name
        )));
    }
    let automatic = |name: &str| name == "terraform.tfvars" || name.ends_with(".auto.tfvars");
    let mut variable_files: Vec<(String, String)> = files
        .iter()
        .filter(|f| f.name.ends_with(".tfvars") && !automatic(&f.name))
        .map(|f| (f.name.clone(), f.text.clone()))
        .collect();
    sorting::sort(&mut variable_files);
    let configuration: Vec<SourceFile> = files
        .iter()
        .filter(|f| f.name.ends_with(".tf") || automatic(&f.name))
        .map(|f| SourceFile {
            path: f.name.clone(),
            text: f.text.clone(),
        })
        .collect();
    let variables_name = (!variable_files.is_empty()).then(|| {
        variable_files
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let inputs = TerraformInputs {
        variable_files,
        ..TerraformInputs::default()
    };
    let tf_names: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.ends_with(".tf"))
        .collect();
    let source = configuration_name(&tf_names);
    match load_terraform(&configuration, &source, &inputs) {
        Ok(loaded) => {
            let report = report_of(&loaded, source, variables_name);
            Ok((loaded, report))
        }
        Err(error) => Err(fail(error.to_string())),
    }
}

/// How a configuration of several `.tf` files reads as the design's source: `main.tf and 6
/// more .tf files` rather than every name (the diagnostics name each file).
fn configuration_name(tf_names: &[&str]) -> String {
    match tf_names {
        [] | [_] | [_, _] => tf_names.join(", "),
        [first, ..] => {
            let lead = tf_names.iter().find(|n| **n == "main.tf").unwrap_or(first);
            format!("{lead} and {} more .tf files", tf_names.len() - 1)
        }
    }
}

fn report_of(loaded: &Loaded, source: String, parameters: Option<String>) -> ImportReport {
    ImportReport {
        source,
        parameters,
        format: format_name(loaded.format).to_string(),
        elements: loaded
            .summary
            .elements
            .iter()
            .map(|(k, n)| (k.clone(), *n))
            .collect(),
        ignored: loaded
            .summary
            .ignored
            .iter()
            .map(|(k, n)| (k.clone(), *n))
            .collect(),
        unevaluated: loaded.summary.unevaluated.clone(),
        diagnostics: loaded.diagnostics.clone(),
        error: None,
    }
}
