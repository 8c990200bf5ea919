//! The IL5 policy checks pass on the IL5 scenario and fail, with reasons, where they should.

use serde_json::json;
use vnetlab::analysis::compliance::checks;

use super::support::{design, scenario_json};

#[test]
fn the_il5_scenario_passes_every_check() {
    let results = checks(&design(&scenario_json("il5-us-gov")));
    assert_eq!(results.len(), 7);
    assert!(results.iter().all(|c| c.passed), "{results:?}");
}

#[test]
fn each_check_fails_when_its_setting_is_off() {
    let mut d = scenario_json("il5-us-gov");
    d["private_endpoints"][4]["connection_state"] = json!("Pending");
    d["workspaces"][0]["customer_managed_key"] = json!(false);
    d["workspaces"][0]["resource_logs"] = json!(false);
    d["workspaces"][0]["image_registry"] = json!("viennaglobal.azurecr.io");
    d["resources"][1]["purge_protection"] = json!(false);
    d["resources"][1]["soft_delete"] = json!(false);
    d["resources"][1]["public_network_access"] = json!("Enabled");
    let results = checks(&design(&d));
    let failed: Vec<_> = results.iter().filter(|c| !c.passed).collect();
    assert_eq!(failed.len(), 7, "{results:?}");
    let registry = failed.iter().find(|c| c.definition_id.is_none()).unwrap();
    assert!(registry.why.contains("viennaglobal.azurecr.io"));
    let private_link = failed
        .iter()
        .find(|c| c.policy.contains("private link"))
        .unwrap();
    assert!(private_link.why.starts_with("0 approved"));
}
