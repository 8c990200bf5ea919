//! Run-time values Azure assigns predictably, added to what `reference()` returns when the
//! template does not set them: an Azure Firewall's private IP is the first usable address
//! (`.4`) of its `AzureFirewallSubnet`. Templates route through it
//! (`reference(firewall).ipConfigurations[0].properties.privateIPAddress`), so without it the
//! routes to the firewall would be lost. Other run-time state stays a placeholder.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use serde_json::Value;

use super::run::Run;
use super::scope::Scope;
use super::value::member;

const AZURE_FIREWALLS: &str = "Microsoft.Network/azureFirewalls";

/// Adds the predictable run-time values of a resource of `type_name`.
pub(super) fn complete<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    type_name: &str,
    resource: &mut Value,
) {
    if !type_name.eq_ignore_ascii_case(AZURE_FIREWALLS) {
        return;
    }
    let Some(configurations) = resource
        .pointer_mut("/properties/ipConfigurations")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for configuration in configurations {
        let Some(properties) = configuration
            .get_mut("properties")
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        if member(properties, "privateIPAddress").is_some() {
            continue;
        }
        let address = member(properties, "subnet")
            .and_then(|subnet| subnet.get("id"))
            .and_then(Value::as_str)
            .and_then(|id| subnet_prefix(run, scope, id))
            .and_then(|prefix| first_usable(&prefix));
        if let Some(address) = address {
            properties.insert(
                "privateIPAddress".to_string(),
                Value::String(address.to_string()),
            );
        }
    }
}

/// The prefix of the subnet `id` names: a subnet resource of the template, or a subnet inline
/// in its VNet.
fn subnet_prefix<'t>(run: &Run<'t>, scope: &Scope<'t>, id: &str) -> Option<Ipv4Net> {
    let prefix_of = |properties: &Value| {
        properties
            .get("addressPrefix")
            .and_then(Value::as_str)
            .or_else(|| {
                properties
                    .get("addressPrefixes")
                    .and_then(|prefixes| prefixes.get(0))
                    .and_then(Value::as_str)
            })
            .and_then(|text| text.parse::<Ipv4Net>().ok())
    };
    if let Some(subnet) = run.reference(scope, id) {
        if let Some(prefix) = subnet.get("properties").and_then(prefix_of) {
            return Some(prefix);
        }
    }
    let lower = id.to_ascii_lowercase();
    let split = lower.rfind("/subnets/")?;
    let vnet_id = id.get(..split)?;
    let subnet_name = id.get(split + "/subnets/".len()..)?;
    let vnet = run.reference(scope, vnet_id)?;
    vnet.pointer("/properties/subnets")?
        .as_array()?
        .iter()
        .find(|subnet| {
            subnet
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|name| name.eq_ignore_ascii_case(subnet_name))
        })
        .and_then(|subnet| subnet.get("properties"))
        .and_then(prefix_of)
}

/// Azure reserves the first four addresses of a subnet; the first usable one is `.4`.
fn first_usable(prefix: &Ipv4Net) -> Option<Ipv4Addr> {
    let first = u32::from(prefix.network()).checked_add(4)?;
    let address = Ipv4Addr::from(first);
    prefix.contains(&address).then_some(address)
}
