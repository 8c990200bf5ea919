//! 201-machine-learning-moderately-secure, Microsoft's secure-workspace quickstart in
//! Terraform (https://learn.microsoft.com/azure/machine-learning/how-to-network-isolation-planning):
//! the traced verdicts of the AML required flows and the exfiltration paths it leaves open.

use std::collections::BTreeSet;

use vnetlab::analysis::exfil::PathKind;
use vnetlab::analysis::Analysis;
use vnetlab::engine::Verdict;
use vnetlab::import::TerraformInputs;

use super::import_folder;

/// The compute instance's name is `${random_string.ci_prefix.result}instance`: only apply
/// knows it, so the placeholder is carried into the name.
const INSTANCE: &str = "<unknown random_string.ci_prefix.result>instance";
const AML_COMPUTES: [&str; 3] = [INSTANCE, "cpu-cluster", "image-builder"];

fn analysis() -> Analysis {
    let loaded = import_folder(
        "201-machine-learning-moderately-secure",
        &TerraformInputs::default(),
    );
    vnetlab::analysis::analyse(&loaded.design)
}

fn deciding(analysis: &Analysis, key: &str) -> (Verdict, String, Option<String>) {
    let flow = analysis
        .required
        .iter()
        .find(|flow| flow.key() == key)
        .unwrap_or_else(|| panic!("no required flow {key}"));
    let hop = flow.trace.decided_by.as_ref().expect("a deciding hop");
    (
        flow.trace.verdict,
        hop.element.clone(),
        hop.rule.as_ref().map(|r| r.name.clone()),
    )
}

#[test]
fn required_flows_pass_through_the_rules_the_configuration_writes() {
    let analysis = analysis();
    for compute in AML_COMPUTES {
        // nsg-training's AzureMachineLearning rule (priority 110) admits the service on 44224.
        assert_eq!(
            deciding(
                &analysis,
                &format!("inbound-aml-44224@synthetic-azuremachinelearning->{compute}:44224")
            ),
            (
                Verdict::Allowed,
                "nsg-training".into(),
                Some("AzureMachineLearning".into())
            )
        );
        // The registry and the workspace are reached through their private endpoints.
        assert_eq!(
            deciding(&analysis, &format!("workspace-registry@{compute}:443")),
            (
                Verdict::Allowed,
                "crexamplehostdev".into(),
                Some("private endpoint".into())
            )
        );
        assert_eq!(
            deciding(&analysis, &format!("workspace-api@{compute}:443")),
            (
                Verdict::Allowed,
                "mlw-examplehost-dev".into(),
                Some("private endpoint".into())
            )
        );
        // Outbound to Azure services leaves by nsg-training's default AllowVnetOutBound / the
        // UDR to the Internet.
        assert_eq!(
            deciding(&analysis, &format!("outbound-arm@{compute}:443")),
            (
                Verdict::Allowed,
                "nsg-training".into(),
                Some("AllowVnetOutBound".into())
            )
        );
    }
}

/// Of the required (non-optional) flows only two do not pass, both `unsupported` with a
/// reason, never a silent pass: the Bastion jump box's studio blob access (the NSG rule
/// names AzureCloud, the storage endpoint's public address is unknown) and data profiling,
/// where the workspace is not a caller the engine models towards storage.
#[test]
fn the_required_flows_that_do_not_pass_are_unsupported_with_their_reason() {
    let analysis = analysis();
    let failing: Vec<(String, Verdict)> = analysis
        .failing_required()
        .map(|flow| (flow.key(), flow.trace.verdict))
        .collect();
    assert_eq!(
        failing,
        [
            (
                "studio-storage-blob@bas-examplehost-dev:443".to_string(),
                Verdict::Unsupported
            ),
            (
                "data-profiling-storage@mlw-examplehost-dev:443".to_string(),
                Verdict::Unsupported
            ),
        ]
    );
    assert!(analysis.required.len() > 60, "{}", analysis.required.len());
}

/// The quickstart leaves outbound open: snet-training's route table sends 0.0.0.0/0 to the
/// Internet and no NSG denies it, snet-dsvm and the Bastion subnet use default outbound
/// access, so every compute reaches every attacker sink; the key vault and the storage
/// account keep public network access enabled (only `network_acls` / `network_rules` deny by
/// default), so their public endpoints are read from the internet, while the registry and
/// the workspace disable it.
#[test]
fn exfiltration_paths_left_open() {
    let analysis = analysis();
    let mut sink_paths: BTreeSet<(String, String)> = BTreeSet::new();
    let mut public_reads: BTreeSet<String> = BTreeSet::new();
    for finding in &analysis.exfiltration.findings {
        match finding.kind {
            PathKind::Sink(_) => {
                sink_paths.insert((finding.source.clone(), finding.sink.clone()));
            }
            PathKind::PublicEndpointRead => {
                public_reads.insert(finding.source.clone());
            }
        }
    }
    let sinks = [
        "synthetic-attacker-frontdoor",
        "synthetic-attacker-internet-host",
        "synthetic-attacker-storage-eastus",
        "synthetic-attacker-storage-westeurope",
    ];
    let sources = AML_COMPUTES
        .iter()
        .copied()
        .chain(["vmdsvm01", "bas-examplehost-dev"]);
    let expected: BTreeSet<(String, String)> = sources
        .flat_map(|source| {
            sinks
                .iter()
                .map(move |sink| (source.to_string(), sink.to_string()))
        })
        .collect();
    assert_eq!(sink_paths, expected);
    assert_eq!(
        public_reads,
        BTreeSet::from([
            "kv-<unknown random_string.kv_prefix.result>-dev".to_string(),
            "st<unknown random_string.sa_prefix.result>dev".to_string(),
        ])
    );
    assert!(analysis.exfiltration.undetermined.is_empty());
}
