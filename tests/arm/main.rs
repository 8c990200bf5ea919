//! ARM template import: every fixture template (default parameters and each parameters file)
//! with its element counts, compiled and traced; the expression evaluator function by
//! function; copy loops; nested deployment scopes; unsupported constructs; a property test on
//! random and mutated input; and the CLI.
#![cfg(not(target_arch = "wasm32"))]

mod budget;

use std::net::Ipv4Addr;
use std::process::Command;

use proptest::prelude::*;
use serde_json::{json, Value};
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget};
use vnetlab::import::{load_template, InputFormat, Loaded, TemplateInputs};
use vnetlab::model::{Design, Protocol};

const FIXTURES: &str = "../shared/fixtures/arm";

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn inputs(parameters_file: Option<&str>, overrides: &[(&str, &str)]) -> TemplateInputs {
    TemplateInputs {
        parameters_file: parameters_file.map(|path| (path.to_string(), read(path))),
        overrides: overrides
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect(),
        ..TemplateInputs::default()
    }
}

fn import(folder: &str, parameters_file: Option<&str>, overrides: &[(&str, &str)]) -> Loaded {
    let path = format!("{FIXTURES}/{folder}/azuredeploy.json");
    let parameters = parameters_file.map(|file| format!("{FIXTURES}/{folder}/{file}"));
    load_template(
        &read(&path),
        &path,
        &inputs(parameters.as_deref(), overrides),
    )
    .unwrap_or_else(|e| panic!("{path} did not load: {e}"))
}

fn errors(loaded: &Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect()
}

/// Element counts asserted per template, read from the templates themselves.
#[derive(Debug, Default, PartialEq)]
struct Counts {
    vnets: usize,
    subnets: usize,
    nsg_rules: usize,
    private_endpoints: usize,
    routes: usize,
    firewall_rules: usize,
    sep_definitions: usize,
}

fn counts(loaded: &Loaded) -> Counts {
    let s = &loaded.summary;
    Counts {
        vnets: s.count("virtual_networks"),
        subnets: s.count("subnets"),
        nsg_rules: s.count("security_rules"),
        private_endpoints: s.count("private_endpoints"),
        routes: s.count("routes"),
        firewall_rules: s.count("network_rules")
            + s.count("application_rules")
            + s.count("nat_rules"),
        sep_definitions: s.count("service_endpoint_policy_definitions"),
    }
}

/// Every fixture: (folder, parameters files, --param values, expected counts). Counts come
/// from reading each template: e.g. aml-e2e-secure has one NSG with 9 rules, a VNet with
/// snet-training and snet-scoring plus the jump host's AzureBastionSubnet (deployJumphost
/// defaults to true), and 5 private endpoints (key vault, blob, file, registry, workspace).
/// A template folder, its parameters files, the `--param` values for its default run, and
/// the counts every run must produce.
type Fixture = (
    &'static str,
    Vec<&'static str>,
    Vec<(&'static str, &'static str)>,
    Counts,
);

fn fixtures() -> Vec<Fixture> {
    vec![
        (
            "aml-e2e-secure",
            vec![
                "azuredeploy.parameters.json",
                "azuredeploy.parameters.us.json",
                "azuredeploy.parameters.later-version-21d0b8c4.json",
            ],
            vec![],
            Counts {
                vnets: 1,
                subnets: 3,
                nsg_rules: 9,
                private_endpoints: 5,
                ..Counts::default()
            },
        ),
        (
            "api-management-create-with-external-vnet-publicip",
            vec!["azuredeploy.parameters.json"],
            vec![],
            Counts {
                vnets: 1,
                subnets: 1,
                nsg_rules: 18,
                ..Counts::default()
            },
        ),
        // Defaults deploy the workspace alone; private endpoints and computes are parameters.
        (
            "avm-ml-workspace-module",
            vec![],
            vec![("name", "mlw")],
            Counts::default(),
        ),
        // Definitions are a parameter; see `service_endpoint_policy_definitions_loop`.
        (
            "avm-service-endpoint-policy-module",
            vec![],
            vec![("name", "sep")],
            Counts::default(),
        ),
        (
            "azure-bastion-nsg",
            vec!["azuredeploy.parameters.json"],
            vec![],
            Counts {
                vnets: 1,
                subnets: 1,
                nsg_rules: 10,
                ..Counts::default()
            },
        ),
        // Hub (4 subnets) and two spokes; 5 network rules; the 2 DNAT rules translate to
        // run-time addresses (a public IP, a dynamic NIC IP) and are not imported.
        (
            "azure-firewall-dns-proxy",
            vec!["azuredeploy.parameters.json"],
            vec![],
            Counts {
                vnets: 3,
                subnets: 6,
                nsg_rules: 10,
                private_endpoints: 3,
                routes: 2,
                firewall_rules: 5,
                ..Counts::default()
            },
        ),
        (
            "azurefirewall-create-with-firewallpolicy-apprule-netrule-ipgroups",
            vec!["azuredeploy.parameters.json"],
            vec![],
            Counts {
                vnets: 1,
                subnets: 1,
                firewall_rules: 3,
                ..Counts::default()
            },
        ),
        (
            "azurefirewall-forced-tunneling",
            vec!["azuredeploy.parameters.json"],
            vec![],
            Counts {
                vnets: 2,
                subnets: 5,
                nsg_rules: 1,
                routes: 2,
                firewall_rules: 4,
                ..Counts::default()
            },
        ),
        (
            "azurefirewall-sandbox-linux",
            vec!["azuredeploy.parameters.json"],
            vec![],
            Counts {
                vnets: 1,
                subnets: 3,
                nsg_rules: 1,
                routes: 1,
                firewall_rules: 2,
                ..Counts::default()
            },
        ),
        (
            "keyvault-module-1.0",
            vec!["azuredeploy.parameters.json"],
            vec![],
            Counts::default(),
        ),
        // Defaults: no private endpoint (privateEndpointType `none`); both parameters files
        // ask for the workspace's (see `machine_learning_workspace_parameters_files`).
        (
            "machine-learning-workspace-vnet",
            vec![],
            vec![
                ("location", "westeurope"),
                ("workspaceName", "mlw"),
                ("vnetOption", "new"),
            ],
            Counts {
                vnets: 1,
                subnets: 1,
                ..Counts::default()
            },
        ),
        (
            "userdefined-routes-appliance",
            vec!["azuredeploy.parameters.json"],
            vec![],
            Counts {
                vnets: 1,
                subnets: 3,
                nsg_rules: 1,
                routes: 1,
                ..Counts::default()
            },
        ),
        (
            "vnet-2subnets-service-endpoints-storage-integration",
            vec!["azuredeploy.parameters.json"],
            vec![],
            Counts {
                vnets: 1,
                subnets: 2,
                nsg_rules: 1,
                ..Counts::default()
            },
        ),
    ]
}

/// Compiles the design and traces a flow from each subnet to the internet and to the first
/// other subnet: every trace computes (whatever the verdict).
fn compile_and_trace(design: &Design, label: &str) {
    let engine = Engine::new(design);
    let subnets: Vec<String> = design
        .virtual_networks
        .iter()
        .flat_map(|v| {
            v.subnets
                .iter()
                .map(move |s| format!("{}/{}", v.name, s.name))
        })
        .collect();
    for subnet in &subnets {
        let targets = [
            FlowTarget::Address(Ipv4Addr::new(13, 107, 21, 200)),
            FlowTarget::Element(subnets.first().cloned().unwrap_or_default()),
        ];
        for target in targets {
            let flow = Flow::new(
                FlowSource::Element(subnet.clone()),
                target,
                Protocol::Tcp,
                Some(443),
            );
            engine
                .trace(&flow)
                .unwrap_or_else(|e| panic!("{label}: {subnet}: {e}"));
        }
    }
}

fn round_trip(design: &Design, label: &str) {
    let json = serde_json::to_string(design).expect("serialises");
    let back: Design = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(&back, design, "{label}: design → JSON → design");
}

/// One import of a fixture: a parameters file (or the defaults) and `--param` values.
type FixtureRun<'a> = (Option<&'a str>, &'a [(&'a str, &'a str)]);

#[test]
fn every_fixture_imports_with_its_counts_compiles_and_traces() {
    for (folder, parameter_files, overrides, expected) in fixtures() {
        let mut runs: Vec<FixtureRun> = vec![(None, &overrides)];
        runs.extend(parameter_files.iter().map(|file| (Some(*file), &[][..])));
        for (file, overrides) in runs {
            let label = format!("{folder} with {}", file.unwrap_or("defaults"));
            let loaded = import(folder, file, overrides);
            assert_eq!(loaded.format, InputFormat::ArmTemplate, "{label}");
            assert_eq!(errors(&loaded), Vec::<String>::new(), "{label}");
            assert_eq!(counts(&loaded), expected, "{label}");
            compile_and_trace(&loaded.design, &label);
            round_trip(&loaded.design, &label);
        }
    }
}

#[test]
fn machine_learning_workspace_parameters_files() {
    for file in [
        "azuredeploy.parameters.json",
        "azuredeploy.parameters.us.json",
    ] {
        let loaded = import("machine-learning-workspace-vnet", Some(file), &[]);
        assert_eq!(errors(&loaded), Vec::<String>::new(), "{file}");
        assert_eq!(
            counts(&loaded),
            Counts {
                vnets: 1,
                subnets: 1,
                private_endpoints: 1,
                ..Counts::default()
            },
            "{file}"
        );
        assert_eq!(loaded.summary.count("private_dns_zones"), 2, "{file}");
        compile_and_trace(&loaded.design, file);
        round_trip(&loaded.design, file);
    }
}

#[test]
fn templates_route_through_the_firewall_address_azure_assigns() {
    let loaded = import(
        "azure-firewall-dns-proxy",
        Some("azuredeploy.parameters.json"),
        &[],
    );
    let hops: Vec<String> = loaded
        .design
        .route_tables
        .iter()
        .flat_map(|t| &t.routes)
        .map(|r| format!("{:?}", r.next_hop_ip))
        .collect();
    // The hub's AzureFirewallSubnet is 192.168.4.0/24 (or similar): .4 is the firewall.
    assert!(hops.iter().all(|hop| hop.ends_with(".4)")), "{hops:?}");
}

#[test]
fn parameters_files_and_overrides_change_the_design() {
    let folder = format!("{FIXTURES}/aml-e2e-secure");
    let mut us_inputs = inputs(
        Some(&format!("{folder}/azuredeploy.parameters.us.json")),
        &[],
    );
    us_inputs.location = Some("usgovarizona".to_string());
    let us = load_template(
        &read(&format!("{folder}/azuredeploy.json")),
        "aml.json",
        &us_inputs,
    )
    .expect("loads");
    assert_eq!(us.design.virtual_networks[0].region, "usgovarizona");
    // environment() follows the resource group's region (--location): US Gov zone names.
    let zones: Vec<&str> = us
        .design
        .private_dns_zones
        .iter()
        .map(|z| z.name.as_str())
        .collect();
    assert!(zones.contains(&"privatelink.api.ml.azure.us"), "{zones:?}");
    let public = import("aml-e2e-secure", Some("azuredeploy.parameters.json"), &[]);
    let zones: Vec<&str> = public
        .design
        .private_dns_zones
        .iter()
        .map(|z| z.name.as_str())
        .collect();
    assert!(zones.contains(&"privatelink.api.azureml.ms"), "{zones:?}");

    let overridden = import(
        "aml-e2e-secure",
        Some("azuredeploy.parameters.json"),
        &[
            ("vnetAddressPrefix", "10.20.0.0/16"),
            ("deployJumphost", "false"),
        ],
    );
    let vnet = &overridden.design.virtual_networks[0];
    assert_eq!(vnet.address_space[0].to_string(), "10.20.0.0/16");
    assert_eq!(
        vnet.subnets.len(),
        2,
        "no bastion subnet without the jump host"
    );
}

/// A template with one NSG whose single rule's description is `expression`.
fn with_description(expression: &str, extra: Value) -> Value {
    let mut template = json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {
            "name": { "type": "string", "defaultValue": "Lab" },
            "count": { "type": "int", "defaultValue": 3 },
            "list": { "type": "array", "defaultValue": ["a", "b", "c"] },
            "object": { "type": "object", "defaultValue": { "Key": "v", "nested": { "x": 1 } } },
            "flag": { "type": "bool", "defaultValue": true },
            "nothing": { "type": "string", "nullable": true }
        },
        "variables": { "prefix": "[toLower(parameters('name'))]" },
        "resources": [{
            "type": "Microsoft.Network/networkSecurityGroups",
            "apiVersion": "2023-04-01",
            "name": "nsg",
            "location": "westeurope",
            "properties": { "securityRules": [{
                "name": "r",
                "properties": {
                    "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                    "sourceAddressPrefix": "*", "destinationAddressPrefix": "*",
                    "sourcePortRange": "*", "destinationPortRange": "443",
                    "description": expression
                }
            }]}
        }]
    });
    if let (Some(object), Some(extra)) = (template.as_object_mut(), extra.as_object()) {
        object.extend(extra.clone());
    }
    template
}

fn description_of(template: &Value) -> (String, Loaded) {
    let loaded = load_template(&template.to_string(), "t.json", &TemplateInputs::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let description = loaded
        .design
        .network_security_groups
        .first()
        .and_then(|n| n.rules.first())
        .map(|r| r.description.clone())
        .unwrap_or_default();
    (description, loaded)
}

#[test]
fn each_function_evaluates_as_in_arm() {
    let table: &[(&str, &str)] = &[
        ("[concat('a', 'b', string(1))]", "ab1"),
        ("[string(concat(createArray(1), createArray(2)))]", "[1,2]"),
        ("[format('{0}-{1:D3}-{{x}}', 'a', 7)]", "a-007-{x}"),
        ("[toLower('AbC')]", "abc"),
        ("[toUpper('AbC')]", "ABC"),
        ("[replace('a-b-c', '-', '')]", "abc"),
        ("[string(split('a/b//c', '/'))]", "[\"a\",\"b\",\"\",\"c\"]"),
        ("[substring('abcdef', 1, 3)]", "bcd"),
        ("[string(length('abc'))]", "3"),
        ("[string(length(parameters('list')))]", "3"),
        ("[string(empty(''))]", "True"),
        ("[string(empty(parameters('list')))]", "False"),
        ("[string(contains(parameters('list'), 'b'))]", "True"),
        ("[string(contains(parameters('object'), 'key'))]", "True"),
        ("[if(parameters('flag'), 'yes', fail())]", "yes"),
        ("[string(equals(1, 1))]", "True"),
        ("[string(not(equals('a', 'A')))]", "True"),
        ("[string(and(true(), false()))]", "False"),
        ("[string(or(true(), false()))]", "True"),
        ("[coalesce(parameters('nothing'), null(), 'c')]", "c"),
        ("[string(union(createArray(1, 2), createArray(2, 3)))]", "[1,2,3]"),
        ("[string(union(createObject('a', 1), createObject('b', 2)))]", "{\"a\":1,\"b\":2}"),
        ("[string(createObject('k', createArray()))]", "{\"k\":[]}"),
        ("[string(array('x'))]", "[\"x\"]"),
        ("[string(int('42'))]", "42"),
        ("[string(bool('true'))]", "True"),
        ("[string(json('{\"a\": [1]}').a[0])]", "1"),
        ("[first(parameters('list'))]", "a"),
        ("[last(parameters('list'))]", "c"),
        ("[string(take(parameters('list'), 2))]", "[\"a\",\"b\"]"),
        ("[string(skip(parameters('list'), 2))]", "[\"c\"]"),
        ("[parameters('object').key]", "v"),
        ("[string(parameters('object')['nested'].x)]", "1"),
        ("[parameters('list')[1]]", "b"),
        ("[variables('prefix')]", "lab"),
        ("[string(add(parameters('count'), 2))]", "5"),
        ("[string(range(1, 3))]", "[1,2,3]"),
        ("[uniqueString('test')]", "rbgf3xv4ufgzg"),
        ("[uniqueString('hello', 'world')]", "a7wkljktk6wne"),
        ("[guid('a', 'b')]", "2d796349-8c7e-55ec-9624-54ece82ed031"),
        (
            "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]",
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/vnetlab/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
        ),
        (
            "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'r')]",
            "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/r",
        ),
        (
            "[extensionResourceId('/x/y', 'Microsoft.Authorization/locks', 'l')]",
            "/x/y/providers/Microsoft.Authorization/locks/l",
        ),
        ("[resourceGroup().name]", "vnetlab"),
        ("[resourceGroup().location]", "eastus"),
        ("[subscription().subscriptionId]", "00000000-0000-0000-0000-000000000000"),
        ("[deployment().name]", "vnetlab-import"),
        ("[environment().name]", "AzureCloud"),
        ("[string(tryGet(parameters('object'), 'missing'))]", ""),
        ("[string(map(range(0, 3), lambda('i', mul(lambdaVariables('i'), 2))))]", "[0,2,4]"),
        ("[string(filter(parameters('list'), lambda('x', not(equals(lambdaVariables('x'), 'b')))))]", "[\"a\",\"c\"]"),
        ("[string(reduce(range(1, 4), 0, lambda('a', 'n', add(lambdaVariables('a'), lambdaVariables('n')))))]", "10"),
        ("[[not an expression]", "[not an expression]"),
        ("plain text", "plain text"),
    ];
    for (expression, expected) in table {
        let (description, loaded) = description_of(&with_description(expression, json!({})));
        assert_eq!(&description, expected, "{expression}");
        assert!(
            errors(&loaded).is_empty(),
            "{expression}: {:?}",
            loaded.diagnostics
        );
    }
}

#[test]
fn invalid_expressions_are_errors_at_their_path_and_the_import_continues() {
    for expression in [
        "[concat('a']",
        "[substring('abc', 5, 1)]",
        "[parameters('undeclared')]",
        "[add(1, 'x')]",
        "[div(1, 0)]",
    ] {
        let (_, loaded) = description_of(&with_description(expression, json!({})));
        let error = loaded
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .unwrap_or_else(|| panic!("{expression}: no error"));
        assert!(
            error.path.starts_with(
                "t.json: $.resources[0].properties.securityRules[0].properties.description"
            ),
            "{error}"
        );
        assert_eq!(
            loaded.design.network_security_groups.len(),
            1,
            "{expression}"
        );
    }
}

#[test]
fn unsupported_functions_are_reported_with_path_and_expression() {
    let (description, loaded) =
        description_of(&with_description("[someFutureFunction('x')]", json!({})));
    assert!(description.starts_with("<unevaluated"), "{description}");
    let item = &loaded.summary.unevaluated[0];
    assert_eq!(item.expression, "[someFutureFunction('x')]");
    assert_eq!(
        item.path,
        "t.json: $.resources[0].properties.securityRules[0].properties.description"
    );
    assert!(
        item.reason.contains("someFutureFunction"),
        "{}",
        item.reason
    );
    assert!(errors(&loaded).is_empty());
    assert_eq!(loaded.summary.count("security_rules"), 1);

    let (_, secrets) = description_of(&with_description(
        "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-01-01').keys[0].value]",
        json!({}),
    ));
    assert_eq!(secrets.summary.unevaluated.len(), 1);
    assert!(errors(&secrets).is_empty());
}

fn template(resources: Value, extra: Value) -> Value {
    let mut template = json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": resources
    });
    if let (Some(object), Some(extra)) = (template.as_object_mut(), extra.as_object()) {
        object.extend(extra.clone());
    }
    template
}

fn load(template: &Value) -> Loaded {
    load_template(&template.to_string(), "t.json", &TemplateInputs::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn copy_loops_expand_resources_properties_and_variables() {
    let loaded = load(&template(
        json!([{
            "type": "Microsoft.Network/virtualNetworks",
            "apiVersion": "2023-04-01",
            "name": "[concat('vnet', copyIndex(1))]",
            "location": "westeurope",
            "copy": { "name": "vnets", "count": 2 },
            "properties": {
                "addressSpace": { "addressPrefixes": ["[format('10.{0}.0.0/16', copyIndex())]"] },
                "copy": [{
                    "name": "subnets",
                    "count": "[length(variables('subnetNames'))]",
                    "input": {
                        "name": "[variables('subnetNames')[copyIndex('subnets')]]",
                        "properties": { "addressPrefix": "[format('10.{0}.{1}.0/24', copyIndex(), copyIndex('subnets'))]" }
                    }
                }]
            }
        }]),
        json!({ "variables": { "copy": [{
            "name": "subnetNames", "count": 3, "input": "[concat('snet-', copyIndex('subnetNames'))]"
        }] } }),
    ));
    assert!(errors(&loaded).is_empty(), "{:?}", loaded.diagnostics);
    let names: Vec<String> = loaded
        .design
        .virtual_networks
        .iter()
        .flat_map(|v| {
            v.subnets
                .iter()
                .map(move |s| format!("{}/{} {}", v.name, s.name, s.prefix))
        })
        .collect();
    assert_eq!(
        names,
        [
            "vnet1/snet-0 10.0.0.0/24",
            "vnet1/snet-1 10.0.1.0/24",
            "vnet1/snet-2 10.0.2.0/24",
            "vnet2/snet-0 10.1.0.0/24",
            "vnet2/snet-1 10.1.1.0/24",
            "vnet2/snet-2 10.1.2.0/24"
        ]
    );
}

#[test]
fn conditions_skip_resources() {
    let loaded = load(&template(
        json!([
            { "condition": "[equals(parameters('mode'), 'new')]",
              "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
              "name": "skipped", "location": "westeurope",
              "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] } } },
            { "condition": "[not(equals(parameters('mode'), 'new'))]",
              "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
              "name": "kept", "location": "westeurope",
              "properties": { "addressSpace": { "addressPrefixes": ["10.1.0.0/16"] } } }
        ]),
        json!({ "parameters": { "mode": { "type": "string", "defaultValue": "existing" } } }),
    ));
    let names: Vec<&str> = loaded
        .design
        .virtual_networks
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(names, ["kept"]);
}

/// A nested deployment creating one VNet named by `name_expression`, with the given scope.
fn nested(scope: Option<&str>, name_expression: &str) -> Value {
    let mut properties = json!({
        "mode": "Incremental",
        "parameters": { "vnetName": { "value": "[concat(parameters('prefix'), '-inner')]" } },
        "template": {
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "parameters": {
                "vnetName": { "type": "string" },
                "prefix": { "type": "string", "defaultValue": "innerdefault" }
            },
            "resources": [{
                "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
                "name": name_expression, "location": "westeurope",
                "properties": { "addressSpace": { "addressPrefixes": ["10.9.0.0/16"] } }
            }],
            "outputs": { "id": { "type": "string",
                "value": "[resourceId('Microsoft.Network/virtualNetworks', 'x')]" } }
        }
    });
    if let (Some(scope), Some(object)) = (scope, properties.as_object_mut()) {
        object.insert(
            "expressionEvaluationOptions".to_string(),
            json!({ "scope": scope }),
        );
    }
    template(
        json!([
            { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
              "name": "inner", "properties": properties },
            { "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01",
              "name": "[last(split(reference('inner').outputs.id.value, '/'))]",
              "location": "westeurope", "properties": {} }
        ]),
        json!({ "parameters": { "prefix": { "type": "string", "defaultValue": "outer" } } }),
    )
}

#[test]
fn nested_deployments_evaluate_in_inner_or_outer_scope() {
    let inner = load(&nested(Some("inner"), "[parameters('vnetName')]"));
    assert!(errors(&inner).is_empty(), "{:?}", inner.diagnostics);
    assert_eq!(inner.design.virtual_networks[0].name, "outer-inner");
    // The outputs of the nested deployment are what reference() returns.
    assert_eq!(inner.design.network_security_groups[0].name, "x");

    let inner_default = load(&nested(Some("inner"), "[parameters('prefix')]"));
    assert_eq!(
        inner_default.design.virtual_networks[0].name,
        "innerdefault"
    );

    // Outer scope (ARM's default): the nested template sees the parent's parameters.
    let outer = load(&nested(None, "[parameters('prefix')]"));
    assert!(errors(&outer).is_empty(), "{:?}", outer.diagnostics);
    assert_eq!(outer.design.virtual_networks[0].name, "outer");
}

#[test]
fn service_endpoint_policy_definitions_loop() {
    let definitions = r#"[{"name":"storage","service":"Microsoft.Storage","serviceResources":["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/data"]},{"name":"aml","service":"Global","serviceResources":["/services/Azure/MachineLearning"]}]"#;
    let loaded = import(
        "avm-service-endpoint-policy-module",
        None,
        &[
            ("name", "sep"),
            ("serviceEndpointPolicyDefinitions", definitions),
        ],
    );
    assert!(errors(&loaded).is_empty(), "{:?}", loaded.diagnostics);
    assert_eq!(
        loaded.summary.count("service_endpoint_policy_definitions"),
        2
    );
}

#[test]
fn inputs_for_a_non_template_are_an_error() {
    let error = load_template(
        r#"{"schema_version": 1, "name": "d"}"#,
        "d.json",
        &inputs(None, &[("a", "b")]),
    )
    .expect_err("inputs without a template");
    assert!(error.message.contains("ARM templates"), "{error}");
}

fn fixture_texts() -> Vec<String> {
    fixtures()
        .into_iter()
        .map(|(folder, ..)| read(&format!("{FIXTURES}/{folder}/azuredeploy.json")))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_expressions_never_panic(expression in "\\[[a-zA-Z(),.'\\[\\] 0-9-]{0,40}\\]") {
        let _ = description_of(&with_description(&expression, json!({})));
    }

    #[test]
    fn mutated_templates_never_panic(which in 0usize..13, at in 0usize..200_000, cut in 0usize..64, insert in "[\\[\\]()',.a-z0-9{}\"]{0,6}") {
        let texts = fixture_texts();
        let text = &texts[which % texts.len()];
        let mut bytes = text.clone().into_bytes();
        let at = at % bytes.len();
        let end = (at + cut).min(bytes.len());
        bytes.splice(at..end, insert.bytes());
        if let Ok(mutated) = String::from_utf8(bytes) {
            let _ = load_template(&mutated, "mutated.json", &TemplateInputs::default());
        }
    }
}

fn vnetlab(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vnetlab"))
        .args(args)
        .output()
        .expect("vnetlab runs")
}

#[test]
fn cli_import_prints_counts_and_writes_the_design() {
    let folder = format!("{FIXTURES}/aml-e2e-secure");
    let out = std::env::temp_dir().join(format!("vnetlab-arm-{}.json", std::process::id()));
    let out_path = out.display().to_string();
    let output = vnetlab(&[
        "import",
        &format!("{folder}/azuredeploy.json"),
        "--parameters",
        &format!("{folder}/azuredeploy.parameters.json"),
        "--param",
        "prefix=lab",
        "--location",
        "westeurope",
        "-o",
        &out_path,
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("private_endpoints"), "{stdout}");
    assert!(stdout.contains("0 error(s)"), "{stdout}");
    let written: Design = serde_json::from_str(&read(&out_path)).expect("a design");
    assert_eq!(written.virtual_networks[0].region, "westeurope");
    assert!(
        written.virtual_networks[0].name.contains("lab"),
        "{}",
        written.virtual_networks[0].name
    );
    let _ = std::fs::remove_file(out);

    let bad = vnetlab(&[
        "import",
        &format!("{folder}/azuredeploy.json"),
        "--param",
        "novalue",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn cli_trace_accepts_a_template_with_parameters() {
    let folder = format!("{FIXTURES}/azurefirewall-sandbox-linux");
    let output = vnetlab(&[
        "trace",
        &format!("{folder}/azuredeploy.json"),
        "--parameters",
        &format!("{folder}/azuredeploy.parameters.json"),
        "--from",
        "test-vnet/ServersSubnet",
        "--to",
        "13.107.21.200",
        "--port",
        "443",
        "--json",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let trace: Value = serde_json::from_str(&stdout).expect("trace JSON");
    let hops = trace["hops"].as_array().expect("hops");
    // The 0.0.0.0/0 UDR sends the flow to the firewall.
    assert!(
        hops.iter().any(|hop| hop["element"]
            .as_str()
            .is_some_and(|e| e.contains("firewall"))),
        "{stdout}"
    );
}

use vnetlab::analysis::exfil::PathKind;

/// Issue 6 §5: the analysis (required flows and the exhaustive exfiltration search) runs on
/// every imported template. Templates with AML compute get the catalogue's flows bound to
/// each compute; every exfiltration path starts at a compute of the design (or, for public
/// reads, at one of its resources); nothing is left undetermined.
#[test]
fn flows_and_exfiltration_run_on_every_fixture_template() {
    for (folder, _, overrides, _) in fixtures() {
        let loaded = import(folder, None, &overrides);
        let analysis = vnetlab::analysis::analyse(&loaded.design);
        let aml_computes: Vec<&str> = loaded
            .design
            .computes
            .iter()
            .filter(|c| c.kind.is_aml_compute())
            .map(|c| c.name.as_str())
            .collect();
        for compute in &aml_computes {
            assert!(
                analysis.required.iter().any(|flow| flow.source == *compute),
                "{folder}: no required flow bound to {compute}"
            );
        }
        let computes: Vec<&str> = loaded
            .design
            .computes
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        let resources: Vec<&str> = loaded
            .design
            .resources
            .iter()
            .map(|r| r.name.as_str())
            .chain(loaded.design.workspaces.iter().map(|w| w.name.as_str()))
            .collect();
        for finding in &analysis.exfiltration.findings {
            match finding.kind {
                PathKind::Sink(_) => assert!(
                    computes.contains(&finding.source.as_str()),
                    "{folder}: path from {}, which is not a compute",
                    finding.source
                ),
                PathKind::PublicEndpointRead => assert!(
                    resources.contains(&finding.source.as_str()),
                    "{folder}: public read of {}, which is not a resource",
                    finding.source
                ),
            }
        }
        assert!(
            analysis.exfiltration.undetermined.is_empty(),
            "{folder}: undetermined {:?}",
            analysis.exfiltration.undetermined.len()
        );
    }
}

/// Subnets created at API version 2025-07-01 or later are private (no default outbound
/// access) unless `defaultOutboundAccess` says otherwise; earlier versions keep it. Source:
/// <https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access>
/// ("FAQs: Default behavior change to private subnets") and the Azure Networking blog
/// "Private subnets by default in Azure virtual networks" (2026).
#[test]
fn subnets_are_private_by_default_from_api_version_2025_07_01() {
    let vnet = |name: &str, api_version: &str, octet: u8| {
        json!({
            "type": "Microsoft.Network/virtualNetworks", "apiVersion": api_version, "name": name,
            "location": "eastus",
            "properties": {
                "addressSpace": { "addressPrefixes": [format!("10.{octet}.0.0/16")] },
                "subnets": [
                    { "name": "unset", "properties": { "addressPrefix": format!("10.{octet}.1.0/24") } },
                    { "name": "open", "properties": { "addressPrefix": format!("10.{octet}.2.0/24"), "defaultOutboundAccess": true } },
                    { "name": "closed", "properties": { "addressPrefix": format!("10.{octet}.3.0/24"), "defaultOutboundAccess": false } }
                ]
            }
        })
    };
    let child = json!({
        "type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2025-07-01",
        "name": "old/child", "properties": { "addressPrefix": "10.1.9.0/24" }
    });
    let loaded = load(&template(
        json!([
            vnet("new", "2025-07-01", 0),
            vnet("old", "2024-05-01", 1),
            vnet("preview", "2025-09-01-preview", 2),
            child
        ]),
        json!({}),
    ));
    let access = |vnet: &str, subnet: &str| {
        loaded
            .design
            .virtual_networks
            .iter()
            .find(|v| v.name == vnet)
            .and_then(|v| v.subnets.iter().find(|s| s.name == subnet))
            .map(|s| s.default_outbound_access)
            .unwrap_or_else(|| panic!("{vnet}/{subnet} imported"))
    };
    assert!(!access("new", "unset"));
    assert!(access("new", "open"));
    assert!(!access("new", "closed"));
    assert!(!access("preview", "unset"));
    assert!(
        access("old", "unset"),
        "before 2025-07-01 subnets keep default outbound access"
    );
    assert!(!access("old", "closed"));
    assert!(
        !access("old", "child"),
        "a subnet resource at 2025-07-01 is private"
    );
    let private_notes: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("a private subnet"))
        .map(|d| d.element.as_str())
        .collect();
    assert_eq!(private_notes, ["new/unset", "old/child", "preview/unset"]);
    let version = |vnet: &str, subnet: &str| {
        loaded
            .design
            .virtual_networks
            .iter()
            .find(|v| v.name == vnet)
            .and_then(|v| v.subnets.iter().find(|s| s.name == subnet))
            .and_then(|s| s.private_by_api_version.clone())
    };
    assert_eq!(version("new", "unset").as_deref(), Some("2025-07-01"));
    assert_eq!(version("new", "closed"), None, "stated by the property");
    assert_eq!(version("old", "child").as_deref(), Some("2025-07-01"));
    assert_eq!(version("old", "unset"), None);
}

/// The trace names a subnet that is private because of the API version it was created at,
/// and one private because of its property, when a flow to the internet is dropped there.
/// Source: <https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access>.
#[test]
fn the_trace_names_a_subnet_private_by_api_version() {
    let vnet = json!({
        "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2025-07-01", "name": "new",
        "location": "eastus",
        "properties": {
            "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
            "subnets": [
                { "name": "unset", "properties": { "addressPrefix": "10.0.1.0/24" } },
                { "name": "closed", "properties": { "addressPrefix": "10.0.2.0/24", "defaultOutboundAccess": false } },
                { "name": "open", "properties": { "addressPrefix": "10.0.3.0/24", "defaultOutboundAccess": true } }
            ]
        }
    });
    let engine = Engine::new(&load(&template(json!([vnet]), json!({}))).design);
    // (source address, verdict, the reason's words naming why the subnet is private)
    let cases = [
        (
            "10.0.1.4",
            "no-route",
            Some("created at API version 2025-07-01"),
        ),
        (
            "10.0.2.4",
            "no-route",
            Some("its defaultOutboundAccess property is false"),
        ),
        ("10.0.3.4", "allowed", None),
    ];
    for (source, verdict, why) in cases {
        let flow = Flow::new(
            FlowSource::Address(source.parse().expect("address")),
            FlowTarget::Address(Ipv4Addr::new(203, 0, 113, 10)),
            Protocol::Tcp,
            Some(443),
        );
        let trace = engine.trace(&flow).expect("traced");
        assert_eq!(
            trace.verdict.as_str(),
            verdict,
            "{source}: {}",
            trace.reason
        );
        let Some(why) = why else { continue };
        let decided = trace.decided_by.as_ref().expect("a deciding hop");
        assert_eq!(decided.step.as_str(), "internet-egress", "{source}");
        assert_eq!(
            decided.rule.as_ref().map(|r| r.name.as_str()),
            Some("defaultOutboundAccess: false"),
            "{source}"
        );
        assert!(
            decided
                .reason
                .contains("is a private subnet (default outbound access off"),
            "{source}: {}",
            decided.reason
        );
        assert!(decided.reason.contains(why), "{source}: {}", decided.reason);
    }
}

/// Issue 12's firewall features from an ARM template: a firewall with two IP configurations
/// (Learn, "Deploy an Azure Firewall with multiple public IP addresses"), its policy's
/// `explicitProxy` (Learn, "Azure Firewall Explicit proxy"; enabled only when
/// `enableExplicitProxy` is true) and a DNAT rule with `translatedFqdn` (Learn, "Azure Firewall
/// DNAT rules"), traced end to end on the second public IP.
#[test]
fn firewalls_with_several_public_ips_an_explicit_proxy_and_dnat_to_an_fqdn() {
    let public_ip = |name: &str, address: &str| {
        json!({"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2024-05-01", "name": name,
               "location": "eastus", "properties": {"ipAddress": address}})
    };
    let loaded = load(&template(
        json!([
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "hub", "location": "eastus",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
               "subnets": [{"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.0.0/26"}},
                           {"name": "apps", "properties": {"addressPrefix": "10.0.1.0/24"}}]}},
            public_ip("pip-a", "20.0.0.9"),
            public_ip("pip-b", "20.0.0.2"),
            {"type": "Microsoft.Network/firewallPolicies", "apiVersion": "2024-05-01", "name": "policy", "location": "eastus",
             "properties": {"explicitProxy": {"enableExplicitProxy": true, "httpPort": 8080, "httpsPort": 8443}}},
            {"type": "Microsoft.Network/firewallPolicies", "apiVersion": "2024-05-01", "name": "off", "location": "eastus",
             "properties": {"explicitProxy": {"enableExplicitProxy": false, "httpPort": 8080, "httpsPort": 8443}}},
            {"type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "apiVersion": "2024-05-01", "name": "policy/dnat",
             "dependsOn": ["[resourceId('Microsoft.Network/firewallPolicies', 'policy')]"],
             "properties": {"priority": 100, "ruleCollections": [{
                "ruleCollectionType": "FirewallPolicyNatRuleCollection", "name": "in", "priority": 100, "action": {"type": "DNAT"},
                "rules": [{"ruleType": "NatRule", "name": "web", "ipProtocols": ["TCP"], "sourceAddresses": ["*"],
                           "destinationAddresses": ["20.0.0.2"], "destinationPorts": ["8080"],
                           "translatedFqdn": "app.contoso.internal", "translatedPort": "80"}]}]}},
            {"type": "Microsoft.Network/privateDnsZones", "apiVersion": "2024-06-01", "name": "contoso.internal", "location": "global"},
            {"type": "Microsoft.Network/privateDnsZones/A", "apiVersion": "2024-06-01", "name": "contoso.internal/app",
             "dependsOn": ["[resourceId('Microsoft.Network/privateDnsZones', 'contoso.internal')]"],
             "properties": {"aRecords": [{"ipv4Address": "10.0.1.10"}]}},
            {"type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "apiVersion": "2024-06-01", "name": "contoso.internal/hub",
             "location": "global",
             "properties": {"virtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'hub')]"}, "registrationEnabled": false}},
            {"type": "Microsoft.Network/azureFirewalls", "apiVersion": "2024-05-01", "name": "fw", "location": "eastus",
             "properties": {
                "firewallPolicy": {"id": "[resourceId('Microsoft.Network/firewallPolicies', 'policy')]"},
                "ipConfigurations": [
                  {"name": "first", "properties": {"privateIPAddress": "10.0.0.4",
                     "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'AzureFirewallSubnet')]"},
                     "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-a')]"}}},
                  {"name": "second", "properties": {
                     "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-b')]"}}}
                ]}}
        ]),
        json!({}),
    ));
    let design = &loaded.design;
    let firewall = &design.firewalls[0];
    assert_eq!(firewall.public_ip, Some(Ipv4Addr::new(20, 0, 0, 9)));
    assert_eq!(firewall.additional_public_ips, [Ipv4Addr::new(20, 0, 0, 2)]);
    let policy = |name: &str| {
        design
            .firewall_policies
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("policy {name}"))
    };
    let proxy = policy("policy").explicit_proxy.as_ref().expect("enabled");
    assert_eq!(
        (proxy.http_port, proxy.https_port),
        (Some(8080), Some(8443))
    );
    assert_eq!(policy("off").explicit_proxy, None, "not enabled");
    let engine = Engine::new(design);
    let flow = Flow::new(
        FlowSource::Address(Ipv4Addr::new(198, 51, 100, 7)),
        FlowTarget::Address(Ipv4Addr::new(20, 0, 0, 2)),
        Protocol::Tcp,
        Some(8080),
    );
    let trace = engine.trace(&flow).expect("traced");
    assert_eq!(trace.verdict.as_str(), "allowed", "{}", trace.reason);
    assert!(
        trace.hops.iter().any(|h| h
            .reason
            .contains("resolves the translated FQDN app.contoso.internal → 10.0.1.10")),
        "{:#?}",
        trace.hops
    );
}
