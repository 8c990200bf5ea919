//! Managed-VNet details of issue 12, from Microsoft Learn, "Workspace managed virtual network
//! isolation" (learn.microsoft.com/azure/machine-learning/how-to-managed-network): FQDN
//! outbound rules open only ports 80 and 443; Azure Storage is never reached through an FQDN
//! rule; serverless Spark reaches only private endpoints marked for Spark (`sparkEnabled`,
//! and the managed endpoints once the network is provisioned for Spark, `sparkReady`); the
//! isolation mode moves one way only.

use serde_json::{json, Value};
use vnetlab::engine::{Step, Verdict};
use vnetlab::model::{validate, Design, Severity};

use super::managed_network::managed;
use super::support::{engine, expect_decided, push, set, tcp};

/// FQDN rules carry TCP 80 and 443 only, whatever ports they state; storage never passes.
#[test]
fn fqdn_rules_open_only_80_and_443_and_never_storage() {
    // (stated ports, destination, port, verdict, deciding rule)
    let cases: [(Value, &str, u16, Verdict, &str); 6] = [
        (json!([]), "pypi.org", 443, Verdict::Allowed, "pypi"),
        (json!([]), "pypi.org", 80, Verdict::Allowed, "pypi"),
        (
            json!([]),
            "pypi.org",
            8080,
            Verdict::Blocked,
            "allow_only_approved_outbound",
        ),
        (
            json!(["443"]),
            "pypi.org",
            80,
            Verdict::Blocked,
            "allow_only_approved_outbound",
        ),
        (
            json!(["443", "8443"]),
            "pypi.org",
            8443,
            Verdict::Blocked,
            "allow_only_approved_outbound",
        ),
        (
            json!([]),
            "roguestorage.blob.core.windows.net",
            443,
            Verdict::Blocked,
            "allow_only_approved_outbound",
        ),
    ];
    for (ports, to, port, verdict, rule) in cases {
        let design = managed(
            "allow_only_approved_outbound",
            json!([
                {"type": "fqdn", "name": "pypi", "fqdn": "pypi.org", "ports": ports},
                {"type": "fqdn", "name": "blobs", "fqdn": "*.blob.core.windows.net"}
            ]),
        );
        let trace = tcp(&engine(&design), "managed-ci", to, port);
        expect_decided(&trace, verdict, Step::InternetEgress, rule);
        if to.contains("blob") {
            assert!(
                trace.hops.iter().any(|h| h
                    .reason
                    .contains("FQDN rules never reach Azure Storage")
                    && h.rule.as_ref().is_some_and(|r| r.name == "blobs")),
                "the trace names the FQDN rule storage ignores: {:?}",
                trace.hops
            );
        }
    }
}

/// Serverless Spark uses a private endpoint only when it is marked for Spark.
#[test]
fn serverless_spark_reaches_only_private_endpoints_marked_for_spark() {
    // (mode, rule's sparkEnabled, network sparkReady, destination, verdict, step, rule)
    let cases: [(&str, bool, bool, &str, Verdict, Step, &str); 6] = [
        (
            "allow_only_approved_outbound",
            true,
            false,
            "roguestorage",
            Verdict::Allowed,
            Step::PrivateEndpoint,
            "rogue-pe",
        ),
        (
            "allow_only_approved_outbound",
            false,
            false,
            "roguestorage",
            Verdict::Blocked,
            Step::PrivateEndpoint,
            "rogue-pe",
        ),
        (
            "allow_only_approved_outbound",
            false,
            false,
            "wsstorage",
            Verdict::Blocked,
            Step::PrivateEndpoint,
            "managed private endpoint to wsstorage",
        ),
        (
            "allow_only_approved_outbound",
            false,
            true,
            "wsstorage",
            Verdict::Allowed,
            Step::PrivateEndpoint,
            "managed private endpoint to wsstorage",
        ),
        // Allow-internet mode: without a Spark endpoint it goes over the internet, where the
        // (open) account's firewall decides.
        (
            "allow_internet_outbound",
            false,
            false,
            "roguestorage",
            Verdict::Allowed,
            Step::InternetEgress,
            "allow_internet_outbound",
        ),
        (
            "allow_internet_outbound",
            true,
            false,
            "roguestorage",
            Verdict::Allowed,
            Step::PrivateEndpoint,
            "rogue-pe",
        ),
    ];
    for (mode, spark_enabled, spark_ready, to, verdict, step, rule) in cases {
        let mut design = managed(
            mode,
            json!([{"type": "private_endpoint", "name": "rogue-pe", "target": "roguestorage", "sub_resource": "blob", "spark_enabled": spark_enabled}]),
        );
        set(
            &mut design,
            "/workspaces/0/managed_network/spark_ready",
            json!(spark_ready),
        );
        push(
            &mut design,
            "/computes",
            json!({"name": "spark", "kind": "serverless_spark", "workspace": "ws"}),
        );
        let case = format!("{mode} sparkEnabled={spark_enabled} sparkReady={spark_ready} → {to}");
        let trace = tcp(&engine(&design), "spark", to, 443);
        assert_eq!(trace.verdict, verdict, "{case}: {:?}", trace.hops);
        assert!(
            trace
                .hops
                .iter()
                .any(|h| h.step == step && h.rule.as_ref().is_some_and(|r| r.name == rule)),
            "{case}: {:?}",
            trace.hops
        );
        if verdict == Verdict::Blocked {
            let decided = trace.decided_by.as_ref().expect("deciding hop");
            assert!(
                decided
                    .reason
                    .contains("reaches only private endpoints marked for Spark"),
                "{case}: {}",
                decided.reason
            );
        }
        // A compute instance of the same workspace uses every endpoint.
        if mode == "allow_only_approved_outbound" {
            assert_eq!(
                tcp(&engine(&design), "managed-ci", to, 443).verdict,
                Verdict::Allowed,
                "{case}: compute instance"
            );
        }
    }
}

/// (case, mode, previous mode, FQDN rule ports, Spark has a NIC, expected error path or None)
type ValidationCase<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Value,
    bool,
    Option<&'a str>,
);

/// Validation: FQDN rule ports, the one-way isolation modes, serverless Spark placement.
#[test]
fn validation_names_fqdn_rule_ports_backward_modes_and_misplaced_spark() {
    let cases: [ValidationCase<'_>; 8] = [
        (
            "FQDN rule on 8080",
            "allow_only_approved_outbound",
            None,
            json!(["443", "8080"]),
            false,
            Some("$.workspaces[0].managed_network.outbound_rules[0].ports"),
        ),
        (
            "FQDN rule on 80 and 443",
            "allow_only_approved_outbound",
            None,
            json!(["80", "443"]),
            false,
            None,
        ),
        (
            "FQDN rule on a range",
            "allow_only_approved_outbound",
            None,
            json!(["80-443"]),
            false,
            Some("$.workspaces[0].managed_network.outbound_rules[0].ports"),
        ),
        (
            "forward from disabled",
            "allow_internet_outbound",
            Some("disabled"),
            json!([]),
            false,
            None,
        ),
        (
            "forward to approved only",
            "allow_only_approved_outbound",
            Some("allow_internet_outbound"),
            json!([]),
            false,
            None,
        ),
        (
            "back to allow internet",
            "allow_internet_outbound",
            Some("allow_only_approved_outbound"),
            json!([]),
            false,
            Some("$.workspaces[0].managed_network.isolation_mode"),
        ),
        (
            "back to disabled",
            "disabled",
            Some("allow_internet_outbound"),
            json!([]),
            false,
            Some("$.workspaces[0].managed_network.isolation_mode"),
        ),
        (
            "Spark with a NIC",
            "allow_only_approved_outbound",
            None,
            json!([]),
            true,
            Some("$.computes[1]"),
        ),
    ];
    for (case, mode, previous, ports, spark_nic, expected) in cases {
        let mut design = managed(
            mode,
            json!([{"type": "fqdn", "name": "pypi", "fqdn": "pypi.org", "ports": ports}]),
        );
        if let Some(previous) = previous {
            set(
                &mut design,
                "/workspaces/0/managed_network/previous_isolation_mode",
                json!(previous),
            );
        }
        let mut spark = json!({"name": "spark", "kind": "serverless_spark", "workspace": "ws"});
        if spark_nic {
            spark["nic"] = json!({"subnet": "vnet/training", "private_ip": "10.0.1.9"});
        }
        push(&mut design, "/computes", spark);
        let design: Design = serde_json::from_value(design).expect("parses");
        let errors: Vec<_> = validate(&design)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .filter(|d| d.path.contains("managed_network") || d.path.starts_with("$.computes"))
            .collect();
        match expected {
            Some(path) => {
                assert!(errors.iter().any(|d| d.path == path), "{case}: {errors:#?}");
                if path.ends_with("ports") {
                    assert!(
                        errors.iter().any(|d| d.message.contains("FQDN rule pypi")),
                        "{case}: names the rule: {errors:#?}"
                    );
                }
                if path.ends_with("isolation_mode") {
                    assert!(
                        errors.iter().any(|d| d.message.contains("cannot go back")),
                        "{case}: {errors:#?}"
                    );
                }
            }
            None => assert!(errors.is_empty(), "{case}: {errors:#?}"),
        }
    }
}
