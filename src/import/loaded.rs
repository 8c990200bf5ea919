//! The result of a successful load: the design, the format it came from, the diagnostics of the
//! import and of validation, and a summary of what was imported or ignored.

use crate::model::{Design, Diagnostic};

use super::ImportSummary;

/// The input formats `load_input` recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// vnetlab's own design JSON (an object with `schema_version`).
    Design,
    /// Resolved Azure resource JSON: `az ... show` / REST GET output, lists, expression-free
    /// ARM templates, REST API example files, or several of them concatenated.
    AzureResources,
    /// An ARM template evaluated (parameters, expressions, copy loops, nested deployments)
    /// before conversion.
    ArmTemplate,
    /// A Terraform configuration folder or `.tf` file, evaluated.
    Terraform,
    /// A `terraform show -json` plan or state.
    TerraformPlan,
}

/// Where one converted resource came from in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSource {
    /// The ARM type, e.g. `Microsoft.Network/networkSecurityGroups`.
    pub arm_type: String,
    /// The resource name, parents first: `vnet/subnet`.
    pub name: String,
    /// `source: $.json.path` of the resource (for a template, the resource as written in it).
    pub location: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub design: Design,
    pub format: InputFormat,
    /// Sorted. Paths starting with the source name (`input.json: $…`) point into the input;
    /// paths without it point into the design an Azure import produced.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: ImportSummary,
    /// Where each converted resource came from, in input order; empty for a design file.
    pub sources: Vec<ResourceSource>,
}
