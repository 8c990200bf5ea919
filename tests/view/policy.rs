//! The policy editors through the reducer: routes (and attaching tables), firewall collections
//! and rules, SEP definitions (and attaching policies), resource firewalls and the semantics
//! options. Each edit changes the design as intended, is undoable, and an invalid one gives
//! its message without touching the design.

use std::collections::BTreeMap;

use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget, Step, Trace, Verdict};
use vnetlab::model::Protocol;
use vnetlab::model::{
    Access, AddressMatch, NextHopType, PublicNetworkAccess, RuleCollection, StorageEndpointScope,
    OPTION_INFO,
};
use vnetlab::view::edit::Edit;
use vnetlab::view::forms::{
    AclDraft, CollectionDraft, FirewallRule, FirewallRuleDraft, NatRuleDraft, RouteDraft,
    SepDefinitionDraft,
};
use vnetlab::view::options::{option_rows, OptionControl};
use vnetlab::view::policy_edit::{nat_destination_warning, CollectionRef, PolicyEdit, RuleOwner};
use vnetlab::view::state::{apply, Action, AppState};

use crate::{preset, DLP};

fn workshop() -> AppState {
    AppState::new(preset("workshop"), "workshop", false)
}

fn edit(state: AppState, edit: PolicyEdit) -> AppState {
    apply(state, Action::Edit(Edit::Policy(edit)))
}

fn verdicts(state: &AppState) -> BTreeMap<String, String> {
    state
        .evaluation
        .results
        .iter()
        .map(|r| (r.question.id.clone(), r.trace.verdict.to_string()))
        .collect()
}

/// Applies `edit` and asserts it was refused with a message, the design unchanged.
fn assert_refused(state: AppState, change: PolicyEdit, needle: &str) {
    let design = state.design.clone();
    let after = edit(state, change);
    assert_eq!(after.design, design, "the design is not changed");
    let error = after.error.expect("the refusal is explained");
    assert!(error.contains(needle), "{error}");
}

#[test]
fn routes_are_added_edited_removed_and_tables_attached_with_undo() {
    let state = workshop();
    let route = RouteDraft {
        name: "storage-direct".into(),
        prefix: "Storage".into(),
        next_hop_type: "Internet".into(),
        next_hop_ip: String::new(),
    }
    .parse()
    .unwrap();
    let state = edit(
        state,
        PolicyEdit::SetRoute {
            table: "rt".into(),
            index: None,
            route: route.clone(),
        },
    );
    assert_eq!(state.error, None);
    assert_eq!(state.design.route_tables[0].routes[2], route);
    assert_eq!(
        state.design.route_tables[0].routes[2].address_prefix,
        AddressMatch::Tag("Storage".into())
    );
    let state = edit(
        state,
        PolicyEdit::RemoveRoute {
            table: "rt".into(),
            index: 2,
        },
    );
    assert_eq!(state.design.route_tables[0].routes.len(), 2);

    let state = edit(state, PolicyEdit::AddRouteTable);
    assert_eq!(state.design.route_tables[1].name, "rt-1");
    let state = edit(
        state,
        PolicyEdit::AttachRouteTable {
            subnet: "vnet/pe".into(),
            table: Some("rt-1".into()),
        },
    );
    let pe = &state.design.virtual_networks[0].subnets[1];
    assert_eq!(pe.route_table.as_deref(), Some("rt-1"));
    let state = apply(state, Action::Undo);
    assert_eq!(
        state.design.virtual_networks[0].subnets[1].route_table,
        None
    );

    // Detaching the 0/0 route table from the training subnet changes verdicts.
    let before = verdicts(&state);
    let detached = edit(
        state,
        PolicyEdit::AttachRouteTable {
            subnet: "vnet/training".into(),
            table: None,
        },
    );
    assert_ne!(verdicts(&detached), before);
}

#[test]
fn invalid_routes_name_the_field_and_never_reach_the_design() {
    let draft = RouteDraft {
        name: " ".into(),
        prefix: "*".into(),
        next_hop_type: "Teleport".into(),
        next_hop_ip: "10.0.0.999".into(),
    };
    let fields: Vec<_> = draft
        .parse()
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["name", "prefix", "next_hop_type"]);
    let missing_ip = RouteDraft {
        next_hop_type: "VirtualAppliance".into(),
        next_hop_ip: String::new(),
        ..RouteDraft::new_route(&preset("workshop"))
    };
    assert_eq!(missing_ip.parse().unwrap_err()[0].field, "next_hop_ip");
    let ip_for_internet = RouteDraft {
        next_hop_type: "Internet".into(),
        next_hop_ip: "10.0.3.4".into(),
        ..RouteDraft::default()
    };
    assert!(ip_for_internet
        .parse()
        .unwrap_err()
        .iter()
        .any(|e| e.field == "next_hop_ip"));

    // A duplicate prefix parses but model::validate refuses it: the design is kept.
    let duplicate = RouteDraft {
        name: "again".into(),
        prefix: "0.0.0.0/0".into(),
        next_hop_type: "Internet".into(),
        next_hop_ip: String::new(),
    }
    .parse()
    .unwrap();
    assert_refused(
        workshop(),
        PolicyEdit::SetRoute {
            table: "rt".into(),
            index: None,
            route: duplicate,
        },
        "already has prefix 0.0.0.0/0",
    );
    assert_refused(
        workshop(),
        PolicyEdit::AttachRouteTable {
            subnet: "vnet/pe".into(),
            table: Some("nope".into()),
        },
        "no route table named nope",
    );
}

#[test]
fn the_service_endpoint_beats_udr_option_changes_verdicts() {
    let state = workshop();
    let storage_route = RouteDraft {
        name: "storage-to-fw".into(),
        prefix: "Storage".into(),
        next_hop_type: "VirtualAppliance".into(),
        next_hop_ip: "10.0.3.4".into(),
    }
    .parse()
    .unwrap();
    let state = edit(
        state,
        PolicyEdit::SetRoute {
            table: "rt".into(),
            index: None,
            route: storage_route,
        },
    );
    assert_eq!(state.error, None);
    let with_endpoint_winning = verdicts(&state);
    let state = edit(
        state,
        PolicyEdit::SetOption {
            key: "service_endpoint_beats_udr".into(),
            value: "false".into(),
        },
    );
    assert_eq!(state.error, None);
    assert!(!state.design.options.service_endpoint_beats_udr);
    assert_ne!(
        verdicts(&state),
        with_endpoint_winning,
        "with the UDR winning, storage traffic goes through the firewall"
    );
    let state = apply(state, Action::Undo);
    assert!(state.design.options.service_endpoint_beats_udr);
    assert_eq!(verdicts(&state), with_endpoint_winning);
}

#[test]
fn options_are_listed_and_set_by_type() {
    let state = workshop();
    let rows = option_rows(&state.design.options);
    let keys: Vec<_> = rows.iter().map(|r| r.info.key).collect();
    let all: Vec<_> = OPTION_INFO.iter().map(|i| i.key).collect();
    assert_eq!(keys, all);
    assert!(rows.iter().all(|r| !r.changed));
    let state = edit(
        state,
        PolicyEdit::SetOption {
            key: "storage_endpoint_scope".into(),
            value: "same_region_and_paired".into(),
        },
    );
    assert_eq!(
        state.design.options.storage_endpoint_scope,
        StorageEndpointScope::SameRegionAndPaired
    );
    let state = edit(
        state,
        PolicyEdit::SetOption {
            key: "max_rules_per_nsg".into(),
            value: "2".into(),
        },
    );
    assert_eq!(state.design.options.max_rules_per_nsg, 2);
    assert!(
        state
            .evaluation
            .diagnostics
            .iter()
            .any(|d| d.message.contains("limit")),
        "the lowered limit is reported: {:?}",
        state.evaluation.diagnostics
    );
    let rows = option_rows(&state.design.options);
    assert!(rows.iter().any(|r| r.changed
        && r.control
            == OptionControl::Choice {
                value: "same_region_and_paired".into(),
                choices: &vnetlab::view::options::STORAGE_ENDPOINT_SCOPES
            }));
    for (key, value, needle) in [
        ("storage_endpoint_scope", "everywhere", "not a value"),
        ("max_rules_per_nsg", "-3", "whole number"),
        ("legacy_batch_inbound", "maybe", "true or false"),
        ("no_such_option", "true", "no semantics option"),
    ] {
        assert_refused(
            state.clone(),
            PolicyEdit::SetOption {
                key: key.into(),
                value: value.into(),
            },
            needle,
        );
    }
}

#[test]
fn firewall_collections_and_rules_are_edited_in_classic_and_policy_form() {
    let state = workshop();
    let owner = RuleOwner::Firewall("fw".into());
    let app_collection = CollectionRef {
        owner: owner.clone(),
        index: 0,
    };
    let rule = FirewallRuleDraft {
        fqdns: "*.blob.core.windows.net".into(),
        ..FirewallRuleDraft::new_rule(true)
    }
    .parse(None)
    .unwrap();
    let state = edit(
        state,
        PolicyEdit::SetFirewallRule {
            at: app_collection.clone(),
            index: None,
            rule: rule.clone(),
        },
    );
    assert_eq!(state.error, None);
    let RuleCollection::Application { rules, .. } = &state.design.firewalls[0].rule_collections[0]
    else {
        panic!("an application collection")
    };
    assert_eq!(FirewallRule::Application(rules[1].clone()), rule);
    // A network rule does not go into an application collection.
    let network = FirewallRuleDraft::new_rule(false).parse(None).unwrap();
    assert_refused(
        state.clone(),
        PolicyEdit::SetFirewallRule {
            at: app_collection.clone(),
            index: None,
            rule: network.clone(),
        },
        "does not match",
    );
    let header = CollectionDraft::of("deny-all", 300, vnetlab::model::RuleAction::Deny)
        .parse()
        .unwrap();
    let state = edit(
        state,
        PolicyEdit::AddRuleCollection {
            owner: owner.clone(),
            application: false,
        },
    );
    let added = CollectionRef {
        owner: owner.clone(),
        index: 2,
    };
    assert_eq!(
        state.design.firewalls[0].rule_collections[2].name(),
        "network-rules"
    );
    let state = edit(
        state,
        PolicyEdit::SetCollectionHeader {
            at: added.clone(),
            header,
        },
    );
    let state = edit(
        state,
        PolicyEdit::SetFirewallRule {
            at: added.clone(),
            index: None,
            rule: network,
        },
    );
    let RuleCollection::Network {
        name,
        priority,
        action,
        rules,
    } = &state.design.firewalls[0].rule_collections[2]
    else {
        panic!("a network collection")
    };
    assert_eq!((name.as_str(), *priority), ("deny-all", 300));
    assert_eq!(*action, vnetlab::model::RuleAction::Deny);
    assert_eq!(rules.len(), 1);
    let state = edit(
        state,
        PolicyEdit::RemoveFirewallRule {
            at: added.clone(),
            index: 0,
        },
    );
    let state = edit(state, PolicyEdit::RemoveRuleCollection { at: added });
    assert_eq!(state.design.firewalls[0].rule_collections.len(), 2);

    // Removing the network rule that admits Entra ID changes verdicts; undo restores them.
    let before = verdicts(&state);
    let removed = edit(
        state,
        PolicyEdit::RemoveFirewallRule {
            at: CollectionRef {
                owner: RuleOwner::Firewall("fw".into()),
                index: 1,
            },
            index: 0,
        },
    );
    assert_ne!(verdicts(&removed), before);
    assert_eq!(verdicts(&apply(removed, Action::Undo)), before);

    // Firewall Policy rule collection groups.
    let state = AppState::new(preset("dlp-sep-firewall"), "dlp-sep-firewall", false);
    let policy = state.design.firewall_policies[0].name.clone();
    let groups = state.design.firewall_policies[0]
        .rule_collection_groups
        .len();
    let state = edit(
        state,
        PolicyEdit::AddRuleCollectionGroup {
            policy: policy.clone(),
        },
    );
    let owner = RuleOwner::PolicyGroup {
        policy: policy.clone(),
        group: groups,
    };
    let state = edit(
        state,
        PolicyEdit::AddRuleCollection {
            owner: owner.clone(),
            application: true,
        },
    );
    let state = edit(
        state,
        PolicyEdit::SetFirewallRule {
            at: CollectionRef { owner, index: 0 },
            index: None,
            rule,
        },
    );
    assert_eq!(state.error, None);
    let group = &state.design.firewall_policies[0].rule_collection_groups[groups];
    assert_eq!(group.rule_collections.len(), 1);
}

#[test]
fn firewall_rule_drafts_name_each_bad_field() {
    let bad_network = FirewallRuleDraft {
        protocols: "smtp".into(),
        destinations: String::new(),
        fqdns: "*.example.com".into(),
        destination_ports: "99999".into(),
        ..FirewallRuleDraft::new_rule(false)
    };
    let fields: Vec<_> = bad_network
        .parse(None)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["protocols", "fqdns", "destination_ports"]);
    let bad_application = FirewallRuleDraft {
        protocols: "ftp:21".into(),
        fqdns: String::new(),
        ..FirewallRuleDraft::new_rule(true)
    };
    let fields: Vec<_> = bad_application
        .parse(None)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["protocols", "fqdns"]);
    let bad_header = CollectionDraft {
        name: "c".into(),
        priority: "50".into(),
        action: "Dnat".into(),
    };
    assert_eq!(bad_header.parse().unwrap_err().len(), 2);
    let design = preset("workshop");
    let RuleCollection::Application { rules, .. } = &design.firewalls[0].rule_collections[0] else {
        panic!()
    };
    let existing = FirewallRule::Application(rules[0].clone());
    assert_eq!(
        FirewallRuleDraft::of(&existing)
            .parse(Some(&existing))
            .unwrap(),
        existing
    );
}

#[test]
fn sep_definitions_are_edited_and_policies_attached() {
    let state = AppState::new(preset(DLP), DLP, false);
    let policy = state.design.service_endpoint_policies[0].name.clone();
    let open_before = state.evaluation.open_exfiltration_paths();
    assert_eq!(open_before, 0);
    let definitions = state.design.service_endpoint_policies[0]
        .definitions
        .clone();
    // Replacing the definitions with a subscription-wide one lets attacker storage in.
    let wide = SepDefinitionDraft {
        name: "everything".into(),
        service: "Microsoft.Storage".into(),
        service_resources: "/subscriptions/evil".into(),
    }
    .parse()
    .unwrap();
    let mut state = state;
    for index in (0..definitions.len()).rev() {
        state = edit(
            state,
            PolicyEdit::RemoveSepDefinition {
                policy: policy.clone(),
                index,
            },
        );
    }
    let state = edit(
        state,
        PolicyEdit::SetSepDefinition {
            policy: policy.clone(),
            index: None,
            definition: wide,
        },
    );
    assert_eq!(state.error, None);
    assert_eq!(
        state.design.service_endpoint_policies[0].definitions.len(),
        1
    );
    let state = apply(state, Action::Undo);
    assert_eq!(
        state.design.service_endpoint_policies[0].definitions.len(),
        0
    );

    let bad = SepDefinitionDraft {
        name: "aliases".into(),
        service: "Global".into(),
        service_resources: "/subscriptions/x".into(),
    };
    assert_eq!(bad.parse().unwrap_err()[0].field, "service_resources");
    let bad = SepDefinitionDraft {
        service: "Microsoft.Sql".into(),
        ..SepDefinitionDraft::new_definition(&preset(DLP))
    };
    assert_eq!(bad.parse().unwrap_err()[0].field, "service");

    // Detaching the policy from every subnet opens paths; attaching it closes them.
    let state = AppState::new(preset(DLP), DLP, false);
    let attached: Vec<String> = state
        .design
        .virtual_networks
        .iter()
        .flat_map(|v| {
            v.subnets
                .iter()
                .filter(|s| s.service_endpoint_policies.contains(&policy))
                .map(move |s| format!("{}/{}", v.name, s.name))
        })
        .collect();
    assert!(!attached.is_empty());
    let mut state = state;
    for subnet in &attached {
        state = edit(
            state,
            PolicyEdit::AttachSep {
                subnet: subnet.clone(),
                policy: policy.clone(),
                attached: false,
            },
        );
    }
    assert!(state.evaluation.open_exfiltration_paths() > 0);
    for subnet in &attached {
        state = edit(
            state,
            PolicyEdit::AttachSep {
                subnet: subnet.clone(),
                policy: policy.clone(),
                attached: true,
            },
        );
    }
    assert_eq!(state.evaluation.open_exfiltration_paths(), 0);
    let state = edit(state, PolicyEdit::AddSepPolicy);
    assert_eq!(state.design.service_endpoint_policies.len(), 2);
}

#[test]
fn resource_firewalls_are_edited_and_bad_rules_refused() {
    let state = workshop();
    let storage = state.design.resources[0].clone();
    let draft = AclDraft {
        default_action: "Allow".into(),
        ip_rules: "203.0.113.7, 198.51.100.0/24".into(),
        bypass_azure_services: true,
        resource_access_rules: "ws".into(),
        ..AclDraft::of(&storage)
    };
    let firewall = draft.parse(&state.design).unwrap();
    let before = verdicts(&state);
    let state = edit(
        state,
        PolicyEdit::SetResourceFirewall {
            resource: storage.name.clone(),
            firewall,
        },
    );
    assert_eq!(state.error, None);
    let acls = &state.design.resources[0].network_acls;
    assert_eq!(acls.default_action, Access::Allow);
    assert_eq!(acls.ip_rules[0].to_string(), "203.0.113.7/32");
    assert!(acls.bypass_azure_services);
    assert_eq!(acls.resource_access_rules, ["ws"]);
    let _ = before;

    let disabled = AclDraft {
        public_network_access: "Disabled".into(),
        ..AclDraft::of(&storage)
    }
    .parse(&state.design)
    .unwrap();
    let state = edit(
        state,
        PolicyEdit::SetResourceFirewall {
            resource: storage.name.clone(),
            firewall: disabled,
        },
    );
    assert_eq!(
        state.design.resources[0].public_network_access,
        PublicNetworkAccess::Disabled
    );

    let bad = AclDraft {
        public_network_access: "Sometimes".into(),
        default_action: "Maybe".into(),
        virtual_network_rules: "vnet/nowhere".into(),
        ip_rules: "not-an-ip".into(),
        ..AclDraft::of(&storage)
    };
    let fields: Vec<_> = bad
        .parse(&state.design)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            "public_network_access",
            "default_action",
            "virtual_network_rules",
            "ip_rules"
        ]
    );
    assert_eq!(
        NextHopType::VirtualAppliance,
        RouteDraft::new_route(&preset("workshop"))
            .parse()
            .unwrap()
            .next_hop_type
    );
}

/// TCP from the workshop's internet host to the firewall's public IP.
fn to_firewall_public_ip(state: &AppState, port: u16) -> Trace {
    Engine::new(&state.design)
        .trace(&Flow::new(
            FlowSource::Element("internet-host".into()),
            FlowTarget::Address("20.0.0.1".parse().unwrap()),
            Protocol::Tcp,
            Some(port),
        ))
        .expect("the flow traces")
}

#[test]
fn dnat_collections_and_rules_are_edited_and_the_inbound_flow_is_allowed_with_undo() {
    let owner = RuleOwner::Firewall("fw".into());
    let state = workshop();
    // The training subnet's NSG lets the firewall subnet reach SSH (as after the translation).
    let ssh: vnetlab::model::SecurityRule = serde_json::from_value(serde_json::json!({
        "name": "ssh-from-fw", "priority": 200, "direction": "Inbound", "access": "Allow",
        "protocol": "Tcp", "source": ["10.0.3.0/26"], "destination_ports": ["22"]
    }))
    .unwrap();
    let state = apply(
        state,
        Action::Edit(Edit::SetNsgRule {
            nsg: "nsg-training".into(),
            index: None,
            rule: ssh,
        }),
    );
    assert_eq!(state.error, None);
    let before = to_firewall_public_ip(&state, 2222);
    assert_ne!(before.verdict, Verdict::Allowed, "{}", before.reason);
    let state = edit(
        state,
        PolicyEdit::AddNatCollection {
            owner: owner.clone(),
        },
    );
    assert_eq!(state.error, None);
    let at = CollectionRef {
        owner: owner.clone(),
        index: 2,
    };
    let RuleCollection::Nat {
        name,
        priority,
        rules,
    } = &state.design.firewalls[0].rule_collections[2]
    else {
        panic!("a DNAT collection")
    };
    assert_eq!(
        (name.as_str(), *priority, rules.len()),
        ("dnat-rules", 300, 0)
    );
    // Renamed and re-prioritised through the header (the action does not apply).
    let state = edit(
        state,
        PolicyEdit::SetCollectionHeader {
            at: at.clone(),
            header: CollectionDraft {
                name: "ssh-in".into(),
                priority: "150".into(),
                action: "Allow".into(),
            }
            .parse()
            .unwrap(),
        },
    );
    assert_eq!(state.error, None);
    assert_eq!(
        state.design.firewalls[0].rule_collections[2].name(),
        "ssh-in"
    );
    assert_eq!(
        state.design.firewalls[0].rule_collections[2].priority(),
        150
    );
    let draft = NatRuleDraft {
        name: "ssh-to-ci".into(),
        translated_address: "10.0.1.4".into(),
        ..NatRuleDraft::new_rule(Some("20.0.0.1".parse().unwrap()))
    };
    let rule = draft.parse().unwrap();
    assert_eq!(NatRuleDraft::of(&rule).parse().unwrap(), rule);
    assert_eq!(
        nat_destination_warning(&state.design, &owner, rule.destination_address),
        None
    );
    let state = edit(
        state,
        PolicyEdit::SetNatRule {
            at: at.clone(),
            index: None,
            rule: rule.clone(),
        },
    );
    assert_eq!(state.error, None);
    let RuleCollection::Nat { rules, .. } = &state.design.firewalls[0].rule_collections[2] else {
        panic!("a DNAT collection")
    };
    assert_eq!(rules, std::slice::from_ref(&rule));
    let trace = to_firewall_public_ip(&state, 2222);
    assert_eq!(trace.verdict, Verdict::Allowed, "{}", trace.reason);
    assert!(trace
        .hops
        .iter()
        .any(|h| h.step == Step::FirewallDnat
            && h.rule.as_ref().is_some_and(|r| r.name == "ssh-to-ci")));
    assert_ne!(
        to_firewall_public_ip(&state, 3389).verdict,
        Verdict::Allowed
    );
    // Edited in place: another listening port.
    let moved = NatRuleDraft {
        destination_ports: "2200".into(),
        ..NatRuleDraft::of(&rule)
    }
    .parse()
    .unwrap();
    let state = edit(
        state,
        PolicyEdit::SetNatRule {
            at: at.clone(),
            index: Some(0),
            rule: moved,
        },
    );
    assert_eq!(
        to_firewall_public_ip(&state, 2200).verdict,
        Verdict::Allowed
    );
    assert_ne!(
        to_firewall_public_ip(&state, 2222).verdict,
        Verdict::Allowed
    );
    // A DNAT rule does not go into a network collection, nor a rule that is not there.
    assert_refused(
        state.clone(),
        PolicyEdit::SetNatRule {
            at: CollectionRef {
                owner: owner.clone(),
                index: 1,
            },
            index: None,
            rule: rule.clone(),
        },
        "DNAT collection",
    );
    assert_refused(
        state.clone(),
        PolicyEdit::SetNatRule {
            at: at.clone(),
            index: Some(5),
            rule: rule.clone(),
        },
        "no such rule",
    );
    // A priority out of range is refused by validation.
    let mut bad = CollectionDraft {
        name: "ssh-in".into(),
        priority: "100".into(),
        action: "Allow".into(),
    }
    .parse()
    .unwrap();
    bad.priority = 70000;
    let refused = edit(
        state.clone(),
        PolicyEdit::SetCollectionHeader {
            at: at.clone(),
            header: bad,
        },
    );
    assert_eq!(refused.design, state.design);
    assert!(refused.error.is_some());
    // Removed, then undone step by step back to the rule on its first port.
    let state = edit(state, PolicyEdit::RemoveFirewallRule { at, index: 0 });
    assert_ne!(
        to_firewall_public_ip(&state, 2200).verdict,
        Verdict::Allowed
    );
    let state = apply(state, Action::Undo);
    assert_eq!(
        to_firewall_public_ip(&state, 2200).verdict,
        Verdict::Allowed
    );
    let state = apply(state, Action::Undo);
    assert_eq!(
        to_firewall_public_ip(&state, 2222).verdict,
        Verdict::Allowed
    );
    let state = apply(state, Action::Undo);
    assert_eq!(to_firewall_public_ip(&state, 2222).verdict, before.verdict);
    assert_eq!(state.design.firewalls[0].rule_collections.len(), 3);
    let state = apply(state, Action::Redo);
    assert_eq!(
        to_firewall_public_ip(&state, 2222).verdict,
        Verdict::Allowed
    );
}

/// A DNAT rule's translation is typed as an address or an FQDN (Learn, "Azure Firewall DNAT
/// rules": the translated address may be an FQDN); a mistyped address is not taken for a name.
#[test]
fn dnat_rule_drafts_translate_to_an_address_or_an_fqdn() {
    // (typed translation, translated address, translated FQDN; None: a field error)
    let cases = [
        ("10.0.1.4", Some((Some("10.0.1.4"), None))),
        (
            "App.Contoso.Internal",
            Some((None, Some("app.contoso.internal"))),
        ),
        ("server-1.local", Some((None, Some("server-1.local")))),
        ("10.0.1.x", None),
        ("internal", None),
        ("app..internal", None),
    ];
    for (typed, expected) in cases {
        let draft = NatRuleDraft {
            translated_address: typed.into(),
            ..NatRuleDraft::new_rule(Some("20.0.0.1".parse().expect("address")))
        };
        match (draft.parse(), expected) {
            (Ok(rule), Some((address, fqdn))) => {
                assert_eq!(
                    rule.translated_address.map(|a| a.to_string()).as_deref(),
                    address,
                    "{typed}"
                );
                assert_eq!(rule.translated_fqdn.as_deref(), fqdn, "{typed}");
                assert_eq!(
                    NatRuleDraft::of(&rule).translated_address,
                    typed.to_ascii_lowercase(),
                    "{typed}"
                );
            }
            (Err(errors), None) => {
                assert!(
                    errors.iter().any(|e| e.field == "translated_address"),
                    "{typed}: {errors:?}"
                );
            }
            (result, expected) => panic!("{typed}: {result:?}, expected {expected:?}"),
        }
    }
}

#[test]
fn dnat_rule_drafts_name_each_bad_field_and_warn_off_the_public_ip() {
    let bad = NatRuleDraft {
        name: String::new(),
        protocols: "icmp".into(),
        sources: "not-an-address/99".into(),
        destination_address: "20.0.0".into(),
        destination_ports: String::new(),
        translated_address: "10.0.1.x".into(),
        translated_port: "70000".into(),
    };
    let fields: Vec<_> = bad
        .parse()
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        [
            "name",
            "protocols",
            "sources",
            "destination_address",
            "destination_ports",
            "translated_address",
            "translated_port"
        ]
    );
    let empty_protocols = NatRuleDraft {
        protocols: String::new(),
        ..NatRuleDraft::new_rule(None)
    };
    let fields: Vec<_> = empty_protocols
        .parse()
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["protocols", "destination_address"]);
    for protocols in ["tcp", "udp", "any", "tcp, udp"] {
        let draft = NatRuleDraft {
            protocols: protocols.into(),
            ..NatRuleDraft::new_rule(Some("20.0.0.1".parse().unwrap()))
        };
        assert!(draft.parse().is_ok(), "{protocols}");
    }
    // Any source when empty; port 0 is a valid translated port.
    let open = NatRuleDraft {
        sources: String::new(),
        translated_port: "0".into(),
        ..NatRuleDraft::new_rule(Some("20.0.0.1".parse().unwrap()))
    };
    assert!(open.parse().unwrap().sources.is_empty());
    let design = preset("workshop");
    let owner = RuleOwner::Firewall("fw".into());
    let warning = nat_destination_warning(&design, &owner, "20.0.0.2".parse().unwrap())
        .expect("a destination off the public IP is flagged");
    assert!(warning.contains("20.0.0.1"), "{warning}");
    // A valid rule off the public IP is still applied (it only never matches).
    let off = NatRuleDraft {
        destination_address: "20.0.0.2".into(),
        ..NatRuleDraft::new_rule(None)
    }
    .parse()
    .unwrap();
    let state = edit(
        workshop(),
        PolicyEdit::AddNatCollection {
            owner: owner.clone(),
        },
    );
    let state = edit(
        state,
        PolicyEdit::SetNatRule {
            at: CollectionRef { owner, index: 2 },
            index: None,
            rule: off,
        },
    );
    assert_eq!(state.error, None);
}

#[test]
fn gateway_propagation_is_switched_with_undo() {
    let state = workshop();
    assert!(!state.design.route_tables[0].disable_gateway_propagation);
    let state = edit(
        state,
        PolicyEdit::SetGatewayPropagation {
            table: "rt".into(),
            disabled: true,
        },
    );
    assert_eq!(state.error, None);
    assert!(state.design.route_tables[0].disable_gateway_propagation);
    assert_refused(
        state.clone(),
        PolicyEdit::SetGatewayPropagation {
            table: "nope".into(),
            disabled: false,
        },
        "no route table named nope",
    );
    let state = apply(state, Action::Undo);
    assert!(!state.design.route_tables[0].disable_gateway_propagation);
    let state = apply(state, Action::Redo);
    assert!(state.design.route_tables[0].disable_gateway_propagation);
}

#[test]
fn a_multi_valued_field_is_edited_item_by_item_as_checkboxes_do() {
    use vnetlab::view::forms::{list_holds, with_item, NETWORK_RULE_PROTOCOLS};
    assert!(list_holds("tcp, UDP", "udp"));
    assert!(!list_holds("tcp", "icmp"));
    assert_eq!(with_item("tcp", "udp", true), "tcp, udp");
    assert_eq!(with_item("tcp, udp", "TCP", false), "udp");
    assert_eq!(
        with_item("tcp, udp", "udp", true),
        "tcp, udp",
        "no duplicate"
    );
    assert_eq!(with_item("", "icmp", true), "icmp");
    let all = NETWORK_RULE_PROTOCOLS
        .iter()
        .fold(String::new(), |list, p| with_item(&list, p, true));
    assert_eq!(all, "tcp, udp, icmp, any");
}
