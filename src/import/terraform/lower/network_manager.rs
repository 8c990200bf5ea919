//! Virtual Network Manager: static members of network groups, security admin rule collections
//! (the groups they apply to) and admin rules, lowered to the ARM properties of
//! `networkGroups/staticMembers`, `securityAdminConfigurations/ruleCollections` and `…/rules`.

use serde_json::{json, Map, Value};

use super::attrs::{put, Attrs};

pub(super) fn static_member(a: Attrs) -> Map<String, Value> {
    let mut p = Map::new();
    put(
        &mut p,
        "resourceId",
        a.get("target_virtual_network_id").cloned(),
    );
    p
}

pub(super) fn rule_collection(a: Attrs) -> Map<String, Value> {
    let groups: Vec<Value> = a
        .list("network_group_ids")
        .into_iter()
        .map(|id| json!({ "networkGroupId": id }))
        .collect();
    let mut p = Map::new();
    p.insert("appliesToGroups".into(), Value::Array(groups));
    p
}

/// `action` is ARM's `access` (`Allow`, `AlwaysAllow`, `Deny`); `source` / `destination` blocks
/// hold `address_prefix` and `address_prefix_type`.
pub(super) fn admin_rule(a: Attrs) -> Map<String, Value> {
    let side = |name: &str| -> Vec<Value> {
        a.blocks(name)
            .into_iter()
            .map(|entry| {
                json!({
                    "addressPrefix": entry.get("address_prefix"),
                    "addressPrefixType": entry.get("address_prefix_type"),
                })
            })
            .collect()
    };
    let mut p = Map::new();
    put(&mut p, "priority", a.get("priority").cloned());
    put(&mut p, "direction", a.get("direction").cloned());
    put(&mut p, "access", a.get("action").cloned());
    put(&mut p, "protocol", a.get("protocol").cloned());
    p.insert("sources".into(), Value::Array(side("source")));
    p.insert("destinations".into(), Value::Array(side("destination")));
    p.insert(
        "sourcePortRanges".into(),
        Value::Array(a.list("source_port_ranges")),
    );
    p.insert(
        "destinationPortRanges".into(),
        Value::Array(a.list("destination_port_ranges")),
    );
    p
}
