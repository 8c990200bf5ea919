//! Shared fixtures: a small AML design to vary per case, and the `check` helper.

use serde_json::{json, Value};
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget, Step, Trace, Verdict};
use vnetlab::model::{Design, Protocol};

/// VNet `vnet` (eastus, 10.0.0.0/16) with subnets training (NSG nsg-training), pe and
/// AzureFirewallSubnet; compute instance `ci` and VM `vm2` in training; storage accounts of
/// the workspace (`wsstorage`), an attacker in the same region (`roguestorage`) and in another
/// (`farstorage`); platform services and an internet host.
pub fn base() -> Value {
    json!({
        "schema_version": 1,
        "name": "base",
        "virtual_networks": [{
            "name": "vnet", "region": "eastus", "address_space": ["10.0.0.0/16"],
            "subnets": [
                {"name": "training", "prefix": "10.0.1.0/24", "nsg": "nsg-training"},
                {"name": "pe", "prefix": "10.0.2.0/24"},
                {"name": "AzureFirewallSubnet", "prefix": "10.0.3.0/26"}
            ]
        }],
        "network_security_groups": [{"name": "nsg-training", "rules": []}],
        "computes": [
            {"name": "ci", "kind": "compute_instance", "workspace": "ws", "nic": {"subnet": "vnet/training", "private_ip": "10.0.1.4"}},
            {"name": "vm2", "kind": "virtual_machine", "nic": {"subnet": "vnet/training", "private_ip": "10.0.1.5"}}
        ],
        "resources": [
            {"name": "wsstorage", "kind": "storage_account", "region": "eastus"},
            {"name": "roguestorage", "kind": "storage_account", "region": "eastus", "owner": "attacker", "subscription": "evil"},
            {"name": "farstorage", "kind": "storage_account", "region": "westus", "owner": "attacker", "subscription": "evil"},
            {"name": "batchstorage", "kind": "storage_account", "region": "eastus", "owner": "microsoft", "subscription": "batch", "covered_by_aliases": ["/services/Azure/MachineLearning"]}
        ],
        "workspaces": [{"name": "ws", "region": "eastus", "storage_account": "wsstorage"}],
        "services": [
            {"name": "aml", "service_tag": "AzureMachineLearning", "fqdns": ["*.api.azureml.ms"]},
            {"name": "entra", "service_tag": "AzureActiveDirectory", "fqdns": ["login.microsoftonline.com"]},
            {"name": "frontdoor", "service_tag": "AzureFrontDoor.Frontend", "fqdns": ["ml.azure.com"]},
            {"name": "evil-frontdoor", "service_tag": "AzureFrontDoor.Frontend", "fqdns": ["exfil.azurefd.net"], "owner": "attacker"}
        ],
        "external_hosts": [{"name": "internet-host", "kind": "internet", "ip": "203.0.113.10", "fqdns": ["pypi.org"]}]
    })
}

/// Sets `value` at a JSON pointer; the last key is created when missing (its parent must exist).
pub fn set(design: &mut Value, pointer: &str, value: Value) {
    if let Some(slot) = design.pointer_mut(pointer) {
        *slot = value;
        return;
    }
    let (parent, key) = pointer.rsplit_once('/').expect("pointer has a parent");
    let parent = if parent.is_empty() {
        &mut *design
    } else {
        design
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("no {parent} in the test design"))
    };
    parent
        .as_object_mut()
        .unwrap_or_else(|| panic!("{pointer}: parent is not an object"))
        .insert(key.to_string(), value);
}

/// Appends to the array at `pointer`, creating it when missing.
pub fn push(design: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').expect("pointer has a parent");
    let parent = if parent.is_empty() {
        &mut *design
    } else {
        design
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("no {parent}"))
    };
    let slot = parent
        .as_object_mut()
        .expect("parent is an object")
        .entry(key.to_string())
        .or_insert_with(|| json!([]));
    slot.as_array_mut().expect("an array").push(value);
}

pub fn engine(design: &Value) -> Engine {
    let design: Design = serde_json::from_value(design.clone()).expect("test design parses");
    Engine::new(&design)
}

fn target(text: &str) -> FlowTarget {
    match text.parse() {
        Ok(ip) => FlowTarget::Address(ip),
        Err(_) if text.contains('.') && !text.contains('/') => FlowTarget::Fqdn(text.to_string()),
        Err(_) => FlowTarget::Element(text.to_string()),
    }
}

pub fn trace(
    engine: &Engine,
    from: &str,
    to: &str,
    protocol: Protocol,
    port: Option<u16>,
) -> Trace {
    let source = from.parse().map_or_else(
        |_| FlowSource::Element(from.to_string()),
        FlowSource::Address,
    );
    engine
        .trace(&Flow::new(source, target(to), protocol, port))
        .unwrap_or_else(|e| panic!("{from} → {to}: {e}"))
}

pub fn tcp(engine: &Engine, from: &str, to: &str, port: u16) -> Trace {
    trace(engine, from, to, Protocol::Tcp, Some(port))
}

/// The rules named by the hops at `step`, in path order.
pub fn rules_at(trace: &Trace, step: Step) -> Vec<String> {
    trace
        .hops
        .iter()
        .filter(|h| h.step == step)
        .filter_map(|h| h.rule.as_ref())
        .map(|r| r.name.clone())
        .collect()
}

/// Asserts the verdict and that a hop at `step` was decided by `rule`.
#[track_caller]
pub fn expect(trace: &Trace, verdict: Verdict, step: Step, rule: &str) {
    let dump = || serde_json::to_string_pretty(&trace.hops).unwrap_or_default();
    assert_eq!(
        trace.verdict,
        verdict,
        "verdict; reason: {}; hops: {}",
        trace.reason,
        dump()
    );
    assert!(
        rules_at(trace, step).iter().any(|r| r == rule),
        "no {rule} at {step:?}; hops: {}",
        dump()
    );
}

/// Asserts a blocked-style verdict decided at `step` by `rule`.
#[track_caller]
pub fn expect_decided(trace: &Trace, verdict: Verdict, step: Step, rule: &str) {
    expect(trace, verdict, step, rule);
    let decided = trace.decided_by.as_ref().expect("a deciding hop");
    assert_eq!(decided.step, step, "deciding step; reason {}", trace.reason);
    assert_eq!(decided.rule.as_ref().map(|r| r.name.as_str()), Some(rule));
}

/// An NSG rule; `[source, destination, destination ports]` as written in Azure.
pub fn nsg_rule(
    name: &str,
    priority: u32,
    direction: &str,
    access: &str,
    protocol: &str,
    [source, destination, ports]: [&str; 3],
) -> Value {
    json!({"name": name, "priority": priority, "direction": direction, "access": access, "protocol": protocol,
           "source": [source], "destination": [destination], "destination_ports": [ports]})
}

/// Asserts the verdict and that the deciding hop happened at `step` (hops without a rule).
#[track_caller]
pub fn expect_stopped_at(trace: &Trace, verdict: Verdict, step: Step) {
    assert_eq!(trace.verdict, verdict, "verdict; reason: {}", trace.reason);
    assert_eq!(
        trace.decided_by.as_ref().map(|h| h.step),
        Some(step),
        "deciding step; reason: {}",
        trace.reason
    );
}
