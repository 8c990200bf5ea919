//! Importing in the browser's reducer: an ARM template with its parameters file (in either
//! order), the report the diagnostics panel shows, failures that keep the design; and the
//! compliance checks and undetermined paths of an evaluation.

use vnetlab::view::import_report::{
    import_files, import_outcome, ImportAnswer, ImportOutcome, InputFile,
};
use vnetlab::view::state::AppState;
use vnetlab::view::top_level::TopLevel;

use crate::{import, is_lab_file, is_parameters_file, preset, read_answer};

const ARM: &str = "../shared/fixtures/arm";

fn fixture(dir: &str, file: &str) -> InputFile {
    let path = format!("{}/{ARM}/{dir}/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    InputFile {
        name: file.to_string(),
        text,
    }
}

/// A file's kind is told from its top-level members alone; every kind by the rule it matches
/// and every non-object as nothing.
#[test]
fn a_file_is_told_a_lab_or_parameters_file_by_its_top_level_members() {
    let cases = [
        (
            r#"{"id":"l","goals":[{"x":1}],"start":{"scenario":"s"}}"#,
            Some((true, false)),
        ),
        (r#"{"goals":[],"schema_version":1}"#, Some((false, false))),
        (
            r#"{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#","parameters":{}}"#,
            Some((false, true)),
        ),
        (r#"{"parameters":{"a":{"value":1}}}"#, Some((false, true))),
        (r#"{"parameters":{},"resources":[]}"#, Some((false, false))),
        (
            r#"{"$schema":"https://x/deploymentTemplate.json#","parameters":{}}"#,
            Some((false, false)),
        ),
        (
            r#"{"$schema":{"nested":"deploymentParameters"},"parameters":[1,2]}"#,
            Some((false, true)),
        ),
        (
            r#"{"$schema":"deploymentParameters","parameters":null,"more":[{"a":[true,1.5,"s"]}]}"#,
            Some((false, true)),
        ),
        ("[1,2]", None),
        ("\"text\"", None),
        ("{\"goals\": [", None),
        ("{} trailing", None),
    ];
    for (text, expected) in cases {
        let told = TopLevel::of(text).map(|members| (members.is_lab(), members.is_parameters()));
        assert_eq!(told, expected, "{text}");
        let (lab, parameters) = expected.unwrap_or_default();
        assert_eq!(is_lab_file(text), lab, "{text}");
        assert_eq!(is_parameters_file(text), parameters, "{text}");
    }
    let members = TopLevel::of(r#"{"a":"x","b":2,"c":{"a":"y"}}"#).expect("an object");
    assert_eq!(members.string("a"), Some("x"));
    assert_eq!((members.string("b"), members.has("b")), (None, true));
    assert_eq!(members.string("c"), None, "nested strings are not kept");
}

#[test]
fn a_template_and_its_parameters_import_in_either_order_with_a_report() {
    let template = fixture("azurefirewall-forced-tunneling", "azuredeploy.json");
    let parameters = fixture(
        "azurefirewall-forced-tunneling",
        "azuredeploy.parameters.json",
    );
    assert!(is_parameters_file(&parameters.text));
    assert!(!is_parameters_file(&template.text));
    let state = AppState::new(preset("workshop"), "workshop", false);
    let state = import(state, vec![parameters.clone(), template.clone()]);
    assert_eq!(state.error, None);
    assert!(state.design.firewalls.iter().any(|f| f.name == "firewall1"));
    assert_eq!(state.scenario, "");
    let report = state.import_report.clone().expect("a report");
    assert_eq!(report.format, "ARM template");
    assert_eq!(
        report.parameters.as_deref(),
        Some("azuredeploy.parameters.json")
    );
    assert!(report
        .elements
        .iter()
        .any(|(k, n)| k == "route_tables" && *n == 2));
    assert_eq!(report.unevaluated.len(), 2);
    assert!(!report.diagnostics.is_empty());
    assert!(report.headline().contains("2 unevaluated"));
    let firewall_design = state.design.clone();

    // A parameters file alone fails; the design is kept and the report says why.
    let failed = import(state, vec![parameters]);
    assert_eq!(failed.design, firewall_design);
    assert!(failed.error.as_deref().unwrap().contains("parameters file"));
    assert!(failed.import_report.as_ref().unwrap().failed());
    assert_eq!(
        failed.import_report.as_ref().unwrap().headline(),
        "azuredeploy.parameters.json: import failed, the design is unchanged",
        "the parameters file is named once"
    );

    // Two templates at once fail too.
    let failed = import(failed, vec![template.clone(), template]);
    assert_eq!(failed.design, firewall_design);
    assert!(failed.error.as_deref().unwrap().contains("one design"));
}

#[test]
fn a_broken_file_reports_where_and_keeps_the_design() {
    let files = [InputFile {
        name: "broken.json".into(),
        text: "{\"schema_version\": 1, \"name\": ".into(),
    }];
    let report = import_files(&files).unwrap_err();
    assert!(report.error.as_deref().unwrap().starts_with("broken.json"));
    let state = AppState::new(preset("workshop"), "workshop", false);
    let design = state.design.clone();
    let state = import(state, files.to_vec());
    assert_eq!(state.design, design);
    assert!(state.error.unwrap().contains("broken.json"));
}

#[test]
fn evaluations_carry_compliance_checks_and_undetermined_paths() {
    let il5 = AppState::new(preset("il5-us-gov"), "il5-us-gov", false);
    let checks = &il5.evaluation.compliance;
    assert!(!checks.is_empty());
    assert!(checks
        .iter()
        .all(|c| !c.policy.is_empty() && !c.why.is_empty()));
    for (id, design) in crate::all_presets() {
        let state = AppState::new(design, id, false);
        for row in &state.evaluation.undetermined {
            assert!(
                !row.reason.is_empty() && row.label.contains('→'),
                "{id}: {row:?}"
            );
        }
    }
}

/// The browser's import takes the `.tf` and `.tfvars` files of a Terraform root module:
/// `terraform.tfvars` as Terraform reads it, another `.tfvars` as a `-var-file`, and refuses a
/// JSON file among them.
#[test]
fn terraform_files_import_with_their_variable_files() {
    let folder = "tests/fixtures/round-trip/terraform";
    let main = InputFile {
        name: "main.tf".into(),
        text: std::fs::read_to_string(format!("{folder}/main.tf")).expect("main.tf"),
    };
    let automatic = InputFile {
        name: "terraform.tfvars".into(),
        text: "prefix = \"auto\"\n".into(),
    };
    let (loaded, report) = import_files(&[main.clone(), automatic.clone()]).expect("imports");
    assert_eq!(report.format, "Terraform configuration");
    assert_eq!(report.source, "main.tf");
    assert!(loaded
        .design
        .virtual_networks
        .iter()
        .any(|v| v.name == "vnet-auto-hub"));
    let chosen = InputFile {
        name: "prod.tfvars".into(),
        text: "prefix = \"prod\"\n".into(),
    };
    let (loaded, report) = import_files(&[main.clone(), automatic, chosen]).expect("imports");
    assert_eq!(report.parameters.as_deref(), Some("prod.tfvars"));
    assert!(loaded
        .design
        .virtual_networks
        .iter()
        .any(|v| v.name == "vnet-prod-hub"));
    let json = InputFile {
        name: "design.json".into(),
        text: "{}".into(),
    };
    let refused = import_files(&[main, json]).unwrap_err();
    assert!(refused.error.as_deref().unwrap().contains("design.json"));
}

/// A configuration of many `.tf` files is named by its `main.tf` and a count, not by every
/// file (the AML quickstart has seven).
#[test]
fn a_many_file_terraform_configuration_is_named_by_main_tf() {
    let folder = "../shared/fixtures/terraform/201-machine-learning-moderately-secure";
    let mut files: Vec<InputFile> = std::fs::read_dir(folder)
        .expect("the quickstart folder")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tf"))
        .map(|name| InputFile {
            text: std::fs::read_to_string(format!("{folder}/{name}")).expect("a .tf file"),
            name,
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(files.len() > 2 && files[0].name != "main.tf");
    let (_, report) = import_files(&files).expect("imports");
    assert_eq!(
        report.source,
        format!("main.tf and {} more .tf files", files.len() - 1)
    );
}

/// A folder picked in the browser: its `.tf` files at any depth (local modules) and the root's
/// `.tfvars`, named by their path inside the folder; hidden folders (`.terraform`) and other
/// files are never read.
#[test]
fn a_picked_terraform_folder_keeps_its_modules_and_skips_hidden_folders() {
    use vnetlab::view::import_report::terraform_folder_entry;
    for (picked, expected) in [
        ("quickstart/main.tf", Some("main.tf")),
        (
            "quickstart/modules/net/main.tf",
            Some("modules/net/main.tf"),
        ),
        ("quickstart/terraform.tfvars", Some("terraform.tfvars")),
        ("quickstart/modules/net/terraform.tfvars", None),
        ("quickstart/.terraform/providers/azurerm.tf", None),
        ("quickstart/.git/config", None),
        ("quickstart/readme.md", None),
        ("main.tf", None),
    ] {
        assert_eq!(
            terraform_folder_entry(picked).as_deref(),
            expected,
            "{picked}"
        );
    }
    // A picked folder's files, named so, import as one configuration with its local module.
    let root = "module \"network\" {\n  source = \"./modules/network\"\n  name   = var.name\n}\nvariable \"name\" {}\n";
    let module = "variable \"name\" {}\nresource \"azurerm_virtual_network\" \"v\" {\n  name                = \"vnet-${var.name}\"\n  address_space       = [\"10.9.0.0/16\"]\n  location            = \"eastus\"\n  resource_group_name = \"rg\"\n}\n";
    let picked = [
        ("quickstart/main.tf", root),
        ("quickstart/modules/network/main.tf", module),
        ("quickstart/terraform.tfvars", "name = \"hub\"\n"),
        ("quickstart/.terraform/modules/modules.json", "{}"),
    ];
    let files: Vec<InputFile> = picked
        .iter()
        .filter_map(|(path, text)| {
            terraform_folder_entry(path).map(|name| InputFile {
                name,
                text: (*text).to_string(),
            })
        })
        .collect();
    assert_eq!(files.len(), 3);
    let (loaded, report) = import_files(&files).expect("the picked folder imports");
    assert_eq!(report.format, "Terraform configuration");
    let names: Vec<&str> = loaded
        .design
        .virtual_networks
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(names, ["vnet-hub"]);
}

/// The import module's outcome crosses from its worker with the design in parts, which the
/// page reads a part at a time: it must come back equal, for
/// an imported template (design, report with unevaluated expressions and diagnostics) and for
/// a failure.
#[test]
fn an_import_outcome_survives_the_worker_codec() {
    let template = fixture("azurefirewall-forced-tunneling", "azuredeploy.json");
    let parameters = fixture(
        "azurefirewall-forced-tunneling",
        "azuredeploy.parameters.json",
    );
    let imported = import_outcome(&[template, parameters.clone()]);
    let ImportOutcome::Imported { report, .. } = &imported else {
        panic!("the template imports: {imported:?}");
    };
    assert!(!report.unevaluated.is_empty() && !report.diagnostics.is_empty());
    let failed = import_outcome(&[parameters]);
    assert!(matches!(failed, ImportOutcome::Failed(_)));
    for outcome in [imported, failed] {
        let text = serde_json::to_string(&outcome.clone().written()).expect("serializes");
        let answer: ImportAnswer = serde_json::from_str(&text).expect("deserializes");
        let back = read_answer(answer);
        assert_eq!(back, outcome);
    }
}
