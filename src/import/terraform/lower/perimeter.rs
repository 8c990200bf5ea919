//! Network security perimeters: `azurerm_network_security_perimeter_access_rule` and
//! `_association` lowered to the ARM properties of `networkSecurityPerimeters/profiles/
//! accessRules` and `networkSecurityPerimeters/resourceAssociations` (the perimeter and its
//! profiles have no properties vnetlab reads). Attribute names as in the azurerm provider:
//! `address_prefixes`, `subscription_ids`, `fqdns`, `service_tags`; `resource_id`,
//! `network_security_perimeter_profile_id`, `access_mode`.

use serde_json::{json, Map, Value};

use super::attrs::{put, Attrs};

pub(super) fn access_rule(a: Attrs) -> Map<String, Value> {
    let subscriptions: Vec<Value> = a
        .list("subscription_ids")
        .into_iter()
        .map(|id| json!({ "id": id }))
        .collect();
    let mut p = Map::new();
    put(&mut p, "direction", a.get("direction").cloned());
    p.insert(
        "addressPrefixes".into(),
        Value::Array(a.list("address_prefixes")),
    );
    p.insert("subscriptions".into(), Value::Array(subscriptions));
    p.insert(
        "fullyQualifiedDomainNames".into(),
        Value::Array(a.list("fqdns")),
    );
    p.insert("serviceTags".into(), Value::Array(a.list("service_tags")));
    p
}

pub(super) fn association(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert(
        "privateLinkResource".into(),
        json!({ "id": a.get("resource_id") }),
    );
    p.insert(
        "profile".into(),
        json!({ "id": a.get("network_security_perimeter_profile_id") }),
    );
    put(&mut p, "accessMode", a.get("access_mode").cloned());
    p
}
