//! `vnetlab::import`: loading designs and resolved Azure resource JSON, against Azure's own REST
//! API examples (`../shared/fixtures/rest/`), hand-built resource sets covering every supported
//! family, and random inputs that must never make the loader panic.
//!
//! Decision on fixtures that are Azure data but not resources (effective NSG rules, effective
//! routes, service tag lists): they load as empty designs with one warning saying what was
//! ignored, and the summary counts them under `… (not resources)`.
#![cfg(not(target_arch = "wasm32"))]

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{json, Value};
use vnetlab::import::{load_input, load_template, InputFormat, LoadError, Loaded, TemplateInputs};
use vnetlab::model::{
    Access, AddressMatch, ApplicationProtocol, ComputeKind, ConnectionState, Design, Direction,
    GatewayKind, ManagedIsolationMode, NextHopType, OutboundRule, PaasKind, PortRange,
    PrivateEndpointNetworkPolicies, Protocol, PublicNetworkAccess, RuleAction, RuleCollection,
    Severity, ThreatIntelMode,
};

const FIXTURES: &str = "../shared/fixtures";

fn fixture(relative: &str) -> String {
    let path = Path::new(FIXTURES).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rest(name: &str) -> String {
    let folder = if name.starts_with("StorageAccount") {
        "storage-2021-06-01"
    } else {
        "network-2021-05-01"
    };
    fixture(&format!("rest/{folder}/{name}.json"))
}

fn load(text: &str, source: &str) -> Loaded {
    load_input(text, source).unwrap_or_else(|e| panic!("{source} did not load: {e}"))
}

fn load_rest(name: &str) -> Loaded {
    load(&rest(name), &format!("{name}.json"))
}

fn load_error(text: &str, source: &str) -> LoadError {
    match load_input(text, source) {
        Ok(loaded) => panic!("{source} loaded, expected an error: {:?}", loaded.summary),
        Err(error) => error,
    }
}

fn warnings_containing<'a>(loaded: &'a Loaded, text: &str) -> Vec<&'a vnetlab::model::Diagnostic> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.message.contains(text))
        .collect()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn prefix(text: &str) -> AddressMatch {
    AddressMatch::Prefix(text.parse().expect("prefix"))
}

fn ip(text: &str) -> Ipv4Addr {
    text.parse().expect("address")
}

// ---------------------------------------------------------------------------------------------
// REST API example fixtures

#[test]
fn every_rest_fixture_loads_as_azure_resources() {
    let files = files_under(&Path::new(FIXTURES).join("rest"));
    assert!(
        files.len() >= 30,
        "expected the REST fixtures, found {files:?}"
    );
    for path in files {
        let text = std::fs::read_to_string(&path).expect("fixture text");
        let source = path.display().to_string();
        let loaded = load(&text, &source);
        assert_eq!(loaded.format, InputFormat::AzureResources, "{source}");
        let imported_something = !loaded.summary.elements.is_empty();
        let said_what_was_ignored = loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("not resources"));
        assert!(
            imported_something || said_what_was_ignored || !loaded.diagnostics.is_empty(),
            "{source}: nothing imported and nothing said"
        );
        for diagnostic in &loaded.diagnostics {
            let names_input = diagnostic.path.starts_with(&format!("{source}: $"));
            let names_design = diagnostic.path.starts_with("$.");
            assert!(names_input || names_design, "{source}: {diagnostic}");
        }
    }
}

#[test]
fn network_security_group_get_imports_its_rule_and_checks_the_defaults() {
    let loaded = load_rest("NetworkSecurityGroupGet");
    assert_eq!(loaded.summary.count("network_security_groups"), 1);
    assert_eq!(loaded.summary.count("security_rules"), 1);
    let nsg = &loaded.design.network_security_groups[0];
    assert_eq!(nsg.name, "testnsg");
    let rule = &nsg.rules[0];
    assert_eq!(rule.name, "rule1");
    assert_eq!(rule.priority, 130);
    assert_eq!(rule.direction, Direction::Inbound);
    assert_eq!(rule.access, Access::Allow);
    assert_eq!(rule.protocol, Protocol::Any);
    assert_eq!(rule.source, vec![AddressMatch::Any]);
    assert_eq!(rule.destination, vec![AddressMatch::Any]);
    assert_eq!(rule.source_ports, vec![PortRange::ANY]);
    assert_eq!(rule.destination_ports, vec![PortRange::single(80)]);
    // The six default rules match Azure's, so they are silently left to the engine.
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);

    let list = load_rest("NetworkSecurityGroupList");
    let names: Vec<&str> = list
        .design
        .network_security_groups
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(names, ["nsg1", "nsg3"]);
    assert_eq!(list.summary.count("security_rules"), 0);
}

#[test]
fn default_security_rules_are_compared_with_azures_not_imported() {
    let loaded = load_rest("DefaultSecurityRuleList");
    assert_eq!(loaded.design.network_security_groups.len(), 1);
    assert_eq!(loaded.design.network_security_groups[0].name, "nsg1");
    assert!(loaded.design.network_security_groups[0].rules.is_empty());
    assert!(warnings_containing(&loaded, "differs").is_empty());

    let changed =
        rest("NetworkSecurityGroupGet").replacen("\"priority\": 65500", "\"priority\": 4000", 1);
    let loaded = load(&changed, "changed.json");
    let differs = warnings_containing(
        &loaded,
        "differs from Azure's default rule `DenyAllInBound` in priority",
    );
    assert_eq!(differs.len(), 1, "{:#?}", loaded.diagnostics);
    assert_eq!(differs[0].element, "testnsg/DenyAllInBound");
    assert_eq!(
        differs[0].path,
        "changed.json: $.responses[\"200\"].body.properties.defaultSecurityRules[2]"
    );
}

#[test]
fn route_tables_import_routes_and_bgp_propagation() {
    let get = load_rest("RouteTableGet");
    assert_eq!(get.summary.count("route_tables"), 1);
    assert_eq!(get.summary.count("routes"), 1);
    let table = &get.design.route_tables[0];
    assert_eq!(table.name, "testrt");
    assert!(!table.disable_gateway_propagation);
    let route = &table.routes[0];
    assert_eq!(route.name, "route1");
    assert_eq!(route.address_prefix, prefix("10.0.3.0/24"));
    assert_eq!(route.next_hop_type, NextHopType::VirtualNetworkGateway);
    assert_eq!(route.next_hop_ip, None);

    let created = load_rest("RouteTableCreateWithRoute");
    assert!(created.design.route_tables[0].disable_gateway_propagation);
    assert_eq!(created.design.route_tables[0].routes.len(), 1);

    let list = load_rest("RouteTableList");
    assert_eq!(list.summary.count("route_tables"), 2);
    assert_eq!(list.summary.count("routes"), 1);
}

#[test]
fn azure_firewall_get_imports_classic_collections() {
    let loaded = load_rest("AzureFirewallGet");
    assert_eq!(loaded.summary.count("firewalls"), 1);
    assert_eq!(loaded.summary.count("rule_collections"), 3);
    assert_eq!(loaded.summary.count("network_rules"), 2);
    assert_eq!(loaded.summary.count("application_rules"), 1);
    assert_eq!(loaded.summary.count("nat_rules"), 2);
    let firewall = &loaded.design.firewalls[0];
    assert_eq!(firewall.name, "azurefirewall");
    assert_eq!(firewall.subnet, "vnet2/AzureFirewallSubnet");
    assert_eq!(firewall.private_ip, ip("10.0.0.0"));
    assert_eq!(firewall.threat_intel, ThreatIntelMode::Alert);
    assert_eq!(firewall.policy, None);
    assert!(!firewall.dns_proxy);
    // pipName is referenced but not in the input: a documentation-range placeholder stands in.
    assert_eq!(firewall.public_ip, Some(ip("198.51.100.1")));
    assert_eq!(
        warnings_containing(&loaded, "public IP `pipName` is not in the input").len(),
        1
    );

    let RuleCollection::Network {
        name,
        priority,
        action,
        rules,
    } = &firewall.rule_collections[0]
    else {
        panic!(
            "network collection first: {:?}",
            firewall.rule_collections[0]
        );
    };
    assert_eq!(
        (name.as_str(), *priority, *action),
        ("netrulecoll", 112, RuleAction::Deny)
    );
    assert_eq!(rules[0].name, "L4-traffic");
    assert_eq!(rules[0].protocols, vec![Protocol::Tcp]);
    // 192.168.1.1-192.168.1.12 and 10.1.4.12-10.1.4.255 become the prefixes that cover them.
    let sources: Vec<String> = rules[0].sources.iter().map(ToString::to_string).collect();
    assert_eq!(
        sources,
        [
            "192.168.1.1",
            "192.168.1.2/31",
            "192.168.1.4/30",
            "192.168.1.8/30",
            "192.168.1.12",
            "10.1.4.12/30",
            "10.1.4.16/28",
            "10.1.4.32/27",
            "10.1.4.64/26",
            "10.1.4.128/25",
        ]
    );
    assert_eq!(rules[0].destinations, vec![AddressMatch::Any]);
    assert_eq!(
        rules[0].destination_ports,
        vec![
            PortRange {
                first: 443,
                last: 444
            },
            PortRange::single(8443)
        ]
    );
    assert_eq!(
        rules[1].destination_fqdns,
        vec!["www.amazon.com".to_string()]
    );

    let RuleCollection::Application {
        name,
        priority,
        action,
        rules,
    } = &firewall.rule_collections[1]
    else {
        panic!("application collection second");
    };
    assert_eq!(
        (name.as_str(), *priority, *action),
        ("apprulecoll", 110, RuleAction::Deny)
    );
    assert_eq!(rules[0].target_fqdns, vec!["www.test.com".to_string()]);
    assert_eq!(rules[0].protocols[0].protocol, ApplicationProtocol::Https);
    assert_eq!(rules[0].protocols[0].port, 443);
    assert_eq!(
        rules[0].sources,
        vec![prefix("216.58.216.164/32"), prefix("10.0.0.0/24")]
    );

    let RuleCollection::Nat {
        name,
        priority,
        rules,
    } = &firewall.rule_collections[2]
    else {
        panic!("NAT collection third");
    };
    assert_eq!((name.as_str(), *priority), ("natrulecoll", 112));
    assert_eq!(
        rules.len(),
        2,
        "both DNAT rules, one translating to an FQDN"
    );
    assert_eq!(rules[0].name, "DNAT-HTTPS-traffic");
    assert_eq!(rules[0].destination_address, ip("1.2.3.4"));
    assert_eq!(rules[0].destination_ports, vec![PortRange::single(443)]);
    assert_eq!(rules[0].translated_address, Some(ip("1.2.3.5")));
    assert_eq!(rules[0].translated_port, 8443);
    // Microsoft's example translates to an FQDN the firewall resolves (Learn: "Filter inbound
    // Internet or intranet traffic with Azure Firewall policy DNAT", translated FQDN).
    assert_eq!(rules[1].name, "DNAT-HTTP-traffic-With-FQDN");
    assert_eq!(rules[1].translated_address, None);
    assert_eq!(
        rules[1].translated_fqdn.as_deref(),
        Some("internalhttpserver")
    );
    assert_eq!(rules[1].translated_port, 880);
    assert!(warnings_containing(&loaded, "not imported").is_empty());
}

#[test]
fn azure_firewall_with_ip_groups_keeps_references_to_groups_not_in_the_input() {
    let loaded = load_rest("AzureFirewallGetWithIpGroups");
    let firewall = &loaded.design.firewalls[0];
    let RuleCollection::Network { rules, .. } = &firewall.rule_collections[0] else {
        panic!("network collection first");
    };
    assert_eq!(
        rules[0].destination_ip_groups,
        vec!["ipGroups2".to_string()]
    );
    assert_eq!(rules[1].source_ip_groups, vec!["ipGroups3".to_string()]);
    let RuleCollection::Application { rules, .. } = &firewall.rule_collections[1] else {
        panic!("application collection second");
    };
    assert_eq!(rules[0].source_ip_groups, vec!["ipGroups1".to_string()]);
    let missing = warnings_containing(
        &loaded,
        "refers to IP group `ipGroups1`, which is not in the input",
    );
    assert_eq!(missing.len(), 1);
    assert_eq!(
        missing[0].path,
        "AzureFirewallGetWithIpGroups.json: $.responses[\"200\"].body.properties.applicationRuleCollections[0].properties.rules[0].sourceIpGroups[0]"
    );
    assert_eq!(missing[0].element, "azurefirewall/apprulecoll/rule1");
    // The validator reports the same gap in the design.
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.is_error() && d.message.contains("IP group `ipGroups1`")));
}

#[test]
fn firewall_policy_rule_collection_group_put_imports_the_group_into_its_policy() {
    let loaded = load_rest("FirewallPolicyRuleCollectionGroupPut");
    assert_eq!(loaded.summary.count("firewall_policies"), 1);
    assert_eq!(loaded.summary.count("rule_collection_groups"), 1);
    assert_eq!(loaded.summary.count("rule_collections"), 1);
    assert_eq!(loaded.summary.count("network_rules"), 1);
    let policy = &loaded.design.firewall_policies[0];
    assert_eq!(policy.name, "firewallPolicy");
    assert_eq!(
        warnings_containing(
            &loaded,
            "firewall policy `firewallPolicy` is not in the input"
        )
        .len(),
        1
    );
    let group = &policy.rule_collection_groups[0];
    assert_eq!(
        (group.name.as_str(), group.priority),
        ("ruleCollectionGroup1", 100)
    );
    let RuleCollection::Network {
        name,
        priority,
        action,
        rules,
    } = &group.rule_collections[0]
    else {
        panic!("a filter collection of network rules");
    };
    assert_eq!(
        (name.as_str(), *priority, *action),
        ("Example-Filter-Rule-Collection", 100, RuleAction::Deny)
    );
    assert_eq!(rules[0].name, "network-rule1");
    assert_eq!(rules[0].protocols, vec![Protocol::Tcp]);
    assert_eq!(rules[0].sources, vec![prefix("10.1.25.0/24")]);
    assert_eq!(rules[0].destinations, vec![AddressMatch::Any]);
    assert_eq!(rules[0].destination_ports, vec![PortRange::ANY]);

    // The IP-group variant's collection has no priority: kept as 0 and reported twice (import
    // and validation), so the problem is visible rather than the collection silently gone.
    let loaded = load_rest("FirewallPolicyRuleCollectionGroupWithIpGroupsPut");
    let group = &loaded.design.firewall_policies[0].rule_collection_groups[0];
    assert_eq!(group.priority, 110);
    assert_eq!(group.rule_collections[0].priority(), 0);
    assert_eq!(
        warnings_containing(&loaded, "no usable `priority`").len(),
        1
    );
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.is_error() && d.message.contains("priority 0 is outside")));
    let RuleCollection::Network { rules, .. } = &group.rule_collections[0] else {
        panic!("network rules");
    };
    assert_eq!(rules[0].source_ip_groups, vec!["ipGroups1".to_string()]);
    assert_eq!(
        rules[0].destination_ip_groups,
        vec!["ipGroups2".to_string()]
    );
}

#[test]
fn private_endpoint_get_and_its_dns_zone_group_load_together() {
    let endpoint = load_rest("PrivateEndpointGet");
    assert_eq!(endpoint.summary.count("private_endpoints"), 1);
    let pe = &endpoint.design.private_endpoints[0];
    assert_eq!(pe.name, "testPe");
    assert_eq!(pe.subnet, "myVnet/mySubnet");
    assert_eq!(
        pe.private_ip,
        ip("192.168.0.4"),
        "customDnsConfigs come first"
    );
    assert_eq!(pe.target, "testPls");
    assert_eq!(pe.sub_resource, "groupIdFromResource");
    assert_eq!(pe.connection_state, ConnectionState::Approved);
    assert!(pe.dns_zones.is_empty());
    assert_eq!(
        warnings_containing(
            &endpoint,
            "4 addresses (192.168.0.4, 192.168.0.5, 192.168.0.6, 192.168.0.7)"
        )
        .len(),
        1
    );

    let group_alone = load_rest("PrivateEndpointDnsZoneGroupGet");
    assert!(group_alone.design.private_endpoints.is_empty());
    assert_eq!(
        warnings_containing(
            &group_alone,
            "private endpoint `testPe` is not in the input"
        )
        .len(),
        1
    );

    let both = format!(
        "{}\n{}",
        rest("PrivateEndpointGet"),
        rest("PrivateEndpointDnsZoneGroupGet")
    );
    let loaded = load(&both, "pe.json");
    let pe = &loaded.design.private_endpoints[0];
    assert_eq!(
        pe.dns_zones,
        vec!["zone1.com".to_string(), "zone2.com".to_string()]
    );
    let zone_warning = warnings_containing(
        &loaded,
        "private DNS zone `zone2.com`, which is not in the input",
    );
    assert_eq!(
        zone_warning[0].path,
        "pe.json, document 2: $.responses[\"200\"].body.properties.privateDnsZoneConfigs[1].properties.privateDnsZoneId"
    );
}

#[test]
fn service_endpoint_policy_get_imports_its_definitions() {
    let loaded = load_rest("ServiceEndpointPolicyGet");
    assert_eq!(loaded.summary.count("service_endpoint_policies"), 1);
    assert_eq!(
        loaded.summary.count("service_endpoint_policy_definitions"),
        1
    );
    let policy = &loaded.design.service_endpoint_policies[0];
    assert_eq!(policy.name, "testServiceEndpointPolicy");
    assert_eq!(policy.region.as_deref(), Some("westus"));
    let definition = &policy.definitions[0];
    assert_eq!(definition.name, "StorageServiceEndpointPolicyDefinition");
    assert_eq!(definition.service, "Microsoft.Storage");
    assert_eq!(
        definition.service_resources,
        [
            "/subscriptions/subid1",
            "/subscriptions/subid1/resourceGroups/storageRg",
            "/subscriptions/subid1/resourceGroups/storageRg/providers/Microsoft.Storage/storageAccounts/stAccount",
        ]
    );
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);

    let definition_alone = load_rest("ServiceEndpointPolicyDefinitionCreate");
    let policy = &definition_alone.design.service_endpoint_policies[0];
    assert_eq!(policy.name, "testPolicy");
    assert_eq!(policy.definitions[0].name, "testDefinition");
}

#[test]
fn virtual_networks_import_subnets_service_endpoints_and_policies() {
    let loaded = load_rest("VirtualNetworkCreateServiceEndpoints");
    assert_eq!(loaded.summary.count("virtual_networks"), 1);
    assert_eq!(loaded.summary.count("subnets"), 1);
    let vnet = &loaded.design.virtual_networks[0];
    assert_eq!(vnet.name, "vnet1");
    assert_eq!(vnet.region, "eastus");
    assert_eq!(vnet.address_space, vec!["10.0.0.0/16".parse().unwrap()]);
    let subnet = &vnet.subnets[0];
    assert_eq!(subnet.name, "test-1");
    assert_eq!(subnet.prefix, "10.0.0.0/16".parse().unwrap());
    assert_eq!(
        subnet.service_endpoints,
        vec!["Microsoft.Storage".to_string()]
    );
    assert!(subnet.service_endpoint_policies.is_empty());
    assert!(subnet.default_outbound_access);
    assert_eq!(
        subnet.private_endpoint_network_policies,
        PrivateEndpointNetworkPolicies::Disabled
    );
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);

    let loaded = load_rest("VirtualNetworkCreateServiceEndpointPolicy");
    let vnet = &loaded.design.virtual_networks[0];
    assert_eq!(vnet.region, "eastus2euap");
    let subnet = &vnet.subnets[0];
    assert_eq!(
        subnet.service_endpoints,
        vec!["Microsoft.Storage".to_string()]
    );
    assert_eq!(
        subnet.service_endpoint_policies,
        vec!["ServiceEndpointPolicy1".to_string()]
    );
    let missing = warnings_containing(
        &loaded,
        "service endpoint policy `ServiceEndpointPolicy1`, which is not in the input",
    );
    assert_eq!(missing[0].element, "vnet1/test-1");
    assert_eq!(
        missing[0].path,
        "VirtualNetworkCreateServiceEndpointPolicy.json: $.responses[\"200\"].body.properties.subnets[0].properties.serviceEndpointPolicies[0].id"
    );

    // A subnet on its own (REST GET of a subnet: no `type`, parent from the ID).
    let loaded = load_rest("SubnetCreateServiceEndpoint");
    let vnet = &loaded.design.virtual_networks[0];
    assert_eq!(vnet.name, "vnetname");
    assert_eq!(vnet.subnets[0].name, "subnet1");
    assert_eq!(vnet.address_space, vec!["10.0.0.0/16".parse().unwrap()]);
    assert_eq!(
        warnings_containing(&loaded, "VNet `vnetname` is not in the input").len(),
        1
    );
}

#[test]
fn storage_accounts_import_network_rules_and_public_access() {
    let loaded = load_rest("StorageAccountGetProperties");
    assert_eq!(loaded.summary.count("storage_accounts"), 1);
    let account = &loaded.design.resources[0];
    assert_eq!(account.name, "sto8596");
    assert_eq!(account.kind, PaasKind::StorageAccount);
    assert_eq!(account.region, "eastus2(stage)");
    assert_eq!(account.subscription, "{subscription-id}");
    assert_eq!(account.resource_group, "res9407");
    assert_eq!(account.public_network_access, PublicNetworkAccess::Enabled);
    assert_eq!(account.network_acls.default_action, Access::Allow);
    assert!(account.network_acls.bypass_azure_services);
    assert_eq!(
        account.network_acls.resource_access_rules,
        vec!["testworkspace".to_string()]
    );
    assert!(account.network_acls.virtual_network_rules.is_empty());
    assert!(account.network_acls.ip_rules.is_empty());

    let disabled = load_rest("StorageAccountUpdateDisablePublicNetworkAccess");
    let account = &disabled.design.resources[0];
    assert_eq!(account.public_network_access, PublicNetworkAccess::Disabled);
    assert_eq!(
        account.network_acls.resource_access_rules,
        vec!["testworkspace".to_string()]
    );
}

#[test]
fn non_resource_documents_load_as_empty_designs_saying_what_was_ignored() {
    for (name, what, count) in [
        (
            "NetworkInterfaceEffectiveNSGList",
            "effective security rules",
            1,
        ),
        (
            "NetworkInterfaceEffectiveRouteTableList",
            "effective routes",
            6,
        ),
        ("ServiceTagsList", "service tags", 1),
        ("ServiceTagInformationListResult", "service tags", 2),
    ] {
        let loaded = load_rest(name);
        assert_eq!(
            loaded.design,
            Design {
                name: name.to_string(),
                description: format!("Imported from {name}.json"),
                ..Design::new("")
            },
            "{name}"
        );
        assert_eq!(
            loaded
                .summary
                .ignored
                .get(&format!("{what} (not resources)")),
            Some(&count),
            "{name}"
        );
        assert_eq!(
            loaded.diagnostics.len(),
            1,
            "{name}: {:#?}",
            loaded.diagnostics
        );
        assert_eq!(loaded.diagnostics[0].element, what);
        assert!(
            loaded.diagnostics[0]
                .message
                .contains("nothing was imported"),
            "{name}"
        );
    }
    let service_tags = load(
        &fixture("service-tags/ServiceTags_Public_20251028.subset.json"),
        "tags.json",
    );
    assert!(service_tags.summary.elements.is_empty());
    assert_eq!(
        service_tags
            .summary
            .ignored
            .get("service tags (not resources)"),
        Some(&1)
    );
}

// ---------------------------------------------------------------------------------------------
// Formats and errors

#[test]
fn a_design_with_a_wrong_type_reports_the_exact_path_line_and_column() {
    let text = r#"{
  "schema_version": 1,
  "name": "broken",
  "network_security_groups": [
    {
      "name": "nsg",
      "rules": [
        { "name": "a", "priority": 100, "direction": "Inbound", "access": "Allow" },
        { "name": "b", "priority": "x", "direction": "Inbound", "access": "Allow" }
      ]
    }
  ]
}"#;
    let error = load_error(text, "design.json");
    assert_eq!(
        error.path.as_deref(),
        Some("$.network_security_groups[0].rules[1].priority")
    );
    assert_eq!(error.line, Some(9));
    assert_eq!(error.column, Some(38));
    assert_eq!(
        error.to_string(),
        "design.json: $.network_security_groups[0].rules[1].priority (line 9, column 38): expected a whole number from 0 to 4294967295, found a string \"x\""
    );

    let bad_prefix = r#"{"schema_version": 1, "name": "d", "virtual_networks": [
        {"name": "v", "region": "eastus", "address_space": ["10.0.0.0/16"],
         "subnets": [{"name": "a", "prefix": "10.0.0.0/24"}, {"name": "b", "prefix": "10.0.1.0/33"}]}]}"#;
    let error = load_error(bad_prefix, "d.json");
    assert_eq!(
        error.path.as_deref(),
        Some("$.virtual_networks[0].subnets[1].prefix")
    );
    assert_eq!(error.line, Some(3));
}

#[test]
fn a_design_loads_with_its_validation_diagnostics_pointing_into_the_file() {
    let text = r#"{"schema_version": 1, "name": "d", "virtual_networks": [
        {"name": "v", "region": "eastus", "address_space": ["10.0.0.0/16"],
         "subnets": [{"name": "a", "prefix": "10.0.0.0/24", "nsg": "missing"}]}]}"#;
    let loaded = load(text, "d.json");
    assert_eq!(loaded.format, InputFormat::Design);
    assert_eq!(loaded.summary.count("subnets"), 1);
    let missing = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("NSG `missing`"))
        .expect("validation error");
    assert_eq!(missing.path, "d.json: $.virtual_networks[0].subnets[0].nsg");
}

#[test]
fn a_design_round_trips_through_json_unchanged() {
    let imported = load(&azure_resource_set().to_string(), "set.json").design;
    let text = serde_json::to_string_pretty(&imported).expect("serialise");
    let loaded = load(&text, "round-trip.json");
    assert_eq!(loaded.format, InputFormat::Design);
    assert_eq!(loaded.design, imported);
    let again = serde_json::to_string_pretty(&loaded.design).expect("serialise");
    assert_eq!(again, text);
}

#[test]
fn concatenated_documents_load_as_one_design() {
    let text = format!(
        "{}{}\n{}",
        rest("NetworkSecurityGroupGet"),
        rest("RouteTableGet"),
        rest("VirtualNetworkCreateServiceEndpoints")
    );
    let loaded = load(&text, "many.json");
    assert_eq!(loaded.summary.count("network_security_groups"), 1);
    assert_eq!(loaded.summary.count("route_tables"), 1);
    assert_eq!(loaded.summary.count("virtual_networks"), 1);
    assert_eq!(loaded.summary.count("subnets"), 1);

    // A design file is one document.
    let design = r#"{"schema_version": 1, "name": "a"}"#;
    let error = load_error(&format!("{design}{design}"), "two.json");
    assert!(error.message.contains("holds 2"), "{error}");
}

#[test]
fn a_template_with_expressions_is_evaluated_with_its_default_parameters() {
    let loaded = load_input(
        &fixture("arm/azure-bastion-nsg/azuredeploy.json"),
        "bastion.json",
    )
    .expect("templates with expressions are evaluated");
    assert_eq!(loaded.format, InputFormat::ArmTemplate);
    assert_eq!(loaded.design.network_security_groups.len(), 1);
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        loaded.diagnostics
    );
}

#[test]
fn a_template_with_literal_values_is_imported_with_nested_children() {
    let template = json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [
            {
                "type": "Microsoft.Network/virtualNetworks",
                "apiVersion": "2023-04-01",
                "name": "vnet",
                "location": "westeurope",
                "properties": { "addressSpace": { "addressPrefixes": ["10.1.0.0/16"] } },
                "resources": [
                    { "type": "subnets", "apiVersion": "2023-04-01", "name": "default",
                      "properties": { "addressPrefix": "10.1.0.0/24" } }
                ]
            },
            {
                "type": "Microsoft.Network/virtualNetworks/subnets",
                "apiVersion": "2023-04-01",
                "name": "vnet/second",
                "properties": { "addressPrefix": "10.1.1.0/24", "defaultOutboundAccess": false }
            },
            {
                "type": "Microsoft.Network/networkSecurityGroups",
                "name": "nsg",
                "location": "westeurope",
                "properties": { "securityRules": [ { "name": "escaped", "properties": {
                    "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                    "description": "[[not an expression]", "destinationPortRange": "443" } } ] }
            }
        ]
    });
    let loaded = load(&template.to_string(), "literal.json");
    let vnet = &loaded.design.virtual_networks[0];
    assert_eq!(vnet.region, "westeurope");
    let subnets: Vec<&str> = vnet.subnets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(subnets, ["default", "second"]);
    assert!(!vnet.subnets[1].default_outbound_access);
    assert_eq!(
        loaded.design.network_security_groups[0].rules[0].description,
        "[[not an expression]"
    );
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
}

#[test]
fn garbage_empty_and_unrelated_json_are_errors() {
    for (text, expected) in [
        ("", "the input is empty"),
        ("  \n\t ", "the input is empty"),
        ("hello", "not valid JSON"),
        ("{\"a\": ", "not valid JSON"),
        ("{} {", "document 2 is not valid JSON"),
        ("{}", "neither a vnetlab design"),
        ("{\"foo\": 1}", "neither a vnetlab design"),
        ("[1, \"two\", null]", "neither a vnetlab design"),
        ("42", "neither a vnetlab design"),
        (
            &fixture("arm/azure-bastion-nsg/azuredeploy.parameters.json"),
            "parameters file",
        ),
        (
            &fixture("network-watcher/NetworkWatcherIpFlowVerify.json"),
            "neither a vnetlab design",
        ),
    ] {
        let error = load_error(text, "input.json");
        assert!(error.message.contains(expected), "{text:?}: {error}");
        assert!(error.to_string().starts_with("input.json"), "{error}");
    }
    let error = load_error("{\n  \"a\": 1,\n  \"b\": x\n}", "input.json");
    assert_eq!((error.line, error.column), (Some(3), Some(8)), "{error}");
    assert_eq!(
        error.to_string(),
        "input.json (line 3, column 8): not valid JSON: expected value"
    );

    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(load_error(&deep, "deep.json")
        .message
        .contains("recursion limit"));

    // An empty list is valid Azure output: an empty design, with a warning.
    for text in ["[]", "{\"value\": []}"] {
        let loaded = load(text, "empty.json");
        assert!(loaded.summary.elements.is_empty());
        assert_eq!(
            warnings_containing(&loaded, "holds no resources").len(),
            1,
            "{text}"
        );
    }
}

#[test]
fn resources_of_unsupported_types_are_counted_not_imported() {
    let text = r#"{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/app",
        "name": "app", "type": "Microsoft.Web/sites", "location": "eastus", "properties": {}}"#;
    let loaded = load(text, "web.json");
    assert!(loaded.summary.elements.is_empty());
    assert_eq!(loaded.summary.ignored.get("Microsoft.Web/sites"), Some(&1));
    assert_eq!(
        warnings_containing(
            &loaded,
            "none of the input's 1 resource(s) is of a type vnetlab imports"
        )
        .len(),
        1
    );
}

#[test]
fn elements_without_an_address_in_an_unknown_subnet_are_not_imported() {
    let nic = json!([
        resource(
            "Microsoft.Network/networkInterfaces",
            "nic",
            json!({ "ipConfigurations": [
            { "name": "ipconfig1", "properties": { "subnet": { "id": arm_id(
                "Microsoft.Network/virtualNetworks/subnets", "elsewhere/default") } } }] })
        ),
        resource(
            "Microsoft.Compute/virtualMachines",
            "vm-other",
            json!({ "networkProfile": {
            "networkInterfaces": [{ "id": arm_id("Microsoft.Network/networkInterfaces", "missing-nic") }] } })
        ),
    ]);
    let loaded = load(&nic.to_string(), "nic.json");
    assert!(loaded.design.computes.is_empty());
    let dropped = warnings_containing(
        &loaded,
        "subnet `elsewhere/default` is not in the input, so none can be picked",
    );
    assert_eq!(dropped.len(), 1, "{:#?}", loaded.diagnostics);
    assert_eq!(
        dropped[0].path,
        "nic.json: $[0].properties.ipConfigurations[0].properties"
    );
    assert_eq!(
        warnings_containing(
            &loaded,
            "none of the VM's network interfaces is in the input"
        )
        .len(),
        1
    );
}

// ---------------------------------------------------------------------------------------------
// Every resource family, from a hand-built set in `az ... show` shape

const SUB: &str = "/subscriptions/sub1/resourceGroups/rg1/providers";

/// The ARM ID of a resource: `type` `Microsoft.Network/virtualNetworks/subnets` with name
/// `vnet/subnet` interleaves the type segments with the names.
fn arm_id(type_name: &str, name: &str) -> String {
    let mut segments = type_name.split('/');
    let namespace = segments.next().expect("namespace");
    let pairs: Vec<String> = segments
        .zip(name.split('/'))
        .map(|(t, n)| format!("{t}/{n}"))
        .collect();
    format!("{SUB}/{namespace}/{}", pairs.join("/"))
}

fn resource(type_name: &str, name: &str, properties: Value) -> Value {
    json!({
        "id": arm_id(type_name, name),
        "name": name.rsplit('/').next().expect("name"),
        "type": type_name,
        "location": "eastus",
        "properties": properties,
    })
}

const VNET: &str = "Microsoft.Network/virtualNetworks";

/// One resource of every supported family, in `az ... show` / REST GET shape, referring to each
/// other by ARM ID (`{SUB}` stands for the subscription's provider path). It holds a VM with
/// its NIC, NICs and AML computes without addresses, a private endpoint's NIC, a zone group
/// without `type`, lower-case enum values, an IPv6 prefix and an unsupported type.
const AZURE_RESOURCE_SET: &str = r#"[
  {
    "id": "{SUB}/Microsoft.Network/networkSecurityGroups/nsg-training",
    "name": "nsg-training",
    "type": "Microsoft.Network/networkSecurityGroups",
    "location": "eastus",
    "properties": {
      "securityRules": [
        {
          "name": "AllowBatchInbound",
          "properties": {
            "access": "allow",
            "destinationAddressPrefix": "VirtualNetwork",
            "destinationPortRanges": ["29876-29877"],
            "direction": "inbound",
            "priority": 100,
            "protocol": "tcp",
            "sourceAddressPrefix": "BatchNodeManagement.EastUS",
            "sourcePortRange": "*"
          }
        },
        {
          "name": "AllowJumpSsh",
          "properties": {
            "access": "Allow",
            "destinationAddressPrefixes": ["192.168.1.0/24", "192.168.2.0/24"],
            "destinationPortRange": "22",
            "direction": "Inbound",
            "priority": 110,
            "protocol": "*",
            "sourceApplicationSecurityGroups": [{"id": "{SUB}/Microsoft.Network/applicationSecurityGroups/asg-jump"}]
          }
        },
        {
          "name": "DenyInternetOutbound",
          "properties": {
            "access": "Deny",
            "destinationAddressPrefix": "Internet",
            "destinationPortRange": "*",
            "direction": "Outbound",
            "priority": 4096,
            "protocol": "*",
            "sourceAddressPrefix": "*",
            "sourcePortRange": "*"
          }
        }
      ]
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/applicationSecurityGroups/asg-jump",
    "name": "asg-jump",
    "type": "Microsoft.Network/applicationSecurityGroups",
    "location": "eastus",
    "properties": {}
  },
  {
    "id": "{SUB}/Microsoft.Network/routeTables/rt-training",
    "name": "rt-training",
    "type": "Microsoft.Network/routeTables",
    "location": "eastus",
    "properties": {
      "disableBgpRoutePropagation": true,
      "routes": [
        {
          "name": "to-firewall",
          "properties": {
            "addressPrefix": "0.0.0.0/0",
            "nextHopIpAddress": "192.168.0.4",
            "nextHopType": "VirtualAppliance"
          }
        },
        {
          "name": "storage-direct",
          "properties": {"addressPrefix": "Storage", "nextHopType": "internet"}
        }
      ]
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/serviceEndpointPolicies/sep-aml",
    "name": "sep-aml",
    "type": "Microsoft.Network/serviceEndpointPolicies",
    "location": "eastus",
    "properties": {
      "serviceEndpointPolicyDefinitions": [
        {
          "name": "storage",
          "properties": {
            "service": "Microsoft.Storage",
            "serviceResources": ["{SUB}/Microsoft.Storage/storageAccounts/stamlwork"]
          }
        },
        {
          "name": "aml",
          "properties": {"service": "Global", "serviceResources": ["/services/Azure/MachineLearning"]}
        }
      ]
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/publicIPAddresses/pip-nat",
    "name": "pip-nat",
    "type": "Microsoft.Network/publicIPAddresses",
    "location": "eastus",
    "properties": {"ipAddress": "20.1.2.3"}
  },
  {
    "id": "{SUB}/Microsoft.Network/natGateways/nat-training",
    "name": "nat-training",
    "type": "Microsoft.Network/natGateways",
    "location": "eastus",
    "properties": {"publicIpAddresses": [{"id": "{SUB}/Microsoft.Network/publicIPAddresses/pip-nat"}]}
  },
  {
    "id": "{SUB}/Microsoft.Network/publicIPAddresses/pip-fw",
    "name": "pip-fw",
    "type": "Microsoft.Network/publicIPAddresses",
    "location": "eastus",
    "properties": {"ipAddress": "20.1.2.4"}
  },
  {
    "id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-hub",
    "name": "vnet-hub",
    "type": "Microsoft.Network/virtualNetworks",
    "location": "East US",
    "properties": {
      "addressSpace": {"addressPrefixes": ["192.168.0.0/24"]},
      "subnets": [{"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "192.168.0.0/26"}}],
      "virtualNetworkPeerings": [
        {
          "name": "peering",
          "properties": {
            "allowForwardedTraffic": true,
            "remoteVirtualNetwork": {"id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml"}
          }
        }
      ]
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml",
    "name": "vnet-aml",
    "type": "Microsoft.Network/virtualNetworks",
    "location": "eastus",
    "properties": {
      "addressSpace": {"addressPrefixes": ["192.168.1.0/24", "192.168.2.0/24", "fd00:db8::/48"]},
      "dhcpOptions": {"dnsServers": ["192.168.0.4"]},
      "subnets": [
        {
          "name": "snet-training",
          "properties": {
            "addressPrefix": "192.168.1.0/24",
            "defaultOutboundAccess": false,
            "natGateway": {"id": "{SUB}/Microsoft.Network/natGateways/nat-training"},
            "networkSecurityGroup": {"id": "{SUB}/Microsoft.Network/networkSecurityGroups/nsg-training"},
            "routeTable": {"id": "{SUB}/Microsoft.Network/routeTables/rt-training"},
            "serviceEndpointPolicies": [{"id": "{SUB}/Microsoft.Network/serviceEndpointPolicies/sep-aml"}],
            "serviceEndpoints": [{"locations": ["eastus"], "service": "Microsoft.Storage"}]
          }
        }
      ],
      "virtualNetworkPeerings": [
        {
          "name": "peering",
          "properties": {
            "allowForwardedTraffic": true,
            "remoteVirtualNetwork": {"id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-hub"}
          }
        }
      ]
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-pe",
    "name": "snet-pe",
    "type": "Microsoft.Network/virtualNetworks/subnets",
    "location": "eastus",
    "properties": {"addressPrefixes": ["192.168.2.0/24"], "privateEndpointNetworkPolicies": "enabled"}
  },
  {
    "id": "{SUB}/Microsoft.Storage/storageAccounts/stamlwork",
    "name": "stamlwork",
    "type": "Microsoft.Storage/storageAccounts",
    "location": "eastus",
    "properties": {
      "networkAcls": {
        "bypass": "Logging, AzureServices",
        "defaultAction": "deny",
        "ipRules": [{"action": "Allow", "value": "203.0.113.0/24"}],
        "resourceAccessRules": [
          {
            "resourceId": "{SUB}/Microsoft.MachineLearningServices/workspaces/mlw-secure",
            "tenantId": "t1"
          }
        ],
        "virtualNetworkRules": [
          {
            "action": "Allow",
            "id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-training"
          }
        ]
      },
      "publicNetworkAccess": "Enabled"
    }
  },
  {
    "id": "{SUB}/Microsoft.KeyVault/vaults/kv-aml",
    "name": "kv-aml",
    "type": "Microsoft.KeyVault/vaults",
    "location": "eastus",
    "properties": {
      "enablePurgeProtection": true,
      "enableSoftDelete": true,
      "networkAcls": {"bypass": "None", "defaultAction": "Deny"},
      "publicNetworkAccess": "disabled"
    }
  },
  {
    "id": "{SUB}/Microsoft.ContainerRegistry/registries/cramlwork",
    "name": "cramlwork",
    "type": "Microsoft.ContainerRegistry/registries",
    "location": "eastus",
    "properties": {
      "networkRuleBypassOptions": "AzureServices",
      "networkRuleSet": {"defaultAction": "Deny", "ipRules": []},
      "publicNetworkAccess": "Disabled"
    }
  },
  {
    "id": "{SUB}/Microsoft.MachineLearningServices/workspaces/mlw-secure",
    "name": "mlw-secure",
    "type": "Microsoft.MachineLearningServices/workspaces",
    "location": "eastus",
    "properties": {
      "containerRegistry": "{SUB}/Microsoft.ContainerRegistry/registries/cramlwork",
      "encryption": {"status": "Enabled"},
      "hbiWorkspace": true,
      "keyVault": "{SUB}/Microsoft.KeyVault/vaults/kv-aml",
      "publicNetworkAccess": "Disabled",
      "storageAccount": "{SUB}/Microsoft.Storage/storageAccounts/stamlwork"
    }
  },
  {
    "id": "{SUB}/Microsoft.MachineLearningServices/workspaces/mlw-secure/computes/cpu-cluster",
    "name": "cpu-cluster",
    "type": "Microsoft.MachineLearningServices/workspaces/computes",
    "location": "eastus",
    "properties": {
      "computeType": "AmlCompute",
      "properties": {
        "enableNodePublicIp": false,
        "subnet": {"id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-training"}
      }
    }
  },
  {
    "id": "{SUB}/Microsoft.MachineLearningServices/workspaces/mlw-secure/computes/ci-dev",
    "name": "ci-dev",
    "type": "Microsoft.MachineLearningServices/workspaces/computes",
    "location": "eastus",
    "properties": {
      "computeType": "ComputeInstance",
      "properties": {
        "subnet": {"id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-training"}
      }
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/networkInterfaces/nic-jump",
    "name": "nic-jump",
    "type": "Microsoft.Network/networkInterfaces",
    "location": "eastus",
    "properties": {
      "ipConfigurations": [
        {
          "name": "ipconfig1",
          "properties": {
            "applicationSecurityGroups": [{"id": "{SUB}/Microsoft.Network/applicationSecurityGroups/asg-jump"}],
            "privateIPAddress": "192.168.1.4",
            "privateIPAllocationMethod": "Static",
            "subnet": {"id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-training"}
          }
        }
      ]
    }
  },
  {
    "id": "{SUB}/Microsoft.Compute/virtualMachines/vm-jump",
    "name": "vm-jump",
    "type": "Microsoft.Compute/virtualMachines",
    "location": "eastus",
    "properties": {
      "networkProfile": {"networkInterfaces": [{"id": "{SUB}/Microsoft.Network/networkInterfaces/nic-jump"}]}
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/networkInterfaces/nic-nva",
    "name": "nic-nva",
    "type": "Microsoft.Network/networkInterfaces",
    "location": "eastus",
    "properties": {
      "enableIPForwarding": true,
      "ipConfigurations": [
        {
          "name": "ipconfig1",
          "properties": {
            "privateIPAllocationMethod": "Dynamic",
            "subnet": {"id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-training"}
          }
        }
      ]
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/privateEndpoints/pe-blob",
    "name": "pe-blob",
    "type": "Microsoft.Network/privateEndpoints",
    "location": "eastus",
    "properties": {
      "customDnsConfigs": [{"fqdn": "stamlwork.blob.core.windows.net", "ipAddresses": ["192.168.2.4"]}],
      "privateLinkServiceConnections": [
        {
          "name": "blob",
          "properties": {
            "groupIds": ["blob"],
            "privateLinkServiceConnectionState": {"status": "approved"},
            "privateLinkServiceId": "{SUB}/Microsoft.Storage/storageAccounts/stamlwork"
          }
        }
      ],
      "subnet": {"id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-pe"}
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/privateEndpoints/pe-blob/privateDnsZoneGroups/default",
    "name": "default",
    "location": "eastus",
    "properties": {
      "privateDnsZoneConfigs": [
        {
          "name": "blob",
          "properties": {
            "privateDnsZoneId": "{SUB}/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net"
          }
        }
      ]
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/privateEndpoints/pe-vault",
    "name": "pe-vault",
    "type": "Microsoft.Network/privateEndpoints",
    "location": "eastus",
    "properties": {
      "manualPrivateLinkServiceConnections": [
        {
          "name": "vault",
          "properties": {
            "groupIds": ["vault"],
            "privateLinkServiceId": "{SUB}/Microsoft.KeyVault/vaults/kv-aml"
          }
        }
      ],
      "networkInterfaces": [{"id": "{SUB}/Microsoft.Network/networkInterfaces/pe-vault.nic.1"}],
      "subnet": {"id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-pe"}
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/networkInterfaces/pe-vault.nic.1",
    "name": "pe-vault.nic.1",
    "type": "Microsoft.Network/networkInterfaces",
    "location": "eastus",
    "properties": {
      "ipConfigurations": [
        {
          "name": "privateEndpointIpConfig",
          "properties": {
            "privateIPAddress": "192.168.2.5",
            "subnet": {"id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml/subnets/snet-pe"}
          }
        }
      ],
      "privateEndpoint": {"id": "{SUB}/Microsoft.Network/privateEndpoints/pe-vault"}
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net",
    "name": "privatelink.blob.core.windows.net",
    "type": "Microsoft.Network/privateDnsZones",
    "location": "eastus",
    "properties": {}
  },
  {
    "id": "{SUB}/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net/virtualNetworkLinks/link-aml",
    "name": "link-aml",
    "type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    "location": "eastus",
    "properties": {
      "registrationEnabled": false,
      "virtualNetwork": {"id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-aml"}
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net/A/stamlwork",
    "name": "stamlwork",
    "type": "Microsoft.Network/privateDnsZones/A",
    "location": "eastus",
    "properties": {"aRecords": [{"ipv4Address": "192.168.2.4"}], "ttl": 10}
  },
  {
    "id": "{SUB}/Microsoft.Network/ipGroups/ipg-training",
    "name": "ipg-training",
    "type": "Microsoft.Network/ipGroups",
    "location": "eastus",
    "properties": {"ipAddresses": ["192.168.1.0/24", "10.0.0.1-10.0.0.2"]}
  },
  {
    "id": "{SUB}/Microsoft.Network/firewallPolicies/fwp-hub",
    "name": "fwp-hub",
    "type": "Microsoft.Network/firewallPolicies",
    "location": "eastus",
    "properties": {"dnsSettings": {"enableProxy": true}, "threatIntelMode": "Deny"}
  },
  {
    "id": "{SUB}/Microsoft.Network/firewallPolicies/fwp-hub/ruleCollectionGroups/aml",
    "name": "aml",
    "type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
    "location": "eastus",
    "properties": {
      "priority": 200,
      "ruleCollections": [
        {
          "action": {"type": "Allow"},
          "name": "aml-app",
          "priority": 300,
          "ruleCollectionType": "FirewallPolicyFilterRuleCollection",
          "rules": [
            {
              "name": "mcr",
              "protocols": [{"port": 443, "protocolType": "Https"}],
              "ruleType": "ApplicationRule",
              "sourceIpGroups": ["{SUB}/Microsoft.Network/ipGroups/ipg-training"],
              "targetFqdns": ["mcr.microsoft.com", "*.data.mcr.microsoft.com"]
            }
          ]
        },
        {
          "action": {"type": "allow"},
          "name": "aml-net",
          "priority": 200,
          "ruleCollectionType": "FirewallPolicyFilterRuleCollection",
          "rules": [
            {
              "destinationAddresses": ["AzureMachineLearning"],
              "destinationPorts": ["443", "8787"],
              "ipProtocols": ["TCP"],
              "name": "aml-tag",
              "ruleType": "NetworkRule",
              "sourceAddresses": ["192.168.1.0/24"]
            }
          ]
        },
        {
          "action": {"type": "DNAT"},
          "name": "dnat",
          "priority": 100,
          "ruleCollectionType": "FirewallPolicyNatRuleCollection",
          "rules": [
            {
              "destinationAddresses": ["20.1.2.4"],
              "destinationPorts": ["2222"],
              "ipProtocols": ["TCP"],
              "name": "ssh",
              "ruleType": "NatRule",
              "sourceAddresses": ["*"],
              "translatedAddress": "192.168.1.4",
              "translatedPort": "22"
            }
          ]
        }
      ]
    }
  },
  {
    "id": "{SUB}/Microsoft.Network/azureFirewalls/fw-hub",
    "name": "fw-hub",
    "type": "Microsoft.Network/azureFirewalls",
    "location": "eastus",
    "properties": {
      "additionalProperties": {"Network.DNS.EnableProxy": "true"},
      "firewallPolicy": {"id": "{SUB}/Microsoft.Network/firewallPolicies/fwp-hub"},
      "ipConfigurations": [
        {
          "name": "ipconfig",
          "properties": {
            "privateIPAddress": "192.168.0.4",
            "publicIPAddress": {"id": "{SUB}/Microsoft.Network/publicIPAddresses/pip-fw"},
            "subnet": {
              "id": "{SUB}/Microsoft.Network/virtualNetworks/vnet-hub/subnets/AzureFirewallSubnet"
            }
          }
        }
      ]
    }
  },
  {
    "id": "{SUB}/Microsoft.Web/sites/app1",
    "name": "app1",
    "type": "Microsoft.Web/sites",
    "location": "eastus",
    "properties": {}
  }
]"#;

fn azure_resource_set() -> Value {
    serde_json::from_str(&AZURE_RESOURCE_SET.replace("{SUB}", SUB)).expect("resource set JSON")
}

#[test]
fn every_resource_family_converts_with_references_resolved() {
    let loaded = load(&azure_resource_set().to_string(), "set.json");
    let design = &loaded.design;
    let messages: Vec<String> = loaded.diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        !messages.iter().any(|m| m.contains("not in the input")),
        "{messages:#?}"
    );
    assert!(
        !loaded.diagnostics.iter().any(|d| d.is_error()),
        "{messages:#?}"
    );
    assert_eq!(design.name, "set");
    assert_eq!(loaded.summary.ignored.get("Microsoft.Web/sites"), Some(&1));

    // VNets, subnets (inline and standalone), peerings.
    let names: Vec<&str> = design
        .virtual_networks
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(names, ["vnet-aml", "vnet-hub"]);
    let hub = &design.virtual_networks[1];
    assert_eq!(
        hub.region, "eastus",
        "`East US` is written in ARM's canonical form"
    );
    let aml = &design.virtual_networks[0];
    assert_eq!(aml.address_space.len(), 2);
    assert_eq!(
        warnings_containing(&loaded, "IPv6").len(),
        1,
        "{messages:#?}"
    );
    assert_eq!(aml.dns_servers, vec![ip("192.168.0.4")]);
    let [pe_subnet, training] = [&aml.subnets[0], &aml.subnets[1]];
    assert_eq!(training.name, "snet-training");
    assert_eq!(training.nsg.as_deref(), Some("nsg-training"));
    assert_eq!(training.route_table.as_deref(), Some("rt-training"));
    assert_eq!(
        training.service_endpoint_policies,
        vec!["sep-aml".to_string()]
    );
    assert_eq!(training.nat_gateway_ip, Some(ip("20.1.2.3")));
    assert!(!training.default_outbound_access);
    assert_eq!(pe_subnet.name, "snet-pe");
    assert_eq!(
        pe_subnet.private_endpoint_network_policies,
        PrivateEndpointNetworkPolicies::Enabled
    );
    let peerings: Vec<(&str, &str, &str)> = design
        .peerings
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.local_vnet.as_str(),
                p.remote_vnet.as_str(),
            )
        })
        .collect();
    assert_eq!(
        peerings,
        [
            ("vnet-aml/peering", "vnet-aml", "vnet-hub"),
            ("vnet-hub/peering", "vnet-hub", "vnet-aml")
        ],
        "peerings named alike in two VNets are qualified"
    );

    // NSG rules: lower-case enums, ASGs, plural prefixes.
    let rules = &design.network_security_groups[0].rules;
    assert_eq!(
        (rules[0].direction, rules[0].access, rules[0].protocol),
        (Direction::Inbound, Access::Allow, Protocol::Tcp)
    );
    assert_eq!(
        rules[0].source,
        vec![AddressMatch::Tag("BatchNodeManagement.EastUS".into())]
    );
    assert_eq!(
        rules[0].destination_ports,
        vec![PortRange {
            first: 29876,
            last: 29877
        }]
    );
    assert_eq!(rules[1].source_asgs, vec!["asg-jump".to_string()]);
    assert!(rules[1].source.is_empty());
    assert_eq!(
        rules[1].destination,
        vec![prefix("192.168.1.0/24"), prefix("192.168.2.0/24")]
    );
    assert_eq!(
        design.application_security_groups,
        vec!["asg-jump".to_string()]
    );

    // Routes: a service tag prefix, case-insensitive next hop type.
    let table = &design.route_tables[0];
    assert!(table.disable_gateway_propagation);
    let [storage_route, firewall_route] = [&table.routes[0], &table.routes[1]];
    assert_eq!(firewall_route.name, "to-firewall");
    assert_eq!(firewall_route.next_hop_ip, Some(ip("192.168.0.4")));
    assert_eq!(
        storage_route.address_prefix,
        AddressMatch::Tag("Storage".into())
    );
    assert_eq!(storage_route.next_hop_type, NextHopType::Internet);

    // Computes: the VM's name for its NIC, addresses picked from .4 for the ones without.
    let computes: Vec<(&str, ComputeKind, Ipv4Addr, Option<Ipv4Addr>)> = design
        .computes
        .iter()
        .map(|c| {
            let nic = c.nic.as_ref().expect("nic");
            (c.name.as_str(), c.kind, nic.private_ip, nic.public_ip)
        })
        .collect();
    assert_eq!(
        computes,
        [
            (
                "ci-dev",
                ComputeKind::ComputeInstance,
                ip("192.168.1.5"),
                Some(ip("198.51.100.1"))
            ),
            (
                "cpu-cluster",
                ComputeKind::ComputeCluster,
                ip("192.168.1.6"),
                None
            ),
            (
                "nic-nva",
                ComputeKind::VirtualMachine,
                ip("192.168.1.7"),
                None
            ),
            (
                "vm-jump",
                ComputeKind::VirtualMachine,
                ip("192.168.1.4"),
                None
            ),
        ]
    );
    // Addresses are picked in name order, so the input's order does not matter.
    let picked = warnings_containing(&loaded, "picked 192.168.1.7");
    assert_eq!(picked.len(), 1);
    assert_eq!(picked[0].element, "nic-nva");
    assert_eq!(
        picked[0].path,
        "set.json: $[18].properties.ipConfigurations[0].properties"
    );
    assert_eq!(
        warnings_containing(&loaded, "placeholder address 198.51.100.1").len(),
        1
    );
    let nva = design.computes[2].nic.as_ref().expect("nic");
    assert!(nva.ip_forwarding);
    let jump = design.computes[3].nic.as_ref().expect("nic");
    assert_eq!(jump.asgs, vec!["asg-jump".to_string()]);
    assert_eq!(design.computes[0].workspace.as_deref(), Some("mlw-secure"));

    // PaaS firewalls and the workspace.
    let [registry, vault, storage] = [
        &design.resources[0],
        &design.resources[1],
        &design.resources[2],
    ];
    assert_eq!(
        (
            registry.name.as_str(),
            vault.name.as_str(),
            storage.name.as_str()
        ),
        ("cramlwork", "kv-aml", "stamlwork")
    );
    assert_eq!(storage.subscription, "sub1");
    assert_eq!(storage.resource_group, "rg1");
    assert_eq!(storage.network_acls.default_action, Access::Deny);
    assert!(storage.network_acls.bypass_azure_services);
    assert_eq!(
        storage.network_acls.virtual_network_rules,
        vec!["vnet-aml/snet-training".to_string()]
    );
    assert_eq!(
        storage.network_acls.ip_rules,
        vec!["203.0.113.0/24".parse().unwrap()]
    );
    assert_eq!(
        storage.network_acls.resource_access_rules,
        vec!["mlw-secure".to_string()]
    );
    assert!(!vault.network_acls.bypass_azure_services);
    assert!(vault.soft_delete && vault.purge_protection);
    assert_eq!(vault.public_network_access, PublicNetworkAccess::Disabled);
    assert!(registry.network_acls.bypass_azure_services);
    assert_eq!(registry.network_acls.default_action, Access::Deny);
    let workspace = &design.workspaces[0];
    assert_eq!(workspace.storage_account.as_deref(), Some("stamlwork"));
    assert_eq!(workspace.key_vault.as_deref(), Some("kv-aml"));
    assert_eq!(workspace.container_registry.as_deref(), Some("cramlwork"));
    assert!(workspace.hbi && workspace.customer_managed_key);
    assert_eq!(
        workspace.public_network_access,
        PublicNetworkAccess::Disabled
    );

    // Private endpoints, their zone group (no `type`: inferred from the ID) and the zone.
    let blob = &design.private_endpoints[0];
    assert_eq!(
        (blob.target.as_str(), blob.sub_resource.as_str()),
        ("stamlwork", "blob")
    );
    assert_eq!(blob.private_ip, ip("192.168.2.4"));
    assert_eq!(
        blob.dns_zones,
        vec!["privatelink.blob.core.windows.net".to_string()]
    );
    let vault_pe = &design.private_endpoints[1];
    assert_eq!(
        vault_pe.private_ip,
        ip("192.168.2.5"),
        "from the endpoint's NIC"
    );
    assert_eq!(
        vault_pe.connection_state,
        ConnectionState::Pending,
        "manual connection without status"
    );
    let zone = &design.private_dns_zones[0];
    assert_eq!(zone.vnet_links, vec!["vnet-aml".to_string()]);
    assert_eq!(
        (zone.records[0].name.as_str(), zone.records[0].ip),
        ("stamlwork", ip("192.168.2.4"))
    );

    // Firewall, policy, groups and IP groups.
    let firewall = &design.firewalls[0];
    assert_eq!(firewall.subnet, "vnet-hub/AzureFirewallSubnet");
    assert_eq!(firewall.public_ip, Some(ip("20.1.2.4")));
    assert_eq!(firewall.policy.as_deref(), Some("fwp-hub"));
    assert!(firewall.dns_proxy);
    let policy = &design.firewall_policies[0];
    assert_eq!(policy.threat_intel, ThreatIntelMode::Deny);
    assert!(policy.dns_proxy);
    let collections = &policy.rule_collection_groups[0].rule_collections;
    let kinds: Vec<(&str, u32)> = collections
        .iter()
        .map(|c| (c.name(), c.priority()))
        .collect();
    assert_eq!(kinds, [("aml-app", 300), ("aml-net", 200), ("dnat", 100)]);
    let RuleCollection::Application { rules, action, .. } = &collections[0] else {
        panic!("application")
    };
    assert_eq!(*action, RuleAction::Allow);
    assert_eq!(rules[0].source_ip_groups, vec!["ipg-training".to_string()]);
    let RuleCollection::Nat { rules, .. } = &collections[2] else {
        panic!("nat")
    };
    assert_eq!(
        (rules[0].translated_address, rules[0].translated_port),
        (Some(ip("192.168.1.4")), 22)
    );
    assert_eq!(
        design.ip_groups[0].prefixes,
        vec![
            "192.168.1.0/24".parse().unwrap(),
            "10.0.0.1/32".parse().unwrap(),
            "10.0.0.2/32".parse().unwrap()
        ]
    );

    // The same input in another order gives the same design.
    let mut reversed = azure_resource_set();
    reversed.as_array_mut().expect("array").reverse();
    let again = load(&reversed.to_string(), "set.json");
    assert_eq!(again.design, loaded.design);
}

#[test]
fn azure_diagnostics_name_source_path_and_element() {
    let list = json!([
        resource(
            VNET,
            "v",
            json!({ "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] } })
        ),
        resource(
            "Microsoft.Network/networkSecurityGroups",
            "nsg",
            json!({ "securityRules": [
            { "name": "ok", "properties": { "priority": 100, "direction": "Inbound", "access": "Deny" } },
            { "name": "bad", "properties": { "priority": "high", "direction": "Outbound", "access": "Allow" } },
        ] })
        ),
    ]);
    let loaded = load(&list.to_string(), "az.json");
    let bad = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("`\"high\"` is not a whole number"))
        .expect("priority diagnostic");
    assert_eq!(bad.element, "nsg/bad");
    assert_eq!(
        bad.path,
        "az.json: $[1].properties.securityRules[1].properties.priority"
    );
    assert_eq!(
        loaded.design.network_security_groups[0].rules[1].priority,
        0
    );
}

#[test]
fn az_cli_output_with_flattened_properties_is_understood() {
    // `az network nsg show` flattens `properties` into the resource.
    let nsg = json!({
        "id": arm_id("Microsoft.Network/networkSecurityGroups", "cli-nsg"),
        "name": "cli-nsg",
        "type": "Microsoft.Network/networkSecurityGroups",
        "location": "eastus",
        "resourceGroup": "rg1",
        "securityRules": [{ "name": "ssh", "priority": 300, "direction": "Inbound", "access": "Allow",
            "protocol": "Tcp", "sourceAddressPrefix": "Internet", "destinationPortRange": "22",
            "sourcePortRange": "*", "destinationAddressPrefix": "*" }],
    });
    let loaded = load(&nsg.to_string(), "cli.json");
    let rule = &loaded.design.network_security_groups[0].rules[0];
    assert_eq!((rule.name.as_str(), rule.priority), ("ssh", 300));
    assert_eq!(rule.source, vec![AddressMatch::Tag("Internet".into())]);
}

#[test]
fn managed_network_workspaces_keep_computes_without_a_nic() {
    let set = json!([
        resource(
            "Microsoft.MachineLearningServices/workspaces",
            "mlw",
            json!({
            "managedNetwork": { "isolationMode": "AllowOnlyApprovedOutbound", "outboundRules": {
                "pypi": { "type": "FQDN", "destination": "pypi.org", "category": "UserDefined" },
                "blob": { "type": "PrivateEndpoint", "destination": {
                    "serviceResourceId": arm_id("Microsoft.Storage/storageAccounts", "st"),
                    "subresourceTarget": "blob", "sparkEnabled": true } },
                "aad": { "type": "ServiceTag", "destination": {
                    "serviceTag": "AzureActiveDirectory", "protocol": "TCP", "portRanges": "80, 443" } },
            }, "status": { "sparkReady": true, "status": "Active" } } })
        ),
        resource("Microsoft.Storage/storageAccounts", "st", json!({})),
        resource(
            "Microsoft.MachineLearningServices/workspaces/computes",
            "mlw/cluster",
            json!({
            "computeType": "AmlCompute", "properties": {} })
        ),
        resource(
            "Microsoft.MachineLearningServices/workspaces/computes",
            "mlw/aks",
            json!({
            "computeType": "Kubernetes", "properties": {} })
        ),
    ]);
    let loaded = load(&set.to_string(), "managed.json");
    let workspace = &loaded.design.workspaces[0];
    assert_eq!(
        workspace.managed_network.isolation_mode,
        ManagedIsolationMode::AllowOnlyApprovedOutbound
    );
    // `status.sparkReady` and a rule's `sparkEnabled` (Learn, "Workspace managed virtual
    // network isolation", serverless Spark).
    assert!(workspace.managed_network.spark_ready);
    assert_eq!(
        workspace.managed_network.outbound_rules,
        vec![
            OutboundRule::ServiceTag {
                name: "aad".into(),
                tag: "AzureActiveDirectory".into(),
                protocol: Protocol::Tcp,
                ports: vec![PortRange::single(80), PortRange::single(443)],
            },
            OutboundRule::PrivateEndpoint {
                name: "blob".into(),
                target: "st".into(),
                sub_resource: "blob".into(),
                spark_enabled: true,
            },
            OutboundRule::Fqdn {
                name: "pypi".into(),
                fqdn: "pypi.org".into(),
                ports: Vec::new(),
            },
        ]
    );
    assert_eq!(loaded.design.computes.len(), 1);
    assert_eq!(loaded.design.computes[0].nic, None);
    assert_eq!(
        loaded
            .summary
            .ignored
            .get("Microsoft.MachineLearningServices/workspaces/computes (Kubernetes)"),
        Some(&1)
    );
    assert!(
        !loaded.diagnostics.iter().any(|d| d.is_error()),
        "{:#?}",
        loaded.diagnostics
    );
}

// ---------------------------------------------------------------------------------------------
// Never panicking

/// Applies one mutation to the `target`-th value (pre-order): delete it from its parent, or
/// replace it with another JSON type.
fn mutate(value: &mut Value, target: usize, operation: u8) {
    fn replacement(operation: u8) -> Value {
        match operation % 8 {
            1 => Value::Null,
            2 => json!(-1),
            3 => json!(1e300),
            4 => json!("[parameters('x')]"),
            5 => json!(true),
            6 => json!([]),
            7 => json!({}),
            _ => json!("x"),
        }
    }
    fn visit(value: &mut Value, seen: &mut usize, target: usize, operation: u8) -> bool {
        if *seen == target {
            *value = replacement(operation);
            return true;
        }
        *seen += 1;
        match value {
            Value::Array(items) => {
                for index in 0..items.len() {
                    if *seen == target && operation.is_multiple_of(8) {
                        items.remove(index);
                        return true;
                    }
                    if visit(&mut items[index], seen, target, operation) {
                        return true;
                    }
                }
            }
            Value::Object(members) => {
                let keys: Vec<String> = members.keys().cloned().collect();
                for key in keys {
                    if *seen == target && operation.is_multiple_of(8) {
                        members.remove(&key);
                        return true;
                    }
                    if let Some(child) = members.get_mut(&key) {
                        if visit(child, seen, target, operation) {
                            return true;
                        }
                    }
                }
            }
            _ => {}
        }
        false
    }
    visit(value, &mut 0, target, operation);
}

fn count_values(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_values).sum(),
        Value::Object(members) => members.values().map(count_values).sum(),
        _ => 0,
    }
}

fn seeds() -> Vec<Value> {
    let mut seeds: Vec<Value> = files_under(&Path::new(FIXTURES).join("rest"))
        .iter()
        .map(|path| {
            serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON")
        })
        .collect();
    seeds.push(azure_resource_set());
    let design = load(&azure_resource_set().to_string(), "set.json").design;
    seeds.push(serde_json::to_value(&design).expect("design JSON"));
    seeds
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_inputs_never_panic(
        seed in any::<usize>(),
        mutations in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
        concatenate in any::<bool>(),
    ) {
        let seeds = seeds();
        let mut value = seeds[seed % seeds.len()].clone();
        for (target, operation) in mutations {
            let size = count_values(&value);
            mutate(&mut value, target % size, operation);
        }
        let mut text = value.to_string();
        if concatenate {
            text.push_str(&seeds[(seed / 7) % seeds.len()].to_string());
        }
        // Whatever the input, a design or an error comes back; displaying either never fails.
        match load_input(&text, "mutated.json") {
            Ok(loaded) => {
                let _ = loaded.summary.to_string();
                for diagnostic in &loaded.diagnostics {
                    prop_assert!(diagnostic.path.starts_with("mutated.json") || diagnostic.path.starts_with('$'));
                }
            }
            Err(error) => prop_assert!(error.to_string().starts_with("mutated.json")),
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "(?s).{0,200}") {
        let _ = load_input(&text, "random.json");
    }

    #[test]
    fn json_shaped_text_never_panics(text in r#"[\[\]{}",:0-9a-z \-./\\]{0,120}"#) {
        let _ = load_input(&text, "random.json");
    }
}

#[test]
fn every_fixture_file_loads_or_fails_cleanly() {
    for path in files_under(Path::new(FIXTURES)) {
        let text = std::fs::read_to_string(&path).expect("fixture");
        let source = path.display().to_string();
        match load_input(&text, &source) {
            Ok(loaded) => assert!(loaded.diagnostics.iter().all(|d| !d.message.is_empty())),
            Err(error) => assert!(error.to_string().starts_with(&source), "{error}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bastion hosts, virtual network gateways (with local network gateways and connections) and AKS

/// A VNet `hub` (10.0.0.0/16) with the given subnets (`name`, prefix).
fn hub_vnet(subnets: &[(&str, &str)]) -> Value {
    let subnets: Vec<Value> = subnets
        .iter()
        .map(|(name, prefix)| json!({ "name": name, "properties": { "addressPrefix": prefix } }))
        .collect();
    resource(
        VNET,
        "hub",
        json!({ "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] }, "subnets": subnets }),
    )
}

fn subnet_ref(name: &str) -> Value {
    json!({ "id": arm_id("Microsoft.Network/virtualNetworks/subnets", name) })
}

#[test]
fn bastion_hosts_become_jump_boxes_in_their_bastion_subnet() {
    let input = json!([
        hub_vnet(&[
            ("AzureBastionSubnet", "10.0.1.0/26"),
            ("other", "10.0.2.0/24")
        ]),
        resource(
            "Microsoft.Network/publicIPAddresses",
            "pip-bastion",
            json!({ "ipAddress": "20.1.2.3" })
        ),
        resource(
            "Microsoft.Network/bastionHosts",
            "bas-hub",
            json!({ "ipConfigurations": [{ "name": "IpConf", "properties": {
                "subnet": subnet_ref("hub/AzureBastionSubnet"),
                "publicIPAddress": { "id": arm_id("Microsoft.Network/publicIPAddresses", "pip-bastion") }
            } }] })
        ),
        resource(
            "Microsoft.Network/bastionHosts",
            "bas-misplaced",
            json!({ "ipConfigurations": [{ "name": "IpConf", "properties": {
                "subnet": subnet_ref("hub/other") } }] })
        ),
        resource("Microsoft.Network/bastionHosts", "bas-developer", json!({})),
    ]);
    let loaded = load(&input.to_string(), "bastion.json");
    assert!(
        !loaded
            .summary
            .ignored
            .contains_key("Microsoft.Network/bastionHosts"),
        "{:?}",
        loaded.summary.ignored
    );
    let names: Vec<&str> = loaded
        .design
        .computes
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["bas-hub", "bas-misplaced"]);
    let bastion = &loaded.design.computes[0];
    assert_eq!(bastion.kind, ComputeKind::JumpBox);
    let nic = bastion.nic.as_ref().expect("a NIC");
    assert_eq!(nic.subnet, "hub/AzureBastionSubnet");
    assert_eq!(nic.private_ip, ip("10.0.1.4"));
    assert_eq!(nic.public_ip, Some(ip("20.1.2.3")));
    assert_eq!(bastion.workspace, None);
    let stands_for = warnings_containing(&loaded, "standing for the Bastion service's instances");
    assert_eq!(stands_for.len(), 2, "{:#?}", loaded.diagnostics);
    assert_eq!(stands_for[0].element, "bas-hub");
    assert_eq!(stands_for[0].path, "bastion.json: $[2]");
    let picked = warnings_containing(&loaded, "picked 10.0.1.4, the first free address");
    assert_eq!(picked.len(), 1, "{:#?}", loaded.diagnostics);
    assert_eq!(picked[0].element, "bas-hub");
    assert_eq!(
        loaded.design.computes[1]
            .nic
            .as_ref()
            .map(|n| n.subnet.as_str()),
        Some("hub/other")
    );
    assert_eq!(
        warnings_containing(&loaded, "is not an `AzureBastionSubnet`").len(),
        1
    );
    let developer = warnings_containing(&loaded, "has no IP configuration (the Developer SKU");
    assert_eq!(developer.len(), 1);
    assert_eq!(developer[0].element, "bas-developer");
}

#[test]
fn virtual_network_gateways_get_the_prefixes_of_their_connected_local_gateways() {
    let gateway = |name: &str, gateway_type: &str| {
        resource(
            "Microsoft.Network/virtualNetworkGateways",
            name,
            json!({ "gatewayType": gateway_type, "ipConfigurations": [{ "name": "gw",
                "properties": { "subnet": subnet_ref("hub/GatewaySubnet") } }] }),
        )
    };
    let local = |name: &str, properties: Value| {
        resource("Microsoft.Network/localNetworkGateways", name, properties)
    };
    let connection = |name: &str, gateway: &str, local: Option<&str>, kind: &str| {
        let mut properties = json!({
            "connectionType": kind,
            "virtualNetworkGateway1": { "id": arm_id("Microsoft.Network/virtualNetworkGateways", gateway) },
        });
        if let (Some(local), Some(object)) = (local, properties.as_object_mut()) {
            object.insert(
                "localNetworkGateway2".to_string(),
                json!({ "id": arm_id("Microsoft.Network/localNetworkGateways", local) }),
            );
        }
        resource("Microsoft.Network/connections", name, properties)
    };
    let input = json!([
        // Connections first: the order of the input does not matter.
        connection("cn-paris", "vgw-vpn", Some("lgw-paris"), "IPsec"),
        connection("cn-bgp", "vgw-vpn", Some("lgw-bgp"), "IPsec"),
        connection("cn-lyon", "vgw-vpn", Some("lgw-lyon"), "ipsec"),
        connection("cn-bgp-only", "vgw-bgp", Some("lgw-bgp"), "IPsec"),
        local(
            "lgw-paris",
            json!({ "gatewayIpAddress": "203.0.113.9", "localNetworkAddressSpace":
                { "addressPrefixes": ["172.16.0.0/16", "172.17.0.0/24", "fd00::/8"] } })
        ),
        local(
            "lgw-lyon",
            json!({ "localNetworkAddressSpace": { "addressPrefixes": ["172.17.0.0/24", "192.168.50.0/24"] } })
        ),
        local(
            "lgw-bgp",
            json!({ "bgpSettings": { "asn": 65050, "bgpPeeringAddress": "10.50.0.1" } })
        ),
        gateway("vgw-vpn", "Vpn"),
        gateway("vgw-bgp", "vpn"),
        gateway("vgw-er", "ExpressRoute"),
        hub_vnet(&[("GatewaySubnet", "10.0.255.0/27")]),
    ]);
    let loaded = load(&input.to_string(), "gateways.json");
    for ignored in [
        "Microsoft.Network/virtualNetworkGateways",
        "Microsoft.Network/localNetworkGateways",
        "Microsoft.Network/connections",
    ] {
        assert!(
            !loaded.summary.ignored.contains_key(ignored),
            "{ignored}: {:?}",
            loaded.summary.ignored
        );
    }
    let gateways = &loaded.design.gateways;
    let names: Vec<&str> = gateways.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["vgw-bgp", "vgw-er", "vgw-vpn"]);
    assert!(gateways.iter().all(|g| g.vnet == "hub"));
    let kinds: Vec<GatewayKind> = gateways.iter().map(|g| g.kind).collect();
    assert_eq!(
        kinds,
        [
            GatewayKind::Vpn,
            GatewayKind::ExpressRoute,
            GatewayKind::Vpn
        ]
    );
    let vpn = &gateways[2];
    let prefixes: Vec<String> = vpn
        .on_premises_prefixes
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        prefixes,
        ["172.16.0.0/16", "172.17.0.0/24", "192.168.50.0/24"]
    );
    assert!(gateways[0].on_premises_prefixes.is_empty());
    assert!(gateways[1].on_premises_prefixes.is_empty());
    let bgp_only = warnings_containing(&loaded, "only BGP settings");
    let elements: Vec<&str> = bgp_only.iter().map(|d| d.element.as_str()).collect();
    assert_eq!(
        elements,
        ["vgw-bgp", "vgw-vpn"],
        "{:#?}",
        loaded.diagnostics
    );
    assert!(bgp_only[0]
        .message
        .ends_with("imported with no on-premises prefixes"));
    assert!(bgp_only[1]
        .message
        .starts_with("some connections add no on-premises prefixes"));
    let unconnected =
        warnings_containing(&loaded, "no connection (`Microsoft.Network/connections`)");
    assert_eq!(unconnected.len(), 1);
    assert_eq!(unconnected[0].element, "vgw-er");
    assert_eq!(unconnected[0].path, "gateways.json: $[9]");
    let ipv6 = warnings_containing(&loaded, "fd00::/8");
    assert_eq!(ipv6.len(), 1, "{:#?}", loaded.diagnostics);
    assert_eq!(ipv6[0].element, "lgw-paris");
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        loaded.diagnostics
    );
}

#[test]
fn aks_agent_pools_with_a_subnet_become_node_pool_computes() {
    let input = json!([
        hub_vnet(&[("aks", "10.0.8.0/22")]),
        resource(
            "Microsoft.ContainerService/managedClusters",
            "aks-ml",
            json!({ "agentPoolProfiles": [
                { "name": "system", "count": 3, "vnetSubnetID":
                    arm_id("Microsoft.Network/virtualNetworks/subnets", "hub/aks") },
                { "name": "gpu", "count": 2, "enableNodePublicIP": true, "vnetSubnetID":
                    arm_id("Microsoft.Network/virtualNetworks/subnets", "hub/aks") },
                { "name": "kubenet", "count": 1 },
            ] })
        ),
        resource(
            "Microsoft.ContainerService/managedClusters/agentPools",
            "aks-ml/extra",
            json!({ "count": 1, "vnetSubnetID":
                arm_id("Microsoft.Network/virtualNetworks/subnets", "hub/aks") })
        ),
    ]);
    let loaded = load(&input.to_string(), "aks.json");
    assert!(
        !loaded
            .summary
            .ignored
            .contains_key("Microsoft.ContainerService/managedClusters"),
        "{:?}",
        loaded.summary.ignored
    );
    let pools: Vec<(&str, ComputeKind, &str, Ipv4Addr, Option<Ipv4Addr>)> = loaded
        .design
        .computes
        .iter()
        .filter_map(|c| {
            let nic = c.nic.as_ref()?;
            Some((
                c.name.as_str(),
                c.kind,
                nic.subnet.as_str(),
                nic.private_ip,
                nic.public_ip,
            ))
        })
        .collect();
    assert_eq!(
        pools,
        [
            (
                "aks-ml/extra",
                ComputeKind::AksNodePool,
                "hub/aks",
                ip("10.0.8.4"),
                None
            ),
            (
                "aks-ml/gpu",
                ComputeKind::AksNodePool,
                "hub/aks",
                ip("10.0.8.5"),
                Some(ip("198.51.100.1"))
            ),
            (
                "aks-ml/system",
                ComputeKind::AksNodePool,
                "hub/aks",
                ip("10.0.8.6"),
                None
            ),
        ]
    );
    let picked = warnings_containing(&loaded, "no private IP address in the input: picked");
    let elements: Vec<&str> = picked.iter().map(|d| d.element.as_str()).collect();
    assert_eq!(elements, ["aks-ml/extra", "aks-ml/gpu", "aks-ml/system"]);
    let standing = warnings_containing(&loaded, "standing for its 3 node(s)");
    assert_eq!(standing.len(), 1);
    assert_eq!(
        standing[0].path,
        "aks.json: $[1].properties.agentPoolProfiles[0]"
    );
    let no_subnet = warnings_containing(&loaded, "has no `vnetSubnetID`");
    assert_eq!(no_subnet.len(), 1, "{:#?}", loaded.diagnostics);
    assert_eq!(no_subnet[0].element, "aks-ml/kubenet");
    assert_eq!(
        warnings_containing(&loaded, "`enableNodePublicIP` is true").len(),
        1
    );
}

#[test]
fn fixture_templates_import_bastion_hosts_aks_pools_and_gateways() {
    let secure = load_input(
        &fixture("arm/aml-e2e-secure/azuredeploy.json"),
        "aml-e2e-secure.json",
    )
    .expect("aml-e2e-secure loads");
    for ignored in [
        "Microsoft.Network/bastionHosts",
        "Microsoft.ContainerService/managedClusters",
    ] {
        assert!(
            !secure.summary.ignored.contains_key(ignored),
            "{ignored}: {:?}",
            secure.summary.ignored
        );
    }
    let compute = |loaded: &Loaded, kind: ComputeKind| -> Vec<(String, String)> {
        loaded
            .design
            .computes
            .iter()
            .filter(|c| c.kind == kind)
            .filter_map(|c| Some((c.name.clone(), c.nic.as_ref()?.subnet.clone())))
            .collect()
    };
    let bastions = compute(&secure, ComputeKind::JumpBox);
    assert_eq!(bastions.len(), 1, "{bastions:?}");
    assert!(bastions[0].0.starts_with("bas-"), "{bastions:?}");
    assert!(
        bastions[0].1.ends_with("/AzureBastionSubnet"),
        "{bastions:?}"
    );
    let pools = compute(&secure, ComputeKind::AksNodePool);
    assert_eq!(pools.len(), 1, "{pools:?}");
    assert!(pools[0].0.ends_with("/agentpool"), "{pools:?}");
    assert!(pools[0].1.ends_with("/snet-scoring"), "{pools:?}");
    assert!(
        secure.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        secure.diagnostics
    );

    let bastion_nsg = load_input(
        &fixture("arm/azure-bastion-nsg/azuredeploy.json"),
        "bastion.json",
    )
    .expect("azure-bastion-nsg loads");
    assert_eq!(
        compute(&bastion_nsg, ComputeKind::JumpBox),
        [(
            "bastion-host-name".to_string(),
            "vnet01/AzureBastionSubnet".to_string()
        )]
    );

    let hub = load_template(
        &fixture("arm/azure-firewall-dns-proxy/azuredeploy.json"),
        "dns-proxy.json",
        &TemplateInputs {
            overrides: vec![("deployVpnGateway".to_string(), "true".to_string())],
            ..TemplateInputs::default()
        },
    )
    .expect("azure-firewall-dns-proxy loads");
    assert_eq!(
        compute(&hub, ComputeKind::JumpBox).len(),
        1,
        "{:?}",
        hub.design.computes
    );
    let gateways: Vec<(&str, GatewayKind, &str, usize)> = hub
        .design
        .gateways
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                g.kind,
                g.vnet.as_str(),
                g.on_premises_prefixes.len(),
            )
        })
        .collect();
    assert_eq!(
        gateways,
        [("HubVpnGateway", GatewayKind::Vpn, "HubVnet", 0)]
    );
    assert_eq!(
        warnings_containing(&hub, "imported with no on-premises prefixes").len(),
        1
    );
    assert!(
        hub.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        hub.diagnostics
    );
}

/// Virtual Network Manager resources as the REST API returns them
/// (https://learn.microsoft.com/rest/api/networkmanager/admin-rules/create-or-update): the
/// group's static member, the collection's `appliesToGroups`, and a rule's prefixes, tags and
/// ports. A member whose VNet is not in the input keeps the reference and is reported.
#[test]
fn network_manager_security_admin_rules_import_from_rest_json() {
    let manager =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/avnm";
    let resources = json!([
        {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke",
         "name": "spoke", "type": "Microsoft.Network/virtualNetworks", "location": "eastus",
         "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}},
        {"id": manager, "name": "avnm", "type": "Microsoft.Network/networkManagers", "properties": {}},
        {"id": format!("{manager}/networkGroups/spokes"), "name": "spokes",
         "type": "Microsoft.Network/networkManagers/networkGroups", "properties": {}},
        {"id": format!("{manager}/networkGroups/spokes/staticMembers/m1"), "name": "m1",
         "type": "Microsoft.Network/networkManagers/networkGroups/staticMembers",
         "properties": {"resourceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke"}},
        {"id": format!("{manager}/securityAdminConfigurations/cfg"), "name": "cfg",
         "type": "Microsoft.Network/networkManagers/securityAdminConfigurations", "properties": {}},
        {"id": format!("{manager}/securityAdminConfigurations/cfg/ruleCollections/rc"), "name": "rc",
         "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
         "properties": {"appliesToGroups": [{"networkGroupId": format!("{manager}/networkGroups/spokes")}]}},
        {"id": format!("{manager}/securityAdminConfigurations/cfg/ruleCollections/rc/rules/monitoring"),
         "name": "monitoring", "kind": "Custom",
         "type": "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
         "properties": {"priority": 5, "direction": "Outbound", "access": "AlwaysAllow", "protocol": "Tcp",
                        "sources": [{"addressPrefixType": "IPPrefix", "addressPrefix": "10.1.0.0/16"}],
                        "destinations": [{"addressPrefixType": "ServiceTag", "addressPrefix": "AzureMonitor"}],
                        "sourcePortRanges": [], "destinationPortRanges": ["443"]}}
    ]);
    let loaded = load_input(&resources.to_string(), "avnm.json").expect("loads");
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        loaded.diagnostics
    );
    let manager = &loaded.design.network_managers[0];
    assert_eq!(manager.network_groups[0].vnets, ["spoke"]);
    let collection = &manager.admin_rule_collections[0];
    assert_eq!(collection.network_groups, ["spokes"]);
    let rule = &collection.rules[0];
    assert_eq!(
        (rule.priority, rule.direction, rule.protocol),
        (5, Direction::Outbound, Protocol::Tcp)
    );
    assert_eq!(rule.access, vnetlab::model::AdminAccess::AlwaysAllow);
    assert_eq!(
        rule.source,
        [AddressMatch::Prefix("10.1.0.0/16".parse().unwrap())]
    );
    assert_eq!(
        rule.destination_ports,
        [PortRange {
            first: 443,
            last: 443
        }]
    );
    assert_eq!(loaded.summary.count("admin_rules"), 1);
}
