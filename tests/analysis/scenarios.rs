//! Every built-in scenario validates cleanly and gives exactly its expected results.

use std::collections::BTreeSet;

use vnetlab::analysis::scenarios::{all, Scenario};
use vnetlab::analysis::{analyse, Analysis};
use vnetlab::engine::Engine;

fn failing_ids(analysis: &Analysis) -> BTreeSet<&'static str> {
    analysis.failing_required().map(|f| f.entry.id).collect()
}

fn check_paths(scenario: &Scenario, analysis: &Analysis) {
    let shown = |f: &vnetlab::analysis::exfil::ExfilFinding| {
        let ports = f.ports.map_or("-".to_string(), |p| p.to_string());
        format!("{} {ports}", f.protocol)
    };
    for finding in &analysis.exfiltration.findings {
        assert!(
            scenario
                .expected
                .exfiltration
                .iter()
                .any(|e| e.source == finding.source
                    && e.kind == finding.kind.as_str()
                    && (e.ports == "*" || e.ports == shown(finding))),
            "{}: unexpected path {}",
            scenario.name,
            finding.key()
        );
    }
    for expected in scenario.expected.exfiltration {
        assert!(
            analysis
                .exfiltration
                .findings
                .iter()
                .any(|f| f.source == expected.source
                    && f.kind.as_str() == expected.kind
                    && (expected.ports == "*" || expected.ports == shown(f))),
            "{}: expected path {expected:?} not found",
            scenario.name
        );
    }
}

#[test]
fn every_scenario_validates_without_errors() {
    let scenarios = all();
    assert_eq!(scenarios.len(), 8);
    for scenario in &scenarios {
        let design = scenario.design().expect("scenario parses");
        assert_eq!(
            design.name, scenario.name,
            "file name and design name agree"
        );
        let errors: Vec<String> = Engine::new(&design)
            .diagnostics()
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", scenario.name);
        assert!(!scenario.notes.is_empty() && !scenario.intent.is_empty());
    }
}

#[test]
fn every_scenario_gives_its_expected_results() {
    for scenario in all() {
        let analysis = analyse(&scenario.design().expect("parses"));
        let expected: BTreeSet<&str> = scenario.expected.failing_required.iter().copied().collect();
        assert_eq!(
            failing_ids(&analysis),
            expected,
            "{}: failing required flows",
            scenario.name
        );
        check_paths(&scenario, &analysis);
        assert!(
            analysis.exfiltration.undetermined.is_empty(),
            "{}: undetermined paths {:?}",
            scenario.name,
            analysis.exfiltration.undetermined
        );
    }
}

#[test]
fn the_dlp_policy_is_what_stops_the_rogue_storage_account() {
    let analysis = analyse(
        &vnetlab::analysis::scenarios::find("dlp-sep-nsg")
            .unwrap()
            .design()
            .unwrap(),
    );
    let engine = Engine::new(&analysis.prepared.design);
    let flow = vnetlab::engine::Flow::new(
        vnetlab::engine::FlowSource::Element("ci-notebook".into()),
        vnetlab::engine::FlowTarget::Fqdn(
            "synthetic-attacker-storage-eastus.blob.core.windows.net".into(),
        ),
        vnetlab::model::Protocol::Tcp,
        Some(443),
    );
    let trace = engine.trace(&flow).unwrap();
    assert_eq!(trace.verdict, vnetlab::engine::Verdict::Blocked);
    assert_eq!(trace.decided_by.unwrap().step, vnetlab::engine::Step::Sep);
    // The Batch storage account the alias covers still passes.
    let batch = analysis
        .required
        .iter()
        .find(|f| f.key() == "outbound-batch-storage@ci-notebook:443")
        .expect("batch storage flow");
    assert!(batch.passes(), "{}", batch.trace.reason);
}

#[test]
fn the_firewall_scenario_leaks_exactly_through_the_two_documented_tags() {
    let analysis = analyse(
        &vnetlab::analysis::scenarios::find("firewall-forced-tunnel")
            .unwrap()
            .design()
            .unwrap(),
    );
    let rules: BTreeSet<String> = analysis
        .exfiltration
        .findings
        .iter()
        .flat_map(|f| {
            f.controls()
                .filter_map(|h| h.rule.as_ref().map(|r| r.name.clone()))
                .collect::<Vec<_>>()
        })
        .filter(|r| r.contains("storage") || r.contains("front-door"))
        .collect();
    assert_eq!(
        rules,
        BTreeSet::from([
            "front-door-frontend".to_string(),
            "storage-region".to_string()
        ])
    );
}

/// The CLI compiles a design once, for its diagnostics, and analyses it by deriving the
/// prepared copy's engine from that one (`analyse_compiled`): the same analysis as `analyse`
/// (required flows with their traces, paths, fixes and what they break), on every scenario.
#[test]
fn analysing_a_compiled_design_equals_analysing_it() {
    for scenario in all() {
        let design = scenario.design().expect("scenario parses");
        let direct = analyse(&design);
        let compiled = vnetlab::analysis::analyse_compiled(&Engine::new(&design));
        assert_eq!(
            format!("{:?}", compiled.required),
            format!("{:?}", direct.required),
            "{}: required flows",
            scenario.name
        );
        assert_eq!(
            format!("{:?}", compiled.exfiltration),
            format!("{:?}", direct.exfiltration),
            "{}: exfiltration",
            scenario.name
        );
        assert_eq!(
            compiled.prepared.design, direct.prepared.design,
            "{}: prepared design",
            scenario.name
        );
        assert!(
            !direct.required.is_empty(),
            "{}: nothing compared",
            scenario.name
        );
    }
}
