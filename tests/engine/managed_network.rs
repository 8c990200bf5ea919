//! AML managed virtual network: allow-internet and allow-only-approved outbound.

use serde_json::{json, Value};
use vnetlab::engine::{Step, Verdict};
use vnetlab::model::Protocol;

use super::support::{base, engine, expect, expect_decided, set, tcp, trace};

pub(super) fn managed(mode: &str, rules: Value) -> Value {
    let mut design = base();
    set(
        &mut design,
        "/computes",
        json!([{"name": "managed-ci", "kind": "compute_instance", "workspace": "ws"}]),
    );
    set(
        &mut design,
        "/workspaces/0/managed_network",
        json!({"isolation_mode": mode, "outbound_rules": rules}),
    );
    design
}

#[test]
fn approved_only_allows_rules_and_workspace_endpoints_only() {
    let design = managed(
        "allow_only_approved_outbound",
        json!([
            {"type": "fqdn", "name": "pypi", "fqdn": "pypi.org"},
            {"type": "service_tag", "name": "aml-tag", "tag": "AzureMachineLearning", "protocol": "Udp", "ports": ["5831"]},
            {"type": "fqdn", "name": "storage-by-name", "fqdn": "*.blob.core.windows.net"}
        ]),
    );
    let engine = engine(&design);
    expect(
        &tcp(&engine, "managed-ci", "wsstorage", 443),
        Verdict::Allowed,
        Step::PrivateEndpoint,
        "managed private endpoint to wsstorage",
    );
    expect(
        &tcp(&engine, "managed-ci", "pypi.org", 443),
        Verdict::Allowed,
        Step::InternetEgress,
        "pypi",
    );
    expect(
        &trace(&engine, "managed-ci", "aml", Protocol::Udp, Some(5831)),
        Verdict::Allowed,
        Step::InternetEgress,
        "aml-tag",
    );
    // FQDN rules never reach storage and only carry 80/443.
    expect_decided(
        &tcp(&engine, "managed-ci", "roguestorage", 443),
        Verdict::Blocked,
        Step::InternetEgress,
        "allow_only_approved_outbound",
    );
    expect_decided(
        &tcp(&engine, "managed-ci", "pypi.org", 8080),
        Verdict::Blocked,
        Step::InternetEgress,
        "allow_only_approved_outbound",
    );
}

#[test]
fn allow_internet_outbound_lets_data_leave() {
    let engine = engine(&managed("allow_internet_outbound", json!([])));
    expect(
        &tcp(&engine, "managed-ci", "roguestorage", 443),
        Verdict::Allowed,
        Step::InternetEgress,
        "allow_internet_outbound",
    );
}

#[test]
fn managed_compute_must_not_have_a_customer_nic() {
    let mut design = managed("allow_internet_outbound", json!([]));
    set(
        &mut design,
        "/computes/0/nic",
        json!({"subnet": "vnet/training", "private_ip": "10.0.1.9"}),
    );
    let engine = engine(&design);
    assert!(
        engine
            .diagnostics()
            .iter()
            .any(|d| d.is_error() && d.path == "$.computes[0].nic"),
        "{:?}",
        engine.diagnostics()
    );
}

/// Issue 12 defect 7: a managed-VNet compute resolves in the workspace's managed VNet
/// (Microsoft Learn, "Workspace managed network isolation": managed private endpoints come with
/// Microsoft-managed private DNS), so the DNS hop does not claim public DNS; a client outside
/// Azure still does.
#[test]
fn managed_vnet_dns_is_not_public_dns_how_to_managed_network() {
    let design = managed("allow_only_approved_outbound", json!([]));
    let engine = engine(&design);
    let cases = [
        ("managed-ci", "managed VNet", "public DNS"),
        ("203.0.113.10", "public DNS", "managed VNet"),
    ];
    for (from, says, not) in cases {
        let trace = tcp(&engine, from, "wsstorage.blob.core.windows.net", 443);
        let dns: Vec<&str> = trace
            .hops
            .iter()
            .filter(|h| h.step == Step::Dns)
            .map(|h| h.reason.as_str())
            .collect();
        assert!(
            dns.iter().any(|r| r.contains(says)) && !dns.iter().any(|r| r.contains(not)),
            "{from}: {dns:?}"
        );
    }
}
