//! NSG semantics: defaults, first match by priority, both levels, ASGs, service tags, the
//! VirtualNetwork tag with UDR prefixes, platform addresses, unknown and misspelt tags.

use serde_json::json;
use vnetlab::engine::{Step, Verdict};
use vnetlab::model::Protocol;

use super::support::{
    base, engine, expect, expect_decided, expect_stopped_at, nsg_rule, push, set, tcp, trace,
};

const RULES: &str = "/network_security_groups/0/rules";

#[test]
fn default_rules_allow_internet_outbound() {
    let engine = engine(&base());
    expect(
        &tcp(&engine, "ci", "internet-host", 443),
        Verdict::Allowed,
        Step::NsgOutbound,
        "AllowInternetOutBound",
    );
    expect(
        &tcp(&engine, "ci", "vm2", 22),
        Verdict::Allowed,
        Step::NsgInbound,
        "AllowVnetInBound",
    );
}

#[test]
fn default_rules_deny_inbound_from_the_internet() {
    let mut design = base();
    set(&mut design, "/computes/1/nic/public_ip", json!("52.1.1.1"));
    let engine = engine(&design);
    expect_decided(
        &tcp(&engine, "internet-host", "vm2", 22),
        Verdict::Blocked,
        Step::NsgInbound,
        "DenyAllInBound",
    );
}

#[test]
fn first_match_by_priority_wins() {
    let cases = [
        // (rules, destination, verdict, deciding rule)
        (
            vec![nsg_rule(
                "DenyInternet",
                4000,
                "Outbound",
                "Deny",
                "*",
                ["*", "Internet", "*"],
            )],
            "internet-host",
            Verdict::Blocked,
            "DenyInternet",
        ),
        (
            vec![
                nsg_rule(
                    "AllowWeb",
                    100,
                    "Outbound",
                    "Allow",
                    "Tcp",
                    ["*", "Internet", "443"],
                ),
                nsg_rule(
                    "DenyInternet",
                    4000,
                    "Outbound",
                    "Deny",
                    "*",
                    ["*", "Internet", "*"],
                ),
            ],
            "internet-host",
            Verdict::Allowed,
            "AllowWeb",
        ),
        (
            vec![
                nsg_rule("DenyFirst", 100, "Outbound", "Deny", "*", ["*", "*", "*"]),
                nsg_rule("AllowLater", 200, "Outbound", "Allow", "*", ["*", "*", "*"]),
            ],
            "internet-host",
            Verdict::Blocked,
            "DenyFirst",
        ),
        (
            vec![
                nsg_rule(
                    "AllowStorage",
                    100,
                    "Outbound",
                    "Allow",
                    "Tcp",
                    ["*", "Storage.EastUS", "443"],
                ),
                nsg_rule(
                    "DenyInternet",
                    4000,
                    "Outbound",
                    "Deny",
                    "*",
                    ["*", "Internet", "*"],
                ),
            ],
            "roguestorage",
            Verdict::Allowed,
            "AllowStorage",
        ),
        (
            vec![
                nsg_rule(
                    "AllowStorage",
                    100,
                    "Outbound",
                    "Allow",
                    "Tcp",
                    ["*", "Storage.EastUS", "443"],
                ),
                nsg_rule(
                    "DenyInternet",
                    4000,
                    "Outbound",
                    "Deny",
                    "*",
                    ["*", "Internet", "*"],
                ),
            ],
            "farstorage",
            Verdict::Blocked,
            "DenyInternet",
        ),
        (
            vec![
                nsg_rule(
                    "AllowStorageAll",
                    100,
                    "Outbound",
                    "Allow",
                    "Tcp",
                    ["*", "storage", "443"],
                ),
                nsg_rule(
                    "DenyInternet",
                    4000,
                    "Outbound",
                    "Deny",
                    "*",
                    ["*", "Internet", "*"],
                ),
            ],
            "farstorage",
            Verdict::Allowed,
            "AllowStorageAll",
        ),
        (
            vec![
                nsg_rule(
                    "WrongPort",
                    100,
                    "Outbound",
                    "Allow",
                    "Tcp",
                    ["*", "*", "80"],
                ),
                nsg_rule("DenyAll", 200, "Outbound", "Deny", "*", ["*", "*", "*"]),
            ],
            "internet-host",
            Verdict::Blocked,
            "DenyAll",
        ),
        (
            vec![
                nsg_rule("UdpOnly", 100, "Outbound", "Allow", "Udp", ["*", "*", "*"]),
                nsg_rule("DenyAll", 200, "Outbound", "Deny", "*", ["*", "*", "*"]),
            ],
            "internet-host",
            Verdict::Blocked,
            "DenyAll",
        ),
    ];
    for (rules, destination, verdict, rule) in cases {
        let mut design = base();
        set(&mut design, RULES, json!(rules));
        let engine = engine(&design);
        expect(
            &tcp(&engine, "ci", destination, 443),
            verdict,
            Step::NsgOutbound,
            rule,
        );
    }
}

#[test]
fn nic_and_subnet_nsgs_must_both_allow() {
    let mut design = base();
    push(
        &mut design,
        "/network_security_groups",
        json!({"name": "nsg-nic", "rules": [nsg_rule("DenyVnetIn", 1000, "Inbound", "Deny", "*", ["VirtualNetwork", "*", "*"])]}),
    );
    set(&mut design, "/computes/1/nic/nsg", json!("nsg-nic"));
    let engine = engine(&design);
    let trace = tcp(&engine, "ci", "vm2", 22);
    expect_decided(&trace, Verdict::Blocked, Step::NsgInbound, "DenyVnetIn");
    let subnet_hop = trace
        .hops
        .iter()
        .find(|h| h.step == Step::NsgInbound && h.element == "nsg-training")
        .expect("the subnet NSG ran first");
    assert_eq!(
        subnet_hop.rule.as_ref().map(|r| r.name.as_str()),
        Some("AllowVnetInBound")
    );
    // Outbound: the NIC NSG runs before the subnet NSG.
    let outbound = tcp(&engine, "vm2", "internet-host", 443);
    let order: Vec<&str> = outbound
        .hops
        .iter()
        .filter(|h| h.step == Step::NsgOutbound)
        .map(|h| h.element.as_str())
        .collect();
    assert_eq!(order, ["nsg-nic", "nsg-training"]);
}

#[test]
fn application_security_groups_select_members() {
    let mut design = base();
    set(
        &mut design,
        "/application_security_groups",
        json!(["asg-web"]),
    );
    set(&mut design, "/computes/1/nic/asgs", json!(["asg-web"]));
    set(
        &mut design,
        RULES,
        json!([
            {"name": "AllowToWeb", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "destination_asgs": ["asg-web"], "destination_ports": ["8080"]},
            nsg_rule("DenyVnet", 200, "Inbound", "Deny", "*", ["VirtualNetwork", "*", "*"])
        ]),
    );
    let engine = engine(&design);
    expect(
        &tcp(&engine, "ci", "vm2", 8080),
        Verdict::Allowed,
        Step::NsgInbound,
        "AllowToWeb",
    );
    expect_decided(
        &tcp(&engine, "vm2", "ci", 8080),
        Verdict::Blocked,
        Step::NsgInbound,
        "DenyVnet",
    );
}

#[test]
fn a_default_route_udr_makes_virtual_network_match_everything() {
    let mut design = base();
    set(
        &mut design,
        "/virtual_networks/0/subnets/0/route_table",
        json!("rt"),
    );
    set(
        &mut design,
        "/route_tables",
        json!([{"name": "rt", "routes": [{"name": "to-internet", "address_prefix": "0.0.0.0/0", "next_hop_type": "Internet"}]}]),
    );
    expect(
        &tcp(&engine(&design), "ci", "internet-host", 443),
        Verdict::Allowed,
        Step::NsgOutbound,
        "AllowVnetOutBound",
    );
    set(
        &mut design,
        "/options",
        json!({"udr_prefixes_in_virtual_network": false}),
    );
    expect(
        &tcp(&engine(&design), "ci", "internet-host", 443),
        Verdict::Allowed,
        Step::NsgOutbound,
        "AllowInternetOutBound",
    );
}

#[test]
fn platform_addresses_skip_nsgs() {
    let mut design = base();
    set(
        &mut design,
        RULES,
        json!([nsg_rule(
            "DenyAll",
            100,
            "Outbound",
            "Deny",
            "*",
            ["*", "*", "*"]
        )]),
    );
    let engine = engine(&design);
    assert_eq!(
        tcp(&engine, "ci", "168.63.129.16", 53).verdict,
        Verdict::Allowed
    );
    assert_eq!(
        tcp(&engine, "ci", "169.254.169.254", 80).verdict,
        Verdict::Allowed
    );
    expect_decided(
        &tcp(&engine, "ci", "internet-host", 443),
        Verdict::Blocked,
        Step::NsgOutbound,
        "DenyAll",
    );
}

#[test]
fn only_the_initiating_packet_is_evaluated() {
    let mut design = base();
    set(
        &mut design,
        RULES,
        json!([nsg_rule(
            "DenyAllIn",
            100,
            "Inbound",
            "Deny",
            "*",
            ["*", "*", "*"]
        )]),
    );
    let engine = engine(&design);
    // Replies to an outbound connection are never checked against inbound rules.
    expect(
        &tcp(&engine, "ci", "internet-host", 443),
        Verdict::Allowed,
        Step::NsgOutbound,
        "AllowInternetOutBound",
    );
}

#[test]
fn unknown_tags_are_reported_never_silently_empty() {
    let mut design = base();
    set(
        &mut design,
        RULES,
        json!([nsg_rule(
            "Typo",
            100,
            "Outbound",
            "Deny",
            "*",
            ["*", "Storgae", "*"]
        )]),
    );
    let engine = engine(&design);
    assert!(
        engine
            .diagnostics()
            .iter()
            .any(|d| d.message.contains("Storgae") && d.path.ends_with("rules[0].destination[0]")),
        "{:?}",
        engine.diagnostics()
    );
    let trace = tcp(&engine, "ci", "internet-host", 443);
    assert_eq!(trace.verdict, Verdict::Unsupported, "{}", trace.reason);
    assert!(trace.reason.contains("Storgae"));
}

#[test]
fn doc_misspellings_are_normalised_with_a_warning() {
    let mut design = base();
    set(
        &mut design,
        RULES,
        json!([
            nsg_rule(
                "AllowKv",
                100,
                "Outbound",
                "Allow",
                "Tcp",
                ["*", "Keyvault.EastUS", "443"]
            ),
            nsg_rule(
                "DenyInternet",
                4000,
                "Outbound",
                "Deny",
                "*",
                ["*", "Internet", "*"]
            )
        ]),
    );
    push(
        &mut design,
        "/resources",
        json!({"name": "kv", "kind": "key_vault", "region": "eastus"}),
    );
    let engine = engine(&design);
    assert!(
        engine
            .diagnostics()
            .iter()
            .any(|d| d.message.contains("AzureKeyVault")),
        "{:?}",
        engine.diagnostics()
    );
    expect(
        &tcp(&engine, "ci", "kv", 443),
        Verdict::Allowed,
        Step::NsgOutbound,
        "AllowKv",
    );
    set(
        &mut design,
        "/options",
        json!({"normalise_doc_tag_spellings": false}),
    );
    assert_eq!(
        tcp(&self::engine(&design), "ci", "kv", 443).verdict,
        Verdict::Unsupported
    );
}

#[test]
fn raw_addresses_are_classified_with_microsofts_service_tag_data() {
    let data = vnetlab::engine::service_tags::ServiceTagData::embedded();
    let tag = vnetlab::engine::service_tags::CanonicalTag::new("Storage", Some("westus"));
    let west_storage = data
        .representative_address(&tag)
        .expect("Storage.WestUS ships");
    let mut design = base();
    set(
        &mut design,
        RULES,
        json!([
            nsg_rule(
                "AllowStorageWest",
                100,
                "Outbound",
                "Allow",
                "Tcp",
                ["*", "Storage.WestUS", "443"]
            ),
            nsg_rule(
                "DenyInternet",
                4000,
                "Outbound",
                "Deny",
                "*",
                ["*", "Internet", "*"]
            )
        ]),
    );
    let engine = engine(&design);
    expect(
        &tcp(&engine, "ci", &west_storage.to_string(), 443),
        Verdict::Allowed,
        Step::NsgOutbound,
        "AllowStorageWest",
    );
    expect_decided(
        &tcp(&engine, "ci", "203.0.113.10", 443),
        Verdict::Blocked,
        Step::NsgOutbound,
        "DenyInternet",
    );
}

#[test]
fn any_protocol_and_esp_follow_the_option() {
    let mut design = base();
    set(
        &mut design,
        RULES,
        json!([nsg_rule(
            "DenyAny",
            100,
            "Outbound",
            "Deny",
            "*",
            ["*", "*", "*"]
        )]),
    );
    expect(
        &trace(&engine(&design), "ci", "internet-host", Protocol::Esp, None),
        Verdict::Blocked,
        Step::NsgOutbound,
        "DenyAny",
    );
    set(
        &mut design,
        "/options",
        json!({"any_protocol_includes_esp_ah": false}),
    );
    assert_eq!(
        trace(&engine(&design), "ci", "internet-host", Protocol::Esp, None).verdict,
        Verdict::Unsupported
    );
}

#[test]
fn aml_inbound_44224_needs_a_public_ip() {
    let mut design = base();
    set(
        &mut design,
        RULES,
        json!([
            {"name": "AzureMachineLearning", "priority": 130, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "source": ["AzureMachineLearning"], "destination": ["VirtualNetwork"], "destination_ports": ["44224"]}
        ]),
    );
    let without_public_ip = tcp(&engine(&design), "aml", "ci", 44224);
    expect_stopped_at(&without_public_ip, Verdict::NoRoute, Step::InternetIngress);
    set(&mut design, "/computes/0/nic/public_ip", json!("52.1.1.4"));
    let engine = engine(&design);
    expect(
        &tcp(&engine, "aml", "ci", 44224),
        Verdict::Allowed,
        Step::NsgInbound,
        "AzureMachineLearning",
    );
    expect_decided(
        &tcp(&engine, "entra", "ci", 44224),
        Verdict::Blocked,
        Step::NsgInbound,
        "DenyAllInBound",
    );
}

#[test]
fn us_government_tags_match_modelled_endpoints_symbolically() {
    let mut design = base();
    set(&mut design, "/cloud", json!("us_government"));
    set(
        &mut design,
        "/virtual_networks/0/region",
        json!("usgovvirginia"),
    );
    set(&mut design, "/resources/1/region", json!("usgovvirginia"));
    set(
        &mut design,
        "/network_security_groups/0/rules",
        json!([
            nsg_rule(
                "AllowGovStorage",
                100,
                "Outbound",
                "Allow",
                "Tcp",
                ["*", "Storage.USGovVirginia", "443"]
            ),
            nsg_rule(
                "AllowAml",
                110,
                "Outbound",
                "Allow",
                "Tcp",
                ["*", "AzureMachineLearning", "443"]
            ),
            nsg_rule(
                "DenyInternet",
                4000,
                "Outbound",
                "Deny",
                "*",
                ["*", "Internet", "*"]
            )
        ]),
    );
    let engine = engine(&design);
    assert!(
        !engine
            .diagnostics()
            .iter()
            .any(|d| d.message.contains("USGovVirginia")),
        "{:?}",
        engine.diagnostics()
    );
    expect(
        &tcp(&engine, "ci", "roguestorage", 443),
        Verdict::Allowed,
        Step::NsgOutbound,
        "AllowGovStorage",
    );
    // Other services and declared internet hosts are in no other service's tag.
    expect_decided(
        &tcp(&engine, "ci", "entra", 443),
        Verdict::Blocked,
        Step::NsgOutbound,
        "DenyInternet",
    );
    expect_decided(
        &tcp(&engine, "ci", "internet-host", 443),
        Verdict::Blocked,
        Step::NsgOutbound,
        "DenyInternet",
    );
}

#[test]
fn the_azure_host_reaches_a_nic_through_its_inbound_nsgs_only() {
    // (inbound rules on the subnet NSG, verdict, deciding rule): the AzureLoadBalancer tag
    // names 168.63.129.16, which reaches the NIC without any route.
    let cases = [
        (vec![], Verdict::Allowed, "AllowVnetInBound"),
        (
            vec![nsg_rule(
                "DenyAllIn",
                200,
                "Inbound",
                "Deny",
                "*",
                ["*", "*", "*"],
            )],
            Verdict::Blocked,
            "DenyAllIn",
        ),
        (
            vec![
                nsg_rule(
                    "AllowLoadBalancer44224",
                    100,
                    "Inbound",
                    "Allow",
                    "Tcp",
                    ["AzureLoadBalancer", "VirtualNetwork", "44224"],
                ),
                nsg_rule("DenyAllIn", 200, "Inbound", "Deny", "*", ["*", "*", "*"]),
            ],
            Verdict::Allowed,
            "AllowLoadBalancer44224",
        ),
    ];
    for (rules, verdict, rule) in cases {
        let mut design = base();
        set(&mut design, RULES, json!(rules));
        let engine = engine(&design);
        let traced = tcp(&engine, "168.63.129.16", "vm2", 44224);
        expect(&traced, verdict, Step::NsgInbound, rule);
        assert!(!traced.passed_through(Step::Route), "no route is looked up");
    }
    let engine = engine(&base());
    assert_eq!(
        tcp(&engine, "168.63.129.16", "wsstorage", 443).verdict,
        Verdict::Unsupported,
        "only NICs are modelled as the Azure host's destinations"
    );
}
