//! What-if diff: removing the DLP scenario's service endpoint policy opens the rogue-storage
//! path and nothing else.

use serde_json::json;
use vnetlab::analysis::diff::diff;

use super::support::{design, scenario_json};

#[test]
fn removing_the_policy_opens_the_rogue_storage_path() {
    let before = scenario_json("dlp-sep-nsg");
    let mut after = before.clone();
    after["virtual_networks"][0]["subnets"][0]["service_endpoint_policies"] = json!([]);
    let result = diff(&design(&before), &design(&after));
    assert_eq!(
        result.opened,
        vec![
            "ci-notebook -> synthetic-attacker-storage-eastus (attacker-storage-same-region) tcp 443".to_string(),
            "cpu-cluster -> synthetic-attacker-storage-eastus (attacker-storage-same-region) tcp 443".to_string(),
        ]
    );
    assert!(result.closed.is_empty());
    assert!(
        result.broken.is_empty() && result.repaired.is_empty(),
        "{result:?}"
    );
    // And back: the reverse diff closes what the first opened.
    let back = diff(&design(&after), &design(&before));
    assert_eq!(back.closed, result.opened);
}

#[test]
fn denying_internet_breaks_required_flows() {
    let before = scenario_json("vnet-default-nsg");
    let mut after = before.clone();
    after["network_security_groups"][0]["rules"] = json!([
        {"name": "DenyInternet", "priority": 100, "direction": "Outbound", "access": "Deny", "destination": ["Internet"]}
    ]);
    let result = diff(&design(&before), &design(&after));
    assert!(result
        .broken
        .contains(&"outbound-entra-id@ci-notebook:443".to_string()));
    assert!(result.closed.iter().any(|k| k.contains("internet-host")));
    assert!(result.opened.is_empty());
}
