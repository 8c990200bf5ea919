//! Cross-tenant private endpoints as an exfiltration sink (issue 12). Microsoft Learn, "Manage
//! Azure private endpoints" / "Azure Policy built-ins for Private Link": a private endpoint can
//! connect to a resource in another tenant, whose owner approves the connection; traffic through
//! it bypasses the resource's public-endpoint firewall and the source's service endpoint
//! policies, so an attacker's account behind your own endpoint is an exfiltration path. The
//! fix: deny cross-tenant private endpoint connections with Azure Policy (the endpoint goes),
//! or an NSG on the endpoint subnet.

use serde_json::json;
use vnetlab::analysis::analyse;
use vnetlab::analysis::exfil::PathKind;
use vnetlab::analysis::synthetic::SinkKind;

use super::support::{design, scenario_json};

#[test]
fn a_private_endpoint_to_an_attackers_account_is_an_exfiltration_path_private_endpoint_cross_tenant(
) {
    // (kind and owner of the endpoint's target, whether the search reports the endpoint path)
    let cases = [
        ("storage_account", "attacker", true),
        ("key_vault", "attacker", true),
        ("storage_account", "yours", false),
    ];
    for (kind, owner, reported) in cases {
        let mut value = scenario_json("dlp-sep-nsg");
        let sub_resource = if kind == "key_vault" { "vault" } else { "blob" };
        let zone = if kind == "key_vault" {
            "privatelink.vaultcore.azure.net"
        } else {
            "privatelink.blob.core.windows.net"
        };
        value["resources"].as_array_mut().expect("resources").push(json!({"name": "evilstore", "kind": kind, "region": "eastus", "owner": owner, "subscription": "evil"}));
        value["private_endpoints"].as_array_mut().expect("endpoints").push(json!({"name": "pe-evil", "subnet": "aml-vnet/pe", "private_ip": "10.0.2.9", "target": "evilstore", "sub_resource": sub_resource, "dns_zones": [zone]}));
        let analysis = analyse(&design(&value));
        let found: Vec<_> = analysis
            .exfiltration
            .findings
            .iter()
            .filter(|f| f.sink == "evilstore")
            .collect();
        assert_eq!(
            !found.is_empty(),
            reported,
            "{kind} {owner}: {} findings",
            found.len()
        );
        for finding in found {
            assert_eq!(
                finding.kind,
                PathKind::Sink(SinkKind::CrossTenantPrivateEndpoint)
            );
            assert!(
                finding.trace.hops.iter().any(|h| h.element == "pe-evil"),
                "through the endpoint"
            );
            let fixes: Vec<String> = finding.fixes.iter().map(|f| f.fix.describe()).collect();
            assert!(
                fixes
                    .iter()
                    .any(|f| f.contains("remove private endpoint pe-evil")
                        && f.contains("Azure Policy")),
                "{kind}: {fixes:?}"
            );
        }
    }
}
