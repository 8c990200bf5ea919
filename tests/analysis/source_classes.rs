//! Alike exfiltration sources searched once (`analysis::source_classes`, issue #16): the grouped
//! search reports exactly what searching every source on its own reports — findings, traces,
//! undetermined paths and the fixes requested — on every built-in scenario, test design and a
//! generated hub-spoke design with VMs, each also crowded with copies of its computes, and a compute that an address or a name singles out
//! is searched on its own.

use std::net::Ipv4Addr;

use serde_json::{json, Value};
use vnetlab::analysis::exfil::{search_sources, SourceGrouping};
use vnetlab::analysis::fix_verification::FixEvaluator;
use vnetlab::analysis::source_classes::{source_roles, SourceRole};
use vnetlab::analysis::{ports, required, scenarios, synthetic};
use vnetlab::engine::Engine;
use vnetlab::model::{ComputeKind, Design};

use super::support::{design, scenario_json};

/// The exfiltration report and the fixes it requests, as text to compare.
fn search_report(design: &Design, grouping: SourceGrouping) -> String {
    let classes = ports::port_classes(&[design]);
    let engine = Engine::without_diagnostics(synthetic::prepare(design).design);
    let required = required::evaluate(&engine);
    let mut fixes = FixEvaluator::new(&required);
    let report = search_sources(&engine, &classes, &mut fixes, grouping);
    format!("{report:#?}\n{:#?}", fixes.into_requests())
}

/// How many sources of `design` are alike to an earlier one.
fn alike_count(design: &Design) -> usize {
    let engine = Engine::without_diagnostics(synthetic::prepare(design).design);
    let prepared = engine.design();
    let sources: Vec<_> = prepared
        .computes
        .iter()
        .filter(|c| c.kind != ComputeKind::NetworkVirtualAppliance)
        .filter(|c| c.nic.is_some() || c.workspace.is_some())
        .collect();
    source_roles(&engine, &sources, None)
        .into_iter()
        .filter(|role| matches!(role, SourceRole::AlikeTo(_)))
        .count()
}

/// `design` with three copies of each of its computes with a NIC (but appliances): same NIC,
/// no public IP, each at an address of the subnet that the design does not write anywhere.
fn crowded(mut design: Value) -> Value {
    let text = design.to_string();
    let computes = design["computes"].as_array().cloned().unwrap_or_default();
    let mut taken: Vec<Ipv4Addr> = Vec::new();
    for compute in computes {
        if compute["kind"] == "network_virtual_appliance" || compute["nic"].is_null() {
            continue;
        }
        let own: Ipv4Addr = compute["nic"]["private_ip"]
            .as_str()
            .and_then(|a| a.parse().ok())
            .expect("a NIC has a private address");
        let free = (1..=200u32)
            .map(|step| Ipv4Addr::from(u32::from(own) + step))
            .filter(|a| !text.contains(&format!("\"{a}\"")) && !taken.contains(a))
            .take(3)
            .collect::<Vec<_>>();
        for (copy, address) in free.into_iter().enumerate() {
            let mut twin = compute.clone();
            twin["name"] = json!(format!("{}-twin{copy}", compute["name"].as_str().unwrap()));
            twin["nic"]["private_ip"] = json!(address.to_string());
            twin["nic"]
                .as_object_mut()
                .expect("a NIC is an object")
                .remove("public_ip");
            taken.push(address);
            design["computes"]
                .as_array_mut()
                .expect("computes")
                .push(twin);
        }
    }
    design
}

fn test_designs() -> Vec<(String, Value)> {
    let scenarios = scenarios::all().into_iter().map(|s| {
        let value: Value = serde_json::from_str(s.json).expect("scenario parses");
        (s.name.to_string(), value)
    });
    let files = ["load-balancers.json", "workshop.json"].map(|file| {
        let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("test design is readable");
        (
            file.to_string(),
            serde_json::from_str(&text).expect("test design parses"),
        )
    });
    let generated = (
        "hub-spoke-12 with 8 VMs per workspace subnet".to_string(),
        super::hub_spoke::hub_spoke_with_vms(12, 8),
    );
    scenarios.chain(files).chain([generated]).collect()
}

#[test]
fn alike_sources_searched_once_report_what_each_searched_on_its_own_reports() {
    let mut alike = 0;
    for (name, value) in test_designs() {
        for value in [value.clone(), crowded(value)] {
            let design = design(&value);
            assert_eq!(
                search_report(&design, SourceGrouping::Alike),
                search_report(&design, SourceGrouping::EachOnItsOwn),
                "{name}: the grouped search differs"
            );
            alike += alike_count(&design);
        }
    }
    // Each crowded design has alike copies: the grouping was exercised, not bypassed.
    assert!(
        alike >= 2 * test_designs().len(),
        "only {alike} alike sources"
    );
}

/// dlp-sep-nsg with six VMs in the training subnet: 10.0.1.11 denied by its own rule, the
/// pair 10.0.1.12/31 by another, the VM at 10.0.1.15 in an ASG, the one at 10.0.1.16 a load
/// balancer's backend.
fn singled_out_design() -> Value {
    let mut value = scenario_json("dlp-sep-nsg");
    for (index, last) in (10..=16).enumerate() {
        let mut nic =
            json!({"subnet": "aml-vnet/training", "private_ip": format!("10.0.1.{last}")});
        if last == 15 {
            nic["asgs"] = json!(["analysts"]);
        }
        value["computes"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": format!("vm-{index}"), "kind": "virtual_machine", "nic": nic}));
    }
    value["application_security_groups"] = json!(["analysts"]);
    let rules = value["network_security_groups"][0]["rules"]
        .as_array_mut()
        .unwrap();
    for (name, priority, source) in [
        ("DenyOneVm", 120, "10.0.1.11"),
        ("DenyTwoVms", 130, "10.0.1.12/31"),
    ] {
        rules.push(
            json!({"name": name, "priority": priority, "direction": "Outbound", "access": "Deny",
            "protocol": "*", "source": [source], "destination": ["*"], "destination_ports": ["*"]}),
        );
    }
    value["load_balancers"] = json!([{"name": "plb", "frontends": [{"name": "pip", "public_ip": "52.0.0.9"}],
        "backend_pools": [{"name": "pool", "members": ["vm-6"]}],
        "outbound_rules": [{"name": "egress", "frontends": ["pip"], "backend_pool": "pool", "protocol": "All"}]}]);
    value
}

#[test]
fn a_compute_an_address_or_a_name_singles_out_is_searched_on_its_own() {
    let design = design(&singled_out_design());
    let engine = Engine::without_diagnostics(synthetic::prepare(&design).design);
    let vms: Vec<_> = engine
        .design()
        .computes
        .iter()
        .filter(|c| c.name.starts_with("vm-"))
        .collect();
    let roles = source_roles(&engine, &vms, None);
    use SourceRole::{AlikeTo, Searched};
    assert_eq!(
        roles,
        [
            // 10.0.1.10, alike to 10.0.1.14 (position 4)
            Searched { shared: true },
            // 10.0.1.11: its own deny rule
            Searched { shared: false },
            // 10.0.1.12/31: the pair
            Searched { shared: true },
            AlikeTo(2),
            AlikeTo(0),
            // the ASG member and the load balancer's backend
            Searched { shared: false },
            Searched { shared: false },
        ],
        "{roles:?}"
    );
    assert_eq!(
        search_report(&design, SourceGrouping::Alike),
        search_report(&design, SourceGrouping::EachOnItsOwn)
    );
}
