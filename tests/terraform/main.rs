//! Terraform import (issue 13): every configuration under `../shared/fixtures/terraform/`
//! imports with its element counts and is analysed (`fixtures`); the AML quickstart's
//! required flows and exfiltration paths (`aml`); the language (`evaluation`); each resource
//! family's mapping (`mapping`, load balancers in `load_balancer`); the same network as ARM and as Terraform (`round_trip`);
//! plan and state JSON (`plan`); the budget (`budget`).
#![cfg(not(target_arch = "wasm32"))]

mod aml;
mod budget;
mod evaluation;
mod fixtures;
mod load_balancer;
mod mapping;
mod plan;
mod round_trip;

use std::path::Path;

use vnetlab::import::{load_terraform, Loaded, SourceFile, TerraformInputs};

pub const FIXTURES: &str = "../shared/fixtures/terraform";

/// Imports fixture `folder` as the CLI reads it.
pub fn import_folder(folder: &str, inputs: &TerraformInputs) -> Loaded {
    let path = format!("{FIXTURES}/{folder}");
    let files = vnetlab::cli::read_terraform_folder(Path::new(&path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    load_terraform(&files, folder, inputs).unwrap_or_else(|e| panic!("{path} did not load: {e}"))
}

/// Imports a configuration given as (path, text) pairs.
pub fn import_files(files: &[(&str, &str)], inputs: &TerraformInputs) -> Loaded {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(path, text)| SourceFile {
            path: path.to_string(),
            text: text.to_string(),
        })
        .collect();
    load_terraform(&files, "test", inputs).unwrap_or_else(|e| panic!("did not load: {e}"))
}

/// One `main.tf`.
pub fn import_text(text: &str) -> Loaded {
    import_files(&[("main.tf", text)], &TerraformInputs::default())
}

pub fn errors(loaded: &Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect()
}
