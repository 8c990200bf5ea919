//! ARM/REST import of `Microsoft.Network/loadBalancers`: Microsoft's REST example shape, pool
//! members from NIC IP configurations, HA ports rules, public frontends and outbound rules.
#![cfg(not(target_arch = "wasm32"))]

use std::net::Ipv4Addr;

use serde_json::json;
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget, Step, Verdict};
use vnetlab::import::load_input;
use vnetlab::model::{LoadBalancerProtocol, ProbeProtocol, Protocol, Severity};

const LB: &str =
    "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/loadBalancers";
const SUBNETS: &str =
    "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks";

/// The 200 response of Microsoft's REST example `LoadBalancerCreate.json`
/// (azure-rest-api-specs, network 2021-05-01), as `az network lb show` prints it.
fn microsoft_example() -> serde_json::Value {
    json!({"parameters": {"api-version": "2021-05-01"}, "responses": {"200": {"body": {
    "name": "lb", "id": format!("{LB}/lb"), "type": "Microsoft.Network/loadBalancers",
    "location": "eastus", "sku": {"name": "Basic"},
    "properties": {
        "frontendIPConfigurations": [{"name": "fe-lb", "id": format!("{LB}/lb/frontendIPConfigurations/fe-lb"),
            "properties": {"privateIPAddress": "10.0.1.4", "privateIPAllocationMethod": "Dynamic",
                "subnet": {"id": format!("{SUBNETS}/vnetlb/subnets/subnetlb")}}}],
        "backendAddressPools": [{"name": "be-lb", "id": format!("{LB}/lb/backendAddressPools/be-lb"), "properties": {}}],
        "loadBalancingRules": [{"name": "rulelb", "properties": {
            "frontendIPConfiguration": {"id": format!("{LB}/lb/frontendIPConfigurations/fe-lb")},
            "frontendPort": 80, "backendPort": 80, "enableFloatingIP": true, "protocol": "Tcp",
            "backendAddressPool": {"id": format!("{LB}/lb/backendAddressPools/be-lb")},
            "probe": {"id": format!("{LB}/lb/probes/probe-lb")}, "disableOutboundSnat": false}}],
        "probes": [{"name": "probe-lb", "properties": {"protocol": "Http", "port": 80, "requestPath": "healthcheck.aspx"}}],
        "inboundNatRules": [{"name": "in-nat-rule", "properties": {
            "frontendIPConfiguration": {"id": format!("{LB}/lb/frontendIPConfigurations/fe-lb")},
            "frontendPort": 3389, "backendPort": 3389, "protocol": "Tcp"}}],
        "inboundNatPools": []
    }}}}})
}

#[test]
fn microsoft_rest_example_imports_frontend_pool_probe_and_rule() {
    let text = microsoft_example().to_string();
    let loaded = load_input(&text, "LoadBalancerCreate.json").expect("loads");
    let lb = &loaded.design.load_balancers[0];
    assert_eq!(lb.name, "lb");
    let frontend = &lb.frontends[0];
    assert_eq!(
        (
            frontend.name.as_str(),
            frontend.subnet.as_deref(),
            frontend.private_ip
        ),
        (
            "fe-lb",
            Some("vnetlb/subnetlb"),
            Some(Ipv4Addr::new(10, 0, 1, 4))
        )
    );
    assert_eq!(lb.backend_pools[0].name, "be-lb");
    assert_eq!(
        (
            lb.probes[0].name.as_str(),
            lb.probes[0].protocol,
            lb.probes[0].port
        ),
        ("probe-lb", ProbeProtocol::Http, 80)
    );
    let rule = &lb.rules[0];
    assert_eq!(
        (
            rule.frontend.as_str(),
            rule.backend_pool.as_str(),
            rule.protocol,
            rule.frontend_port,
            rule.probe.as_deref()
        ),
        (
            "fe-lb",
            "be-lb",
            LoadBalancerProtocol::Tcp,
            80,
            Some("probe-lb")
        )
    );
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Warning
            && d.message.contains("inbound NAT rules are not modelled")
            && d.path.contains("inboundNatRules")));
    assert_eq!(loaded.summary.elements.get("load_balancers"), Some(&1));
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Warning
            && d.message
                .contains("Basic load balancer is modelled with Standard semantics")));
}

/// `tests/fixtures/load-balancers-rest.json`: a hub with two NVAs whose NIC IP configurations
/// join the pool of an internal load balancer (HA ports), a route to its frontend, and a public
/// load balancer whose outbound rule serves a VM through a public IP resource.
fn hub_resources() -> serde_json::Value {
    let text = std::fs::read_to_string("tests/fixtures/load-balancers-rest.json").expect("fixture");
    serde_json::from_str(&text).expect("fixture JSON")
}

#[test]
fn nic_memberships_ha_ports_and_outbound_rules_import_and_trace() {
    let loaded = load_input(&hub_resources().to_string(), "hub.json").expect("loads");
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let design = &loaded.design;
    let names: Vec<&str> = design
        .load_balancers
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(names, ["ilb", "plb"]);
    let ilb = &design.load_balancers[0];
    assert_eq!(ilb.backend_pools[0].members, ["nva-a", "nva-b"]);
    assert!(ilb.rules[0].is_ha_ports());
    let plb = &design.load_balancers[1];
    assert_eq!(plb.frontends[0].public_ip, Some(Ipv4Addr::new(52, 0, 0, 1)));
    assert_eq!(plb.outbound_rules[0].backend_pool, "vms");
    assert_eq!(plb.backend_pools[0].members, ["worker"]);

    let engine = Engine::new(design);
    let flow = |to: &str| {
        Flow::new(
            FlowSource::Element("worker".into()),
            FlowTarget::Address(to.parse().unwrap()),
            Protocol::Tcp,
            Some(443),
        )
    };
    // The route to 192.168.0.0/16 goes through the ILB to the first healthy NVA by name.
    let through_ilb = engine.trace(&flow("192.168.1.1")).expect("traces");
    assert!(
        through_ilb
            .hops
            .iter()
            .any(|h| h.step == Step::LoadBalancer && h.reason.contains("backend nva-a of")),
        "{through_ilb:#?}"
    );
    // Internet egress leaves with the public load balancer's address.
    let out = engine.trace(&flow("203.0.113.9")).expect("traces");
    assert_eq!(out.verdict, Verdict::Allowed, "{}", out.reason);
    let egress = out
        .hops
        .iter()
        .find(|h| h.step == Step::InternetEgress)
        .expect("egress");
    assert!(egress.reason.contains("52.0.0.1"), "{}", egress.reason);
}

#[test]
fn a_membership_in_a_pool_not_in_the_input_is_reported() {
    let mut input = hub_resources();
    let list = input["value"].as_array_mut().expect("list");
    list.retain(|r| r["name"] != "plb");
    let loaded = load_input(&input.to_string(), "hub.json").expect("loads");
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Warning
            && d.message
                .contains("backend pool vms of load balancer plb, which is not in the input")));
}

/// An ARM template with an internal load balancer whose parts reference each other with
/// `resourceId()` and a NIC that joins its pool, as the "Deploy highly available NVAs"
/// templates write them.
#[test]
fn an_arm_template_load_balancer_with_resource_id_references_imports() {
    let template = json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "variables": {
            "lbId": "[resourceId('Microsoft.Network/loadBalancers', 'ilb')]",
            "subnetId": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'nva')]"
        },
        "resources": [
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "hub", "location": "eastus",
             "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
                "subnets": [{"name": "nva", "properties": {"addressPrefix": "10.1.1.0/24"}}]}},
            {"type": "Microsoft.Network/loadBalancers", "apiVersion": "2023-09-01", "name": "ilb", "location": "eastus",
             "sku": {"name": "Standard"},
             "properties": {
                "frontendIPConfigurations": [{"name": "fe", "properties": {
                    "privateIPAllocationMethod": "Static", "privateIPAddress": "10.1.1.10",
                    "subnet": {"id": "[variables('subnetId')]"}}}],
                "backendAddressPools": [{"name": "nvas"}],
                "probes": [{"name": "ssh", "properties": {"protocol": "Tcp", "port": 22, "noHealthyBackendsBehavior": "AllProbedUp"}}],
                "loadBalancingRules": [{"name": "ha", "properties": {
                    "frontendIPConfiguration": {"id": "[concat(variables('lbId'), '/frontendIPConfigurations/fe')]"},
                    "backendAddressPool": {"id": "[resourceId('Microsoft.Network/loadBalancers/backendAddressPools', 'ilb', 'nvas')]"},
                    "probe": {"id": "[resourceId('Microsoft.Network/loadBalancers/probes', 'ilb', 'ssh')]"},
                    "protocol": "All", "frontendPort": 0, "backendPort": 0}}]}},
            {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-09-01", "name": "nva-nic", "location": "eastus",
             "properties": {"enableIPForwarding": true, "ipConfigurations": [{"name": "ipconfig1", "properties": {
                "privateIPAllocationMethod": "Static", "privateIPAddress": "10.1.1.4",
                "subnet": {"id": "[variables('subnetId')]"},
                "loadBalancerBackendAddressPools": [{"id": "[resourceId('Microsoft.Network/loadBalancers/backendAddressPools', 'ilb', 'nvas')]"}]}}]}}
        ]
    });
    let loaded = vnetlab::import::load_template(
        &template.to_string(),
        "ha-nva.json",
        &vnetlab::import::TemplateInputs::default(),
    )
    .expect("the template loads");
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let lb = &loaded.design.load_balancers[0];
    assert_eq!(lb.backend_pools[0].members, ["nva-nic"]);
    assert!(lb.rules[0].is_ha_ports());
    assert_eq!(lb.rules[0].probe.as_deref(), Some("ssh"));
    assert_eq!(
        lb.probes[0].no_healthy_backends,
        vnetlab::model::NoHealthyBackends::AllProbedUp
    );
    assert_eq!(lb.frontends[0].subnet.as_deref(), Some("hub/nva"));
}

/// A validation error in a converted load balancer points into the user's file, at the rule,
/// and keeps the converted design's path in its message.
#[test]
fn a_rule_naming_a_missing_pool_is_an_error_in_the_users_file() {
    let mut input = hub_resources();
    let ilb = input["value"]
        .as_array_mut()
        .expect("list")
        .iter_mut()
        .find(|r| r["name"] == "ilb")
        .expect("ilb");
    ilb["properties"]["loadBalancingRules"][0]["properties"]["backendAddressPool"]["id"] =
        json!(format!("{LB}/ilb/backendAddressPools/ghost"));
    let loaded = load_input(&input.to_string(), "hub.json").expect("loads");
    let error = loaded
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert_eq!(error.element, "ilb/ha");
    assert!(
        error.path.starts_with("hub.json: $.value[")
            && error.path.ends_with(".properties.loadBalancingRules[0]"),
        "{}",
        error.path
    );
    assert!(
        error.message.contains("backend pool `ghost`")
            && error
                .message
                .contains("$.load_balancers[0].rules[0].backend_pool")
    );
}

/// A pool declared as its own resource (`Microsoft.Network/loadBalancers/backendAddressPools`,
/// as Bicep writes a child) joins its load balancer; without the load balancer in the input it
/// is kept in a stub and reported.
#[test]
fn a_backend_pool_child_resource_joins_its_load_balancer() {
    let mut input = hub_resources();
    let list = input["value"].as_array_mut().expect("list");
    let ilb = list.iter_mut().find(|r| r["name"] == "ilb").expect("ilb");
    ilb["properties"]["backendAddressPools"] = json!([]);
    list.push(
        json!({"type": "Microsoft.Network/loadBalancers/backendAddressPools", "name": "ilb/nvas",
        "id": format!("{LB}/ilb/backendAddressPools/nvas"), "properties": {}}),
    );
    let loaded = load_input(&input.to_string(), "hub.json").expect("loads");
    let ilb = loaded
        .design
        .load_balancers
        .iter()
        .find(|l| l.name == "ilb")
        .expect("ilb");
    assert_eq!(ilb.backend_pools.len(), 1);
    assert_eq!(ilb.backend_pools[0].members, ["nva-a", "nva-b"]);

    let orphan = json!([{"type": "Microsoft.Network/loadBalancers/backendAddressPools",
        "name": "gone/pool", "properties": {}}]);
    let loaded = load_input(&orphan.to_string(), "orphan.json").expect("loads");
    assert_eq!(loaded.design.load_balancers[0].name, "gone");
    assert!(loaded.diagnostics.iter().any(|d| d
        .message
        .contains("load balancer `gone` is not in the input")));
}
