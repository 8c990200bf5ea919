//! Enterprise hub-spoke fidelity (issue 12): next hops across peerings, NVA NSGs, and the
//! other defects found against Microsoft Learn. Each table cites the document whose rule it
//! asserts.

use serde_json::{json, Value};
use vnetlab::engine::{Step, Verdict};
use vnetlab::model::{validate, Design, Severity};

use super::support::{
    base, engine, expect_decided, expect_stopped_at, nsg_rule, push, rules_at, set, tcp,
};

/// The base design as a spoke (`vnet`) whose training subnet sends 0.0.0.0/0 to `next_hop`,
/// and a hub VNet `hub` with Azure Firewall `fw-hub` (10.1.0.4, allow-all network rule) and a
/// network virtual appliance `nva` (10.1.1.4, IP forwarding) in subnet `hub/nva`.
pub fn hub_spoke(next_hop: &str) -> Value {
    let mut design = base();
    push(
        &mut design,
        "/virtual_networks",
        json!({"name": "hub", "region": "eastus", "address_space": ["10.1.0.0/16"],
            "subnets": [{"name": "AzureFirewallSubnet", "prefix": "10.1.0.0/26"},
                        {"name": "nva", "prefix": "10.1.1.0/24"}]}),
    );
    set(
        &mut design,
        "/firewalls",
        json!([{"name": "fw-hub", "subnet": "hub/AzureFirewallSubnet", "private_ip": "10.1.0.4", "public_ip": "20.0.0.1",
        "rule_collections": [{"type": "network", "name": "allow-all", "priority": 100, "action": "Allow",
            "rules": [{"name": "any", "protocols": ["Any"], "sources": ["*"], "destinations": ["*"], "destination_ports": ["*"]}]}]}]),
    );
    push(
        &mut design,
        "/computes",
        json!({"name": "nva", "kind": "network_virtual_appliance",
               "nic": {"subnet": "hub/nva", "private_ip": "10.1.1.4", "public_ip": "20.0.0.9", "ip_forwarding": true}}),
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/route_table",
        json!("rt-spoke"),
    );
    set(
        &mut design,
        "/route_tables",
        json!([{"name": "rt-spoke", "routes": [{"name": "default-to-hub", "address_prefix": "0.0.0.0/0",
            "next_hop_type": "VirtualAppliance", "next_hop_ip": next_hop}]}]),
    );
    design
}

fn peering(name: &str, local: &str, remote: &str) -> Value {
    json!({"name": name, "local_vnet": local, "remote_vnet": remote, "allow_forwarded_traffic": true})
}

fn with_peerings(mut design: Value, peerings: &[Value]) -> Value {
    set(&mut design, "/peerings", Value::Array(peerings.to_vec()));
    design
}

/// Microsoft Learn, "Virtual network traffic routing", user-defined routes: a VirtualAppliance
/// next-hop IP needs direct connectivity (same or peered VNet), otherwise the route
/// configuration is invalid. "Virtual network peering": traffic flows only once both
/// directions exist (Connected); one direction alone is Initiated.
#[test]
fn udr_next_hop_needs_a_connected_peering_virtual_networks_udr_overview() {
    let both = [
        peering("spoke-to-hub", "vnet", "hub"),
        peering("hub-to-spoke", "hub", "vnet"),
    ];
    let one = [peering("spoke-to-hub", "vnet", "hub")];
    /// (next hop, peerings, verdict, the step that shows it, the deciding rule)
    type Case<'a> = (&'a str, &'a [Value], Verdict, Step, Option<&'a str>);
    let cases: [Case; 6] = [
        (
            "10.1.0.4",
            &both,
            Verdict::Allowed,
            Step::FirewallNetwork,
            Some("any"),
        ),
        (
            "10.1.0.4",
            &one,
            Verdict::NoRoute,
            Step::Peering,
            Some("spoke-to-hub"),
        ),
        ("10.1.0.4", &[], Verdict::NoRoute, Step::Appliance, None),
        ("10.1.1.4", &both, Verdict::Allowed, Step::Delivered, None),
        (
            "10.1.1.4",
            &one,
            Verdict::NoRoute,
            Step::Peering,
            Some("spoke-to-hub"),
        ),
        ("10.1.1.4", &[], Verdict::NoRoute, Step::Appliance, None),
    ];
    for (next_hop, peerings, verdict, step, rule) in cases {
        let design = with_peerings(hub_spoke(next_hop), peerings);
        let trace = tcp(&engine(&design), "ci", "internet-host", 443);
        match rule {
            Some(rule) if verdict != Verdict::Allowed => {
                expect_decided(&trace, verdict, step, rule)
            }
            _ => {
                assert_eq!(
                    trace.verdict,
                    verdict,
                    "{next_hop} with {} peerings: {}",
                    peerings.len(),
                    trace.reason
                );
                assert!(
                    trace.hops.iter().any(|h| h.step == step),
                    "{next_hop}: no {step:?} hop"
                );
            }
        }
        if verdict == Verdict::NoRoute {
            let decided = trace.decided_by.as_ref().expect("a deciding hop");
            assert!(
                decided.reason.contains("hub") && decided.reason.contains(next_hop),
                "the trace says which next hop and why: {}",
                decided.reason
            );
        }
    }
}

/// Microsoft Learn, "How network security groups filter network traffic": inbound traffic is
/// filtered by the subnet's NSG then the NIC's, outbound by the NIC's then the subnet's — also
/// for traffic an NVA forwards, which arrives at and leaves through its NIC.
#[test]
fn nva_subnet_and_nic_nsgs_filter_forwarded_traffic_network_security_group_how_it_works() {
    let deny_in = nsg_rule(
        "deny-spoke-in",
        100,
        "Inbound",
        "Deny",
        "*",
        ["10.0.0.0/16", "*", "*"],
    );
    let deny_out = nsg_rule(
        "deny-web-out",
        100,
        "Outbound",
        "Deny",
        "Tcp",
        ["*", "*", "443"],
    );
    let cases = [
        (
            "subnet",
            deny_in.clone(),
            Verdict::Blocked,
            Step::NsgInbound,
            "deny-spoke-in",
        ),
        (
            "nic",
            deny_in,
            Verdict::Blocked,
            Step::NsgInbound,
            "deny-spoke-in",
        ),
        (
            "nic",
            deny_out.clone(),
            Verdict::Blocked,
            Step::NsgOutbound,
            "deny-web-out",
        ),
        (
            "subnet",
            deny_out,
            Verdict::Blocked,
            Step::NsgOutbound,
            "deny-web-out",
        ),
    ];
    for (level, rule, verdict, step, name) in cases {
        let mut design = with_peerings(
            hub_spoke("10.1.1.4"),
            &[
                peering("spoke-to-hub", "vnet", "hub"),
                peering("hub-to-spoke", "hub", "vnet"),
            ],
        );
        // Forwarded traffic keeps its internet destination, which the default AllowVnetInBound
        // does not cover: an NVA's NSG needs its own inbound allow.
        let forwarded = nsg_rule(
            "allow-forwarded",
            200,
            "Inbound",
            "Allow",
            "*",
            ["VirtualNetwork", "*", "*"],
        );
        push(
            &mut design,
            "/network_security_groups",
            json!({"name": "nsg-nva", "rules": [rule, forwarded]}),
        );
        let pointer = if level == "subnet" {
            "/virtual_networks/1/subnets/1/nsg"
        } else {
            "/computes/2/nic/nsg"
        };
        set(&mut design, pointer, json!("nsg-nva"));
        let trace = tcp(&engine(&design), "ci", "internet-host", 443);
        expect_decided(&trace, verdict, step, name);
        assert_eq!(
            trace.decided_by.as_ref().map(|h| h.element.as_str()),
            Some("nsg-nva")
        );
    }
    let open = with_peerings(
        hub_spoke("10.1.1.4"),
        &[
            peering("spoke-to-hub", "vnet", "hub"),
            peering("hub-to-spoke", "hub", "vnet"),
        ],
    );
    let trace = tcp(&engine(&open), "ci", "internet-host", 443);
    assert_eq!(trace.verdict, Verdict::Allowed, "{}", trace.reason);
    let nva_nsg_hops: Vec<Step> = trace
        .hops
        .iter()
        .filter(|h| {
            h.element.starts_with("hub/nva")
                && matches!(h.step, Step::NsgInbound | Step::NsgOutbound)
        })
        .map(|h| h.step)
        .collect();
    assert_eq!(
        nva_nsg_hops,
        [
            Step::NsgInbound,
            Step::NsgInbound,
            Step::NsgOutbound,
            Step::NsgOutbound
        ],
        "the trace shows the NVA's subnet and NIC NSGs both ways"
    );
}

/// The diagnostics `validate` reports at `path`, as (severity, message).
pub fn diagnostics_at(design: &Value, path: &str) -> Vec<(Severity, String)> {
    let design: Design = serde_json::from_value(design.clone()).expect("test design parses");
    validate(&design)
        .into_iter()
        .filter(|d| d.path == path)
        .map(|d| (d.severity, d.message))
        .collect()
}

/// The same rule as `udr_next_hop_needs_a_connected_peering_…`, as a validation warning on the
/// route (Microsoft Learn, "Virtual network traffic routing", user-defined routes).
#[test]
fn validate_warns_about_an_unreachable_next_hop_virtual_networks_udr_overview() {
    let path = "$.route_tables[0].routes[0].next_hop_ip";
    let cases: [(&[Value], Option<&str>); 4] = [
        (
            &[
                peering("spoke-to-hub", "vnet", "hub"),
                peering("hub-to-spoke", "hub", "vnet"),
            ],
            None,
        ),
        (
            &[peering("spoke-to-hub", "vnet", "hub")],
            Some("only one direction"),
        ),
        (
            &[peering("hub-to-spoke", "hub", "vnet")],
            Some("only one direction"),
        ),
        (&[], Some("not peered")),
    ];
    for (peerings, expected) in cases {
        for next_hop in ["10.1.0.4", "10.1.1.4"] {
            let found = diagnostics_at(&with_peerings(hub_spoke(next_hop), peerings), path);
            match expected {
                None => assert!(found.is_empty(), "{next_hop}: {found:?}"),
                Some(words) => assert!(
                    found
                        .iter()
                        .any(|(severity, message)| *severity == Severity::Warning
                            && message.contains(words)
                            && message.contains(next_hop)
                            && message.contains("vnet/training")),
                    "{next_hop} with {} peerings: {found:?}",
                    peerings.len()
                ),
            }
        }
    }
}

/// Microsoft Learn, "Virtual network traffic routing", user-defined routes: a
/// `VirtualNetworkGateway` next hop must be a VPN gateway; an ExpressRoute gateway cannot be a
/// UDR's next hop, so such a route is not used (and `validate` reports it as an error).
#[test]
fn udr_to_an_express_route_gateway_is_not_used_virtual_networks_udr_overview() {
    let cases: [(&[&str], Verdict, Option<&str>, bool); 4] = [
        (&["vpn"], Verdict::Allowed, Some("to-onprem"), false),
        (&["express_route"], Verdict::NoRoute, None, true),
        (
            &["express_route", "vpn"],
            Verdict::Allowed,
            Some("to-onprem"),
            false,
        ),
        (&[], Verdict::NoRoute, Some("to-onprem"), false),
    ];
    for (kinds, verdict, route, error) in cases {
        let mut design = base();
        // Without an NSG, routing alone decides.
        set(
            &mut design,
            "/virtual_networks/0/subnets/0/nsg",
            Value::Null,
        );
        set(
            &mut design,
            "/virtual_networks/0/subnets/0/route_table",
            json!("rt"),
        );
        set(
            &mut design,
            "/route_tables",
            json!([{"name": "rt", "routes": [{"name": "to-onprem", "address_prefix": "192.168.0.0/16", "next_hop_type": "VirtualNetworkGateway"}]}]),
        );
        let gateways: Vec<Value> = kinds
            .iter()
            .map(|kind| json!({"name": format!("gw-{kind}"), "kind": kind, "vnet": "vnet", "on_premises_prefixes": ["172.16.0.0/12"]}))
            .collect();
        set(&mut design, "/gateways", Value::Array(gateways));
        let trace = tcp(&engine(&design), "ci", "192.168.1.10", 443);
        assert_eq!(trace.verdict, verdict, "{kinds:?}: {}", trace.reason);
        let routes = rules_at(&trace, Step::Route);
        match route {
            Some(name) => assert!(routes.iter().any(|r| r == name), "{kinds:?}: {routes:?}"),
            None => assert!(
                !routes.iter().any(|r| r == "to-onprem"),
                "{kinds:?}: the UDR to the ExpressRoute gateway is used: {routes:?}"
            ),
        }
        let errors: Vec<_> = diagnostics_at(&design, "$.route_tables[0].routes[0].next_hop_type")
            .into_iter()
            .filter(|(severity, message)| {
                *severity == Severity::Error && message.contains("ExpressRoute")
            })
            .collect();
        assert_eq!(!errors.is_empty(), error, "{kinds:?}: {errors:?}");
    }
}

/// Well-known hosts the design does not model belong to their service tags (Microsoft Learn,
/// "Configure inbound and outbound network traffic" for Azure Machine Learning: studio
/// `ml.azure.com` is `AzureFrontDoor.Frontend`, `management.azure.com` is
/// `AzureResourceManager`, `mcr.microsoft.com` is `MicrosoftContainerRegistry`; package hosts
/// are outside Azure), so a firewall network rule naming a tag decides instead of `unsupported`.
#[test]
fn well_known_fqdns_belong_to_their_service_tags_how_to_access_azureml_behind_firewall() {
    let mut design = with_peerings(
        hub_spoke("10.1.0.4"),
        &[
            peering("spoke-to-hub", "vnet", "hub"),
            peering("hub-to-spoke", "hub", "vnet"),
        ],
    );
    set(&mut design, "/services", json!([]));
    set(
        &mut design,
        "/firewalls/0/rule_collections",
        json!([{"type": "network", "name": "aml", "priority": 100, "action": "Allow", "rules": [
            {"name": "studio", "protocols": ["Tcp"], "sources": ["*"], "destinations": ["AzureFrontDoor.Frontend"], "destination_ports": ["443"]},
            {"name": "arm", "protocols": ["Tcp"], "sources": ["*"], "destinations": ["AzureResourceManager"], "destination_ports": ["443"]},
            {"name": "azure-cloud", "protocols": ["Tcp"], "sources": ["*"], "destinations": ["AzureCloud.westus"], "destination_ports": ["8443"]}
        ]}]),
    );
    let cases = [
        ("ml.azure.com", 443, Verdict::Allowed, Some("studio")),
        ("management.azure.com", 443, Verdict::Allowed, Some("arm")),
        (
            "exfil-endpoint.azurefd.net",
            443,
            Verdict::Allowed,
            Some("studio"),
        ),
        ("mcr.microsoft.com", 443, Verdict::Blocked, None),
        ("files.pythonhosted.org", 443, Verdict::Blocked, None),
        ("files.pythonhosted.org", 8443, Verdict::Blocked, None),
        ("unknown.example.com", 8443, Verdict::Unsupported, None),
    ];
    let engine = engine(&design);
    for (fqdn, port, verdict, rule) in cases {
        let trace = tcp(&engine, "ci", fqdn, port);
        assert_eq!(trace.verdict, verdict, "{fqdn}:{port}: {}", trace.reason);
        match rule {
            Some(rule) => assert_eq!(
                rules_at(&trace, Step::FirewallNetwork),
                [rule],
                "{fqdn}: the tag rule decides"
            ),
            None if verdict == Verdict::Blocked => {
                expect_stopped_at(&trace, verdict, Step::FirewallDefault)
            }
            None => {}
        }
    }
    let dns = tcp(&engine, "ci", "exfil-endpoint.azurefd.net", 443);
    assert!(
        dns.hops
            .iter()
            .any(|h| h.step == Step::Dns && h.reason.contains("attacker")),
        "the trace says an attacker can own a Front Door name"
    );
}

/// Microsoft Learn, "Azure Firewall forced tunneling" and the Azure Firewall FAQ: a firewall
/// needs a public IP address; only in forced-tunnelling mode (its subnet's 0.0.0.0/0 sent to a
/// gateway or appliance) can its data path go without one.
#[test]
fn a_firewall_needs_a_public_ip_unless_forced_tunnelling_forced_tunneling() {
    let path = "$.firewalls[0].public_ip";
    let cases = [
        (Some("20.0.0.1"), None, false),
        (None, None, true),
        (None, Some("Internet"), true),
        (None, Some("VirtualNetworkGateway"), false),
        (None, Some("VirtualAppliance"), false),
    ];
    for (public_ip, default_route, error) in cases {
        let mut design = hub_spoke("10.1.0.4");
        match public_ip {
            Some(ip) => set(&mut design, "/firewalls/0/public_ip", json!(ip)),
            None => set(&mut design, "/firewalls/0/public_ip", Value::Null),
        }
        if let Some(next_hop) = default_route {
            set(
                &mut design,
                "/virtual_networks/1/subnets/0/route_table",
                json!("rt-fw"),
            );
            let mut route =
                json!({"name": "forced", "address_prefix": "0.0.0.0/0", "next_hop_type": next_hop});
            if next_hop == "VirtualAppliance" {
                set(&mut route, "/next_hop_ip", json!("10.1.1.4"));
            }
            push(
                &mut design,
                "/route_tables",
                json!({"name": "rt-fw", "routes": [route]}),
            );
        }
        let found = diagnostics_at(&design, path);
        let reported = found.iter().any(|(severity, message)| {
            *severity == Severity::Error && message.contains("requires a public IP")
        });
        assert_eq!(
            reported, error,
            "{public_ip:?} {default_route:?}: {found:?}"
        );
    }
}

/// Issue 12 defect 7, explanations. "Virtual network peering": an Initiated peering carries no
/// traffic — the trace says so where the flow fails, not only `validate`. An allowed transit
/// flow through Azure Firewall is decided by the firewall rule, not by the peering crossed after
/// it ("Azure Firewall rule processing logic": the matching rule allows the flow).
#[test]
fn transit_and_peering_explanations_virtual_network_peering_overview() {
    // A spoke VM in the hub reached over a one-sided peering: the trace names the peering.
    let mut design = with_peerings(
        hub_spoke("10.1.0.4"),
        &[peering("hub-to-spoke", "hub", "vnet")],
    );
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/route_table",
        Value::Null,
    );
    // Without an NSG, routing alone decides.
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/nsg",
        Value::Null,
    );
    let trace = tcp(&engine(&design), "ci", "nva", 443);
    assert_ne!(trace.verdict, Verdict::Allowed, "{}", trace.reason);
    assert!(
        trace.hops.iter().any(|h| h.step == Step::Peering
            && h.rule.as_ref().is_some_and(|r| r.name == "hub-to-spoke")
            && h.reason.contains("Initiated")),
        "the trace names the one-sided peering: {:?}",
        trace.hops
    );
    // Spoke to spoke through the hub firewall: the firewall rule decides the allowed flow.
    let mut design = with_peerings(
        hub_spoke("10.1.0.4"),
        &[
            peering("spoke-to-hub", "vnet", "hub"),
            peering("hub-to-spoke", "hub", "vnet"),
        ],
    );
    push(
        &mut design,
        "/virtual_networks",
        json!({"name": "spoke2", "region": "eastus", "address_space": ["10.2.0.0/16"],
               "subnets": [{"name": "app", "prefix": "10.2.0.0/24", "route_table": "rt-spoke2"}]}),
    );
    push(
        &mut design,
        "/computes",
        json!({"name": "app", "kind": "virtual_machine", "nic": {"subnet": "spoke2/app", "private_ip": "10.2.0.4"}}),
    );
    for p in [
        peering("spoke2-to-hub", "spoke2", "hub"),
        peering("hub-to-spoke2", "hub", "spoke2"),
    ] {
        push(&mut design, "/peerings", p);
    }
    push(
        &mut design,
        "/route_tables",
        json!({"name": "rt-spoke2", "routes": [{"name": "back-via-hub", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.1.0.4"}]}),
    );
    let trace = tcp(&engine(&design), "ci", "app", 443);
    assert_eq!(trace.verdict, Verdict::Allowed, "{}", trace.reason);
    assert!(rules_at(&trace, Step::Peering).contains(&"hub-to-spoke2".to_string()));
    let decided = trace.decided_by.as_ref().expect("a deciding hop");
    assert_eq!(
        (decided.step, decided.rule.as_ref().map(|r| r.name.as_str())),
        (Step::FirewallNetwork, Some("any"))
    );
}

/// Issue 12 defect 7: a reply the destination cannot route at all is "no route back", one it
/// routes past the firewall is "routed around" ("Azure Firewall SNAT private IP address
/// ranges" and the hub-spoke reference: without SNAT the return must come back through the
/// firewall).
#[test]
fn asymmetric_return_says_no_route_back_or_around_azure_firewall_snat_private_range() {
    // (spoke2's route table, direct spoke-spoke peering, verdict, words of the reason)
    let cases = [
        (Some("10.1.0.4"), false, Verdict::Allowed, ""),
        (None, false, Verdict::Blocked, "has no route back"),
        (None, true, Verdict::Blocked, "around it"),
    ];
    for (back_via, direct, verdict, words) in cases {
        let mut design = with_peerings(
            hub_spoke("10.1.0.4"),
            &[
                peering("spoke-to-hub", "vnet", "hub"),
                peering("hub-to-spoke", "hub", "vnet"),
                peering("spoke2-to-hub", "spoke2", "hub"),
                peering("hub-to-spoke2", "hub", "spoke2"),
            ],
        );
        push(
            &mut design,
            "/virtual_networks",
            json!({"name": "spoke2", "region": "eastus", "address_space": ["10.2.0.0/16"],
                   "subnets": [{"name": "app", "prefix": "10.2.0.0/24"}]}),
        );
        push(
            &mut design,
            "/computes",
            json!({"name": "app", "kind": "virtual_machine", "nic": {"subnet": "spoke2/app", "private_ip": "10.2.0.4"}}),
        );
        // The source sends spoke2's range to the firewall even when a direct peering exists.
        push(
            &mut design,
            "/route_tables/0/routes",
            json!({"name": "spoke2-via-hub", "address_prefix": "10.2.0.0/16", "next_hop_type": "VirtualAppliance", "next_hop_ip": "10.1.0.4"}),
        );
        if let Some(ip) = back_via {
            set(
                &mut design,
                "/virtual_networks/2/subnets/0/route_table",
                json!("rt-spoke2"),
            );
            push(
                &mut design,
                "/route_tables",
                json!({"name": "rt-spoke2", "routes": [{"name": "back", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance", "next_hop_ip": ip}]}),
            );
        }
        if direct {
            push(
                &mut design,
                "/peerings",
                peering("spoke-to-spoke2", "vnet", "spoke2"),
            );
            push(
                &mut design,
                "/peerings",
                peering("spoke2-to-spoke", "spoke2", "vnet"),
            );
        }
        let trace = tcp(&engine(&design), "ci", "app", 443);
        assert_eq!(
            trace.verdict, verdict,
            "{back_via:?} {direct}: {}",
            trace.reason
        );
        assert!(
            trace.reason.contains(words),
            "{back_via:?} {direct}: {}",
            trace.reason
        );
    }
}

/// Issue 12 defect 7, validation: "Virtual network service endpoints" — a resource's virtual
/// network rule applies only to a subnet with the service endpoint enabled; "Workspace managed
/// network isolation" — in allow-only-approved mode FQDN outbound rules never reach storage (a
/// private endpoint outbound rule does).
#[test]
fn rules_that_cannot_work_are_warnings_virtual_network_service_endpoints_how_to_managed_network() {
    let endpoint_path = "$.resources[0].network_acls.virtual_network_rules[0]";
    let cases = [
        (json!([]), true),
        (json!(["Microsoft.Storage"]), false),
        (json!(["Microsoft.Storage.Global"]), false),
        (json!(["Microsoft.KeyVault"]), true),
    ];
    for (endpoints, warned) in cases {
        let mut design = base();
        set(
            &mut design,
            "/resources/0/network_acls",
            json!({"default_action": "Deny", "virtual_network_rules": ["vnet/training"]}),
        );
        set(
            &mut design,
            "/virtual_networks/0/subnets/0/service_endpoints",
            endpoints.clone(),
        );
        let found = diagnostics_at(&design, endpoint_path);
        let warning = found.iter().any(|(s, m)| {
            *s == Severity::Warning && m.contains("no Microsoft.Storage service endpoint")
        });
        assert_eq!(warning, warned, "{endpoints}: {found:?}");
    }
    let fqdn_path = "$.workspaces[0].managed_network.outbound_rules[0].fqdn";
    let cases = [
        (
            "allow_only_approved_outbound",
            "*.blob.core.windows.net",
            true,
        ),
        (
            "allow_only_approved_outbound",
            "wsstorage.dfs.core.windows.net",
            true,
        ),
        ("allow_only_approved_outbound", "pypi.org", false),
        ("allow_internet_outbound", "*.blob.core.windows.net", false),
    ];
    for (mode, fqdn, warned) in cases {
        let mut design = base();
        set(
            &mut design,
            "/workspaces/0/managed_network",
            json!({"isolation_mode": mode, "outbound_rules": [{"type": "fqdn", "name": "by-name", "fqdn": fqdn}]}),
        );
        let found = diagnostics_at(&design, fqdn_path);
        let warning = found
            .iter()
            .any(|(s, m)| *s == Severity::Warning && m.contains("never reach a storage account"));
        assert_eq!(warning, warned, "{mode} {fqdn}: {found:?}");
    }
}

/// A network virtual appliance with SNAT on replaces the source with its own address, so the
/// destination's NSG sees the appliance; with SNAT off it forwards the packet unchanged and
/// the destination sees the original source. Azure Architecture Center, "Deploy highly
/// available NVAs" (learn.microsoft.com/azure/architecture/networking/guide/
/// network-virtual-appliance-high-availability): "the NVA instances must perform SNAT to
/// attract return traffic and ensure traffic symmetry".
#[test]
fn an_nva_with_snat_shows_its_own_address_to_the_destination_network_virtual_appliance() {
    let mut design = with_peerings(
        hub_spoke("10.1.1.4"),
        &[
            peering("spoke-to-hub", "vnet", "hub"),
            peering("hub-to-spoke", "hub", "vnet"),
            peering("hub-to-spoke2", "hub", "spoke2"),
            peering("spoke2-to-hub", "spoke2", "hub"),
        ],
    );
    push(
        &mut design,
        "/virtual_networks",
        json!({"name": "spoke2", "region": "eastus", "address_space": ["10.2.0.0/16"],
               "subnets": [{"name": "app", "prefix": "10.2.1.0/24", "nsg": "nsg-app"}]}),
    );
    push(
        &mut design,
        "/computes",
        json!({"name": "app-vm", "kind": "virtual_machine", "nic": {"subnet": "spoke2/app", "private_ip": "10.2.1.4"}}),
    );
    push(
        &mut design,
        "/network_security_groups",
        json!({"name": "nsg-app", "rules": [
            nsg_rule("from-nva", 100, "Inbound", "Allow", "Tcp", ["10.1.1.4", "*", "443"]),
            nsg_rule("deny-rest", 200, "Inbound", "Deny", "*", ["*", "*", "*"]),
        ]}),
    );
    let unchanged = tcp(&engine(&design), "ci", "app-vm", 443);
    expect_decided(&unchanged, Verdict::Blocked, Step::NsgInbound, "deny-rest");
    assert!(unchanged
        .hops
        .iter()
        .any(|h| h.step == Step::Appliance && h.reason.contains("without SNAT")));

    set(&mut design, "/computes/2/nic/snat", json!(true));
    let translated = tcp(&engine(&design), "ci", "app-vm", 443);
    assert_eq!(
        translated.verdict,
        Verdict::Allowed,
        "{}",
        translated.reason
    );
    assert!(
        translated
            .hops
            .iter()
            .any(|h| h.rule.as_ref().is_some_and(|r| r.name == "from-nva")),
        "the appliance's address matched the NSG rule"
    );
    assert!(translated
        .hops
        .iter()
        .any(|h| h.step == Step::Appliance && h.reason.contains("SNAT")));
}
