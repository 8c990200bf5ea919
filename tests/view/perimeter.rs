//! The network security perimeter editor through the reducer: drafts parsed into edits,
//! perimeters, profiles, access rules and associations added, edited and removed as undoable
//! steps, the traced verdicts following (Microsoft Learn, "Transition to a network security
//! perimeter in Azure", learn.microsoft.com/azure/private-link/network-security-perimeter-transition:
//! Enforced mode admits only the perimeter's rules, Learning falls back to the resource's own
//! firewall, `SecuredByPerimeter` enforces the perimeter; an outbound rule lets a member reach
//! an FQDN; access modes Learning / Enforced / Audit as the REST API spells them), and bad
//! input answered with a message naming the field, or a refusal that leaves the design alone.

use serde_json::json;
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget, Step, Trace, Verdict};
use vnetlab::model::{Design, PerimeterAccessMode, Protocol, PublicNetworkAccess};
use vnetlab::view::edit::Edit;

use super::{assert_refused, fields};
use vnetlab::view::forms::{AccessRule, AccessRuleDraft, AclDraft, AssociationDraft};
use vnetlab::view::perimeter_edit::{PerimeterEdit, DEFAULT_PROFILE};
use vnetlab::view::policy_edit::PolicyEdit;
use vnetlab::view::state::{apply, Action, AppState};

/// A VNet, storage account `st` (public access Enabled, default Allow) and key vault `kv`, a
/// registry `acr`, `client` on the internet at 203.0.113.10 and `partner` at
/// api.partner.example.
fn state() -> AppState {
    let design: Design = serde_json::from_value(json!({
        "schema_version": 1, "name": "perimeter editor",
        "virtual_networks": [{"name": "vnet", "region": "eastus", "address_space": ["10.0.0.0/16"],
            "subnets": [{"name": "app", "prefix": "10.0.1.0/24"}]}],
        "resources": [
            {"name": "st", "kind": "storage_account", "region": "eastus"},
            {"name": "kv", "kind": "key_vault", "region": "eastus"},
            {"name": "acr", "kind": "container_registry", "region": "eastus"}
        ],
        "external_hosts": [
            {"name": "client", "kind": "internet", "ip": "203.0.113.10"},
            {"name": "partner", "kind": "internet", "ip": "192.0.2.20", "fqdns": ["api.partner.example"]}
        ]
    }))
    .expect("test design");
    AppState::new(design, "", false)
}

fn edit(state: AppState, edit: PerimeterEdit) -> AppState {
    apply(state, Action::Edit(Edit::Perimeter(edit)))
}

fn trace(state: &AppState, from: &str, to: FlowTarget) -> Trace {
    Engine::new(&state.design)
        .trace(&Flow::new(
            FlowSource::Element(from.into()),
            to,
            Protocol::Tcp,
            Some(443),
        ))
        .expect("the flow resolves")
}

fn client_to_st(state: &AppState) -> Trace {
    trace(state, "client", FlowTarget::Element("st".into()))
}

fn st_to_partner(state: &AppState) -> Trace {
    trace(state, "st", FlowTarget::Fqdn("api.partner.example".into()))
}

/// A perimeter `nsp` with its default profile and `st` associated in `mode`.
fn associated(mode: &str) -> AppState {
    let state = edit(state(), PerimeterEdit::AddPerimeter);
    let perimeter = state.design.network_security_perimeters[0].clone();
    assert_eq!(perimeter.name, "nsp");
    assert_eq!(perimeter.profiles[0].name, DEFAULT_PROFILE);
    let draft = AssociationDraft {
        access_mode: mode.into(),
        ..AssociationDraft::new_association(&state.design, &perimeter)
    };
    assert_eq!(draft.resource, "st", "the first resource in no perimeter");
    let association = draft
        .parse(&state.design, &perimeter)
        .expect("the association parses");
    edit(
        state,
        PerimeterEdit::SetAssociation {
            perimeter: "nsp".into(),
            index: None,
            association,
        },
    )
}

#[test]
fn an_enforced_association_blocks_public_callers_until_an_inbound_rule_admits_them() {
    let before = state();
    assert_eq!(client_to_st(&before).verdict, Verdict::Allowed);

    let enforced = associated("Enforced");
    assert_eq!(enforced.error, None);
    let association = &enforced.design.network_security_perimeters[0].associations[0];
    assert_eq!(
        (association.resource.as_str(), association.access_mode),
        ("st", PerimeterAccessMode::Enforced)
    );
    let blocked = client_to_st(&enforced);
    assert_eq!(blocked.verdict, Verdict::Blocked, "{}", blocked.reason);
    assert_eq!(
        blocked.decided_by.as_ref().map(|h| h.step),
        Some(Step::Perimeter)
    );

    let rule = AccessRuleDraft {
        name: "corp".into(),
        address_prefixes: "203.0.113.0/24".into(),
        ..AccessRuleDraft::new_rule(false)
    }
    .parse()
    .expect("the rule parses");
    let admitted = edit(
        enforced,
        PerimeterEdit::SetAccessRule {
            perimeter: "nsp".into(),
            profile: DEFAULT_PROFILE.into(),
            index: None,
            rule,
        },
    );
    let allowed = client_to_st(&admitted);
    assert_eq!(allowed.verdict, Verdict::Allowed, "{}", allowed.reason);
    assert_eq!(allowed.deciding_rule(), Some("corp"));

    // Each edit is one undo step: back to Enforced without the rule, then to no perimeter.
    let undone = apply(admitted, Action::Undo);
    assert_eq!(client_to_st(&undone).verdict, Verdict::Blocked);
    let undone = apply(apply(undone, Action::Undo), Action::Undo);
    assert!(undone.design.network_security_perimeters.is_empty());
    assert_eq!(client_to_st(&undone).verdict, Verdict::Allowed);
}

#[test]
fn learning_mode_leaves_the_resource_firewall_deciding_unless_secured_by_perimeter() {
    let learning = associated("Learning");
    assert_eq!(
        client_to_st(&learning).verdict,
        Verdict::Allowed,
        "Learning: the storage firewall (default Allow) still decides"
    );
    // The resource firewall editor's public network access select offers SecuredByPerimeter.
    let resource = learning.design.resources[0].clone();
    let firewall = AclDraft {
        public_network_access: "SecuredByPerimeter".into(),
        ..AclDraft::of(&resource)
    }
    .parse(&learning.design)
    .expect("SecuredByPerimeter parses");
    let secured = apply(
        learning,
        Action::Edit(Edit::Policy(PolicyEdit::SetResourceFirewall {
            resource: "st".into(),
            firewall,
        })),
    );
    assert_eq!(
        secured.design.resources[0].public_network_access,
        PublicNetworkAccess::SecuredByPerimeter
    );
    let blocked = client_to_st(&secured);
    assert_eq!(blocked.verdict, Verdict::Blocked, "{}", blocked.reason);
}

#[test]
fn an_outbound_rule_lets_a_member_reach_its_fqdn_and_removing_it_closes_it_again() {
    let enforced = associated("Enforced");
    assert_eq!(st_to_partner(&enforced).verdict, Verdict::Blocked);
    let rule = AccessRuleDraft {
        name: "partner".into(),
        fqdns: "*.partner.example".into(),
        ..AccessRuleDraft::new_rule(true)
    }
    .parse()
    .expect("the rule parses");
    assert!(matches!(&rule, AccessRule::Outbound(r) if r.fqdns == ["*.partner.example"]));
    let open = edit(
        enforced,
        PerimeterEdit::SetAccessRule {
            perimeter: "nsp".into(),
            profile: DEFAULT_PROFILE.into(),
            index: None,
            rule,
        },
    );
    let allowed = st_to_partner(&open);
    assert_eq!(allowed.verdict, Verdict::Allowed, "{}", allowed.reason);
    let closed = edit(
        open,
        PerimeterEdit::RemoveAccessRule {
            perimeter: "nsp".into(),
            profile: DEFAULT_PROFILE.into(),
            outbound: true,
            index: 0,
        },
    );
    assert!(closed.design.network_security_perimeters[0].profiles[0]
        .outbound_rules
        .is_empty());
    assert_eq!(st_to_partner(&closed).verdict, Verdict::Blocked);
}

#[test]
fn profiles_and_perimeters_are_added_and_removed() {
    let state = edit(state(), PerimeterEdit::AddPerimeter);
    let state = edit(state, PerimeterEdit::AddPerimeter);
    let names: Vec<&str> = state
        .design
        .network_security_perimeters
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["nsp", "nsp-1"]);
    let state = edit(
        state,
        PerimeterEdit::AddProfile {
            perimeter: "nsp".into(),
        },
    );
    let profiles: Vec<&str> = state.design.network_security_perimeters[0]
        .profiles
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(profiles, [DEFAULT_PROFILE, "profile"]);
    let state = edit(
        state,
        PerimeterEdit::RemoveProfile {
            perimeter: "nsp".into(),
            profile: DEFAULT_PROFILE.into(),
        },
    );
    assert_eq!(
        state.design.network_security_perimeters[0].profiles[0].name,
        "profile"
    );
    let state = edit(
        state,
        PerimeterEdit::RemovePerimeter {
            perimeter: "nsp-1".into(),
        },
    );
    assert_eq!(state.design.network_security_perimeters.len(), 1);
    assert_eq!(state.error, None);
}

#[test]
fn edits_that_would_break_validation_are_refused_with_the_reason() {
    let state = associated("Enforced");
    // The association still uses the profile.
    let state = assert_refused(
        state,
        PerimeterEdit::RemoveProfile {
            perimeter: "nsp".into(),
            profile: DEFAULT_PROFILE.into(),
        },
        "refers to profile `defaultProfile`",
    );
    // A resource belongs to one perimeter.
    let state = edit(state, PerimeterEdit::AddPerimeter);
    let second = state.design.network_security_perimeters[1].clone();
    let again = AssociationDraft {
        resource: "st".into(),
        ..AssociationDraft::new_association(&state.design, &second)
    }
    .parse(&state.design, &second)
    .expect("the draft itself is well formed");
    let state = assert_refused(
        state,
        PerimeterEdit::SetAssociation {
            perimeter: "nsp-1".into(),
            index: None,
            association: again,
        },
        "a resource belongs to one perimeter",
    );
    // Two associations of one perimeter cannot share a name.
    let perimeter = state.design.network_security_perimeters[0].clone();
    let twin = AssociationDraft {
        name: perimeter.associations[0].name.clone(),
        ..AssociationDraft::new_association(&state.design, &perimeter)
    }
    .parse(&state.design, &perimeter)
    .expect("kv parses");
    assert_eq!(twin.resource, "kv");
    assert_refused(
        state,
        PerimeterEdit::SetAssociation {
            perimeter: "nsp".into(),
            index: None,
            association: twin,
        },
        "already has an association named st-association",
    );
}

#[test]
fn bad_access_rules_name_the_field() {
    let inbound = AccessRuleDraft {
        name: "a/b".into(),
        address_prefixes: "203.0.113.0/24, 10.0.0.999".into(),
        subscriptions: "/subscriptions/x/resourceGroups/rg".into(),
        ..AccessRuleDraft::new_rule(false)
    };
    let errors = fields(inbound.parse().expect_err("three bad fields"));
    assert_eq!(
        errors,
        [
            ("name", "the rule needs a name (no `/`)".to_string()),
            (
                "address_prefixes",
                "`10.0.0.999` is not an IPv4 address or CIDR prefix".to_string()
            ),
            (
                "subscriptions",
                "`/subscriptions/x/resourceGroups/rg`: write a subscription id or /subscriptions/<id>"
                    .to_string()
            ),
        ]
    );
    let empty = AccessRuleDraft {
        address_prefixes: " , ".into(),
        ..AccessRuleDraft::new_rule(false)
    };
    assert_eq!(
        fields(empty.parse().expect_err("matches nothing")),
        [(
            "address_prefixes",
            "an inbound rule needs address prefixes or subscriptions: this one matches nothing"
                .to_string()
        )]
    );
    let subscription = AccessRuleDraft {
        address_prefixes: String::new(),
        subscriptions: "/subscriptions/sub-1, sub-2".into(),
        ..AccessRuleDraft::new_rule(false)
    };
    assert!(
        matches!(subscription.parse(), Ok(AccessRule::Inbound(r)) if r.subscriptions == ["/subscriptions/sub-1", "sub-2"])
    );
    let outbound = AccessRuleDraft {
        fqdns: "*.ok.example, bad..example, *".into(),
        ..AccessRuleDraft::new_rule(true)
    };
    assert_eq!(
        fields(outbound.parse().expect_err("bad FQDN")),
        [(
            "fqdns",
            "`bad..example` is not an FQDN (a wildcard is written *.example.com)".to_string()
        )]
    );
    let none = AccessRuleDraft {
        fqdns: String::new(),
        ..AccessRuleDraft::new_rule(true)
    };
    assert_eq!(
        fields(none.parse().expect_err("no FQDN")),
        [(
            "fqdns",
            "an outbound rule needs at least one FQDN (comma-separated)".to_string()
        )]
    );
}

#[test]
fn bad_associations_name_the_field() {
    let state = edit(state(), PerimeterEdit::AddPerimeter);
    let perimeter = &state.design.network_security_perimeters[0];
    let draft = AssociationDraft {
        name: String::new(),
        resource: "acr".into(),
        profile: "missing".into(),
        access_mode: "Strict".into(),
    };
    assert_eq!(
        fields(
            draft
                .parse(&state.design, perimeter)
                .expect_err("four bad fields")
        ),
        [
            ("name", "the association needs a name (no `/`)".to_string()),
            (
                "resource",
                "`acr` is not a storage account or key vault of the design".to_string()
            ),
            (
                "profile",
                "`missing` is not a profile of nsp: add one first".to_string()
            ),
            (
                "access_mode",
                "the access mode is Learning (Transition), Enforced or Audit".to_string()
            ),
        ]
    );
    let transition = AssociationDraft {
        access_mode: "Transition".into(),
        ..AssociationDraft::new_association(&state.design, perimeter)
    };
    assert_eq!(
        transition
            .parse(&state.design, perimeter)
            .map(|a| a.access_mode),
        Ok(PerimeterAccessMode::Learning),
        "the portal's Transition is the API's Learning"
    );
    // A draft round-trips through its element.
    let association = transition.parse(&state.design, perimeter).expect("parses");
    assert_eq!(
        AssociationDraft::of(&association)
            .parse(&state.design, perimeter)
            .as_ref(),
        Ok(&association)
    );
}
