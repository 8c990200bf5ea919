//! Every fix the analysis suggests, applied to the design, really closes every port of its
//! path, and the fixed design still validates.

use vnetlab::analysis::analyse;
use vnetlab::analysis::scenarios::all;
use vnetlab::engine::{Engine, Verdict};

#[test]
fn every_suggested_fix_closes_its_path() {
    let mut checked = 0;
    for scenario in all() {
        let analysis = analyse(&scenario.design().unwrap());
        for finding in &analysis.exfiltration.findings {
            assert!(
                !finding.fixes.is_empty(),
                "{}: {} has no fix",
                scenario.name,
                finding.key()
            );
            for fix in &finding.fixes {
                let fixed = fix
                    .fix
                    .apply(&analysis.prepared.design)
                    .expect("the fix applies");
                let engine = Engine::new(&fixed);
                assert!(
                    engine.diagnostics().iter().all(|d| !d.is_error()),
                    "{}: {:?}",
                    fix.fix.describe(),
                    engine.diagnostics()
                );
                for flow in &finding.flows {
                    let trace = engine.trace(flow).expect("traceable");
                    assert!(
                        !matches!(trace.verdict, Verdict::Allowed | Verdict::Unsupported),
                        "{}: fix `{}` leaves {:?} {}",
                        scenario.name,
                        fix.fix.describe(),
                        flow,
                        trace.reason
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} flows checked");
}

#[test]
fn the_seed_fixes_are_found_and_break_nothing() {
    let scenario = vnetlab::analysis::scenarios::find("firewall-forced-tunnel").unwrap();
    let analysis = analyse(&scenario.design().unwrap());
    let fix_for = |kind: &str, needle: &str| {
        analysis
            .exfiltration
            .findings
            .iter()
            .filter(|f| f.kind.as_str() == kind)
            .flat_map(|f| &f.fixes)
            .find(|fix| fix.fix.describe().contains(needle))
            .cloned()
            .unwrap_or_else(|| panic!("no `{needle}` fix for {kind}"))
    };
    let sep = fix_for("attacker-storage-same-region", "service endpoint policy");
    assert!(sep.breaks.is_empty(), "{:?}", sep.breaks);
    let front_door = fix_for("attacker-front-door", "replace AzureFrontDoor.Frontend");
    assert!(front_door.breaks.is_empty(), "{:?}", front_door.breaks);
    // Denying Internet also closes the path, but breaks required flows, and says which.
    let deny = fix_for("attacker-front-door", "denying Internet");
    assert!(deny
        .breaks
        .contains(&"outbound-entra-id@ci-notebook:443".to_string()));
}

#[test]
fn dropping_the_public_ip_carries_the_dlp_limitation() {
    let scenario = vnetlab::analysis::scenarios::find("vnet-default-nsg").unwrap();
    let analysis = analyse(&scenario.design().unwrap());
    let drop = analysis
        .exfiltration
        .findings
        .iter()
        .flat_map(|f| &f.fixes)
        .find(|fix| fix.fix.describe().contains("remove the public IP"))
        .expect("a public IP fix");
    assert!(drop.fix.notes.iter().any(|n| n.contains("seed 002")));
    let read = analysis
        .exfiltration
        .findings
        .iter()
        .find(|f| f.kind.as_str() == "public-endpoint-read" && f.source == "amlstorage")
        .expect("public read of the storage");
    assert!(read
        .fixes
        .iter()
        .any(|f| f.fix.describe() == "disable public network access on amlstorage"));
}

#[test]
fn a_storage_wildcard_in_a_firewall_rule_is_narrowed_at_the_cost_of_batch_storage() {
    let scenario = vnetlab::analysis::scenarios::find("il5-us-gov").unwrap();
    let analysis = analyse(&scenario.design().unwrap());
    for finding in &analysis.exfiltration.findings {
        let narrow = finding
            .fixes
            .iter()
            .find(|fix| fix.fix.describe().contains("replace the storage wildcards"))
            .unwrap_or_else(|| panic!("{} cannot be narrowed", finding.key()));
        // Batch's Microsoft-managed storage has no name to allow: that is what SEP aliases solve.
        assert!(narrow
            .breaks
            .contains(&"outbound-batch-storage@cpu-cluster:443".to_string()));
        assert!(narrow
            .breaks
            .iter()
            .all(|b| b.starts_with("outbound-batch-storage@")));
        let fixed = narrow.fix.apply(&analysis.prepared.design).unwrap();
        let rule = fixed
            .firewall_policies
            .iter()
            .flat_map(|p| &p.rule_collection_groups)
            .flat_map(|g| &g.rule_collections)
            .find_map(|c| match c {
                vnetlab::model::RuleCollection::Application { rules, .. } => {
                    rules.iter().find(|r| r.name == "microsoft-storage")
                }
                _ => None,
            })
            .expect("the rule stays");
        assert!(
            rule.target_fqdns.iter().all(|f| !f.starts_with('*')),
            "{:?}",
            rule.target_fqdns
        );
        assert!(rule
            .target_fqdns
            .contains(&"amlstorage.blob.core.usgovcloudapi.net".to_string()));
    }
}

/// Fix impact reuses the baseline's bound flows when `same_bindings` says a fix left every
/// binding input alone: binding the fixed design must then give exactly the same flows.
#[test]
fn same_bindings_means_the_same_required_flows() {
    use vnetlab::analysis::required::{bind_all, same_bindings};
    let (mut same, mut different) = (0, 0);
    for scenario in all() {
        let analysis = analyse(&scenario.design().unwrap());
        let prepared = &analysis.prepared.design;
        fn bound(design: &vnetlab::model::Design) -> Vec<(String, String, vnetlab::engine::Flow)> {
            bind_all(design)
                .into_iter()
                .map(|(entry, source, flow)| (entry.id.to_string(), source, flow))
                .collect()
        }
        let baseline = bound(prepared);
        for fix in analysis.exfiltration.findings.iter().flat_map(|f| &f.fixes) {
            let fixed = fix.fix.apply(prepared).expect("the fix applies");
            if same_bindings(prepared, &fixed) {
                assert_eq!(bound(&fixed), baseline, "{}", fix.fix.describe());
                same += 1;
            } else {
                different += 1;
            }
        }
    }
    assert!(
        same > 20 && different > 5,
        "same {same}, different {different}"
    );
}
