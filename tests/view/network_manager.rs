//! The Virtual Network Manager editor through the reducer: network groups, security admin rule
//! collections and admin rules added, edited and removed as undoable steps, the traced verdicts
//! following (Microsoft Learn, "Security admin rules in Azure Virtual Network Manager",
//! learn.microsoft.com/azure/virtual-network-manager/concept-security-admins: admin rules run
//! before NSGs, priorities 1-4096; Deny drops, AlwaysAllow skips the NSGs, Allow lets them
//! decide), and bad input answered with a message naming the field, or a refusal that leaves
//! the design alone.

use serde_json::json;
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget, Step, Trace, Verdict};
use vnetlab::model::{AdminAccess, Design, Protocol};
use vnetlab::view::edit::Edit;

use super::{assert_refused, fields};
use vnetlab::view::forms::{AdminCollectionDraft, AdminRuleDraft, NetworkGroupDraft};
use vnetlab::view::network_manager_edit::{admin_rules_in_order, NetworkManagerEdit};
use vnetlab::view::state::{apply, Action, AppState};

/// VNets `hub` and `spoke`; `web` in hub and `db` in spoke (peered), `db`'s subnet NSG denying
/// inbound 443.
fn state() -> AppState {
    let design: Design = serde_json::from_value(json!({
        "schema_version": 1, "name": "admin rules editor",
        "virtual_networks": [
            {"name": "hub", "region": "eastus", "address_space": ["10.0.0.0/16"],
             "subnets": [{"name": "web", "prefix": "10.0.1.0/24"}]},
            {"name": "spoke", "region": "eastus", "address_space": ["10.1.0.0/16"],
             "subnets": [{"name": "db", "prefix": "10.1.1.0/24", "nsg": "nsg-db"}]}
        ],
        "peerings": [
            {"name": "h-s", "local_vnet": "hub", "remote_vnet": "spoke"},
            {"name": "s-h", "local_vnet": "spoke", "remote_vnet": "hub"}
        ],
        "network_security_groups": [{"name": "nsg-db", "rules": [
            {"name": "deny-443", "priority": 100, "direction": "Inbound", "access": "Deny", "protocol": "Tcp",
             "source": ["*"], "destination": ["*"], "destination_ports": ["443"]}
        ]}],
        "computes": [
            {"name": "web", "kind": "virtual_machine", "nic": {"subnet": "hub/web", "private_ip": "10.0.1.4"}},
            {"name": "db", "kind": "virtual_machine", "nic": {"subnet": "spoke/db", "private_ip": "10.1.1.4"}}
        ]
    }))
    .expect("test design");
    AppState::new(design, "", false)
}

fn edit(state: AppState, edit: NetworkManagerEdit) -> AppState {
    apply(state, Action::Edit(Edit::NetworkManager(edit)))
}

fn web_to_db(state: &AppState, port: u16) -> Trace {
    Engine::new(&state.design)
        .trace(&Flow::new(
            FlowSource::Element("web".into()),
            FlowTarget::Element("db".into()),
            Protocol::Tcp,
            Some(port),
        ))
        .expect("the flow resolves")
}

/// A manager `avnm` with group `spokes` (the spoke VNet) and an empty collection `baseline`
/// applying to it.
fn managed() -> AppState {
    let state = edit(state(), NetworkManagerEdit::AddNetworkManager);
    assert_eq!(state.design.network_managers[0].name, "avnm");
    let group = NetworkGroupDraft {
        name: "spokes".into(),
        vnets: "spoke".into(),
    }
    .parse(&state.design)
    .expect("the group parses");
    let state = edit(
        state,
        NetworkManagerEdit::SetNetworkGroup {
            manager: "avnm".into(),
            index: None,
            group,
        },
    );
    let header = AdminCollectionDraft::of("baseline", &["spokes".to_string()])
        .parse(&state.design.network_managers[0])
        .expect("the collection parses");
    edit(
        state,
        NetworkManagerEdit::SetAdminCollection {
            manager: "avnm".into(),
            index: None,
            header,
        },
    )
}

fn set_rule(state: AppState, index: Option<usize>, draft: AdminRuleDraft) -> AppState {
    let rule = draft.parse().expect("the rule parses");
    edit(
        state,
        NetworkManagerEdit::SetAdminRule {
            manager: "avnm".into(),
            collection: 0,
            index,
            rule,
        },
    )
}

fn always_allow_443() -> AdminRuleDraft {
    AdminRuleDraft {
        name: "always-443".into(),
        access: "AlwaysAllow".into(),
        destination_ports: "443".into(),
        ..AdminRuleDraft::new_rule(100)
    }
}

#[test]
fn an_always_allow_rule_skips_the_nsg_and_a_deny_rule_drops_what_the_nsg_allows() {
    let before = state();
    let nsg = web_to_db(&before, 443);
    assert_eq!(nsg.verdict, Verdict::Blocked);
    assert_eq!(nsg.deciding_rule(), Some("deny-443"));
    assert_eq!(web_to_db(&before, 22).verdict, Verdict::Allowed);

    let state = managed();
    assert_eq!(state.error, None);
    let state = set_rule(state, None, always_allow_443());
    let rule = &state.design.network_managers[0].admin_rule_collections[0].rules[0];
    assert_eq!(rule.access, AdminAccess::AlwaysAllow);
    let allowed = web_to_db(&state, 443);
    assert_eq!(allowed.verdict, Verdict::Allowed, "{}", allowed.reason);
    assert_eq!(
        (
            allowed.decided_by.as_ref().map(|h| h.step),
            allowed.deciding_rule()
        ),
        (Some(Step::AdminRule), Some("always-443"))
    );

    // Allow: the NSG decides again.
    let state = set_rule(
        state,
        Some(0),
        AdminRuleDraft {
            access: "Allow".into(),
            ..always_allow_443()
        },
    );
    assert_eq!(web_to_db(&state, 443).deciding_rule(), Some("deny-443"));

    // The default new rule denies SSH and RDP: 22 is dropped by the admin rule.
    let state = set_rule(state, None, AdminRuleDraft::new_rule(200));
    let ssh = web_to_db(&state, 22);
    assert_eq!(
        (ssh.verdict, ssh.deciding_rule()),
        (Verdict::Blocked, Some("deny-ssh-rdp"))
    );

    // Undo takes back the last rule only.
    let undone = apply(state, Action::Undo);
    assert_eq!(web_to_db(&undone, 22).verdict, Verdict::Allowed);
    assert_eq!(
        undone.design.network_managers[0].admin_rule_collections[0]
            .rules
            .len(),
        1
    );
}

#[test]
fn a_group_without_the_destination_vnet_leaves_its_traffic_to_the_nsg() {
    let state = set_rule(managed(), None, always_allow_443());
    assert_eq!(web_to_db(&state, 443).verdict, Verdict::Allowed);
    let group = NetworkGroupDraft {
        name: "spokes".into(),
        vnets: "hub".into(),
    }
    .parse(&state.design)
    .expect("parses");
    let state = edit(
        state,
        NetworkManagerEdit::SetNetworkGroup {
            manager: "avnm".into(),
            index: Some(0),
            group,
        },
    );
    let trace = web_to_db(&state, 443);
    assert_eq!(
        (trace.verdict, trace.deciding_rule()),
        (Verdict::Blocked, Some("deny-443")),
        "an inbound admin rule applies at the destination's VNet only"
    );
}

#[test]
fn a_renamed_group_is_followed_by_its_collections_and_a_used_group_is_not_removed() {
    let state = managed();
    let renamed = NetworkGroupDraft {
        name: "all-spokes".into(),
        vnets: "spoke".into(),
    }
    .parse(&state.design)
    .expect("parses");
    let state = edit(
        state,
        NetworkManagerEdit::SetNetworkGroup {
            manager: "avnm".into(),
            index: Some(0),
            group: renamed,
        },
    );
    assert_eq!(state.error, None);
    assert_eq!(
        state.design.network_managers[0].admin_rule_collections[0].network_groups,
        ["all-spokes"]
    );
    let state = assert_refused(
        state,
        NetworkManagerEdit::RemoveNetworkGroup {
            manager: "avnm".into(),
            index: 0,
        },
        "refers to network group `all-spokes`",
    );
    let state = apply(state, Action::DismissError);
    let state = edit(
        state,
        NetworkManagerEdit::RemoveAdminCollection {
            manager: "avnm".into(),
            index: 0,
        },
    );
    let state = edit(
        state,
        NetworkManagerEdit::RemoveNetworkGroup {
            manager: "avnm".into(),
            index: 0,
        },
    );
    assert!(state.design.network_managers[0].network_groups.is_empty());
    let state = edit(
        state,
        NetworkManagerEdit::RemoveNetworkManager {
            manager: "avnm".into(),
        },
    );
    assert!(state.design.network_managers.is_empty());
    assert_eq!(state.error, None);
}

#[test]
fn a_priority_used_twice_and_duplicate_names_are_refused() {
    let state = set_rule(managed(), None, always_allow_443());
    let design = state.design.clone();
    let clash = AdminRuleDraft {
        name: "other".into(),
        ..always_allow_443()
    }
    .parse()
    .expect("parses");
    let state = assert_refused(
        state,
        NetworkManagerEdit::SetAdminRule {
            manager: "avnm".into(),
            collection: 0,
            index: None,
            rule: clash,
        },
        "priority 100 is already used by another Inbound rule of `baseline`",
    );
    let twin = AdminRuleDraft {
        priority: "300".into(),
        ..always_allow_443()
    }
    .parse()
    .expect("parses");
    let state = assert_refused(
        state,
        NetworkManagerEdit::SetAdminRule {
            manager: "avnm".into(),
            collection: 0,
            index: None,
            rule: twin,
        },
        "a rule named always-443 already exists",
    );
    let header = AdminCollectionDraft::of("baseline", &["spokes".to_string()])
        .parse(&state.design.network_managers[0])
        .expect("parses");
    let state = assert_refused(
        state,
        NetworkManagerEdit::SetAdminCollection {
            manager: "avnm".into(),
            index: None,
            header,
        },
        "a rule collection named baseline already exists",
    );
    assert_eq!(state.design, design);
}

#[test]
fn bad_drafts_name_the_field() {
    let rule = AdminRuleDraft {
        name: String::new(),
        priority: "0".into(),
        direction: "Sideways".into(),
        access: "Maybe".into(),
        protocol: "gre".into(),
        source: "10.0.0.0/33".into(),
        source_ports: String::new(),
        destination: String::new(),
        destination_ports: "70000".into(),
    };
    let errors = fields(rule.parse().expect_err("every field is bad"));
    let named: Vec<&str> = errors.iter().map(|(field, _)| *field).collect();
    assert_eq!(
        named,
        [
            "name",
            "priority",
            "direction",
            "access",
            "protocol",
            "source",
            "destination",
            "source_ports",
            "destination_ports"
        ]
    );
    let message = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    };
    assert_eq!(message("priority"), "priority is a number from 1 to 4096");
    assert_eq!(
        message("access"),
        "the action is Allow, AlwaysAllow or Deny"
    );
    assert_eq!(
        message("destination"),
        "give at least one address, prefix or service tag (`*` for any)"
    );
    assert_eq!(
        message("source_ports"),
        "give at least one port or range (`*` for all)"
    );
    assert!(message("destination_ports").contains("70000"), "{errors:?}");

    let state = managed();
    let group = NetworkGroupDraft {
        name: "g".into(),
        vnets: "spoke, nowhere".into(),
    };
    assert_eq!(
        fields(group.parse(&state.design).expect_err("unknown VNet")),
        [("vnets", "`nowhere` is not a VNet of the design".to_string())]
    );
    let empty = NetworkGroupDraft {
        name: "g".into(),
        vnets: String::new(),
    };
    assert_eq!(
        fields(empty.parse(&state.design).expect_err("no member")),
        [(
            "vnets",
            "a network group needs at least one member VNet".to_string()
        )]
    );
    let collection = AdminCollectionDraft::of("c", &["nope".to_string()]);
    assert_eq!(
        fields(
            collection
                .parse(&state.design.network_managers[0])
                .expect_err("unknown group")
        ),
        [(
            "network_groups",
            "`nope` is not a network group of avnm".to_string()
        )]
    );
    // A draft round-trips through its rule.
    let parsed = always_allow_443().parse().expect("parses");
    assert_eq!(AdminRuleDraft::of(&parsed).parse(), Ok(parsed));
}

#[test]
fn rules_are_listed_inbound_then_outbound_by_priority_with_their_design_index() {
    let rule = |name: &str, priority: &str, direction: &str| {
        AdminRuleDraft {
            name: name.into(),
            priority: priority.into(),
            direction: direction.into(),
            ..AdminRuleDraft::new_rule(1)
        }
        .parse()
        .expect("parses")
    };
    let rules = [
        rule("out-10", "10", "Outbound"),
        rule("in-300", "300", "Inbound"),
        rule("in-20", "20", "Inbound"),
        rule("out-5", "5", "Outbound"),
    ];
    let listed: Vec<(usize, &str)> = admin_rules_in_order(&rules)
        .into_iter()
        .map(|(index, r)| (index, r.name.as_str()))
        .collect();
    assert_eq!(
        listed,
        [(2, "in-20"), (1, "in-300"), (3, "out-5"), (0, "out-10")]
    );
}
