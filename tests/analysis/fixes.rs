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
