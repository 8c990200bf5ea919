//! Storage accounts, key vaults and container registries with their public-endpoint firewalls
//! (`networkAcls` / `networkRuleSet`). Absent settings take Azure's defaults: public access
//! enabled, default action Allow, trusted services bypassing, key vault soft delete on.

use super::arm_id::referenced_name;
use super::context::Context;
use super::kind::Kind;
use super::merge::insert_named;
use super::nsg::ACCESSES;
use super::resource::Resource;
use super::values;
use crate::import::node::Node;
use crate::model::{
    Access, Design, NetworkAcls, Owner, PaasKind, PaasResource, PublicNetworkAccess,
};

pub(super) const PUBLIC_NETWORK_ACCESS: [(&str, PublicNetworkAccess); 3] = [
    ("Enabled", PublicNetworkAccess::Enabled),
    ("Disabled", PublicNetworkAccess::Disabled),
    (
        "SecuredByPerimeter",
        PublicNetworkAccess::SecuredByPerimeter,
    ),
];

pub(super) fn storage_account(context: &mut Context, design: &mut Design, resource: &Resource) {
    let properties = resource.properties();
    let name = resource.name();
    let acls = properties.get("networkAcls");
    let mut account = base(context, resource, PaasKind::StorageAccount);
    account.network_acls = network_acls(context, name, acls.as_ref(), "bypass");
    add(context, design, account, resource);
}

pub(super) fn key_vault(context: &mut Context, design: &mut Design, resource: &Resource) {
    let properties = resource.properties();
    let name = resource.name();
    let acls = properties.get("networkAcls");
    let mut vault = base(context, resource, PaasKind::KeyVault);
    vault.network_acls = network_acls(context, name, acls.as_ref(), "bypass");
    vault.soft_delete = context
        .flag(name, &properties, "enableSoftDelete")
        .unwrap_or(true);
    vault.purge_protection = context
        .flag(name, &properties, "enablePurgeProtection")
        .unwrap_or(false);
    add(context, design, vault, resource);
}

pub(super) fn container_registry(context: &mut Context, design: &mut Design, resource: &Resource) {
    let properties = resource.properties();
    let name = resource.name();
    let rules = properties.get("networkRuleSet");
    let mut registry = base(context, resource, PaasKind::ContainerRegistry);
    registry.network_acls = network_acls(context, name, rules.as_ref(), "");
    if let Some(bypass) = context.text(name, &properties, "networkRuleBypassOptions") {
        registry.network_acls.bypass_azure_services = bypasses_azure_services(bypass);
    }
    add(context, design, registry, resource);
}

fn add(context: &mut Context, design: &mut Design, item: PaasResource, resource: &Resource) {
    let what = resource.kind.describe();
    insert_named(
        context,
        &mut design.resources,
        item,
        |r| &r.name,
        what,
        &resource.node,
    );
}

/// Name, kind, region, subscription, resource group and public network access.
fn base(context: &mut Context, resource: &Resource, kind: PaasKind) -> PaasResource {
    let name = resource.name();
    let properties = resource.properties();
    PaasResource {
        name: name.to_string(),
        kind,
        region: resource.location().unwrap_or_default(),
        subscription: subscription_of(resource),
        resource_group: resource_group_of(resource),
        owner: Owner::Yours,
        public_network_access: context
            .choice(
                name,
                &properties,
                "publicNetworkAccess",
                &PUBLIC_NETWORK_ACCESS,
            )
            .unwrap_or_default(),
        network_acls: NetworkAcls::default(),
        public_ip: None,
        covered_by_aliases: Vec::new(),
        classic: false,
        soft_delete: false,
        purge_protection: false,
    }
}

/// The subscription from the resource ID, else the design format's default.
pub(super) fn subscription_of(resource: &Resource) -> String {
    resource
        .id
        .as_ref()
        .and_then(|id| id.subscription.clone())
        .unwrap_or_else(|| "00000000-0000-0000-0000-000000000000".to_string())
}

/// The resource group from the resource ID, else the design format's default.
pub(super) fn resource_group_of(resource: &Resource) -> String {
    resource
        .id
        .as_ref()
        .and_then(|id| id.resource_group.clone())
        .unwrap_or_else(|| "rg".to_string())
}

/// A network ACL object; `bypass_key` names the bypass member (empty when the resource type
/// keeps it elsewhere). Absent means Azure's defaults.
fn network_acls(
    context: &mut Context,
    name: &str,
    acls: Option<&Node>,
    bypass_key: &str,
) -> NetworkAcls {
    let mut result = NetworkAcls {
        bypass_azure_services: true,
        ..NetworkAcls::default()
    };
    let Some(acls) = acls else {
        return result;
    };
    result.default_action = context
        .choice(name, acls, "defaultAction", &ACCESSES)
        .unwrap_or(Access::Allow);
    if !bypass_key.is_empty() {
        if let Some(bypass) = context.text(name, acls, bypass_key) {
            result.bypass_azure_services = bypasses_azure_services(bypass);
        }
    }
    for rule in context.list(name, acls, "virtualNetworkRules") {
        let holder = rule
            .get("id")
            .or_else(|| rule.get("virtualNetworkResourceId"));
        match holder {
            Some(holder) => {
                result
                    .virtual_network_rules
                    .extend(context.reference(Kind::Subnet, name, &holder))
            }
            None => context.warn(
                name,
                &rule,
                "the virtual network rule has no subnet `id`; ignored",
            ),
        }
    }
    for rule in context.list(name, acls, "ipRules") {
        let value = rule.get("value").or_else(|| rule.get("ipAddressOrRange"));
        match value
            .as_ref()
            .and_then(|v| v.as_str().map(|text| (v, text)))
        {
            Some((node, text)) => {
                result
                    .ip_rules
                    .extend(context.report(name, node, values::prefix(text)))
            }
            None => context.warn(name, &rule, "the IP rule has no `value`; ignored"),
        }
    }
    for rule in context.list(name, acls, "resourceAccessRules") {
        match rule
            .str_at("resourceId")
            .and_then(|id| referenced_name(id, 0))
        {
            Some(instance) => result.resource_access_rules.push(instance),
            None => context.warn(
                name,
                &rule,
                "the resource access rule has no `resourceId`; ignored",
            ),
        }
    }
    result
}

/// `AzureServices`, possibly with `Logging, Metrics`; `None` means no bypass.
fn bypasses_azure_services(bypass: &str) -> bool {
    bypass
        .split(',')
        .any(|part| part.trim().eq_ignore_ascii_case("AzureServices"))
}
