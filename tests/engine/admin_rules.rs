//! Azure Virtual Network Manager security admin rules. Microsoft Learn, "Security admin rules in
//! Azure Virtual Network Manager" (learn.microsoft.com/azure/virtual-network-manager/concept-security-admins):
//! admin rules are evaluated before NSG rules; Allow continues to the NSGs, Always Allow skips
//! them, Deny drops the traffic; the lowest priority number wins; rules apply to the VNets of
//! the network groups their collection targets.

use serde_json::{json, Value};
use vnetlab::engine::{Step, Verdict};

use super::hub_spoke::diagnostics_at;
use super::support::{base, engine, expect_decided, nsg_rule, push, set, tcp};
use vnetlab::model::Severity;

fn admin_rule(name: &str, priority: u32, direction: &str, access: &str, ports: &str) -> Value {
    json!({"name": name, "priority": priority, "direction": direction, "access": access,
           "protocol": "Tcp", "destination_ports": [ports]})
}

/// The base design with a network manager whose collection targets `group_vnets` (the group
/// `spokes`) with `rules`.
fn managed_by(group_vnets: Value, rules: Value) -> Value {
    let mut design = base();
    set(
        &mut design,
        "/network_managers",
        json!([{"name": "avnm", "network_groups": [{"name": "spokes", "vnets": group_vnets}],
                "admin_rule_collections": [{"name": "baseline", "network_groups": ["spokes"], "rules": rules}]}]),
    );
    design
}

#[test]
fn admin_rules_run_before_nsgs_concept_security_admins() {
    let nsg_denies_443 = json!([nsg_rule(
        "deny-443-out",
        100,
        "Outbound",
        "Deny",
        "Tcp",
        ["*", "*", "443"]
    )]);
    // (admin rules, NSG rules, verdict, deciding step, deciding rule)
    let cases = [
        (
            json!([admin_rule("deny-443", 10, "Outbound", "Deny", "443")]),
            json!([]),
            Verdict::Blocked,
            Step::AdminRule,
            "deny-443",
        ),
        (
            json!([admin_rule("allow-443", 10, "Outbound", "Allow", "443")]),
            nsg_denies_443.clone(),
            Verdict::Blocked,
            Step::NsgOutbound,
            "deny-443-out",
        ),
        (
            json!([admin_rule(
                "always-443",
                10,
                "Outbound",
                "AlwaysAllow",
                "443"
            )]),
            nsg_denies_443.clone(),
            Verdict::Allowed,
            Step::AdminRule,
            "always-443",
        ),
        (
            json!([
                admin_rule("always-443", 20, "Outbound", "AlwaysAllow", "443"),
                admin_rule("deny-443", 10, "Outbound", "Deny", "443")
            ]),
            json!([]),
            Verdict::Blocked,
            Step::AdminRule,
            "deny-443",
        ),
        (
            json!([admin_rule("deny-22", 10, "Outbound", "Deny", "22")]),
            nsg_denies_443,
            Verdict::Blocked,
            Step::NsgOutbound,
            "deny-443-out",
        ),
    ];
    for (rules, nsg_rules, verdict, step, rule) in cases {
        let mut design = managed_by(json!(["vnet"]), rules);
        set(&mut design, "/network_security_groups/0/rules", nsg_rules);
        let trace = tcp(&engine(&design), "ci", "internet-host", 443);
        if verdict == Verdict::Allowed {
            assert_eq!(trace.verdict, verdict, "{rule}: {}", trace.reason);
            assert!(
                !trace.hops.iter().any(|h| h.step == Step::NsgOutbound),
                "{rule}: the NSGs are skipped"
            );
            let decided = trace.decided_by.as_ref().expect("a deciding hop");
            assert_eq!(decided.rule.as_ref().map(|r| r.name.as_str()), Some(rule));
        } else {
            expect_decided(&trace, verdict, step, rule);
        }
    }
}

#[test]
fn admin_rules_apply_inbound_and_only_to_their_network_groups_concept_security_admins() {
    let deny_in = json!([admin_rule("deny-ssh-in", 5, "Inbound", "Deny", "22")]);
    let mut design = managed_by(json!(["vnet"]), deny_in.clone());
    set(
        &mut design,
        "/network_security_groups/0/rules",
        json!([nsg_rule(
            "ssh",
            100,
            "Inbound",
            "Allow",
            "Tcp",
            ["*", "*", "22"]
        )]),
    );
    expect_decided(
        &tcp(&engine(&design), "ci", "vm2", 22),
        Verdict::Blocked,
        Step::AdminRule,
        "deny-ssh-in",
    );
    // A group without the VNet leaves it to the NSGs.
    let mut other = managed_by(json!([]), deny_in);
    set(
        &mut other,
        "/network_security_groups/0/rules",
        json!([nsg_rule(
            "ssh",
            100,
            "Inbound",
            "Allow",
            "Tcp",
            ["*", "*", "22"]
        )]),
    );
    let trace = tcp(&engine(&other), "ci", "vm2", 22);
    assert_eq!(trace.verdict, Verdict::Allowed, "{}", trace.reason);
    assert!(!trace.hops.iter().any(|h| h.step == Step::AdminRule));
}

#[test]
fn admin_rule_validation_concept_security_admins() {
    let cases = [
        (json!(["vnet"]), "spokes", 10, None),
        (
            json!(["nowhere"]),
            "spokes",
            10,
            Some((
                "$.network_managers[0].network_groups[0].vnets[0]",
                "not in the design",
            )),
        ),
        (
            json!(["vnet"]),
            "missing",
            10,
            Some((
                "$.network_managers[0].admin_rule_collections[0].network_groups[0]",
                "not in the design",
            )),
        ),
        (
            json!(["vnet"]),
            "spokes",
            5000,
            Some((
                "$.network_managers[0].admin_rule_collections[0].rules[0].priority",
                "outside 1-4096",
            )),
        ),
    ];
    for (vnets, group, priority, expected) in cases {
        let mut design = managed_by(
            vnets,
            json!([admin_rule("r", priority, "Outbound", "Deny", "443")]),
        );
        set(
            &mut design,
            "/network_managers/0/admin_rule_collections/0/network_groups",
            json!([group]),
        );
        for path in [
            "$.network_managers[0].network_groups[0].vnets[0]",
            "$.network_managers[0].admin_rule_collections[0].network_groups[0]",
            "$.network_managers[0].admin_rule_collections[0].rules[0].priority",
        ] {
            let found = diagnostics_at(&design, path);
            let wanted = expected.filter(|(p, _)| *p == path);
            match wanted {
                Some((_, words)) => assert!(
                    found
                        .iter()
                        .any(|(s, m)| *s == Severity::Error && m.contains(words)),
                    "{path}: {found:?}"
                ),
                None => assert!(found.is_empty(), "{path}: {found:?}"),
            }
        }
    }
}

/// Names are unique where Azure keys them: managers, a manager's network groups and rule
/// collections, a collection's rules (each an ARM child resource named under its parent). A
/// design repeating one is an error at the second name, as an editor refuses it.
#[test]
fn admin_rule_names_are_unique_where_azure_keys_them_concept_security_admins() {
    // (JSON pointer, value set there or appended to the array there, path of the error)
    let duplicated = |pointer: &str, value: Value, path: &str| {
        let mut design = managed_by(
            json!(["vnet"]),
            json!([
                admin_rule("a", 10, "Outbound", "Deny", "443"),
                admin_rule("b", 20, "Outbound", "Deny", "80")
            ]),
        );
        if design.pointer(pointer).is_some_and(Value::is_array) {
            push(&mut design, pointer, value);
        } else {
            set(&mut design, pointer, value);
        }
        (design, path.to_string())
    };
    let cases = [
        duplicated(
            "/network_managers/0/admin_rule_collections/0/rules/1/name",
            json!("a"),
            "$.network_managers[0].admin_rule_collections[0].rules[1].name",
        ),
        duplicated(
            "/network_managers/0/network_groups",
            json!({"name": "spokes", "vnets": []}),
            "$.network_managers[0].network_groups[1].name",
        ),
        duplicated(
            "/network_managers/0/admin_rule_collections",
            json!({"name": "baseline", "network_groups": ["spokes"], "rules": []}),
            "$.network_managers[0].admin_rule_collections[1].name",
        ),
        duplicated(
            "/network_managers",
            json!({"name": "avnm"}),
            "$.network_managers[1].name",
        ),
    ];
    for (design, path) in cases {
        let found = diagnostics_at(&design, &path);
        assert!(
            found
                .iter()
                .any(|(s, m)| *s == Severity::Error && m.contains("duplicate name")),
            "{path}: {found:?}"
        );
    }
    let unique = managed_by(
        json!(["vnet"]),
        json!([admin_rule("a", 10, "Outbound", "Deny", "443")]),
    );
    assert!(diagnostics_at(
        &unique,
        "$.network_managers[0].admin_rule_collections[0].rules[0].name"
    )
    .is_empty());
}

/// The same rules at an address without a modelled NIC (inbound) and at a network virtual
/// appliance forwarding spoke traffic (its VNet's outbound rules).
#[test]
fn admin_rules_at_subnet_addresses_and_appliances_concept_security_admins() {
    let design = managed_by(
        json!(["vnet"]),
        json!([admin_rule("deny-ssh-in", 5, "Inbound", "Deny", "22")]),
    );
    expect_decided(
        &tcp(&engine(&design), "ci", "10.0.1.77", 22),
        Verdict::Blocked,
        Step::AdminRule,
        "deny-ssh-in",
    );
    let mut hub = super::hub_spoke::hub_spoke("10.1.1.4");
    set(
        &mut hub,
        "/peerings",
        json!([{"name": "s-h", "local_vnet": "vnet", "remote_vnet": "hub", "allow_forwarded_traffic": true},
               {"name": "h-s", "local_vnet": "hub", "remote_vnet": "vnet", "allow_forwarded_traffic": true}]),
    );
    let open = tcp(&engine(&hub), "ci", "internet-host", 443);
    assert_eq!(open.verdict, Verdict::Allowed, "{}", open.reason);
    set(
        &mut hub,
        "/network_managers",
        json!([{"name": "avnm", "network_groups": [{"name": "hubs", "vnets": ["hub"]}],
                "admin_rule_collections": [{"name": "egress", "network_groups": ["hubs"],
                    "rules": [admin_rule("no-web-egress", 10, "Outbound", "Deny", "443")]}]}]),
    );
    expect_decided(
        &tcp(&engine(&hub), "ci", "internet-host", 443),
        Verdict::Blocked,
        Step::AdminRule,
        "no-web-egress",
    );
}
