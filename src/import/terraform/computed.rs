//! Attributes the provider computes that can be known offline: every resource's ARM `id`
//! (from its names, resource group and parents, `lower::ids`), and an Azure Firewall's private
//! IP address — the first usable address of its subnet (`.4`: Azure reserves the first four;
//! https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets).
//! Anything else computed is left out, so reading it yields a reported placeholder.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde_json::{Map, Value};

use super::lower::ids;
use super::run::Run;

/// Adds the computable attributes `type_name`'s instance lacks.
pub(super) fn fill(type_name: &str, attributes: &mut Map<String, Value>, run: &Run) {
    if !attributes.contains_key("id") {
        let id = if type_name == "azapi_resource" {
            ids::azapi_identity(attributes).map(|(_, _, id)| id)
        } else {
            ids::arm_id(type_name, attributes)
        };
        if let Some(id) = id {
            attributes.insert("id".to_string(), Value::String(id));
        }
    }
    if type_name == "azurerm_firewall" {
        if let Some(Value::Array(configurations)) = attributes.get_mut("ip_configuration") {
            if let Some(Value::Object(first)) = configurations.first_mut() {
                let address = first
                    .get("subnet_id")
                    .and_then(Value::as_str)
                    .and_then(|subnet| run.instance_with_id(subnet))
                    .and_then(|subnet| first_usable(&subnet));
                if let (Some(address), false) = (address, first.contains_key("private_ip_address"))
                {
                    first.insert(
                        "private_ip_address".to_string(),
                        Value::String(address.to_string()),
                    );
                }
            }
        }
    }
}

/// The first address Azure hands out in a subnet: its network address + 4.
fn first_usable(subnet: &Value) -> Option<Ipv4Addr> {
    let prefix = subnet
        .get("address_prefixes")
        .and_then(|prefixes| prefixes.get(0))
        .or_else(|| subnet.get("address_prefix"))?
        .as_str()?
        .parse::<Ipv4Net>()
        .ok()?;
    Some(Ipv4Addr::from(u32::from(prefix.network()).checked_add(4)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_firewall_gets_the_first_usable_address_of_its_subnet() {
        assert_eq!(
            first_usable(&json!({"address_prefixes": ["10.0.1.0/26"]})),
            Some(Ipv4Addr::new(10, 0, 1, 4))
        );
        assert_eq!(first_usable(&json!({})), None);
    }
}
