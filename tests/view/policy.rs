//! The policy editors through the reducer: routes (and attaching tables), firewall collections
//! and rules, SEP definitions (and attaching policies), resource firewalls and the semantics
//! options. Each edit changes the design as intended, is undoable, and an invalid one gives
//! its message without touching the design.

use std::collections::BTreeMap;

use vnetlab::model::{
    Access, AddressMatch, NextHopType, PublicNetworkAccess, RuleCollection, StorageEndpointScope,
    OPTION_INFO,
};
use vnetlab::view::edit::Edit;
use vnetlab::view::forms::{
    AclDraft, CollectionDraft, FirewallRule, FirewallRuleDraft, RouteDraft, SepDefinitionDraft,
};
use vnetlab::view::options::{option_rows, OptionControl};
use vnetlab::view::policy_edit::{CollectionRef, PolicyEdit, RuleOwner};
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
