//! Flows through the workshop fixture with their expected verdict and deciding rule, asserted
//! both natively (`tests/engine/parity.rs`) and in the browser (`tests/browser/parity.rs`), so
//! the engine compiled to wasm is checked against the same expectations as the native one.

use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget, Step, Verdict};
use vnetlab::model::{Design, Protocol};

pub const WORKSHOP: &str = include_str!("../fixtures/workshop.json");

/// (source, destination, protocol, port, verdict, step of the deciding hop, its rule).
pub const CASES: &[(&str, &str, Protocol, u16, Verdict, Step, &str)] = &[
    // Storage endpoint + policy: the workspace account passes, the attacker's is dropped.
    (
        "ci",
        "wsstorage",
        Protocol::Tcp,
        443,
        Verdict::Allowed,
        Step::StorageFirewall,
        "virtual network rule vnet/training",
    ),
    (
        "ci",
        "roguestorage",
        Protocol::Tcp,
        443,
        Verdict::Blocked,
        Step::Sep,
        "not in policy",
    ),
    // Forced tunnelling: Entra ID is allowed by the firewall's network rule.
    (
        "ci",
        "entra",
        Protocol::Tcp,
        443,
        Verdict::Allowed,
        Step::FirewallNetwork,
        "entra",
    ),
    // UDP 5831 to AML has no NSG allow: the Internet deny decides.
    (
        "ci",
        "aml",
        Protocol::Udp,
        5831,
        Verdict::Blocked,
        Step::NsgOutbound,
        "DenyInternet",
    ),
    // The key vault resolves to its private endpoint.
    (
        "ci",
        "kv",
        Protocol::Tcp,
        443,
        Verdict::Allowed,
        Step::KeyVaultFirewall,
        "private endpoint",
    ),
    // The NSG's Internet deny applies before the firewall could allow pypi.org.
    (
        "ci",
        "pypi.org",
        Protocol::Tcp,
        443,
        Verdict::Blocked,
        Step::NsgOutbound,
        "DenyInternet",
    ),
    // AML reaches the compute's public IP; the AzureMachineLearning route returns it directly.
    (
        "aml",
        "ci",
        Protocol::Tcp,
        44224,
        Verdict::Allowed,
        Step::NsgInbound,
        "AllowAmlInbound",
    ),
    (
        "cluster",
        "ci",
        Protocol::Tcp,
        22,
        Verdict::Allowed,
        Step::NsgInbound,
        "AllowVnetInBound",
    ),
];

/// Checks every case; returns the failures as readable lines (empty when all pass).
pub fn failures() -> Vec<String> {
    let design: Design = match serde_json::from_str(WORKSHOP) {
        Ok(design) => design,
        Err(error) => return vec![format!("workshop fixture: {error}")],
    };
    let engine = Engine::new(&design);
    let mut failures = Vec::new();
    for &(from, to, protocol, port, verdict, step, rule) in CASES {
        let destination = if to.contains('.') {
            FlowTarget::Fqdn(to.into())
        } else {
            FlowTarget::Element(to.into())
        };
        let flow = Flow::new(
            FlowSource::Element(from.into()),
            destination,
            protocol,
            Some(port),
        );
        match engine.trace(&flow) {
            Err(error) => failures.push(format!("{from} → {to}: {error}")),
            Ok(trace) => {
                let decided =
                    trace.hops.iter().rev().find(|h| {
                        h.step == step && h.rule.as_ref().is_some_and(|r| r.name == rule)
                    });
                if trace.verdict != verdict || decided.is_none() {
                    failures.push(format!("{from} → {to} {protocol}/{port}: got {} ({}), expected {verdict} by {rule} at {step:?}", trace.verdict, trace.reason));
                }
            }
        }
    }
    failures
}
