//! Network security perimeters: the verdict tables of Microsoft Learn, "Transition to a network
//! security perimeter in Azure" (learn.microsoft.com/azure/private-link/network-security-perimeter-transition),
//! reproduced row by row — association access mode × the resource's `publicNetworkAccess` ×
//! the kind of access (perimeter, public inbound by a perimeter rule, public inbound by a
//! resource rule, trusted, private) — with the deciding hop and rule asserted; then outbound
//! rules, subscription rules, validation, and the exfiltration path an NSP does not close.

use serde_json::{json, Value};
use vnetlab::analysis::analyse;
use vnetlab::engine::{Step, Verdict};
use vnetlab::model::{validate, Design, Severity};

use super::support::{base, engine, expect_decided, push, set, tcp};

/// `base()` with `wsstorage` behind its own firewall (default Deny, IP rule 203.0.113.0/24
/// for `internet-host`, trusted services bypass), a private endpoint to it from `vnet/pe`,
/// `corp-client` at 198.51.100.7 and perimeter `nsp` whose profile `aml` admits
/// 198.51.100.0/24 (rule `corp`); `peerstorage` is a member of `nsp` in Learning mode.
/// `association` is wsstorage's access mode, or `None` for no association.
fn design(public_network_access: &str, association: Option<&str>) -> Value {
    let mut design = base();
    set(
        &mut design,
        "/resources/0/public_network_access",
        json!(public_network_access),
    );
    set(
        &mut design,
        "/resources/0/network_acls",
        json!({"default_action": "Deny", "bypass_azure_services": true, "ip_rules": ["203.0.113.0/24"]}),
    );
    push(
        &mut design,
        "/resources",
        json!({"name": "peerstorage", "kind": "storage_account", "region": "eastus"}),
    );
    push(
        &mut design,
        "/external_hosts",
        json!({"name": "corp-client", "kind": "internet", "ip": "198.51.100.7"}),
    );
    set(
        &mut design,
        "/private_endpoints",
        json!([{"name": "pe-blob", "subnet": "vnet/pe", "private_ip": "10.0.2.4", "target": "wsstorage", "sub_resource": "blob", "dns_zones": ["privatelink.blob.core.windows.net"]}]),
    );
    set(
        &mut design,
        "/private_dns_zones",
        json!([{"name": "privatelink.blob.core.windows.net", "vnet_links": ["vnet"]}]),
    );
    let mut associations =
        vec![json!({"name": "peer", "resource": "peerstorage", "profile": "aml"})];
    if let Some(mode) = association {
        associations.push(
            json!({"name": "ws", "resource": "wsstorage", "profile": "aml", "access_mode": mode}),
        );
    }
    set(
        &mut design,
        "/network_security_perimeters",
        json!([{
            "name": "nsp",
            "profiles": [{"name": "aml", "inbound_rules": [{"name": "corp", "address_prefixes": ["198.51.100.0/24"]}]}],
            "associations": associations
        }]),
    );
    design
}

/// One expected cell: the verdict and the deciding hop's step and rule.
type Cell = (Verdict, Step, &'static str);

const ALLOW_PERIMETER: Cell = (Verdict::Allowed, Step::Perimeter, "perimeter access");
const ALLOW_CORP: Cell = (Verdict::Allowed, Step::Perimeter, "corp");
const ALLOW_IP_RULE: Cell = (
    Verdict::Allowed,
    Step::StorageFirewall,
    "IP rule 203.0.113.0/24",
);
const ALLOW_TRUSTED: Cell = (
    Verdict::Allowed,
    Step::StorageFirewall,
    "trusted services bypass",
);
const ALLOW_PRIVATE: Cell = (Verdict::Allowed, Step::StorageFirewall, "private endpoint");
const DENY_DEFAULT: Cell = (
    Verdict::Blocked,
    Step::StorageFirewall,
    "defaultAction: Deny",
);
const DENY_DISABLED: Cell = (
    Verdict::Blocked,
    Step::StorageFirewall,
    "publicNetworkAccess: Disabled",
);
const DENY_LOCKED: Cell = (
    Verdict::Blocked,
    Step::StorageFirewall,
    "publicNetworkAccess: SecuredByPerimeter",
);
const DENY_LEARNING: Cell = (Verdict::Blocked, Step::Perimeter, "accessMode: Learning");
const DENY_ENFORCED: Cell = (Verdict::Blocked, Step::Perimeter, "accessMode: Enforced");

/// The sources of one row, in the article's order: perimeter access (a member of the same
/// perimeter), public inbound a perimeter rule admits, public inbound a resource rule admits,
/// trusted access (the AML workspace), private access (a private endpoint).
const SOURCES: [&str; 5] = ["peerstorage", "corp-client", "internet-host", "ws", "ci"];

#[track_caller]
fn check_row(public_network_access: &str, association: Option<&str>, row: [Cell; 5]) {
    let engine = engine(&design(public_network_access, association));
    for (source, (verdict, step, rule)) in SOURCES.into_iter().zip(row) {
        let trace = tcp(&engine, source, "wsstorage", 443);
        let decided = trace.decided_by.as_ref();
        assert_eq!(
            (
                trace.verdict,
                decided.map(|h| h.step),
                trace.deciding_rule()
            ),
            (verdict, Some(step), Some(rule)),
            "{public_network_access} / {association:?} from {source}: {}\n{}",
            trace.reason,
            serde_json::to_string_pretty(&trace.hops).unwrap_or_default()
        );
    }
}

// "Transition to a network security perimeter in Azure" (2024-06 revision), first table:
// associated in Learning mode, by publicNetworkAccess. Perimeter access: allowed for the
// same perimeter; public inbound: perimeter rules (Disabled, SecuredByPerimeter) or perimeter
// or resource rules (Enabled); trusted and private access: allowed.
#[test]
fn learning_mode_keeps_resource_rules_and_trusted_access_network_security_perimeter_transition() {
    check_row(
        "Enabled",
        Some("Learning"),
        [
            ALLOW_PERIMETER,
            ALLOW_CORP,
            ALLOW_IP_RULE,
            ALLOW_TRUSTED,
            ALLOW_PRIVATE,
        ],
    );
    check_row(
        "Disabled",
        Some("Learning"),
        [
            ALLOW_PERIMETER,
            ALLOW_CORP,
            DENY_DISABLED,
            ALLOW_TRUSTED,
            ALLOW_PRIVATE,
        ],
    );
    check_row(
        "SecuredByPerimeter",
        Some("Learning"),
        [
            ALLOW_PERIMETER,
            ALLOW_CORP,
            DENY_LEARNING,
            ALLOW_TRUSTED,
            ALLOW_PRIVATE,
        ],
    );
    // "Transition" is the mode's newer name (concepts page, 2025): the same row.
    check_row(
        "Disabled",
        Some("Transition"),
        [
            ALLOW_PERIMETER,
            ALLOW_CORP,
            DENY_DISABLED,
            ALLOW_TRUSTED,
            ALLOW_PRIVATE,
        ],
    );
}

// Second table: publicNetworkAccess SecuredByPerimeter without an association is locked down
// (perimeter, public and trusted access denied); Enabled and Disabled behave as before.
#[test]
fn without_an_association_secured_by_perimeter_locks_the_resource_down_network_security_perimeter_transition(
) {
    check_row(
        "Enabled",
        None,
        [
            DENY_DEFAULT,
            DENY_DEFAULT,
            ALLOW_IP_RULE,
            ALLOW_TRUSTED,
            ALLOW_PRIVATE,
        ],
    );
    check_row(
        "Disabled",
        None,
        [
            DENY_DISABLED,
            DENY_DISABLED,
            DENY_DISABLED,
            ALLOW_TRUSTED,
            ALLOW_PRIVATE,
        ],
    );
    check_row(
        "SecuredByPerimeter",
        None,
        [
            DENY_LOCKED,
            DENY_LOCKED,
            DENY_LOCKED,
            DENY_LOCKED,
            ALLOW_PRIVATE,
        ],
    );
}

// Third table (2024-11 revision, "Moving new resources into network security perimeter"):
// Enforced mode, whatever publicNetworkAccess says, admits only the perimeter's rules; trusted
// access "is not supported in enforced mode"; private access is not impacted.
#[test]
fn enforced_mode_replaces_the_resource_firewall_network_security_perimeter_transition() {
    for public_network_access in ["Enabled", "Disabled", "SecuredByPerimeter"] {
        check_row(
            public_network_access,
            Some("Enforced"),
            [
                ALLOW_PERIMETER,
                ALLOW_CORP,
                DENY_ENFORCED,
                DENY_ENFORCED,
                ALLOW_PRIVATE,
            ],
        );
    }
}

// The deciding hop names the perimeter (element), the profile (container) and the rule.
#[test]
fn the_deciding_hop_names_perimeter_profile_and_rule_network_security_perimeter_concepts() {
    let engine = engine(&design("Disabled", Some("Enforced")));
    let trace = tcp(&engine, "corp-client", "wsstorage", 443);
    let hop = trace.decided_by.expect("a deciding hop");
    assert_eq!(hop.element, "nsp");
    let rule = hop.rule.expect("a rule");
    assert_eq!(
        (rule.name.as_str(), rule.container.as_str()),
        ("corp", "nsp/aml")
    );
    assert!(hop.reason.contains("198.51.100.0/24"), "{}", hop.reason);
}

// Key vaults follow the same tables ("What is a network security perimeter?": Key Vault is an
// onboarded resource); its firewall hop is the key vault's.
#[test]
fn a_key_vault_in_enforced_mode_loses_its_trusted_bypass_network_security_perimeter_transition() {
    let mut design = design("Enabled", None);
    push(
        &mut design,
        "/resources",
        json!({"name": "wsvault", "kind": "key_vault", "region": "eastus", "network_acls": {"default_action": "Deny", "bypass_azure_services": true}}),
    );
    let engine_before = engine(&design);
    expect_decided(
        &tcp(&engine_before, "ws", "wsvault", 443),
        Verdict::Allowed,
        Step::KeyVaultFirewall,
        "trusted services bypass",
    );
    push(
        &mut design,
        "/network_security_perimeters/0/associations",
        json!({"name": "vault", "resource": "wsvault", "profile": "aml", "access_mode": "Enforced"}),
    );
    let engine = engine(&design);
    expect_decided(
        &tcp(&engine, "ws", "wsvault", 443),
        Verdict::Blocked,
        Step::Perimeter,
        "accessMode: Enforced",
    );
    expect_decided(
        &tcp(&engine, "corp-client", "wsvault", 443),
        Verdict::Allowed,
        Step::Perimeter,
        "corp",
    );
}

// Subscription-based inbound rules ("Supported access rule types"): they admit a caller whose
// subscription the design knows (the workspace); for a client whose subscription it does not
// know the verdict is unsupported, never a silent miss.
#[test]
fn subscription_rules_admit_known_callers_and_say_when_they_cannot_tell_network_security_perimeter_concepts(
) {
    let mut design = design("Disabled", Some("Enforced"));
    push(
        &mut design,
        "/network_security_perimeters/0/profiles/0/inbound_rules",
        json!({"name": "own-subscription", "subscriptions": ["/subscriptions/00000000-0000-0000-0000-000000000000"]}),
    );
    let engine = engine(&design);
    expect_decided(
        &tcp(&engine, "ws", "wsstorage", 443),
        Verdict::Allowed,
        Step::Perimeter,
        "own-subscription",
    );
    let unknown = tcp(&engine, "internet-host", "wsstorage", 443);
    assert_eq!(unknown.verdict, Verdict::Unsupported, "{}", unknown.reason);
    assert_eq!(unknown.deciding_rule(), Some("own-subscription"));
    // The IP rule still decides for a client it matches, before any subscription question.
    expect_decided(
        &tcp(&engine, "corp-client", "wsstorage", 443),
        Verdict::Allowed,
        Step::Perimeter,
        "corp",
    );
}

// In Learning mode the resource's own rules still allow what they allow, whatever a
// subscription rule would say; only when they deny does the unknown subscription leave the
// verdict undecided.
#[test]
fn in_learning_mode_an_unknown_subscription_matters_only_when_the_resource_denies_network_security_perimeter_transition(
) {
    let mut design = design("Enabled", Some("Learning"));
    push(
        &mut design,
        "/network_security_perimeters/0/profiles/0/inbound_rules",
        json!({"name": "own-subscription", "subscriptions": ["00000000-0000-0000-0000-000000000000"]}),
    );
    push(
        &mut design,
        "/external_hosts",
        json!({"name": "stranger", "kind": "internet", "ip": "192.0.2.99"}),
    );
    let engine = engine(&design);
    expect_decided(
        &tcp(&engine, "internet-host", "wsstorage", 443),
        Verdict::Allowed,
        Step::StorageFirewall,
        "IP rule 203.0.113.0/24",
    );
    let stranger = tcp(&engine, "stranger", "wsstorage", 443);
    assert_eq!(
        stranger.verdict,
        Verdict::Unsupported,
        "{}",
        stranger.reason
    );
    assert_eq!(stranger.deciding_rule(), Some("subscription rules"));
    assert!(
        stranger.reason.contains("subscription"),
        "{}",
        stranger.reason
    );
}

// Outbound: an associated resource reaches only members of its perimeter and the FQDNs of
// its outbound rules in Enforced mode ("Public outbound: network security perimeter rules");
// in Learning mode with Enabled / Disabled outbound stays allowed ("perimeter rules +
// Allowed"); a resource locked down by SecuredByPerimeter without association sends nothing.
#[test]
fn outbound_rules_restrict_what_an_associated_resource_reaches_network_security_perimeter_transition(
) {
    let mut design = design("Enabled", Some("Enforced"));
    push(
        &mut design,
        "/network_security_perimeters/0/profiles/0/outbound_rules",
        json!({"name": "partner", "fqdns": ["*.partner.example"]}),
    );
    push(
        &mut design,
        "/external_hosts",
        json!({"name": "partner", "kind": "internet", "ip": "192.0.2.20", "fqdns": ["api.partner.example"]}),
    );
    let engine = engine(&design);
    expect_decided(
        &tcp(&engine, "wsstorage", "roguestorage", 443),
        Verdict::Blocked,
        Step::Perimeter,
        "accessMode: Enforced",
    );
    let partner = tcp(&engine, "wsstorage", "api.partner.example", 443);
    assert_eq!(partner.verdict, Verdict::Allowed, "{}", partner.reason);
    assert!(
        partner
            .hops
            .iter()
            .any(|h| h.step == Step::Perimeter
                && h.rule.as_ref().is_some_and(|r| r.name == "partner")),
        "{:?}",
        partner.hops
    );
    // Members reach each other: the outbound side and the destination's inbound side both
    // name perimeter access.
    let peer = tcp(&engine, "wsstorage", "peerstorage", 443);
    expect_decided(&peer, Verdict::Allowed, Step::Perimeter, "perimeter access");
    assert_eq!(
        peer.hops
            .iter()
            .filter(|h| h.step == Step::Perimeter)
            .count(),
        2,
        "{:?}",
        peer.hops
    );
    let learning = engine_with(
        &design,
        "/network_security_perimeters/0/associations/1/access_mode",
        json!("Learning"),
    );
    let rogue = tcp(&learning, "wsstorage", "roguestorage", 443);
    assert_eq!(rogue.verdict, Verdict::Allowed, "{}", rogue.reason);
    let mut locked = design.clone();
    set(
        &mut locked,
        "/resources/0/public_network_access",
        json!("SecuredByPerimeter"),
    );
    set(
        &mut locked,
        "/network_security_perimeters/0/associations",
        json!([]),
    );
    expect_decided(
        &tcp(
            &engine_with(&locked, "/name", json!("locked")),
            "wsstorage",
            "roguestorage",
            443,
        ),
        Verdict::Blocked,
        Step::Perimeter,
        "publicNetworkAccess: SecuredByPerimeter",
    );
}

fn engine_with(design: &Value, pointer: &str, value: Value) -> vnetlab::engine::Engine {
    let mut design = design.clone();
    set(&mut design, pointer, value);
    engine(&design)
}

// "An NSP does not stop a compute writing to an attacker's account outside the perimeter"
// (issue 12): the perimeter governs its members' public endpoints, not what a compute in the
// VNet sends to someone else's account, so the exfiltration search still reports that path.
#[test]
fn a_perimeter_does_not_close_the_compute_to_attacker_path_network_security_perimeter_concepts() {
    let mut value = design("SecuredByPerimeter", Some("Enforced"));
    set(&mut value, "/resources/0/network_acls", json!({}));
    let design: Design = serde_json::from_value(value).expect("design parses");
    assert!(
        validate(&design)
            .iter()
            .all(|d| d.severity != Severity::Error),
        "{:?}",
        validate(&design)
    );
    let analysis = analyse(&design);
    let to_rogue = analysis
        .exfiltration
        .findings
        .iter()
        .find(|p| p.source == "ci" && p.sink == "roguestorage")
        .expect("ci → roguestorage is still an open path");
    assert_eq!(to_rogue.trace.verdict, Verdict::Allowed);
    assert!(!to_rogue.trace.passed_through(Step::Perimeter));
}

// Validation: unknown profiles and resources are errors naming the association's JSON path;
// a registry cannot join; a resource joins one perimeter; association names are unique per
// perimeter; empty rules match nothing.
#[test]
fn perimeter_references_are_validated_with_their_json_paths() {
    let mut value = design("Enabled", Some("Enforced"));
    push(
        &mut value,
        "/network_security_perimeters/0/associations",
        json!({"name": "typo", "resource": "wsstorag", "profile": "amll"}),
    );
    push(
        &mut value,
        "/resources",
        json!({"name": "acr", "kind": "container_registry", "region": "eastus"}),
    );
    push(
        &mut value,
        "/network_security_perimeters",
        json!({"name": "other", "profiles": [{"name": "p", "inbound_rules": [{"name": "empty"}], "outbound_rules": [{"name": "none", "fqdns": []}]}],
               "associations": [{"name": "again", "resource": "wsstorage", "profile": "p"}, {"name": "registry", "resource": "acr", "profile": "p"},
                                {"name": "again", "resource": "acr", "profile": "p"}]}),
    );
    let checked: Design = serde_json::from_value(value).expect("design parses");
    let errors: Vec<(String, String)> = validate(&checked)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.path.clone(), d.message.clone()))
        .collect();
    let has = |path: &str, text: &str| {
        assert!(
            errors.iter().any(|(p, m)| p == path && m.contains(text)),
            "no error at {path} containing {text:?}: {errors:?}"
        );
    };
    has(
        "$.network_security_perimeters[0].associations[2].resource",
        "`wsstorag`",
    );
    has(
        "$.network_security_perimeters[0].associations[2].profile",
        "`amll`",
    );
    has(
        "$.network_security_perimeters[1].associations[0].resource",
        "already associated",
    );
    has(
        "$.network_security_perimeters[1].associations[1].resource",
        "container registry",
    );
    has(
        "$.network_security_perimeters[1].associations[2].name",
        "duplicate name `again`",
    );
    has(
        "$.network_security_perimeters[1].profiles[0].inbound_rules[0]",
        "matches nothing",
    );
    has(
        "$.network_security_perimeters[1].profiles[0].outbound_rules[0].fqdns",
        "matches nothing",
    );
    let mut locked = design("SecuredByPerimeter", None);
    set(
        &mut locked,
        "/network_security_perimeters/0/associations",
        json!([]),
    );
    let locked: Design = serde_json::from_value(locked).expect("design parses");
    assert!(
        validate(&locked)
            .iter()
            .any(|d| d.severity == Severity::Warning
                && d.path == "$.resources[0].public_network_access"
                && d.message.contains("locks the resource down")),
        "{:?}",
        validate(&locked)
    );
}
