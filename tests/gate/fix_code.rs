//! Fixes as code: every verified fix of every scenario prints in `az`, Bicep and Terraform;
//! and the ARM resources its Bicep snippet declares, deployed on the design through the
//! importer (a template of those resources, imported and merged into the design as an
//! incremental deployment merges them), close the fix's path.

use vnetlab::analysis::analyse;
use vnetlab::analysis::fix_code::{fix_as_arm, fix_as_code, CodeFormat};
use vnetlab::import::load_input;
use vnetlab::model::{validate, Design, Diagnostic};

use super::support::*;

fn scenario_designs() -> Vec<(String, Design)> {
    let mut paths: Vec<String> = std::fs::read_dir("static/examples")
        .expect("examples")
        .map(|entry| {
            entry
                .expect("entry")
                .path()
                .to_str()
                .expect("utf-8")
                .to_string()
        })
        .filter(|path| path.ends_with(".json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read");
            let design = load_input(&text, &path).expect("loads").design;
            (path, design)
        })
        .collect()
}

/// `partial` deployed onto `design` incrementally: the resources it declares replace the
/// properties they set, child resources (rules, routes, subnets) by name; a whole NSG
/// (`whole_nsgs`) replaces its rule list, as deploying an NSG does.
fn deploy(design: &Design, partial: &Design, whole_nsgs: &[&str]) -> Design {
    let mut merged = design.clone();
    for nsg in &partial.network_security_groups {
        match merged
            .network_security_groups
            .iter_mut()
            .find(|n| n.name == nsg.name)
        {
            Some(existing) if whole_nsgs.contains(&nsg.name.as_str()) => {
                existing.rules = nsg.rules.clone();
            }
            Some(existing) => {
                for rule in &nsg.rules {
                    existing.rules.retain(|r| r.name != rule.name);
                    existing.rules.push(rule.clone());
                }
            }
            None => merged.network_security_groups.push(nsg.clone()),
        }
    }
    for table in &partial.route_tables {
        match merged
            .route_tables
            .iter_mut()
            .find(|t| t.name == table.name)
        {
            Some(existing) => {
                for route in &table.routes {
                    existing.routes.retain(|r| r.name != route.name);
                    existing.routes.push(route.clone());
                }
            }
            None => merged.route_tables.push(table.clone()),
        }
    }
    for policy in &partial.service_endpoint_policies {
        merged
            .service_endpoint_policies
            .retain(|p| p.name != policy.name);
        merged.service_endpoint_policies.push(policy.clone());
    }
    for vnet in &partial.virtual_networks {
        for subnet in &vnet.subnets {
            let target = merged
                .virtual_networks
                .iter_mut()
                .find(|v| v.name == vnet.name)
                .and_then(|v| v.subnets.iter_mut().find(|s| s.name == subnet.name))
                .expect("the snippet's subnet is in the design");
            *target = subnet.clone();
        }
    }
    for policy in &partial.firewall_policies {
        let existing = merged
            .firewall_policies
            .iter_mut()
            .find(|p| p.name == policy.name)
            .expect("the snippet's firewall policy is in the design");
        for group in &policy.rule_collection_groups {
            existing
                .rule_collection_groups
                .retain(|g| g.name != group.name);
            existing.rule_collection_groups.push(group.clone());
        }
    }
    for compute in &partial.computes {
        let public_ip = compute.nic.as_ref().and_then(|nic| nic.public_ip);
        if let Some(nic) = merged
            .computes
            .iter_mut()
            .find(|c| c.name == compute.name)
            .and_then(|c| c.nic.as_mut())
        {
            nic.public_ip = public_ip;
        }
    }
    for resource in &partial.resources {
        if let Some(existing) = merged
            .resources
            .iter_mut()
            .find(|r| r.name == resource.name)
        {
            existing.public_network_access = resource.public_network_access;
        }
    }
    for workspace in &partial.workspaces {
        if let Some(existing) = merged
            .workspaces
            .iter_mut()
            .find(|w| w.name == workspace.name)
        {
            existing.public_network_access = workspace.public_network_access;
            existing.managed_network.isolation_mode = workspace.managed_network.isolation_mode;
        }
    }
    merged
}

#[test]
fn every_fix_prints_in_every_language() {
    let mut printed = 0;
    for (path, design) in scenario_designs() {
        let analysis = analyse(&design);
        for finding in &analysis.exfiltration.findings {
            for fix in &finding.fixes {
                for format in [CodeFormat::Az, CodeFormat::Bicep, CodeFormat::Terraform] {
                    let code = fix_as_code(&analysis.prepared.design, &fix.fix, format)
                        .unwrap_or_else(|| panic!("{path}: {} does not apply", fix.fix.describe()));
                    assert!(code.lines().count() > 1, "{path} {format:?}: {code}");
                    printed += 1;
                }
            }
        }
    }
    assert!(printed > 100, "{printed}");
}

#[test]
fn deploying_each_fixs_arm_resources_closes_its_path() {
    let (mut closed, mut not_expressed) = (0, Vec::new());
    for (path, design) in scenario_designs() {
        let analysis = analyse(&design);
        for finding in &analysis.exfiltration.findings {
            for fix in &finding.fixes {
                let (resources, complete) =
                    fix_as_arm(&analysis.prepared.design, &fix.fix).expect("applies");
                if !complete {
                    not_expressed.push(fix.fix.describe());
                    continue;
                }
                let template = serde_json::json!({
                    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                    "contentVersion": "1.0.0.0",
                    "resources": resources,
                });
                let loaded = load_input(&template.to_string(), "fix.json")
                    .unwrap_or_else(|e| panic!("{path}: {}: {e}", fix.fix.describe()));
                assert!(
                    loaded.summary.ignored.is_empty(),
                    "{:?}",
                    loaded.summary.ignored
                );
                let whole_nsgs: Vec<&str> = resources
                    .iter()
                    .filter(|r| r["type"] == "Microsoft.Network/networkSecurityGroups")
                    .filter_map(|r| r["name"].as_str())
                    .collect();
                let deployed = deploy(&design, &loaded.design, &whole_nsgs);
                // The snippet refers to elements it does not declare; deployed, they exist.
                let errors: Vec<Diagnostic> = validate(&deployed)
                    .into_iter()
                    .filter(|d| d.is_error())
                    .collect();
                assert!(
                    errors.is_empty(),
                    "{path}: {}: {errors:?}",
                    fix.fix.describe()
                );
                let after = analyse(&deployed);
                assert!(
                    !after
                        .exfiltration
                        .findings
                        .iter()
                        .any(|f| f.key() == finding.key()),
                    "{path}: {} printed as ARM leaves {} open",
                    fix.fix.describe(),
                    finding.key()
                );
                closed += 1;
            }
        }
    }
    assert!(
        not_expressed.is_empty(),
        "fixes ARM cannot express: {not_expressed:?}"
    );
    assert!(closed >= 80, "only {closed} fixes deployed");
}

#[test]
fn exfil_prints_fixes_as_code_in_text_and_json() {
    let design = example("firewall-forced-tunnel");
    let output = vnetlab(&[
        "exfil",
        &design,
        "--fixes-as",
        "terraform",
        "--json",
        "--fail-on-exfil",
    ]);
    assert_eq!(
        code(&output),
        1,
        "the language does not change the exit code"
    );
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    for fix in findings
        .as_array()
        .expect("findings")
        .iter()
        .flat_map(|f| f["fixes"].as_array().expect("fixes"))
    {
        let code = fix["code"].as_str().expect("code");
        assert!(code.starts_with("# vnetlab fix: "), "{code}");
    }
    let text = stdout(&vnetlab(&["exfil", &design, "--fixes-as", "bicep"]));
    assert!(text.contains("        resource training_nsg_vnetlab_fix_deny_internet_outbound 'Microsoft.Network/networkSecurityGroups/securityRules@"), "{text}");
    let plain = stdout(&vnetlab(&["exfil", &design, "--json"]));
    assert!(!plain.contains("\"code\""), "no code without --fixes-as");
}

/// `$.resources[6].properties` as a JSON pointer (`/resources/6/properties`).
fn pointer(path: &str) -> String {
    path.trim_start_matches('$')
        .replace('[', ".")
        .replace(']', "")
        .split('.')
        .filter(|part| !part.is_empty())
        .map(|part| format!("/{part}"))
        .collect()
}

#[test]
fn for_a_template_each_fix_names_the_resource_to_edit() {
    let dir = "../shared/fixtures/arm/vnet-2subnets-service-endpoints-storage-integration";
    let template_path = format!("{dir}/azuredeploy.json");
    let template = read_json(&template_path);
    let output = vnetlab(&[
        "exfil",
        &template_path,
        "--parameters",
        &format!("{dir}/azuredeploy.parameters.json"),
        "--fixes-as",
        "az",
    ]);
    let text = stdout(&output);
    let prefix = "in the input: edit ";
    let mut places = 0;
    for line in text
        .lines()
        .filter_map(|l| l.split_once(prefix).map(|(_, rest)| rest))
    {
        // `TYPE NAME at FILE: $.path (property)` or `the network interface of VM at FILE: …`.
        let (what, rest) = line.split_once(" at ").expect("a place");
        let (file, rest) = rest.split_once(": ").expect("file: path");
        assert_eq!(file, template_path);
        let path = rest.split_whitespace().next().expect("path");
        let resource = template
            .pointer(&pointer(path))
            .unwrap_or_else(|| panic!("{path} is not in the template"));
        let kind = resource["type"].as_str().expect("type");
        let expected = what.strip_prefix("the network interface of ").map_or_else(
            || what.split_whitespace().next().expect("type"),
            |_| "Microsoft.Compute/virtualMachines",
        );
        assert!(
            kind.eq_ignore_ascii_case(expected),
            "{line}: the template has {kind}"
        );
        places += 1;
    }
    assert!(places > 20, "{places}: {text}");
    assert!(text.contains("(properties.securityRules)") && text.contains("(properties.subnets)"));
    // A design file needs no such pointer: its elements are the input.
    let design = stdout(&vnetlab(&[
        "exfil",
        &example("firewall-forced-tunnel"),
        "--fixes-as",
        "az",
    ]));
    assert!(!design.contains("in the input:"));
}
