//! ARM resource types and ids of azurerm resources: `/subscriptions/…/resourceGroups/RG/
//! providers/Microsoft.Network/virtualNetworks/VNET/subnets/NAME`, built from the resource's
//! name, its `resource_group_name` and its parents' names (or its parent's id). The
//! subscription is the all-zero GUID: ids only need to be consistent within one design.

use serde_json::{Map, Value};

pub(in crate::import::terraform) const SUBSCRIPTION: &str =
    "/subscriptions/00000000-0000-0000-0000-000000000000";

/// How a resource's parent is named: by attributes holding the parents' names (outermost
/// first), or by an attribute holding the parent's id.
enum Parent {
    Names(&'static [&'static str]),
    Id(&'static str),
    /// An attribute holding the id of a sibling's child (a perimeter association names its
    /// profile): the parent is the outermost resource of that id.
    RootOfId(&'static str),
}

/// azurerm type → (ARM type, parent).
const SHAPES: &[(&str, &str, Parent)] = {
    use Parent::*;
    &[
        (
            "azurerm_virtual_network",
            "Microsoft.Network/virtualNetworks",
            Names(&[]),
        ),
        (
            "azurerm_subnet",
            "Microsoft.Network/virtualNetworks/subnets",
            Names(&["virtual_network_name"]),
        ),
        (
            "azurerm_virtual_network_peering",
            "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
            Names(&["virtual_network_name"]),
        ),
        (
            "azurerm_network_security_group",
            "Microsoft.Network/networkSecurityGroups",
            Names(&[]),
        ),
        (
            "azurerm_network_security_rule",
            "Microsoft.Network/networkSecurityGroups/securityRules",
            Names(&["network_security_group_name"]),
        ),
        (
            "azurerm_application_security_group",
            "Microsoft.Network/applicationSecurityGroups",
            Names(&[]),
        ),
        (
            "azurerm_route_table",
            "Microsoft.Network/routeTables",
            Names(&[]),
        ),
        (
            "azurerm_route",
            "Microsoft.Network/routeTables/routes",
            Names(&["route_table_name"]),
        ),
        (
            "azurerm_public_ip",
            "Microsoft.Network/publicIPAddresses",
            Names(&[]),
        ),
        (
            "azurerm_public_ip_prefix",
            "Microsoft.Network/publicIPPrefixes",
            Names(&[]),
        ),
        (
            "azurerm_nat_gateway",
            "Microsoft.Network/natGateways",
            Names(&[]),
        ),
        (
            "azurerm_network_interface",
            "Microsoft.Network/networkInterfaces",
            Names(&[]),
        ),
        (
            "azurerm_linux_virtual_machine",
            "Microsoft.Compute/virtualMachines",
            Names(&[]),
        ),
        (
            "azurerm_windows_virtual_machine",
            "Microsoft.Compute/virtualMachines",
            Names(&[]),
        ),
        (
            "azurerm_virtual_machine",
            "Microsoft.Compute/virtualMachines",
            Names(&[]),
        ),
        (
            "azurerm_bastion_host",
            "Microsoft.Network/bastionHosts",
            Names(&[]),
        ),
        (
            "azurerm_virtual_network_gateway",
            "Microsoft.Network/virtualNetworkGateways",
            Names(&[]),
        ),
        (
            "azurerm_local_network_gateway",
            "Microsoft.Network/localNetworkGateways",
            Names(&[]),
        ),
        (
            "azurerm_virtual_network_gateway_connection",
            "Microsoft.Network/connections",
            Names(&[]),
        ),
        (
            "azurerm_firewall",
            "Microsoft.Network/azureFirewalls",
            Names(&[]),
        ),
        (
            "azurerm_firewall_policy",
            "Microsoft.Network/firewallPolicies",
            Names(&[]),
        ),
        (
            "azurerm_firewall_policy_rule_collection_group",
            "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
            Id("firewall_policy_id"),
        ),
        ("azurerm_ip_group", "Microsoft.Network/ipGroups", Names(&[])),
        (
            "azurerm_private_endpoint",
            "Microsoft.Network/privateEndpoints",
            Names(&[]),
        ),
        (
            "azurerm_private_dns_zone",
            "Microsoft.Network/privateDnsZones",
            Names(&[]),
        ),
        (
            "azurerm_private_dns_zone_virtual_network_link",
            "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
            Names(&["private_dns_zone_name"]),
        ),
        (
            "azurerm_private_dns_a_record",
            "Microsoft.Network/privateDnsZones/A",
            Names(&["zone_name"]),
        ),
        (
            "azurerm_subnet_service_endpoint_storage_policy",
            "Microsoft.Network/serviceEndpointPolicies",
            Names(&[]),
        ),
        (
            "azurerm_storage_account",
            "Microsoft.Storage/storageAccounts",
            Names(&[]),
        ),
        ("azurerm_key_vault", "Microsoft.KeyVault/vaults", Names(&[])),
        (
            "azurerm_container_registry",
            "Microsoft.ContainerRegistry/registries",
            Names(&[]),
        ),
        (
            "azurerm_application_insights",
            "Microsoft.Insights/components",
            Names(&[]),
        ),
        (
            "azurerm_machine_learning_workspace",
            "Microsoft.MachineLearningServices/workspaces",
            Names(&[]),
        ),
        (
            "azurerm_machine_learning_compute_cluster",
            "Microsoft.MachineLearningServices/workspaces/computes",
            Id("machine_learning_workspace_id"),
        ),
        (
            "azurerm_machine_learning_compute_instance",
            "Microsoft.MachineLearningServices/workspaces/computes",
            Id("machine_learning_workspace_id"),
        ),
        (
            "azurerm_network_manager",
            "Microsoft.Network/networkManagers",
            Names(&[]),
        ),
        (
            "azurerm_network_manager_network_group",
            "Microsoft.Network/networkManagers/networkGroups",
            Id("network_manager_id"),
        ),
        (
            "azurerm_network_manager_connectivity_configuration",
            "Microsoft.Network/networkManagers/connectivityConfigurations",
            Id("network_manager_id"),
        ),
        (
            "azurerm_network_manager_static_member",
            "Microsoft.Network/networkManagers/networkGroups/staticMembers",
            Id("network_group_id"),
        ),
        (
            "azurerm_network_manager_security_admin_configuration",
            "Microsoft.Network/networkManagers/securityAdminConfigurations",
            Id("network_manager_id"),
        ),
        (
            "azurerm_network_manager_admin_rule_collection",
            "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
            Id("security_admin_configuration_id"),
        ),
        (
            "azurerm_network_manager_admin_rule",
            "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules",
            Id("admin_rule_collection_id"),
        ),
        ("azurerm_lb", "Microsoft.Network/loadBalancers", Names(&[])),
        (
            "azurerm_lb_backend_address_pool",
            "Microsoft.Network/loadBalancers/backendAddressPools",
            Id("loadbalancer_id"),
        ),
        (
            "azurerm_lb_probe",
            "Microsoft.Network/loadBalancers/probes",
            Id("loadbalancer_id"),
        ),
        (
            "azurerm_lb_rule",
            "Microsoft.Network/loadBalancers/loadBalancingRules",
            Id("loadbalancer_id"),
        ),
        (
            "azurerm_lb_outbound_rule",
            "Microsoft.Network/loadBalancers/outboundRules",
            Id("loadbalancer_id"),
        ),
        (
            "azurerm_network_security_perimeter",
            "Microsoft.Network/networkSecurityPerimeters",
            Names(&[]),
        ),
        (
            "azurerm_network_security_perimeter_profile",
            "Microsoft.Network/networkSecurityPerimeters/profiles",
            Id("network_security_perimeter_id"),
        ),
        (
            "azurerm_network_security_perimeter_access_rule",
            "Microsoft.Network/networkSecurityPerimeters/profiles/accessRules",
            Id("network_security_perimeter_profile_id"),
        ),
        (
            "azurerm_network_security_perimeter_association",
            "Microsoft.Network/networkSecurityPerimeters/resourceAssociations",
            RootOfId("network_security_perimeter_profile_id"),
        ),
    ]
};

/// The ARM type an azurerm type lowers to.
pub(in crate::import::terraform) fn arm_type(type_name: &str) -> Option<&'static str> {
    SHAPES
        .iter()
        .find(|(terraform, _, _)| *terraform == type_name)
        .map(|(_, arm, _)| *arm)
}

/// The names of the resource and its parents (outermost first), as ARM's `name` joins them.
pub(in crate::import::terraform) fn name_path(
    type_name: &str,
    attributes: &Map<String, Value>,
) -> Option<Vec<String>> {
    let (_, _, parent) = SHAPES
        .iter()
        .find(|(terraform, _, _)| *terraform == type_name)?;
    let own = text(attributes, "name")?;
    let mut names = match parent {
        Parent::Names(attributes_of_parents) => attributes_of_parents
            .iter()
            .map(|attribute| text(attributes, attribute))
            .collect::<Option<Vec<_>>>()?,
        Parent::Id(attribute) => names_in_id(&text(attributes, attribute)?)?,
        Parent::RootOfId(attribute) => names_in_id(&root_of(&text(attributes, attribute)?)?)?,
    };
    names.push(own);
    Some(names)
}

/// The ARM id of an azurerm resource (or a resource group, or a subscription data source).
pub(in crate::import::terraform) fn arm_id(
    type_name: &str,
    attributes: &Map<String, Value>,
) -> Option<String> {
    match type_name {
        "azurerm_resource_group" => {
            return Some(format!(
                "{SUBSCRIPTION}/resourceGroups/{}",
                text(attributes, "name")?
            ))
        }
        "azurerm_subscription" => return Some(SUBSCRIPTION.to_string()),
        _ => {}
    }
    let Some((_, arm, parent)) = SHAPES
        .iter()
        .find(|(terraform, _, _)| *terraform == type_name)
    else {
        let group = text(attributes, "resource_group_name")?;
        let name = text(attributes, "name")?;
        return Some(format!(
            "{SUBSCRIPTION}/resourceGroups/{group}/providers/terraform/{type_name}/{name}"
        ));
    };
    let names = name_path(type_name, attributes)?;
    let last_type = arm.rsplit('/').next()?;
    let parent_id = match parent {
        Parent::Id(attribute) => text(attributes, attribute),
        Parent::RootOfId(attribute) => root_of(&text(attributes, attribute)?),
        Parent::Names(_) => None,
    };
    if let Some(parent_id) = parent_id {
        return Some(format!("{parent_id}/{last_type}/{}", names.last()?));
    }
    let group = text(attributes, "resource_group_name")?;
    let mut types = arm.split('/');
    let namespace = types.next()?;
    let mut id = format!("{SUBSCRIPTION}/resourceGroups/{group}/providers/{namespace}");
    for (segment, name) in types.zip(&names) {
        id.push_str(&format!("/{segment}/{name}"));
    }
    Some(id)
}

/// An `azapi_resource`'s ARM type (without `@version`), name path and id: a child of its
/// `parent_id` when its type extends the parent's (`…/virtualNetworks/subnets` under a
/// virtual network), else a resource under the group or subscription `parent_id` names.
pub(in crate::import::terraform) fn azapi_identity(
    attributes: &Map<String, Value>,
) -> Option<(String, Vec<String>, String)> {
    let arm_type = text(attributes, "type")?.split('@').next()?.to_string();
    let name = text(attributes, "name")?;
    let parent = text(attributes, "parent_id").unwrap_or_else(|| SUBSCRIPTION.to_string());
    if let Some((_, provider_path)) = parent.rsplit_once("/providers/") {
        let mut segments = provider_path.split('/');
        let namespace = segments.next()?;
        let rest: Vec<&str> = segments.collect();
        let parent_type = std::iter::once(namespace)
            .chain(rest.iter().step_by(2).copied())
            .collect::<Vec<_>>()
            .join("/");
        if let Some(child) = arm_type.strip_prefix(&format!("{parent_type}/")) {
            if !child.contains('/') {
                let mut names: Vec<String> = rest
                    .iter()
                    .skip(1)
                    .step_by(2)
                    .map(|n| n.to_string())
                    .collect();
                names.push(name.clone());
                let id = format!("{parent}/{child}/{name}");
                return Some((arm_type, names, id));
            }
        }
    }
    let id = format!("{parent}/providers/{arm_type}/{name}");
    Some((arm_type, vec![name], id))
}

/// The resource names of an ARM id, outermost first (`…/providers/NS/a/x/b/y` → `[x, y]`).
/// The id of the outermost resource an id names (`…/providers/NS/type/name`).
fn root_of(id: &str) -> Option<String> {
    let (scope, provider_path) = id.rsplit_once("/providers/")?;
    let root: Vec<&str> = provider_path.split('/').take(3).collect();
    (root.len() == 3).then(|| format!("{scope}/providers/{}", root.join("/")))
}

fn names_in_id(id: &str) -> Option<Vec<String>> {
    let (_, provider_path) = id.rsplit_once("/providers/")?;
    let names: Vec<String> = provider_path
        .split('/')
        .skip(2)
        .step_by(2)
        .map(str::to_string)
        .collect();
    (!names.is_empty()).then_some(names)
}

fn text(attributes: &Map<String, Value>, name: &str) -> Option<String> {
    attributes.get(name)?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn attributes(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn ids_follow_arms_layout() {
        let subnet = attributes(
            json!({"name": "s", "virtual_network_name": "v", "resource_group_name": "rg"}),
        );
        assert_eq!(
            arm_id("azurerm_subnet", &subnet).unwrap(),
            format!("{SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s")
        );
        assert_eq!(name_path("azurerm_subnet", &subnet).unwrap(), ["v", "s"]);
        let workspace = "/x/providers/Microsoft.MachineLearningServices/workspaces/w";
        let compute = attributes(json!({"name": "c", "machine_learning_workspace_id": workspace}));
        assert_eq!(
            arm_id("azurerm_machine_learning_compute_cluster", &compute).unwrap(),
            format!("{workspace}/computes/c")
        );
        assert_eq!(
            name_path("azurerm_machine_learning_compute_cluster", &compute).unwrap(),
            ["w", "c"]
        );
        let member = attributes(
            json!({"name": "m", "network_group_id": "/x/providers/Microsoft.Network/networkManagers/nm/networkGroups/g"}),
        );
        assert_eq!(
            name_path("azurerm_network_manager_static_member", &member).unwrap(),
            ["nm", "g", "m"]
        );
        // A perimeter association names its profile; its parent is the perimeter.
        let perimeter = "/x/providers/Microsoft.Network/networkSecurityPerimeters/nsp";
        let association = attributes(
            json!({"name": "a", "network_security_perimeter_profile_id": format!("{perimeter}/profiles/p")}),
        );
        assert_eq!(
            name_path(
                "azurerm_network_security_perimeter_association",
                &association
            )
            .unwrap(),
            ["nsp", "a"]
        );
        assert_eq!(
            arm_id(
                "azurerm_network_security_perimeter_association",
                &association
            )
            .unwrap(),
            format!("{perimeter}/resourceAssociations/a")
        );
        let group = attributes(json!({"name": "rg"}));
        assert_eq!(
            arm_id("azurerm_resource_group", &group).unwrap(),
            format!("{SUBSCRIPTION}/resourceGroups/rg")
        );
        assert_eq!(
            arm_type("azurerm_public_ip"),
            Some("Microsoft.Network/publicIPAddresses")
        );
        assert_eq!(arm_type("random_string"), None);
        let vnet = format!(
            "{SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
        );
        let subnet = attributes(
            json!({"type": "Microsoft.Network/virtualNetworks/subnets@2024-05-01", "name": "s", "parent_id": vnet}),
        );
        let (arm, names, id) = azapi_identity(&subnet).unwrap();
        assert_eq!(arm, "Microsoft.Network/virtualNetworks/subnets");
        assert_eq!(names, ["v", "s"]);
        assert_eq!(id, format!("{vnet}/subnets/s"));
        let group = attributes(
            json!({"type": "Microsoft.Network/virtualNetworks@2024-05-01", "name": "v", "parent_id": format!("{SUBSCRIPTION}/resourceGroups/rg")}),
        );
        assert_eq!(azapi_identity(&group).unwrap().2, vnet);
    }
}
