//! The same small network written as an ARM template (`tests/fixtures/round-trip/
//! network.json`) and as Terraform (`…/terraform/main.tf`: for_each, dynamic blocks, for
//! expressions, cidrsubnet / cidrhost, association resources, a separate NSG rule) imports
//! to equal designs, apart from the name and description, which come from the file names.

use std::path::Path;

use vnetlab::import::{load_template, load_terraform, TemplateInputs, TerraformInputs};
use vnetlab::model::Design;

const FOLDER: &str = "tests/fixtures/round-trip";

fn without_names(mut design: Design) -> Design {
    design.name.clear();
    design.description.clear();
    design
}

#[test]
fn arm_and_terraform_of_the_same_network_give_equal_designs() {
    let template = std::fs::read_to_string(format!("{FOLDER}/network.json")).expect("template");
    let arm = load_template(&template, "network.json", &TemplateInputs::default()).expect("ARM");
    let files = vnetlab::cli::read_terraform_folder(Path::new(&format!("{FOLDER}/terraform")))
        .expect("terraform folder");
    let terraform =
        load_terraform(&files, "terraform", &TerraformInputs::default()).expect("Terraform");
    assert_eq!(arm.summary.elements, terraform.summary.elements);
    assert!(
        terraform.summary.unevaluated.is_empty(),
        "{:?}",
        terraform.summary.unevaluated
    );
    assert_eq!(without_names(terraform.design), without_names(arm.design));
}
