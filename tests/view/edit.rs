//! Editing: renames update references, adds find free space, rule drafts report every field.

use vnetlab::model::{Direction, Protocol};
use vnetlab::view::edit::{
    apply_edit, rules_in_order, Edit, ElementKind, RuleDraft, RULE_ACCESSES, RULE_DIRECTIONS,
    RULE_PROTOCOLS,
};

use crate::preset;

#[test]
fn renaming_a_vnet_and_a_subnet_updates_every_reference() {
    let design = preset("workshop");
    let renamed = apply_edit(
        &design,
        &Edit::Rename {
            kind: ElementKind::Vnet,
            name: "vnet".into(),
            to: "hub".into(),
        },
    )
    .unwrap();
    let renamed = apply_edit(
        &renamed,
        &Edit::Rename {
            kind: ElementKind::Subnet,
            name: "hub/training".into(),
            to: "train".into(),
        },
    )
    .unwrap();
    assert_eq!(
        renamed.computes[0].nic.as_ref().unwrap().subnet,
        "hub/train"
    );
    assert_eq!(renamed.firewalls[0].subnet, "hub/AzureFirewallSubnet");
    assert!(renamed
        .private_dns_zones
        .iter()
        .all(|z| z.vnet_links == ["hub"]));
    assert_eq!(
        renamed.resources[0].network_acls.virtual_network_rules,
        ["hub/train"]
    );
    assert!(vnetlab::model::validate(&renamed)
        .iter()
        .all(|d| !d.is_error()));
    assert!(apply_edit(
        &design,
        &Edit::Rename {
            kind: ElementKind::Compute,
            name: "ci".into(),
            to: "cluster".into()
        }
    )
    .is_err());
    assert!(apply_edit(
        &design,
        &Edit::Rename {
            kind: ElementKind::Compute,
            name: "ci".into(),
            to: " ".into()
        }
    )
    .is_err());
}

#[test]
fn adding_elements_finds_free_names_and_addresses() {
    let design = preset("workshop");
    let design = apply_edit(&design, &Edit::AddVnet).unwrap();
    let added = design.virtual_networks.last().unwrap();
    assert_eq!(added.address_space[0].to_string(), "10.1.0.0/16");
    let design = apply_edit(
        &design,
        &Edit::AddSubnet {
            vnet: added.name.clone(),
        },
    )
    .unwrap();
    let subnet = format!("{}/subnet-1", design.virtual_networks.last().unwrap().name);
    let design = apply_edit(
        &design,
        &Edit::AddCompute {
            subnet: subnet.clone(),
        },
    )
    .unwrap();
    assert_eq!(
        design
            .computes
            .last()
            .unwrap()
            .nic
            .as_ref()
            .unwrap()
            .private_ip
            .to_string(),
        "10.1.0.4"
    );
    let design = apply_edit(
        &design,
        &Edit::AddPrivateEndpoint {
            subnet,
            target: "wsstorage".into(),
        },
    )
    .unwrap();
    assert_eq!(
        design
            .private_endpoints
            .last()
            .unwrap()
            .private_ip
            .to_string(),
        "10.1.0.5"
    );
    assert!(
        vnetlab::model::validate(&design)
            .iter()
            .all(|d| !d.is_error()),
        "{:?}",
        vnetlab::model::validate(&design)
    );
    let removed = apply_edit(
        &design,
        &Edit::Remove {
            kind: ElementKind::Compute,
            name: "ci".into(),
        },
    )
    .unwrap();
    assert!(removed.computes.iter().all(|c| c.name != "ci"));
    assert!(apply_edit(
        &design,
        &Edit::Remove {
            kind: ElementKind::Compute,
            name: "nope".into()
        }
    )
    .is_err());
}

#[test]
fn rule_drafts_parse_or_name_each_bad_field() {
    let design = preset("workshop");
    let rule = &design.network_security_groups[0].rules[1];
    assert_eq!(RuleDraft::of(rule).parse(Some(rule)).unwrap(), *rule);
    let draft = RuleDraft {
        priority: "99999".into(),
        protocol: "smtp".into(),
        destination: "not a tag!".into(),
        destination_ports: "".into(),
        ..RuleDraft::new_rule(200)
    };
    let fields: Vec<_> = draft
        .parse(None)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        ["priority", "protocol", "destination", "destination_ports"]
    );
    let parsed = RuleDraft::new_rule(200).parse(None).unwrap();
    assert_eq!(
        (parsed.direction, parsed.protocol),
        (Direction::Outbound, Protocol::Tcp)
    );
    let edited = apply_edit(
        &design,
        &Edit::SetNsgRule {
            nsg: "nsg-training".into(),
            index: None,
            rule: parsed,
        },
    )
    .unwrap();
    assert_eq!(
        edited.network_security_groups[0].rules.len(),
        design.network_security_groups[0].rules.len() + 1
    );
}

#[test]
fn the_editor_lists_rules_inbound_then_outbound_by_priority() {
    let rule = |name: &str, priority: u32, direction: &str| {
        RuleDraft {
            name: name.into(),
            priority: priority.to_string(),
            direction: direction.into(),
            ..RuleDraft::new_rule(100)
        }
        .parse(None)
        .unwrap()
    };
    let rules = vec![
        rule("out-late", 300, "Outbound"),
        rule("in-late", 400, "Inbound"),
        rule("out-early", 100, "Outbound"),
        rule("in-b", 200, "Inbound"),
        rule("in-a", 200, "Inbound"),
    ];
    let order: Vec<(usize, &str)> = rules_in_order(&rules)
        .into_iter()
        .map(|(index, rule)| (index, rule.name.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            (4, "in-a"),
            (3, "in-b"),
            (1, "in-late"),
            (2, "out-early"),
            (0, "out-late")
        ]
    );
    let mut reversed = rules.clone();
    reversed.reverse();
    let names = |rules: &[vnetlab::model::SecurityRule]| -> Vec<String> {
        rules_in_order(rules)
            .into_iter()
            .map(|(_, r)| r.name.clone())
            .collect()
    };
    assert_eq!(
        names(&reversed),
        names(&rules),
        "independent of input order"
    );
}

#[test]
fn every_choice_of_the_rule_form_parses() {
    for direction in RULE_DIRECTIONS {
        for access in RULE_ACCESSES {
            for protocol in RULE_PROTOCOLS {
                let draft = RuleDraft {
                    direction: direction.into(),
                    access: access.into(),
                    protocol: protocol.into(),
                    ..RuleDraft::new_rule(100)
                };
                let rule = draft.parse(None).unwrap();
                assert_eq!(RuleDraft::of(&rule).direction, direction);
                assert_eq!(RuleDraft::of(&rule).access, access);
                assert_eq!(RuleDraft::of(&rule).protocol, protocol);
            }
        }
    }
}

/// The forwarding editor sets a NIC's IP forwarding and SNAT; SNAT without forwarding is
/// stored off (it means nothing), and an unknown compute is refused.
#[test]
fn the_forwarding_editor_sets_ip_forwarding_and_snat_together() {
    let design = preset("workshop");
    let compute = design
        .computes
        .iter()
        .find(|c| c.nic.is_some())
        .expect("the workshop has a compute with a NIC")
        .name
        .clone();
    let set = |design: &vnetlab::model::Design, ip_forwarding: bool, snat: bool| {
        apply_edit(
            design,
            &Edit::SetForwarding {
                compute: compute.clone(),
                ip_forwarding,
                snat,
            },
        )
        .expect("applies")
    };
    let nic = |design: &vnetlab::model::Design| {
        let nic = design
            .computes
            .iter()
            .find(|c| c.name == compute)
            .and_then(|c| c.nic.clone())
            .expect("nic");
        (nic.ip_forwarding, nic.snat)
    };
    let appliance = set(&design, true, true);
    assert_eq!(nic(&appliance), (true, true));
    assert_eq!(nic(&set(&appliance, true, false)), (true, false));
    assert_eq!(nic(&set(&appliance, false, true)), (false, false));
    let unknown = apply_edit(
        &design,
        &Edit::SetForwarding {
            compute: "nowhere".into(),
            ip_forwarding: true,
            snat: false,
        },
    );
    assert!(unknown.unwrap_err().contains("nowhere"));
}

/// Renaming a compute or a subnet follows into load balancers: pool members and frontend
/// subnets keep pointing at the renamed elements (the design stays valid).
#[test]
fn renames_follow_into_load_balancers() {
    let design: vnetlab::model::Design = serde_json::from_value(serde_json::json!({
        "schema_version": 1, "name": "lb",
        "virtual_networks": [{"name": "hub", "region": "eastus", "address_space": ["10.1.0.0/16"],
            "subnets": [{"name": "nva", "prefix": "10.1.1.0/24"}]}],
        "computes": [{"name": "nva", "kind": "network_virtual_appliance",
            "nic": {"subnet": "hub/nva", "private_ip": "10.1.1.4", "ip_forwarding": true}}],
        "load_balancers": [{"name": "ilb",
            "frontends": [{"name": "fe", "subnet": "hub/nva", "private_ip": "10.1.1.10"}],
            "backend_pools": [{"name": "nvas", "members": ["nva"]}]}]
    }))
    .expect("design");
    let renamed = apply_edit(
        &design,
        &Edit::Rename {
            kind: ElementKind::Compute,
            name: "nva".into(),
            to: "nva-1".into(),
        },
    )
    .unwrap();
    let renamed = apply_edit(
        &renamed,
        &Edit::Rename {
            kind: ElementKind::Subnet,
            name: "hub/nva".into(),
            to: "appliances".into(),
        },
    )
    .unwrap();
    let lb = &renamed.load_balancers[0];
    assert_eq!(lb.backend_pools[0].members, ["nva-1"]);
    assert_eq!(lb.frontends[0].subnet.as_deref(), Some("hub/appliances"));
    assert!(vnetlab::model::validate(&renamed)
        .iter()
        .all(|d| !d.is_error()));
}
