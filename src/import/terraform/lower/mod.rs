//! Evaluated azurerm (and azapi) resource instances lowered to the ARM resource JSON that
//! `import/azure` converts, so one converter per resource family serves ARM templates, REST
//! and CLI output and Terraform alike. Each family's attribute mapping is in its own file
//! (`network`, `network_manager`, `perimeter`, `paas`, `dns`, `firewall`, `load_balancer`); `ids` builds ARM types and ids.
//!
//! Resources that only attach one thing to another (`azurerm_subnet_network_security_group_
//! association`, `azurerm_nat_gateway_public_ip_association`, the classic firewall rule
//! collections, `azurerm_storage_account_network_rules`, …) are applied to the lowered resource
//! they modify, as ARM holds them; one whose target is not in the configuration is reported.
//! `azapi_resource` bodies are ARM-shaped already and pass through. Types with no bearing on
//! the network (random strings, VM extensions, Application Insights) are counted as ignored,
//! and so are data sources (existing infrastructure the configuration only reads).

mod attrs;
mod dns;
mod firewall;
pub(super) mod ids;
mod load_balancer;
mod network;
mod network_manager;
mod paas;
mod perimeter;

use crate::model::sorting;
use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use self::attrs::Attrs;
use super::config::Mode;
use super::run::Instance;
use super::values::is_unknown;
use crate::model::Diagnostic;

/// The lowered resources, each with the instance it came from (`file:line address`).
pub(super) struct Lowered {
    pub(super) resources: Vec<Value>,
    pub(super) origins: Vec<String>,
    pub(super) ignored: BTreeMap<String, usize>,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// Types that organise rather than describe the network: neither converted nor "ignored".
const CONTAINERS: [&str; 1] = ["azurerm_resource_group"];

/// Lowers `instances`; `azurerm_major` is the provider's major version when the configuration
/// pins one (its defaults differ: see `network::subnet`).
pub(super) fn lower(instances: &[Instance], azurerm_major: Option<u32>) -> Lowered {
    let mut lowered = Lowered {
        resources: Vec::new(),
        origins: Vec::new(),
        ignored: BTreeMap::new(),
        diagnostics: Vec::new(),
    };
    let groups = group_locations(instances);
    let mut attachments = Vec::new();
    for instance in instances {
        if instance.mode == Mode::Data {
            // Existing infrastructure the configuration reads: not part of the design.
            *lowered
                .ignored
                .entry(format!("data.{} (existing, read only)", instance.type_name))
                .or_default() += 1;
            continue;
        }
        let Some(attributes) = instance.attributes.as_object() else {
            continue;
        };
        let origin = format!("{} {}", instance.at, instance.address);
        if is_attachment(&instance.type_name) {
            attachments.push(instance);
            continue;
        }
        let produced = if instance.type_name == "azapi_resource" {
            azapi(Attrs(attributes))
        } else {
            resource(
                &instance.type_name,
                Attrs(attributes),
                &groups,
                azurerm_major,
            )
        };
        match produced {
            Some(resources) => {
                for resource in resources {
                    lowered.resources.push(resource);
                    lowered.origins.push(origin.clone());
                }
            }
            None if CONTAINERS.contains(&instance.type_name.as_str()) => {}
            None => {
                *lowered
                    .ignored
                    .entry(instance.type_name.clone())
                    .or_default() += 1
            }
        }
    }
    // A pool exists before the addresses added to it.
    sorting::sort_by_key(&mut attachments, |i| {
        i.type_name != "azurerm_lb_backend_address_pool"
    });
    for instance in attachments {
        attach(&mut lowered, instance);
    }
    lowered
}

/// Resource group name → location, for resources that take their group's region.
fn group_locations(instances: &[Instance]) -> BTreeMap<String, Value> {
    instances
        .iter()
        .filter(|i| i.type_name == "azurerm_resource_group")
        .filter_map(|i| {
            Some((
                i.attributes.get("name")?.as_str()?.to_string(),
                i.attributes.get("location")?.clone(),
            ))
        })
        .collect()
}

/// The ARM resources one azurerm instance becomes (`None`: a type not converted).
fn resource(
    type_name: &str,
    a: Attrs,
    groups: &BTreeMap<String, Value>,
    azurerm_major: Option<u32>,
) -> Option<Vec<Value>> {
    let arm_type = ids::arm_type(type_name)?;
    let properties = match type_name {
        "azurerm_virtual_network" => network::virtual_network(a),
        "azurerm_subnet" => network::subnet(a, azurerm_major),
        "azurerm_virtual_network_peering" => network::peering(a),
        "azurerm_network_security_group" => network::security_group(a),
        "azurerm_network_security_rule" => network::security_rule(a),
        "azurerm_application_security_group" | "azurerm_nat_gateway" => network::nat_gateway(a),
        "azurerm_route_table" => network::route_table(a),
        "azurerm_route" => network::route_properties(a),
        "azurerm_public_ip" => network::public_ip(a),
        "azurerm_network_interface" => network::network_interface(a),
        "azurerm_linux_virtual_machine"
        | "azurerm_windows_virtual_machine"
        | "azurerm_virtual_machine" => network::virtual_machine(a),
        "azurerm_bastion_host" => network::bastion(a),
        "azurerm_virtual_network_gateway" => network::virtual_network_gateway(a),
        "azurerm_local_network_gateway" => network::local_network_gateway(a),
        "azurerm_virtual_network_gateway_connection" => network::connection(a),
        "azurerm_ip_group" => network::ip_group(a),
        "azurerm_firewall" => firewall::firewall(a),
        "azurerm_lb" => load_balancer::load_balancer(a),
        "azurerm_firewall_policy" => firewall::policy(a),
        "azurerm_firewall_policy_rule_collection_group" => firewall::rule_collection_group(a),
        "azurerm_private_endpoint" => dns::private_endpoint(a),
        "azurerm_private_dns_zone" => Map::new(),
        "azurerm_private_dns_zone_virtual_network_link" => dns::zone_link(a),
        "azurerm_private_dns_a_record" => dns::a_record(a),
        "azurerm_storage_account" => paas::storage_account(a),
        "azurerm_key_vault" => paas::key_vault(a),
        "azurerm_container_registry" => paas::container_registry(a),
        "azurerm_subnet_service_endpoint_storage_policy" => paas::service_endpoint_policy(a),
        "azurerm_machine_learning_workspace" => paas::workspace(a),
        "azurerm_network_manager"
        | "azurerm_network_manager_network_group"
        | "azurerm_network_manager_security_admin_configuration" => Map::new(),
        "azurerm_network_manager_static_member" => network_manager::static_member(a),
        "azurerm_network_manager_admin_rule_collection" => network_manager::rule_collection(a),
        "azurerm_network_manager_admin_rule" => network_manager::admin_rule(a),
        "azurerm_network_security_perimeter" | "azurerm_network_security_perimeter_profile" => {
            Map::new()
        }
        "azurerm_network_security_perimeter_access_rule" => perimeter::access_rule(a),
        "azurerm_network_security_perimeter_association" => perimeter::association(a),
        "azurerm_machine_learning_compute_cluster" => {
            return Some(vec![with_identity(
                type_name,
                arm_type,
                a,
                groups,
                paas::compute(a, "AmlCompute"),
            )])
        }
        "azurerm_machine_learning_compute_instance" => {
            return Some(vec![with_identity(
                type_name,
                arm_type,
                a,
                groups,
                paas::compute(a, "ComputeInstance"),
            )])
        }
        _ => return None,
    };
    let mut resources = vec![with_identity(
        type_name,
        arm_type,
        a,
        groups,
        Value::Object(properties),
    )];
    if type_name == "azurerm_private_endpoint" {
        let name = a.text("name").unwrap_or_default();
        let id = a.text("id").unwrap_or_default();
        resources.extend(
            a.blocks("private_dns_zone_group")
                .into_iter()
                .map(|group| dns::zone_group(name, id, group)),
        );
    }
    Some(resources)
}

/// `{type, name, id, location, sku, properties}` for an instance.
fn with_identity(
    type_name: &str,
    arm_type: &str,
    a: Attrs,
    groups: &BTreeMap<String, Value>,
    properties: Value,
) -> Value {
    let name = ids::name_path(type_name, a.0)
        .map(|names| names.join("/"))
        .or_else(|| a.text("name").map(str::to_string));
    let location = a
        .get("location")
        .cloned()
        .or_else(|| groups.get(a.text("resource_group_name")?).cloned());
    let mut resource = json!({
        "type": arm_type,
        "name": name,
        "id": a.get("id"),
        "properties": properties,
    });
    if let Some(location) = location {
        resource["location"] = location;
    }
    if let Some(sku) = a.either(&["sku", "sku_name"]).filter(|s| s.is_string()) {
        resource["sku"] = json!({ "name": sku });
    }
    if let Some(kind) = a.get("account_kind") {
        resource["kind"] = kind.clone();
    }
    resource
}

/// `azapi_resource`: `type = "Microsoft.X/y@version"`, `parent_id`, `name`, `body` (an object
/// or its `jsonencode`), passed through as the ARM resource it describes.
fn azapi(a: Attrs) -> Option<Vec<Value>> {
    let (arm_type, names, id) = ids::azapi_identity(a.0)?;
    let body = match a.get("body") {
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or(Value::Null),
        Some(body) => body.clone(),
        None => Value::Null,
    };
    let mut resource = match body {
        Value::Object(members) => Value::Object(members),
        _ => json!({}),
    };
    resource["type"] = Value::String(arm_type);
    resource["name"] = Value::String(names.join("/"));
    resource["id"] = Value::String(id);
    if let Some(location) = a.get("location") {
        resource["location"] = location.clone();
    }
    Some(vec![resource])
}

fn is_attachment(type_name: &str) -> bool {
    matches!(
        type_name,
        "azurerm_subnet_network_security_group_association"
            | "azurerm_subnet_route_table_association"
            | "azurerm_subnet_nat_gateway_association"
            | "azurerm_network_interface_security_group_association"
            | "azurerm_network_interface_application_security_group_association"
            | "azurerm_nat_gateway_public_ip_association"
            | "azurerm_storage_account_network_rules"
            | "azurerm_firewall_network_rule_collection"
            | "azurerm_firewall_application_rule_collection"
            | "azurerm_firewall_nat_rule_collection"
            | "azurerm_machine_learning_workspace_network_outbound_rule_fqdn"
            | "azurerm_machine_learning_workspace_network_outbound_rule_service_tag"
            | "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint"
    ) || load_balancer::PARTS.contains(&type_name)
}

/// An edit of the target resource's properties.
type Change = Box<dyn Fn(&mut Map<String, Value>)>;

/// Applies an attaching resource to the resource it modifies.
fn attach(lowered: &mut Lowered, instance: &Instance) {
    let Some(attributes) = instance.attributes.as_object() else {
        return;
    };
    let a = Attrs(attributes);
    let unknown_ids: Vec<&String> = attributes
        .iter()
        .filter(|(key, value)| key.ends_with("_id") && is_unknown(value))
        .map(|(key, _)| key)
        .collect();
    if !unknown_ids.is_empty() {
        lowered.diagnostics.push(Diagnostic::warning(
            instance.address.clone(),
            instance.at.to_string(),
            format!("not applied: {unknown_ids:?} known only after apply"),
        ));
        return;
    }
    let text = |name: &str| a.text(name).unwrap_or_default().to_string();
    let (target_id, change): (String, Change) = match instance.type_name.as_str() {
        "azurerm_subnet_network_security_group_association" => {
            let nsg = text("network_security_group_id");
            (
                text("subnet_id"),
                Box::new(move |p| {
                    p.insert("networkSecurityGroup".into(), json!({ "id": nsg }));
                }),
            )
        }
        "azurerm_subnet_route_table_association" => {
            let table = text("route_table_id");
            (
                text("subnet_id"),
                Box::new(move |p| {
                    p.insert("routeTable".into(), json!({ "id": table }));
                }),
            )
        }
        "azurerm_subnet_nat_gateway_association" => {
            let gateway = text("nat_gateway_id");
            (
                text("subnet_id"),
                Box::new(move |p| {
                    p.insert("natGateway".into(), json!({ "id": gateway }));
                }),
            )
        }
        "azurerm_network_interface_security_group_association" => {
            let nsg = text("network_security_group_id");
            (
                text("network_interface_id"),
                Box::new(move |p| {
                    p.insert("networkSecurityGroup".into(), json!({ "id": nsg }));
                }),
            )
        }
        "azurerm_network_interface_application_security_group_association" => {
            let group = text("application_security_group_id");
            (
                text("network_interface_id"),
                Box::new(move |p| {
                    if let Some(Value::Array(configurations)) = p.get_mut("ipConfigurations") {
                        for configuration in configurations {
                            push(
                                &mut configuration["properties"],
                                "applicationSecurityGroups",
                                json!({ "id": group }),
                            );
                        }
                    }
                }),
            )
        }
        "azurerm_nat_gateway_public_ip_association" => {
            let address = text("public_ip_address_id");
            (
                text("nat_gateway_id"),
                Box::new(move |p| {
                    let mut holder = Value::Object(std::mem::take(p));
                    push(&mut holder, "publicIpAddresses", json!({ "id": address }));
                    if let Value::Object(members) = holder {
                        *p = members;
                    }
                }),
            )
        }
        "azurerm_storage_account_network_rules" => {
            let acls = paas::network_acls(a);
            (
                text("storage_account_id"),
                Box::new(move |p| {
                    p.insert("networkAcls".into(), acls.clone());
                }),
            )
        }
        "azurerm_machine_learning_workspace_network_outbound_rule_fqdn"
        | "azurerm_machine_learning_workspace_network_outbound_rule_service_tag"
        | "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint" => {
            let name = text("name");
            let rule = outbound_rule(&instance.type_name, a);
            (
                text("workspace_id"),
                Box::new(move |p| {
                    let network = p.entry("managedNetwork").or_insert_with(|| json!({}));
                    network["outboundRules"][&name] = rule.clone();
                }),
            )
        }
        part if load_balancer::PARTS.contains(&part) => match load_balancer::attachment(part, a) {
            Some(attachment) => attachment,
            None => return,
        },
        classic => {
            let Some((property, collection)) = firewall::classic_collection(classic, a) else {
                return;
            };
            let target = format!(
                "{}/resourceGroups/{}/providers/Microsoft.Network/azureFirewalls/{}",
                ids::SUBSCRIPTION,
                text("resource_group_name"),
                text("azure_firewall_name")
            );
            (
                target,
                Box::new(move |p| {
                    let mut holder = Value::Object(std::mem::take(p));
                    push(&mut holder, property, collection.clone());
                    if let Value::Object(members) = holder {
                        *p = members;
                    }
                }),
            )
        }
    };
    let target = lowered.resources.iter_mut().find(|resource| {
        resource["id"]
            .as_str()
            .is_some_and(|id| id.eq_ignore_ascii_case(&target_id))
    });
    match target {
        Some(resource) => {
            if let Some(properties) = resource["properties"].as_object_mut() {
                change(properties);
            }
        }
        None => {
            let reason = if is_unknown(&Value::String(target_id.clone())) {
                "its target is known only after apply"
            } else {
                "its target is not in the configuration (a data source or another state)"
            };
            lowered.diagnostics.push(Diagnostic::warning(
                instance.address.clone(),
                instance.at.to_string(),
                format!("`{target_id}`: not applied: {reason}"),
            ));
        }
    }
}

fn outbound_rule(type_name: &str, a: Attrs) -> Value {
    match type_name {
        "azurerm_machine_learning_workspace_network_outbound_rule_fqdn" => {
            json!({ "type": "FQDN", "destination": a.get("destination_fqdn") })
        }
        "azurerm_machine_learning_workspace_network_outbound_rule_service_tag" => json!({
            "type": "ServiceTag",
            "destination": { "serviceTag": a.get("service_tag"), "protocol": a.get("protocol"), "portRanges": a.get("port_ranges") },
        }),
        _ => {
            let mut destination = json!({ "serviceResourceId": a.get("service_resource_id"), "subresourceTarget": a.get("sub_resource_target") });
            if let Some(spark) = a.get("spark_enabled") {
                destination["sparkEnabled"] = spark.clone();
            }
            json!({ "type": "PrivateEndpoint", "destination": destination })
        }
    }
}

fn push(holder: &mut Value, key: &str, item: Value) {
    if !holder[key].is_array() {
        holder[key] = Value::Array(Vec::new());
    }
    if let Some(items) = holder[key].as_array_mut() {
        items.push(item);
    }
}
