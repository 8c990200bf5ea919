//! Virtual networks, subnets, peerings, NSGs and their rules, application security groups,
//! route tables and routes, public IPs, NAT gateways, network interfaces, VMs (as their NICs),
//! Bastion, VPN / ExpressRoute gateways, local network gateways and connections, lowered to
//! the ARM properties `import/azure` converts. Attribute names are azurerm 3.x and 4.x
//! (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs).

use serde_json::{json, Map, Value};

use super::attrs::{enabled, put, singular_or_plural, Attrs};

pub(super) fn virtual_network(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert(
        "addressSpace".into(),
        json!({ "addressPrefixes": a.list("address_space") }),
    );
    let dns = a.list("dns_servers");
    if !dns.is_empty() {
        p.insert("dhcpOptions".into(), json!({ "dnsServers": dns }));
    }
    let subnets: Vec<Value> = a
        .blocks("subnet")
        .into_iter()
        .map(|s| {
            let mut sp = Map::new();
            let mut prefixes = s.list("address_prefixes");
            prefixes.extend(s.list("address_prefix"));
            sp.insert("addressPrefixes".into(), Value::Array(prefixes));
            put(
                &mut sp,
                "networkSecurityGroup",
                s.reference("security_group"),
            );
            json!({ "name": s.text("name"), "properties": sp })
        })
        .collect();
    if !subnets.is_empty() {
        p.insert("subnets".into(), Value::Array(subnets));
    }
    p
}

/// A subnet. Its private endpoint network policies default to `Enabled` in azurerm 3.x
/// (`private_endpoint_network_policies_enabled = true`, `enforce_…_policies = false`) and to
/// `Disabled` in 4.x, as in ARM; without a pinned 3.x provider the 4.x default applies.
pub(super) fn subnet(a: Attrs, azurerm_major: Option<u32>) -> Map<String, Value> {
    let mut p = Map::new();
    let mut prefixes = a.list("address_prefixes");
    prefixes.extend(a.list("address_prefix"));
    p.insert("addressPrefixes".into(), Value::Array(prefixes));
    let endpoints: Vec<Value> = a
        .list("service_endpoints")
        .into_iter()
        .map(|service| json!({ "service": service }))
        .collect();
    if !endpoints.is_empty() {
        p.insert("serviceEndpoints".into(), Value::Array(endpoints));
    }
    let policies = a.references("service_endpoint_policy_ids");
    if !policies.is_empty() {
        p.insert("serviceEndpointPolicies".into(), Value::Array(policies));
    }
    let delegations: Vec<Value> = a
        .blocks("delegation")
        .into_iter()
        .map(|d| {
            let service = d
                .block("service_delegation")
                .and_then(|s| s.get("name").cloned());
            json!({ "name": d.text("name"), "properties": { "serviceName": service } })
        })
        .collect();
    if !delegations.is_empty() {
        p.insert("delegations".into(), Value::Array(delegations));
    }
    // Private endpoint network policies: 4.x string, 3.x booleans (the older one inverted).
    let policies = a
        .text("private_endpoint_network_policies")
        .map(|text| Value::String(text.to_string()))
        .or_else(|| {
            a.flag("private_endpoint_network_policies_enabled")
                .map(enabled)
        })
        .or_else(|| {
            a.flag("enforce_private_link_endpoint_network_policies")
                .map(|f| enabled(!f))
        });
    let provider_default = (azurerm_major == Some(3)).then(|| enabled(true));
    put(
        &mut p,
        "privateEndpointNetworkPolicies",
        policies.or(provider_default),
    );
    let service_policies = a
        .flag("private_link_service_network_policies_enabled")
        .map(enabled)
        .or_else(|| {
            a.flag("enforce_private_link_service_network_policies")
                .map(|f| enabled(!f))
        });
    put(
        &mut p,
        "privateLinkServiceNetworkPolicies",
        service_policies,
    );
    put(
        &mut p,
        "defaultOutboundAccess",
        a.flag("default_outbound_access_enabled").map(Value::Bool),
    );
    p
}

pub(super) fn peering(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    put(
        &mut p,
        "remoteVirtualNetwork",
        a.reference("remote_virtual_network_id"),
    );
    let flag = |name: &str, default: bool| Value::Bool(a.flag(name).unwrap_or(default));
    p.insert(
        "allowVirtualNetworkAccess".into(),
        flag("allow_virtual_network_access", true),
    );
    p.insert(
        "allowForwardedTraffic".into(),
        flag("allow_forwarded_traffic", false),
    );
    p.insert(
        "allowGatewayTransit".into(),
        flag("allow_gateway_transit", false),
    );
    p.insert(
        "useRemoteGateways".into(),
        flag("use_remote_gateways", false),
    );
    p
}

pub(super) fn security_group(a: Attrs) -> Map<String, Value> {
    let rules: Vec<Value> = a
        .blocks("security_rule")
        .into_iter()
        .map(|rule| json!({ "name": rule.text("name"), "properties": security_rule(rule) }))
        .collect();
    let mut p = Map::new();
    p.insert("securityRules".into(), Value::Array(rules));
    p
}

/// One rule, inline (`security_rule`) or separate (`azurerm_network_security_rule`).
pub(super) fn security_rule(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    for (attribute, key) in [
        ("priority", "priority"),
        ("direction", "direction"),
        ("access", "access"),
        ("protocol", "protocol"),
        ("description", "description"),
    ] {
        put(&mut p, key, a.get(attribute).cloned());
    }
    singular_or_plural(
        &mut p,
        a,
        ("source_port_range", "sourcePortRange"),
        ("source_port_ranges", "sourcePortRanges"),
    );
    singular_or_plural(
        &mut p,
        a,
        ("destination_port_range", "destinationPortRange"),
        ("destination_port_ranges", "destinationPortRanges"),
    );
    singular_or_plural(
        &mut p,
        a,
        ("source_address_prefix", "sourceAddressPrefix"),
        ("source_address_prefixes", "sourceAddressPrefixes"),
    );
    singular_or_plural(
        &mut p,
        a,
        ("destination_address_prefix", "destinationAddressPrefix"),
        ("destination_address_prefixes", "destinationAddressPrefixes"),
    );
    for (attribute, key) in [
        (
            "source_application_security_group_ids",
            "sourceApplicationSecurityGroups",
        ),
        (
            "destination_application_security_group_ids",
            "destinationApplicationSecurityGroups",
        ),
    ] {
        let groups = a.references(attribute);
        if !groups.is_empty() {
            p.insert(key.into(), Value::Array(groups));
        }
    }
    p
}

pub(super) fn route_table(a: Attrs) -> Map<String, Value> {
    let routes: Vec<Value> = a
        .blocks("route")
        .into_iter()
        .map(|route| json!({ "name": route.text("name"), "properties": route_properties(route) }))
        .collect();
    let mut p = Map::new();
    p.insert("routes".into(), Value::Array(routes));
    let disabled = a.flag("disable_bgp_route_propagation").or_else(|| {
        a.flag("bgp_route_propagation_enabled")
            .map(|enabled| !enabled)
    });
    put(
        &mut p,
        "disableBgpRoutePropagation",
        disabled.map(Value::Bool),
    );
    p
}

/// One route, inline (`route`) or separate (`azurerm_route`).
pub(super) fn route_properties(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    put(&mut p, "addressPrefix", a.get("address_prefix").cloned());
    put(&mut p, "nextHopType", a.get("next_hop_type").cloned());
    put(
        &mut p,
        "nextHopIpAddress",
        a.get("next_hop_in_ip_address").cloned(),
    );
    p
}

pub(super) fn public_ip(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    put(
        &mut p,
        "publicIPAllocationMethod",
        a.get("allocation_method").cloned(),
    );
    put(&mut p, "ipAddress", a.get("ip_address").cloned());
    p
}

pub(super) fn nat_gateway(_: Attrs) -> Map<String, Value> {
    Map::new()
}

pub(super) fn network_interface(a: Attrs) -> Map<String, Value> {
    let configurations: Vec<Value> = a
        .blocks("ip_configuration")
        .into_iter()
        .map(|c| {
            let mut cp = Map::new();
            put(&mut cp, "subnet", c.reference("subnet_id"));
            put(
                &mut cp,
                "privateIPAllocationMethod",
                c.get("private_ip_address_allocation").cloned(),
            );
            put(
                &mut cp,
                "privateIPAddress",
                c.get("private_ip_address").cloned(),
            );
            put(
                &mut cp,
                "publicIPAddress",
                c.reference("public_ip_address_id"),
            );
            put(&mut cp, "primary", c.get("primary").cloned());
            json!({ "name": c.text("name"), "properties": cp })
        })
        .collect();
    let mut p = Map::new();
    p.insert("ipConfigurations".into(), Value::Array(configurations));
    put(
        &mut p,
        "enableIPForwarding",
        a.either(&["ip_forwarding_enabled", "enable_ip_forwarding"])
            .cloned(),
    );
    p
}

pub(super) fn virtual_machine(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert(
        "networkProfile".into(),
        json!({ "networkInterfaces": a.references("network_interface_ids") }),
    );
    p
}

/// Bastion, gateways, firewalls: `ip_configuration` blocks with a subnet, a public IP and a
/// private address.
pub(super) fn ip_configurations(a: Attrs) -> Vec<Value> {
    a.blocks("ip_configuration")
        .into_iter()
        .map(|c| {
            let mut cp = Map::new();
            put(&mut cp, "subnet", c.reference("subnet_id"));
            put(
                &mut cp,
                "publicIPAddress",
                c.reference("public_ip_address_id"),
            );
            put(
                &mut cp,
                "privateIPAddress",
                c.get("private_ip_address").cloned(),
            );
            json!({ "name": c.text("name"), "properties": cp })
        })
        .collect()
}

pub(super) fn bastion(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert(
        "ipConfigurations".into(),
        Value::Array(ip_configurations(a)),
    );
    p
}

pub(super) fn virtual_network_gateway(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert(
        "ipConfigurations".into(),
        Value::Array(ip_configurations(a)),
    );
    put(&mut p, "gatewayType", a.get("type").cloned());
    put(&mut p, "vpnType", a.get("vpn_type").cloned());
    put(
        &mut p,
        "enableBgp",
        a.either(&["enable_bgp", "bgp_enabled"]).cloned(),
    );
    put(
        &mut p,
        "sku",
        a.get("sku").map(|sku| json!({ "name": sku, "tier": sku })),
    );
    if let Some(bgp) = a.block("bgp_settings") {
        p.insert("bgpSettings".into(), json!({ "asn": bgp.get("asn") }));
    }
    p
}

pub(super) fn local_network_gateway(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    put(
        &mut p,
        "gatewayIpAddress",
        a.get("gateway_address").cloned(),
    );
    put(&mut p, "fqdn", a.get("gateway_fqdn").cloned());
    p.insert(
        "localNetworkAddressSpace".into(),
        json!({ "addressPrefixes": a.list("address_space") }),
    );
    if let Some(bgp) = a.block("bgp_settings") {
        p.insert(
            "bgpSettings".into(),
            json!({ "asn": bgp.get("asn"), "bgpPeeringAddress": bgp.get("bgp_peering_address") }),
        );
    }
    p
}

pub(super) fn connection(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    put(&mut p, "connectionType", a.get("type").cloned());
    put(
        &mut p,
        "virtualNetworkGateway1",
        a.reference("virtual_network_gateway_id"),
    );
    put(
        &mut p,
        "localNetworkGateway2",
        a.reference("local_network_gateway_id"),
    );
    put(
        &mut p,
        "virtualNetworkGateway2",
        a.reference("peer_virtual_network_gateway_id"),
    );
    put(
        &mut p,
        "enableBgp",
        a.either(&["enable_bgp", "bgp_enabled"]).cloned(),
    );
    p
}

pub(super) fn ip_group(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert("ipAddresses".into(), Value::Array(a.list("cidrs")));
    p
}
