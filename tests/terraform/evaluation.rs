//! The Terraform language as the evaluator reads it, each case checked on the design it
//! produces: variables and their sources, locals, templates, count, for_each, dynamic blocks,
//! conditionals, for expressions, splats, references, local and registry modules, values
//! known only after apply, and bad input.

use vnetlab::import::{load_terraform, SourceFile, TerraformInputs};

use super::{errors, import_files, import_text};

const NETWORK: &str = r#"
variable "prefix" { default = "lab" }
variable "space"  {
  type    = list(string)
  default = ["10.0.0.0/16"]
}
variable "subnets" {
  type    = map(number)
  default = { app = 1, data = 2 }
}
resource "azurerm_resource_group" "rg" {
  name     = "rg-${var.prefix}"
  location = "West Europe"
}
resource "azurerm_virtual_network" "vnet" {
  name                = "vnet-${var.prefix}"
  address_space       = var.space
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
}
resource "azurerm_subnet" "each" {
  for_each             = var.subnets
  name                 = "snet-${each.key}"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = [cidrsubnet(var.space[0], 8, each.value)]
}
"#;

fn subnet_prefixes(loaded: &vnetlab::import::Loaded) -> Vec<(String, String)> {
    let mut prefixes: Vec<(String, String)> = loaded
        .design
        .virtual_networks
        .iter()
        .flat_map(|vnet| {
            vnet.subnets
                .iter()
                .map(move |s| (format!("{}/{}", vnet.name, s.name), s.prefix.to_string()))
        })
        .collect();
    prefixes.sort();
    prefixes
}

#[test]
fn variables_for_each_references_and_functions() {
    let loaded = import_text(NETWORK);
    assert_eq!(errors(&loaded), Vec::<String>::new());
    assert_eq!(
        subnet_prefixes(&loaded),
        [
            ("vnet-lab/snet-app".to_string(), "10.0.1.0/24".to_string()),
            ("vnet-lab/snet-data".to_string(), "10.0.2.0/24".to_string()),
        ]
    );
    // The VNet takes its resource group's location.
    assert_eq!(loaded.design.virtual_networks[0].region, "westeurope");
}

/// terraform.tfvars < *.auto.tfvars < -var-file < -var, as Terraform orders them
/// (https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence).
#[test]
fn variable_sources_apply_in_terraforms_precedence() {
    let files = [
        ("main.tf", NETWORK),
        (
            "terraform.tfvars",
            "prefix = \"tfvars\"\nsubnets = { only = 7 }\n",
        ),
        ("b.auto.tfvars", "prefix = \"auto\"\n"),
    ];
    let loaded = import_files(&files, &TerraformInputs::default());
    assert_eq!(loaded.design.virtual_networks[0].name, "vnet-auto");
    assert_eq!(
        subnet_prefixes(&loaded),
        [("vnet-auto/snet-only".to_string(), "10.0.7.0/24".to_string())]
    );
    let inputs = TerraformInputs {
        variable_files: vec![(
            "dev.tfvars".into(),
            "prefix = \"file\"\nspace = [\"172.16.0.0/16\"]\n".into(),
        )],
        variables: vec![
            ("prefix".into(), "cli".into()),
            ("subnets".into(), "{ x = 3 }".into()),
        ],
        ..TerraformInputs::default()
    };
    let loaded = import_files(&files, &inputs);
    assert_eq!(loaded.design.virtual_networks[0].name, "vnet-cli");
    assert_eq!(
        subnet_prefixes(&loaded),
        [("vnet-cli/snet-x".to_string(), "172.16.3.0/24".to_string())]
    );
}

#[test]
fn a_var_for_an_undeclared_variable_is_an_error() {
    let files = [SourceFile {
        path: "main.tf".into(),
        text: NETWORK.into(),
    }];
    let inputs = TerraformInputs {
        variables: vec![("nope".into(), "1".into())],
        ..TerraformInputs::default()
    };
    let error = load_terraform(&files, "test", &inputs).unwrap_err();
    assert!(error.to_string().contains("nope"), "{error}");
}

#[test]
fn count_locals_conditionals_for_expressions_templates_and_splats() {
    let text = r#"
locals {
  names   = [for n in ["a", "b", "c"] : upper(n) if n != "b"]
  tagged  = { for i, n in local.names : n => i }
  enabled = length(local.names) > 1 ? true : false
  banner  = "%{ for n in local.names }${n}-%{ endfor }end"
}
resource "azurerm_virtual_network" "v" {
  count               = local.enabled ? 2 : 0
  name                = "v${count.index}-${local.banner}"
  address_space       = ["10.${count.index}.0.0/16"]
  location            = "eastus"
  resource_group_name = "rg"
}
resource "azurerm_network_security_group" "n" {
  name                = "nsg-${join("-", azurerm_virtual_network.v[*].name)}-${local.tagged["C"]}"
  location            = "eastus"
  resource_group_name = "rg"
}
"#;
    let loaded = import_text(text);
    assert_eq!(errors(&loaded), Vec::<String>::new());
    let mut vnets: Vec<&str> = loaded
        .design
        .virtual_networks
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    vnets.sort();
    assert_eq!(vnets, ["v0-A-C-end", "v1-A-C-end"]);
    assert_eq!(
        loaded.design.network_security_groups[0].name,
        "nsg-v0-A-C-end-v1-A-C-end-1"
    );
}

#[test]
fn dynamic_blocks_expand_their_content_per_item() {
    let text = r#"
variable "ports" { default = { web = 443, ssh = 22 } }
resource "azurerm_network_security_group" "n" {
  name                = "nsg"
  location            = "eastus"
  resource_group_name = "rg"
  dynamic "security_rule" {
    for_each = var.ports
    iterator = port
    content {
      name                       = "allow-${port.key}"
      priority                   = 100 + port.value
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = tostring(port.value)
      source_address_prefix      = "*"
      destination_address_prefix = "*"
    }
  }
}
"#;
    let loaded = import_text(text);
    let mut rules: Vec<(String, u32)> = loaded.design.network_security_groups[0]
        .rules
        .iter()
        .map(|rule| (rule.name.clone(), rule.priority))
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            ("allow-ssh".to_string(), 122),
            ("allow-web".to_string(), 543)
        ]
    );
}

#[test]
fn local_modules_nest_with_inputs_and_outputs() {
    let root = r#"
module "network" {
  source = "./modules/network"
  name   = "hub"
}
resource "azurerm_subnet" "extra" {
  name                 = "extra"
  resource_group_name  = "rg"
  virtual_network_name = module.network.vnet_name
  address_prefixes     = [module.network.next_prefix]
}
"#;
    let network = r#"
variable "name" {}
module "addressing" {
  source = "../addressing"
}
resource "azurerm_virtual_network" "v" {
  name                = "vnet-${var.name}"
  address_space       = [module.addressing.space]
  location            = "eastus"
  resource_group_name = "rg"
}
output "vnet_name" { value = azurerm_virtual_network.v.name }
output "next_prefix" { value = cidrsubnet(module.addressing.space, 8, 9) }
"#;
    let addressing = "output \"space\" { value = \"10.9.0.0/16\" }\n";
    let loaded = import_files(
        &[
            ("main.tf", root),
            ("modules/network/main.tf", network),
            ("modules/addressing/main.tf", addressing),
        ],
        &TerraformInputs::default(),
    );
    assert_eq!(errors(&loaded), Vec::<String>::new());
    assert_eq!(
        subnet_prefixes(&loaded),
        [("vnet-hub/extra".to_string(), "10.9.9.0/24".to_string())]
    );
    // The module's resources carry their module address in diagnostics and sources.
    assert!(
        loaded.sources.iter().any(|s| s
            .location
            .contains("module.network.azurerm_virtual_network.v")),
        "{:?}",
        loaded.sources
    );
}

#[test]
fn a_registry_module_is_reported_with_how_to_vendor_it_and_the_rest_loads() {
    let text = r#"
module "avm" {
  source  = "Azure/avm-res-network-virtualnetwork/azurerm"
  version = "0.7.1"
}
resource "azurerm_virtual_network" "v" {
  name                = "kept"
  address_space       = ["10.0.0.0/16"]
  location            = "eastus"
  resource_group_name = "rg"
}
"#;
    let loaded = import_text(text);
    assert_eq!(loaded.design.virtual_networks[0].name, "kept");
    let warning = loaded
        .diagnostics
        .iter()
        .find(|d| d.element == "module.avm")
        .expect("the module is reported");
    assert!(
        warning
            .message
            .contains("Azure/avm-res-network-virtualnetwork/azurerm"),
        "{warning}"
    );
    assert!(warning.message.contains("version 0.7.1"), "{warning}");
    assert!(
        warning.message.contains(".terraform/modules/avm"),
        "{warning}"
    );
    assert_eq!(warning.path, "main.tf:2");
}

/// A value only apply knows becomes a named placeholder, reported with file, line and
/// expression; a function outside the library likewise.
#[test]
fn values_known_after_apply_are_named_placeholders_reported_where_they_arise() {
    let text = r#"
resource "random_string" "s" { length = 4 }
resource "azurerm_virtual_network" "v" {
  name                = "vnet-${random_string.s.result}"
  address_space       = ["10.0.0.0/16"]
  location            = "eastus"
  resource_group_name = templatefile("rg.tpl", {})
}
"#;
    let loaded = import_text(text);
    assert_eq!(
        loaded.design.virtual_networks[0].name,
        "vnet-<unknown random_string.s.result>"
    );
    let reported: Vec<(String, String)> = loaded
        .summary
        .unevaluated
        .iter()
        .map(|u| (u.path.clone(), u.expression.clone()))
        .collect();
    assert!(
        reported.contains(&(
            "main.tf:4".to_string(),
            "random_string.s.result".to_string()
        )),
        "{reported:?}"
    );
    assert!(
        reported
            .iter()
            .any(|(path, e)| path == "main.tf:7" && e.starts_with("templatefile(")),
        "{reported:?}"
    );
    assert_eq!(loaded.summary.ignored.get("random_string"), Some(&1));
}

#[test]
fn bad_input_is_an_error_at_its_place() {
    let files = [SourceFile {
        path: "net.tf".into(),
        text: "resource \"a\" \"b\" {\n  name = \n}\n".into(),
    }];
    let error = load_terraform(&files, "test", &TerraformInputs::default()).unwrap_err();
    assert_eq!(
        (error.source.as_str(), error.line),
        ("net.tf", Some(2)),
        "{error}"
    );

    let cycle = r#"
locals {
  a = local.b
  b = local.a
}
resource "azurerm_virtual_network" "v" {
  name                = local.a
  address_space       = ["10.0.0.0/16"]
  location            = "eastus"
  resource_group_name = "rg"
}
"#;
    let loaded = import_text(cycle);
    assert!(
        errors(&loaded)
            .iter()
            .any(|e| e.contains("main.tf:7") && e.contains("cycle")),
        "{:?}",
        errors(&loaded)
    );

    let unknown_reference = "output \"x\" { value = azurerm_subnet.missing.id }\n";
    let loaded = import_text(unknown_reference);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("azurerm_subnet.missing")),
        "{:?}",
        loaded.diagnostics
    );

    let recursive = "module \"again\" {\n  source = \"./\"\n}\n";
    let loaded = import_text(recursive);
    assert!(
        errors(&loaded)
            .iter()
            .any(|e| e.contains("module.again") && e.contains("cycle")),
        "{:?}",
        errors(&loaded)
    );

    let empty: [SourceFile; 0] = [];
    assert!(load_terraform(&empty, "empty", &TerraformInputs::default()).is_err());
}

/// The files' order does not change the design: they are read by path, resources converted
/// by address.
#[test]
fn the_design_does_not_depend_on_the_order_files_are_given_in() {
    let path = format!("{}/301-hub-spoke", super::FIXTURES);
    let mut files =
        vnetlab::cli::read_terraform_folder(std::path::Path::new(&path)).expect("folder");
    let forward = load_terraform(&files, "hub", &TerraformInputs::default()).expect("loads");
    files.reverse();
    let backward = load_terraform(&files, "hub", &TerraformInputs::default()).expect("loads");
    assert_eq!(forward.design, backward.design);
    assert_eq!(forward.diagnostics, backward.diagnostics);
    assert_eq!(forward.summary, backward.summary);
}

/// `try` falls back on an error (a missing attribute of a local object is one, as in
/// Terraform) but not on a value only apply knows; `can` says whether its argument evaluates.
#[test]
fn try_and_can_fall_back_on_errors_only() {
    let text = r#"
locals {
  settings = { name = "given" }
  picked   = try(local.settings.missing, "fallback")
  kept     = try(random_string.s.result, "not-taken")
  checks   = "${can(local.settings.name)}-${can(local.settings.missing)}"
}
resource "random_string" "s" { length = 4 }
resource "azurerm_virtual_network" "v" {
  name                = "${local.picked}-${local.kept}-${local.checks}"
  address_space       = ["10.0.0.0/16"]
  location            = "eastus"
  resource_group_name = "rg"
}
resource "azurerm_network_security_group" "n" {
  name                = local.settings.missing
  location            = "eastus"
  resource_group_name = "rg"
}
"#;
    let loaded = import_text(text);
    assert_eq!(
        loaded.design.virtual_networks[0].name,
        "fallback-<unknown random_string.s.result>-true-false"
    );
    assert!(
        errors(&loaded)
            .iter()
            .any(|e| e.contains("main.tf:16") && e.contains("no attribute `missing`")),
        "{:?}",
        errors(&loaded)
    );
}

/// Files in Terraform's JSON syntax are reported, not silently skipped.
#[test]
fn json_configuration_files_are_reported() {
    let loaded = import_files(
        &[
            ("main.tf", NETWORK),
            ("extra.tf.json", "{\"resource\": {}}"),
        ],
        &TerraformInputs::default(),
    );
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.path == "extra.tf.json:1" && d.message.contains("JSON configuration")),
        "{:?}",
        loaded.diagnostics
    );
}

/// `for_each` and `count` on a module call make one module instance per key or index, each
/// with its own inputs; their outputs are a map or a list.
#[test]
fn module_calls_expand_with_for_each_and_count() {
    let root = r#"
module "spoke" {
  source   = "./modules/spoke"
  for_each = { a = 1, b = 2 }
  name     = "spoke-${each.key}"
  octet    = each.value
}
module "extra" {
  source = "./modules/spoke"
  count  = 2
  name   = "extra-${count.index}"
  octet  = 10 + count.index
}
resource "azurerm_network_security_group" "n" {
  name                = "nsg-${module.spoke["b"].vnet_name}-${module.extra[1].vnet_name}"
  location            = "eastus"
  resource_group_name = "rg"
}
"#;
    let spoke = r#"
variable "name" {}
variable "octet" {}
resource "azurerm_virtual_network" "v" {
  name                = var.name
  address_space       = ["10.${var.octet}.0.0/16"]
  location            = "eastus"
  resource_group_name = "rg"
}
output "vnet_name" { value = azurerm_virtual_network.v.name }
"#;
    let loaded = import_files(
        &[("main.tf", root), ("modules/spoke/main.tf", spoke)],
        &TerraformInputs::default(),
    );
    assert_eq!(errors(&loaded), Vec::<String>::new());
    let mut vnets: Vec<(String, String)> = loaded
        .design
        .virtual_networks
        .iter()
        .map(|v| (v.name.clone(), v.address_space[0].to_string()))
        .collect();
    vnets.sort();
    assert_eq!(
        vnets,
        [
            ("extra-0".to_string(), "10.10.0.0/16".to_string()),
            ("extra-1".to_string(), "10.11.0.0/16".to_string()),
            ("spoke-a".to_string(), "10.1.0.0/16".to_string()),
            ("spoke-b".to_string(), "10.2.0.0/16".to_string()),
        ]
    );
    assert_eq!(
        loaded.design.network_security_groups[0].name,
        "nsg-spoke-b-extra-1"
    );
    assert!(
        loaded.sources.iter().any(|s| s
            .location
            .contains("module.spoke[\"a\"].azurerm_virtual_network.v")),
        "{:?}",
        loaded.sources
    );
}
