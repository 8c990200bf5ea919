//! azurerm load balancers lowered to the ARM shape `import/azure/load_balancer.rs` reads:
//! `azurerm_lb` (its `frontend_ip_configuration` blocks) becomes a
//! `Microsoft.Network/loadBalancers` resource, and the separate azurerm resources for its
//! parts — `azurerm_lb_backend_address_pool`, `azurerm_lb_backend_address_pool_address`,
//! `azurerm_lb_probe`, `azurerm_lb_rule`, `azurerm_lb_outbound_rule` — are applied to it as the
//! items of its `backendAddressPools`, `probes`, `loadBalancingRules` and `outboundRules`, as
//! ARM holds them. `azurerm_network_interface_backend_address_pool_association` adds the pool
//! to the NIC IP configuration it names.

use serde_json::{json, Map, Value};

use super::attrs::{put, Attrs};
use super::Change;

/// The load balancer types applied to another lowered resource.
pub(super) const PARTS: [&str; 6] = [
    "azurerm_lb_backend_address_pool",
    "azurerm_lb_backend_address_pool_address",
    "azurerm_lb_probe",
    "azurerm_lb_rule",
    "azurerm_lb_outbound_rule",
    "azurerm_network_interface_backend_address_pool_association",
];

/// `azurerm_lb`: its frontend IP configurations.
pub(super) fn load_balancer(a: Attrs) -> Map<String, Value> {
    let frontends: Vec<Value> = a
        .blocks("frontend_ip_configuration")
        .into_iter()
        .map(|f| {
            let mut fp = Map::new();
            put(&mut fp, "subnet", f.reference("subnet_id"));
            put(
                &mut fp,
                "privateIPAddress",
                f.get("private_ip_address").cloned(),
            );
            put(
                &mut fp,
                "publicIPAddress",
                f.reference("public_ip_address_id"),
            );
            json!({ "name": f.text("name"), "properties": fp })
        })
        .collect();
    let mut p = Map::new();
    p.insert("frontendIPConfigurations".into(), Value::Array(frontends));
    p
}

/// `{"id": "<load balancer id>/<collection>/<name>"}`.
fn part(lb: &str, collection: &str, name: Option<&str>) -> Value {
    json!({ "id": format!("{lb}/{collection}/{}", name.unwrap_or_default()) })
}

/// Appends `item` to the array `key` of the properties.
fn append(key: &'static str, item: Value) -> Change {
    Box::new(move |p| {
        let items = p.entry(key).or_insert_with(|| Value::Array(Vec::new()));
        if !items.is_array() {
            *items = Value::Array(Vec::new());
        }
        if let Some(items) = items.as_array_mut() {
            items.push(item.clone());
        }
    })
}

/// The id of the resource a part applies to and the change it makes; `None` for another type.
pub(super) fn attachment(type_name: &str, a: Attrs) -> Option<(String, Change)> {
    let text = |name: &str| a.text(name).unwrap_or_default().to_string();
    let lb = text("loadbalancer_id");
    let change = match type_name {
        "azurerm_lb_backend_address_pool" => append(
            "backendAddressPools",
            json!({ "name": a.text("name"), "properties": {} }),
        ),
        "azurerm_lb_probe" => append(
            "probes",
            json!({ "name": a.text("name"), "properties": {
                "protocol": a.get("protocol").cloned().unwrap_or(json!("Tcp")),
                "port": a.get("port"),
            }}),
        ),
        "azurerm_lb_rule" => {
            let mut rp = Map::new();
            put(&mut rp, "protocol", a.get("protocol").cloned());
            put(&mut rp, "frontendPort", a.get("frontend_port").cloned());
            put(&mut rp, "backendPort", a.get("backend_port").cloned());
            rp.insert(
                "frontendIPConfiguration".into(),
                part(
                    &lb,
                    "frontendIPConfigurations",
                    a.text("frontend_ip_configuration_name"),
                ),
            );
            rp.insert(
                "backendAddressPools".into(),
                Value::Array(a.references("backend_address_pool_ids")),
            );
            put(&mut rp, "probe", a.reference("probe_id"));
            append(
                "loadBalancingRules",
                json!({ "name": a.text("name"), "properties": rp }),
            )
        }
        "azurerm_lb_outbound_rule" => {
            let frontends: Vec<Value> = a
                .blocks("frontend_ip_configuration")
                .into_iter()
                .map(|f| part(&lb, "frontendIPConfigurations", f.text("name")))
                .collect();
            append(
                "outboundRules",
                json!({ "name": a.text("name"), "properties": {
                    "protocol": a.get("protocol"),
                    "frontendIPConfigurations": frontends,
                    "backendAddressPool": a.reference("backend_address_pool_id"),
                }}),
            )
        }
        "azurerm_lb_backend_address_pool_address" => {
            // Applied to the pool's load balancer: the pool id without its last two segments.
            let pool_id = text("backend_address_pool_id");
            let (lb, pool) = pool_id
                .rsplit_once("/backendAddressPools/")
                .map(|(lb, pool)| (lb.to_string(), pool.to_string()))?;
            let address = json!({ "name": a.text("name"), "properties": {
                "ipAddress": a.get("ip_address"),
                "virtualNetwork": a.reference("virtual_network_id"),
            }});
            let change: Change = Box::new(move |p| {
                let pools = p
                    .get_mut("backendAddressPools")
                    .and_then(Value::as_array_mut);
                let target = pools
                    .into_iter()
                    .flatten()
                    .find(|item| item["name"] == pool.as_str());
                if let Some(item) = target {
                    let addresses = &mut item["properties"]["loadBalancerBackendAddresses"];
                    if !addresses.is_array() {
                        *addresses = Value::Array(Vec::new());
                    }
                    if let Some(addresses) = addresses.as_array_mut() {
                        addresses.push(address.clone());
                    }
                }
            });
            return Some((lb, change));
        }
        "azurerm_network_interface_backend_address_pool_association" => {
            let configuration = text("ip_configuration_name");
            let pool = text("backend_address_pool_id");
            let change: Change = Box::new(move |p| {
                let configurations = p.get_mut("ipConfigurations").and_then(Value::as_array_mut);
                for item in configurations.into_iter().flatten() {
                    if item["name"] == configuration.as_str() {
                        let pools = &mut item["properties"]["loadBalancerBackendAddressPools"];
                        if !pools.is_array() {
                            *pools = Value::Array(Vec::new());
                        }
                        if let Some(pools) = pools.as_array_mut() {
                            pools.push(json!({ "id": pool }));
                        }
                    }
                }
            });
            return Some((text("network_interface_id"), change));
        }
        _ => return None,
    };
    Some((lb, change))
}
