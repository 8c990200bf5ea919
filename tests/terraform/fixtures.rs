//! Every quickstart configuration imports with the element counts read from its `.tf` files,
//! without errors, and the analysis (required flows, exhaustive exfiltration search) runs on
//! it with nothing left undetermined.

use vnetlab::analysis::exfil::PathKind;
use vnetlab::import::{InputFormat, Loaded, TerraformInputs};

use super::{errors, import_folder, FIXTURES};

#[derive(Debug, Default, PartialEq)]
struct Counts {
    vnets: usize,
    subnets: usize,
    nsg_rules: usize,
    routes: usize,
    peerings: usize,
    private_endpoints: usize,
    firewall_rules: usize,
}

fn counts(loaded: &Loaded) -> Counts {
    let s = &loaded.summary;
    Counts {
        vnets: s.count("virtual_networks"),
        subnets: s.count("subnets"),
        nsg_rules: s.count("security_rules"),
        routes: s.count("routes"),
        peerings: s.count("peerings"),
        private_endpoints: s.count("private_endpoints"),
        firewall_rules: s.count("network_rules")
            + s.count("application_rules")
            + s.count("nat_rules"),
    }
}

/// Each folder and its counts, read from its files (e.g. 201: one VNet with training, aks,
/// workspace, dsvm and Bastion subnets; nsg-training's 2 rules + nsg-bastion's 8; three
/// `azurerm_route`s on rt-training and one on rt-aks; private endpoints for key vault, blob,
/// file, registry and workspace. 301: on-prem, hub, two spokes; four peerings; the UDRs of
/// hub-nva.tf, spoke1.tf and spoke2.tf).
fn expected() -> Vec<(&'static str, Counts)> {
    vec![
        (
            "101-azure-bastion-host",
            Counts {
                vnets: 1,
                subnets: 1,
                ..Counts::default()
            },
        ),
        (
            "101-dns-private-zone",
            Counts {
                vnets: 1,
                subnets: 1,
                nsg_rules: 1,
                ..Counts::default()
            },
        ),
        (
            "101-firewall-standard",
            Counts {
                vnets: 1,
                subnets: 1,
                firewall_rules: 2,
                ..Counts::default()
            },
        ),
        (
            "101-nat-gateway-create",
            Counts {
                vnets: 1,
                subnets: 1,
                nsg_rules: 1,
                ..Counts::default()
            },
        ),
        (
            "101-standard-service-endpoint-storage",
            Counts {
                vnets: 1,
                subnets: 1,
                ..Counts::default()
            },
        ),
        (
            "101-virtual-network-create-two-subnets",
            Counts {
                vnets: 1,
                subnets: 2,
                ..Counts::default()
            },
        ),
        (
            "101-virtual-network-manager-create-mesh",
            Counts {
                vnets: 3,
                subnets: 3,
                ..Counts::default()
            },
        ),
        (
            "201-machine-learning-moderately-secure",
            Counts {
                vnets: 1,
                subnets: 5,
                nsg_rules: 10,
                routes: 4,
                private_endpoints: 5,
                ..Counts::default()
            },
        ),
        (
            "202-machine-learning-moderately-secure-existing-VNet",
            Counts {
                nsg_rules: 2,
                routes: 4,
                ..Counts::default()
            },
        ),
        (
            "301-hub-spoke",
            Counts {
                vnets: 4,
                subnets: 9,
                nsg_rules: 1,
                routes: 7,
                peerings: 4,
                ..Counts::default()
            },
        ),
    ]
}

#[test]
fn every_fixture_folder_is_covered() {
    let mut folders: Vec<String> = std::fs::read_dir(FIXTURES)
        .expect("fixtures")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().to_string())
        .collect();
    folders.sort();
    let covered: Vec<&str> = expected().iter().map(|(folder, _)| *folder).collect();
    assert_eq!(folders, covered);
}

#[test]
fn every_fixture_imports_with_its_counts_and_no_errors() {
    for (folder, want) in expected() {
        let loaded = import_folder(folder, &TerraformInputs::default());
        assert_eq!(loaded.format, InputFormat::Terraform);
        assert_eq!(counts(&loaded), want, "{folder}");
        assert_eq!(errors(&loaded), Vec::<String>::new(), "{folder}");
        assert!(
            loaded
                .summary
                .evaluation
                .is_some_and(|usage| usage.steps > 0),
            "{folder}"
        );
    }
}

/// 202 reads an existing VNet through `data` sources and variables without defaults: the
/// missing values are reported by name and line, the rest loads (its private endpoints
/// cannot be placed without their subnet, and say so).
#[test]
fn missing_variables_are_reported_with_their_line() {
    let loaded = import_folder(
        "202-machine-learning-moderately-secure-existing-VNet",
        &TerraformInputs::default(),
    );
    let vnet_name = loaded
        .summary
        .unevaluated
        .iter()
        .find(|item| item.expression == "var.vnet_name")
        .expect("var.vnet_name reported");
    assert_eq!(vnet_name.path, "variables.tf:32");
    // The existing subnets it reads are counted, not converted.
    assert_eq!(
        loaded
            .summary
            .ignored
            .get("data.azurerm_subnet (existing, read only)"),
        Some(&3)
    );
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.message.contains("not in the input")));
}

/// The firewall's private IP is the first usable address of AzureFirewallSubnet (.4), so the
/// configuration's outputs and UDRs that read it evaluate.
#[test]
fn a_firewalls_private_ip_is_the_first_usable_address_of_its_subnet() {
    let loaded = import_folder("101-firewall-standard", &TerraformInputs::default());
    let firewall = &loaded.design.firewalls[0];
    assert_eq!(firewall.private_ip.to_string(), "10.0.1.4", "{firewall:?}");
}

#[test]
fn the_analysis_runs_on_every_fixture() {
    for (folder, _) in expected() {
        let loaded = import_folder(folder, &TerraformInputs::default());
        let analysis = vnetlab::analysis::analyse(&loaded.design);
        for compute in loaded
            .design
            .computes
            .iter()
            .filter(|c| c.kind.is_aml_compute())
        {
            assert!(
                analysis
                    .required
                    .iter()
                    .any(|flow| flow.source == compute.name),
                "{folder}: no required flow bound to {}",
                compute.name
            );
        }
        for finding in &analysis.exfiltration.findings {
            if let PathKind::Sink(_) = finding.kind {
                assert!(
                    loaded
                        .design
                        .computes
                        .iter()
                        .any(|c| c.name == finding.source),
                    "{folder}: path from {}, which is not a compute",
                    finding.source
                );
            }
        }
        assert!(analysis.exfiltration.undetermined.is_empty(), "{folder}");
    }
}
