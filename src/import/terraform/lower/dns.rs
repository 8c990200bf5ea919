//! Private endpoints (their connection and DNS zone group, which ARM holds as a child
//! resource), private DNS zones, their virtual network links and A records.

use serde_json::{json, Map, Value};

use super::attrs::{put, Attrs};

pub(super) fn private_endpoint(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    put(&mut p, "subnet", a.reference("subnet_id"));
    let (mut automatic, mut manual) = (Vec::new(), Vec::new());
    for connection in a.blocks("private_service_connection") {
        let entry = json!({
            "name": connection.text("name"),
            "properties": {
                "privateLinkServiceId": connection
                    .get("private_connection_resource_id")
                    .or_else(|| connection.get("private_connection_resource_alias")),
                "groupIds": connection.list("subresource_names"),
            }
        });
        if connection.flag("is_manual_connection") == Some(true) {
            manual.push(entry);
        } else {
            automatic.push(entry);
        }
    }
    p.insert(
        "privateLinkServiceConnections".into(),
        Value::Array(automatic),
    );
    if !manual.is_empty() {
        p.insert(
            "manualPrivateLinkServiceConnections".into(),
            Value::Array(manual),
        );
    }
    let addresses: Vec<Value> = a
        .blocks("ip_configuration")
        .into_iter()
        .map(|c| {
            json!({ "name": c.text("name"), "properties": {
                "privateIPAddress": c.get("private_ip_address"),
                "groupId": c.get("subresource_name"),
                "memberName": c.get("member_name"),
            }})
        })
        .collect();
    if !addresses.is_empty() {
        p.insert("ipConfigurations".into(), Value::Array(addresses));
    }
    p
}

/// The ARM `privateDnsZoneGroups` child of a private endpoint named `endpoint`.
pub(super) fn zone_group(endpoint: &str, endpoint_id: &str, a: Attrs) -> Value {
    let name = a.text("name").unwrap_or("default");
    let configs: Vec<Value> = a
        .list("private_dns_zone_ids")
        .into_iter()
        .map(|zone| {
            let zone_name = zone
                .as_str()
                .and_then(|id| id.rsplit('/').next())
                .unwrap_or("zone")
                .to_string();
            json!({ "name": zone_name, "properties": { "privateDnsZoneId": zone } })
        })
        .collect();
    json!({
        "type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        "name": format!("{endpoint}/{name}"),
        "id": format!("{endpoint_id}/privateDnsZoneGroups/{name}"),
        "properties": { "privateDnsZoneConfigs": configs },
    })
}

pub(super) fn zone_link(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    put(&mut p, "virtualNetwork", a.reference("virtual_network_id"));
    put(
        &mut p,
        "registrationEnabled",
        a.get("registration_enabled").cloned(),
    );
    p
}

pub(super) fn a_record(a: Attrs) -> Map<String, Value> {
    let records: Vec<Value> = a
        .list("records")
        .into_iter()
        .map(|address| json!({ "ipv4Address": address }))
        .collect();
    let mut p = Map::new();
    p.insert("aRecords".into(), Value::Array(records));
    put(&mut p, "ttl", a.get("ttl").cloned());
    p
}
