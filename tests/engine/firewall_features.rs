//! Azure Firewall features of issue 12: several public IPs (SNAT picks one, shown in the trace;
//! DNAT on any of them), DNAT translated to an FQDN (resolved by the firewall, unknown names
//! reported), and the explicit proxy (clients send HTTP/HTTPS to the firewall's private IP
//! without a UDR; only application rules apply). Each table cites its Microsoft Learn page.

use serde_json::{json, Value};
use vnetlab::engine::{Step, Trace, Verdict};
use vnetlab::model::{validate, Design, Severity};

use super::firewall::{application, forced_through, group, https_rule, network};
use super::support::{base, engine, expect, expect_decided, nsg_rule, push, set, tcp};

fn dump(trace: &Trace) -> String {
    serde_json::to_string_pretty(&trace.hops).unwrap_or_default()
}

fn allow_all() -> Value {
    network(
        "allow-all",
        100,
        "Allow",
        json!([{"name": "any", "protocols": ["Any"], "sources": ["*"], "destinations": ["*"], "destination_ports": ["*"]}]),
    )
}

/// Learn, "Deploy an Azure Firewall with multiple public IP addresses"
/// (learn.microsoft.com/azure/firewall/deploy-multi-public-ip-powershell) and the Azure
/// Firewall features page ("Multiple public IP addresses": outbound SNAT picks one of them,
/// DNAT works on any). vnetlab shows the lowest, whatever the input order.
#[test]
fn snat_shows_the_lowest_of_several_public_ips_whatever_their_order() {
    // (additional public IPs in input order, the SNAT address the trace shows)
    let cases: [(&[&str], &str); 3] = [
        (&["20.0.0.9", "20.0.0.5"], "20.0.0.1"),
        (&["20.0.0.5", "19.0.0.7"], "19.0.0.7"),
        (&["19.0.0.7", "20.0.0.5"], "19.0.0.7"),
    ];
    for (additional, snat) in cases {
        let mut design = forced_through(
            json!({"rule_collection_groups": [group("g", 100, json!([allow_all()]))]}),
        );
        set(
            &mut design,
            "/firewalls/0/additional_public_ips",
            json!(additional),
        );
        let trace = tcp(&engine(&design), "ci", "pypi.org", 443);
        expect_decided(&trace, Verdict::Allowed, Step::FirewallNetwork, "any");
        let decided = trace.decided_by.as_ref().expect("deciding hop");
        assert!(
            decided
                .reason
                .contains(&format!("SNAT to {snat}, the lowest of its 3 public IPs")),
            "{additional:?}: {}",
            decided.reason
        );
        assert!(
            decided.reason.contains("a destination must allow them all"),
            "{}",
            decided.reason
        );
    }
    // One public IP: the plain wording.
    let design =
        forced_through(json!({"rule_collection_groups": [group("g", 100, json!([allow_all()]))]}));
    let trace = tcp(&engine(&design), "ci", "pypi.org", 443);
    let decided = trace.decided_by.as_ref().expect("deciding hop");
    assert!(
        decided.reason.ends_with("; SNAT to 20.0.0.1"),
        "{}",
        decided.reason
    );
}

/// DNAT rules listen on any of the firewall's public IPs (Learn: "Azure Firewall features",
/// multiple public IP addresses: "DNAT ... on each public IP").
#[test]
fn dnat_matches_on_any_of_the_firewall_public_ips() {
    let dnat = |destination: &str| json!({"type": "nat", "name": "ssh-in", "priority": 100, "rules": [{"name": "ssh-to-vm2", "protocols": ["Tcp"], "sources": ["*"], "destination_address": destination, "destination_ports": ["2222"], "translated_address": "10.0.1.5", "translated_port": 22}]});
    // (public IP the DNAT rule names, address the client connects to, verdict)
    let cases = [
        ("20.0.0.5", "20.0.0.5", Verdict::Allowed),
        ("20.0.0.1", "20.0.0.1", Verdict::Allowed),
        ("20.0.0.5", "20.0.0.1", Verdict::Blocked),
    ];
    for (rule_ip, target, verdict) in cases {
        let mut design = forced_through(
            json!({"rule_collection_groups": [group("dnat", 100, json!([dnat(rule_ip)]))]}),
        );
        set(
            &mut design,
            "/firewalls/0/additional_public_ips",
            json!(["20.0.0.5"]),
        );
        set(
            &mut design,
            "/network_security_groups/0/rules",
            json!([nsg_rule(
                "ssh-from-fw",
                100,
                "Inbound",
                "Allow",
                "Tcp",
                ["10.0.3.0/26", "*", "22"]
            )]),
        );
        let trace = tcp(&engine(&design), "internet-host", target, 2222);
        if verdict == Verdict::Allowed {
            expect(&trace, verdict, Step::FirewallDnat, "ssh-to-vm2");
            let dnat_hop = trace
                .hops
                .iter()
                .find(|h| h.step == Step::FirewallDnat)
                .expect("DNAT hop");
            assert!(
                dnat_hop
                    .reason
                    .contains(&format!("on {target}, one of its 2 public IPs")),
                "{}",
                dnat_hop.reason
            );
        } else {
            assert_eq!(
                trace.verdict,
                verdict,
                "{rule_ip} ← {target}: {}",
                dump(&trace)
            );
        }
    }
}

/// Learn, "Filter inbound Internet or intranet traffic with Azure Firewall policy DNAT"
/// (learn.microsoft.com/azure/firewall/tutorial-firewall-dnat-policy) and "Azure Firewall DNAT
/// rules" (learn.microsoft.com/azure/firewall/dnat-rule): the translated address may be an FQDN,
/// which the firewall resolves. A name vnetlab cannot resolve is reported, never a silent miss.
#[test]
fn dnat_to_an_fqdn_resolves_through_the_firewall_dns() {
    // (translated FQDN, zone record for `app`, verdict, deciding step, words of the reason)
    let cases: [(&str, Option<&str>, Verdict, Step, &str); 4] = [
        ("app.contoso.internal", Some("10.0.1.5"), Verdict::Allowed, Step::FirewallDnat, "resolves the translated FQDN app.contoso.internal → 10.0.1.5 from a private DNS zone linked to VNet vnet"),
        ("app.contoso.internal", None, Verdict::Unresolved, Step::FirewallDnat, "has no record for it: NXDOMAIN"),
        ("nowhere.example", None, Verdict::Unsupported, Step::FirewallDnat, "which neither a private DNS zone linked to VNet vnet nor a host of the design resolves"),
        ("pypi.org", None, Verdict::Allowed, Step::FirewallDnat, "resolves the translated FQDN pypi.org → 203.0.113.10 (a host the design models)"),
    ];
    for (fqdn, record, verdict, step, words) in cases {
        let mut design = forced_through(
            json!({"rule_collection_groups": [group("dnat", 100, json!([
                {"type": "nat", "name": "web-in", "priority": 100, "rules": [{"name": "web-to-app", "protocols": ["Tcp"], "sources": ["*"], "destination_address": "20.0.0.1", "destination_ports": ["8080"], "translated_fqdn": fqdn, "translated_port": 80}]}
            ]))]}),
        );
        let records = record.map_or(json!([]), |ip| json!([{"name": "app", "ip": ip}]));
        set(
            &mut design,
            "/private_dns_zones",
            json!([{"name": "contoso.internal", "vnet_links": ["vnet"], "records": records}]),
        );
        set(
            &mut design,
            "/network_security_groups/0/rules",
            json!([nsg_rule(
                "web-from-fw",
                100,
                "Inbound",
                "Allow",
                "Tcp",
                ["10.0.3.0/26", "*", "80"]
            )]),
        );
        let engine = engine(&design);
        // A name the firewall cannot resolve is also a warning when the design is compiled.
        let warned = engine.diagnostics().iter().any(|d| {
            d.severity == Severity::Warning
                && d.path == "$.firewalls[0]"
                && d.message
                    .contains(&format!("DNAT rule web-to-app translates to {fqdn}"))
        });
        assert_eq!(
            warned,
            verdict != Verdict::Allowed,
            "{fqdn}: {:#?}",
            engine.diagnostics()
        );
        let trace = tcp(&engine, "198.51.100.7", "20.0.0.1", 8080);
        expect(&trace, verdict, step, "web-to-app");
        let hop = trace
            .hops
            .iter()
            .find(|h| h.step == step && h.reason.contains(words))
            .unwrap_or_else(|| panic!("{fqdn}: no hop saying {words:?}: {}", dump(&trace)));
        assert_eq!(
            hop.rule.as_ref().map(|r| r.name.as_str()),
            Some("web-to-app")
        );
        if verdict != Verdict::Allowed {
            let decided = trace.decided_by.as_ref().expect("deciding hop");
            assert_eq!(
                decided.rule.as_ref().map(|r| r.name.as_str()),
                Some("web-to-app"),
                "{fqdn}"
            );
        }
    }
}

/// The base design with `ci` configured to use firewall `fw`'s explicit proxy (HTTP 8080,
/// HTTPS 8443) and no UDR: the policy's application rule allows pypi.org over HTTPS and a
/// network rule denies everything (which the explicit proxy does not consult).
fn explicit_proxy_design() -> Value {
    let mut design = base();
    set(
        &mut design,
        "/firewalls",
        json!([{"name": "fw", "subnet": "vnet/AzureFirewallSubnet", "private_ip": "10.0.3.4", "public_ip": "20.0.0.1", "policy": "policy"}]),
    );
    set(
        &mut design,
        "/firewall_policies",
        json!([{"name": "policy", "explicit_proxy": {"http_port": 8080, "https_port": 8443},
        "rule_collection_groups": [group("g", 100, json!([
            network("deny-all", 100, "Deny", json!([{"name": "nothing", "protocols": ["Any"], "sources": ["*"], "destinations": ["*"], "destination_ports": ["*"]}])),
            application("web", 200, "Allow", json!([https_rule("allow-pypi", &["pypi.org"])]))
        ]))]}]),
    );
    set(&mut design, "/computes/0/explicit_proxy", json!("fw"));
    push(
        &mut design,
        "/external_hosts",
        json!({"name": "files-host", "kind": "internet", "ip": "203.0.113.20", "fqdns": ["files.example.net"]}),
    );
    design
}

/// Learn, "Azure Firewall Explicit proxy" (learn.microsoft.com/azure/firewall/explicit-proxy):
/// clients point their HTTP/HTTPS proxy at the firewall's private IP and ports, no UDR needed;
/// only application rules are evaluated for explicit-proxy traffic.
#[test]
fn explicit_proxy_sends_http_and_https_to_the_firewall_and_applies_only_application_rules() {
    // (case, source, destination, port, verdict, deciding step, deciding rule)
    let cases: [(&str, &str, &str, u16, Verdict, Step, &str); 4] = [
        (
            "allowed by the application rule, the network deny not consulted",
            "ci",
            "pypi.org",
            443,
            Verdict::Allowed,
            Step::FirewallApplication,
            "allow-pypi",
        ),
        (
            "no application rule for the name",
            "ci",
            "files.example.net",
            443,
            Verdict::Blocked,
            Step::FirewallDefault,
            "default deny",
        ),
        (
            "an address, not a name",
            "ci",
            "203.0.113.10",
            443,
            Verdict::Blocked,
            Step::FirewallDefault,
            "default deny",
        ),
        (
            "HTTP to a name no rule allows",
            "ci",
            "pypi.org",
            80,
            Verdict::Blocked,
            Step::FirewallDefault,
            "default deny",
        ),
    ];
    let engine = engine(&explicit_proxy_design());
    for (case, from, to, port, verdict, step, rule) in cases {
        let trace = tcp(&engine, from, to, port);
        expect_decided(&trace, verdict, step, rule);
        let proxy_hop = trace
            .hops
            .iter()
            .find(|h| h.reason.starts_with("explicit proxy:"))
            .unwrap_or_else(|| panic!("{case}: no explicit proxy hop: {}", dump(&trace)));
        let proxy_port = if port == 80 {
            "10.0.3.4:8080"
        } else {
            "10.0.3.4:8443"
        };
        assert!(
            proxy_hop.reason.contains(proxy_port),
            "{case}: {}",
            proxy_hop.reason
        );
        assert!(
            !trace.hops.iter().any(|h| h.step == Step::FirewallNetwork),
            "{case}: network rules are not evaluated: {}",
            dump(&trace)
        );
        if verdict == Verdict::Blocked {
            let decided = trace.decided_by.as_ref().expect("deciding hop");
            assert!(
                decided
                    .reason
                    .contains("explicit proxy: only application rules apply"),
                "{case}: {}",
                decided.reason
            );
        }
    }
    // Not proxied: another port, or a client not configured for the proxy, goes directly
    // (default outbound access), never through the firewall.
    for (from, port) in [("ci", 22), ("vm2", 443)] {
        let trace = tcp(&engine, from, "pypi.org", port);
        assert_eq!(
            trace.verdict,
            Verdict::Allowed,
            "{from}:{port}: {}",
            dump(&trace)
        );
        assert!(
            !trace.hops.iter().any(|h| h.step.is_firewall()),
            "{from}:{port}: {}",
            dump(&trace)
        );
    }
}

/// The leg to the proxy is a real flow: the client's NSG decides it, and a policy without the
/// explicit proxy refuses the requests.
#[test]
fn the_leg_to_the_explicit_proxy_passes_the_client_nsg_and_needs_the_policy_setting() {
    let mut design = explicit_proxy_design();
    set(
        &mut design,
        "/network_security_groups/0/rules",
        json!([nsg_rule(
            "no-proxy-port",
            100,
            "Outbound",
            "Deny",
            "Tcp",
            ["*", "10.0.3.4", "8443"]
        )]),
    );
    let trace = tcp(&engine(&design), "ci", "pypi.org", 443);
    expect_decided(&trace, Verdict::Blocked, Step::NsgOutbound, "no-proxy-port");

    let mut design = explicit_proxy_design();
    set(
        &mut design,
        "/firewall_policies/0/explicit_proxy",
        Value::Null,
    );
    let trace = tcp(&engine(&design), "ci", "pypi.org", 443);
    assert_eq!(trace.verdict, Verdict::Blocked, "{}", dump(&trace));
    let decided = trace.decided_by.as_ref().expect("deciding hop");
    assert!(
        decided
            .reason
            .contains("does not enable the explicit proxy"),
        "{}",
        decided.reason
    );
}

/// An edit of the test design.
type Edit<'a> = Box<dyn Fn(&mut Value) + 'a>;

/// Validation of the new constructs names the element and the JSON path.
#[test]
fn validation_names_bad_dnat_translations_proxy_ports_and_proxy_clients() {
    let dnat_rule = |translation: Value| {
        let mut rule = json!({"name": "r", "protocols": ["Tcp"], "destination_address": "20.0.0.1", "destination_ports": ["80"], "translated_port": 80});
        for (key, value) in translation.as_object().expect("object") {
            rule[key] = value.clone();
        }
        rule
    };
    // (case, edit, severity, JSON path, words)
    let cases: [(&str, Edit<'_>, Severity, &str, &str); 7] = [
        ("both translations", Box::new(|d: &mut Value| set(d, "/firewall_policies/0/rule_collection_groups/0/rule_collections", json!([{"type": "nat", "name": "n", "priority": 100, "rules": [dnat_rule(json!({"translated_address": "10.0.1.5", "translated_fqdn": "app.contoso.internal"}))]}]))),
            Severity::Error, "$.firewall_policies[0].rule_collection_groups[0].rule_collections[0].rules[0].translated_address", "has both a translated address and a translated FQDN"),
        ("no translation", Box::new(|d: &mut Value| set(d, "/firewall_policies/0/rule_collection_groups/0/rule_collections", json!([{"type": "nat", "name": "n", "priority": 100, "rules": [dnat_rule(json!({}))]}]))),
            Severity::Error, "$.firewall_policies[0].rule_collection_groups[0].rule_collections[0].rules[0].translated_address", "neither a translated address nor a translated FQDN"),
        ("same proxy ports", Box::new(|d: &mut Value| set(d, "/firewall_policies/0/explicit_proxy", json!({"http_port": 8080, "https_port": 8080}))),
            Severity::Error, "$.firewall_policies[0].explicit_proxy.https_port", "must differ"),
        ("proxy port too high", Box::new(|d: &mut Value| set(d, "/firewall_policies/0/explicit_proxy", json!({"https_port": 64001}))),
            Severity::Error, "$.firewall_policies[0].explicit_proxy.https_port", "outside 1-64000"),
        ("no proxy port", Box::new(|d: &mut Value| set(d, "/firewall_policies/0/explicit_proxy", json!({}))),
            Severity::Error, "$.firewall_policies[0].explicit_proxy", "needs an HTTP or HTTPS port"),
        ("unknown proxy firewall", Box::new(|d: &mut Value| set(d, "/computes/0/explicit_proxy", json!("fw2"))),
            Severity::Error, "$.computes[0].explicit_proxy", "`fw2` is not a firewall of the design"),
        ("proxy not enabled", Box::new(|d: &mut Value| set(d, "/firewall_policies/0/explicit_proxy", Value::Null)),
            Severity::Warning, "$.computes[0].explicit_proxy", "has no policy enabling the explicit proxy"),
    ];
    let clean: Design = serde_json::from_value(explicit_proxy_design()).expect("parses");
    assert!(
        validate(&clean)
            .iter()
            .all(|d| !d.path.contains("explicit_proxy") && !d.path.contains("translated")),
        "{:?}",
        validate(&clean)
    );
    for (case, edit, severity, path, words) in cases {
        let mut design = explicit_proxy_design();
        edit(&mut design);
        let design: Design = serde_json::from_value(design).expect("parses");
        let diagnostics = validate(&design);
        assert!(
            diagnostics
                .iter()
                .any(|d| d.severity == severity && d.path == path && d.message.contains(words)),
            "{case}: {diagnostics:#?}"
        );
    }
}

/// A hub firewall's explicit proxy serves a spoke compute across a Connected peering, with no
/// UDR at all; without the peering back the hub is not in the spoke's VirtualNetwork tag, so
/// the default NSG rule already stops the leg to the proxy (Learn, "Azure Firewall Explicit
/// proxy"; "Virtual network peering": traffic flows only when both directions exist).
#[test]
fn a_hub_explicit_proxy_serves_spokes_across_a_connected_peering_without_a_udr() {
    let peering = |name: &str, local: &str, remote: &str| json!({"name": name, "local_vnet": local, "remote_vnet": remote});
    // (peerings, verdict)
    let cases = [
        (
            vec![
                peering("spoke-to-hub", "vnet", "hub"),
                peering("hub-to-spoke", "hub", "vnet"),
            ],
            Verdict::Allowed,
        ),
        (
            vec![peering("spoke-to-hub", "vnet", "hub")],
            Verdict::Blocked,
        ),
    ];
    for (peerings, verdict) in cases {
        let mut design = super::hub_spoke::hub_spoke("10.1.0.4");
        set(
            &mut design,
            "/virtual_networks/0/subnets/0/route_table",
            Value::Null,
        );
        set(&mut design, "/peerings", Value::Array(peerings.clone()));
        set(&mut design, "/firewalls/0/policy", json!("policy"));
        set(&mut design, "/firewalls/0/rule_collections", json!([]));
        set(
            &mut design,
            "/firewall_policies",
            json!([{"name": "policy", "explicit_proxy": {"https_port": 8443},
                "rule_collection_groups": [group("g", 100, json!([application("web", 200, "Allow", json!([https_rule("allow-pypi", &["pypi.org"])]))]))]}]),
        );
        set(&mut design, "/computes/0/explicit_proxy", json!("fw-hub"));
        let trace = tcp(&engine(&design), "ci", "pypi.org", 443);
        assert_eq!(
            trace.verdict,
            verdict,
            "{} peerings: {}",
            peerings.len(),
            dump(&trace)
        );
        assert!(
            trace
                .hops
                .iter()
                .any(|h| h.reason.contains("explicit proxy at 10.1.0.4:8443")),
            "{}",
            dump(&trace)
        );
        if verdict == Verdict::Blocked {
            expect_decided(&trace, verdict, Step::NsgOutbound, "DenyAllOutBound");
        }
        if verdict == Verdict::Allowed {
            expect_decided(&trace, verdict, Step::FirewallApplication, "allow-pypi");
            assert!(
                !trace.hops.iter().any(|h| h.step == Step::Route
                    && h.rule.as_ref().is_some_and(|r| r.container == "rt-spoke")),
                "no UDR used: {}",
                dump(&trace)
            );
        }
    }
}
