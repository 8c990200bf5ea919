//! Drafts of the policy editors: a route, a firewall rule collection and its network,
//! application or DNAT rules, a service endpoint policy definition and a resource's public-endpoint
//! firewall, each held as typed text until it parses (the firewall's drafts in `forms/firewall.rs`,
//! its public IPs and explicit proxy in `forms/firewall_settings.rs`, the load balancer's parts
//! in `forms/load_balancer.rs`, the network security perimeter's in `forms/perimeter.rs`,
//! Virtual Network Manager's in `forms/admin_rules.rs`). `parse` reports every bad field (one
//! [`FieldError`] per field) and keeps the element's other settings from the base it edits.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::model::{
    Access, AddressMatch, Design, NetworkAcls, NextHopType, PaasResource, PublicNetworkAccess,
    Route, SepDefinition,
};

use super::edit::FieldError;

mod admin_rules;
mod firewall;
mod firewall_settings;
mod load_balancer;
mod perimeter;
pub use admin_rules::{
    AdminCollectionDraft, AdminCollectionHeader, AdminRuleDraft, NetworkGroupDraft, ADMIN_ACCESSES,
};
pub use firewall::{
    CollectionDraft, CollectionHeader, FirewallRule, FirewallRuleDraft, NatRuleDraft,
};
pub use firewall_settings::{ExplicitProxyDraft, PublicIpsDraft};
pub use load_balancer::{
    pool_candidates, subnet_ids, FrontendDraft, LbRuleDraft, OutboundRuleDraft, PoolDraft,
    ProbeDraft, HA_PORTS, LB_OUTBOUND_PROTOCOLS, LB_RULE_PROTOCOLS, NO_HEALTHY_BACKENDS, NO_PROBE,
    PROBE_PROTOCOLS,
};
pub use perimeter::{
    perimeter_resources, AccessRule, AccessRuleDraft, AssociationDraft, ACCESS_MODES,
};

/// Collects field errors while a draft parses.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// The non-empty items of a comma-separated list.
fn items(text: &str) -> Vec<&str> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A comma-separated list of `T`, possibly empty.
fn list<T>(text: &str) -> Result<Vec<T>, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    items(text)
        .into_iter()
        .map(|item| item.parse::<T>().map_err(|e| format!("`{item}`: {e}")))
        .collect()
}

/// The protocols an Azure Firewall network rule can name.
pub const NETWORK_RULE_PROTOCOLS: [&str; 4] = ["tcp", "udp", "icmp", "any"];

/// The protocols an Azure Firewall DNAT rule can name.
pub const DNAT_RULE_PROTOCOLS: [&str; 3] = ["tcp", "udp", "any"];

/// Whether the comma-separated `list` holds `item` (ignoring case).
pub fn list_holds(list: &str, item: &str) -> bool {
    items(list).iter().any(|i| i.eq_ignore_ascii_case(item))
}

/// `list` with `item` present (`on`) or absent, the other items kept in their order: what a
/// checkbox of a multi-valued field writes into its draft text.
pub fn with_item(list: &str, item: &str, on: bool) -> String {
    let mut kept: Vec<&str> = items(list)
        .into_iter()
        .filter(|i| !i.eq_ignore_ascii_case(item))
        .collect();
    if on {
        kept.push(item);
    }
    kept.join(", ")
}

fn join<T: ToString>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn name(errors: &mut Errors, text: &str, what: &str) -> String {
    let name = text.trim().to_string();
    if name.is_empty() || name.contains('/') || name.chars().any(char::is_control) {
        errors.add("name", format!("the {what} needs a name (no `/`)"));
    }
    name
}

/// The next hop types, in Azure spelling, for the editor's select.
pub const NEXT_HOP_TYPES: [&str; 5] = [
    "VirtualAppliance",
    "Internet",
    "VnetLocal",
    "VirtualNetworkGateway",
    "None",
];

fn next_hop_type(text: &str) -> Option<NextHopType> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "virtualappliance" => NextHopType::VirtualAppliance,
        "internet" => NextHopType::Internet,
        "vnetlocal" => NextHopType::VnetLocal,
        "virtualnetworkgateway" => NextHopType::VirtualNetworkGateway,
        "none" => NextHopType::None,
        _ => return None,
    })
}

/// A user-defined route as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteDraft {
    pub name: String,
    /// A CIDR prefix or a service tag.
    pub prefix: String,
    pub next_hop_type: String,
    pub next_hop_ip: String,
}

impl RouteDraft {
    pub fn of(route: &Route) -> Self {
        RouteDraft {
            name: route.name.clone(),
            prefix: route.address_prefix.to_string(),
            next_hop_type: format!("{:?}", route.next_hop_type),
            next_hop_ip: route
                .next_hop_ip
                .map(|ip| ip.to_string())
                .unwrap_or_default(),
        }
    }

    /// A new route: everything to the design's first firewall (or `Internet` without one).
    pub fn new_route(design: &Design) -> Self {
        let firewall = design.firewalls.first().map(|f| f.private_ip);
        RouteDraft {
            name: "route".to_string(),
            prefix: "0.0.0.0/0".to_string(),
            next_hop_type: if firewall.is_some() {
                "VirtualAppliance"
            } else {
                "Internet"
            }
            .to_string(),
            next_hop_ip: firewall.map(|ip| ip.to_string()).unwrap_or_default(),
        }
    }

    pub fn parse(&self) -> Result<Route, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "route");
        let address_prefix = match self.prefix.trim().parse::<AddressMatch>() {
            Ok(AddressMatch::Any) => {
                errors.add(
                    "prefix",
                    "a route needs a CIDR prefix or a service tag, not `*`",
                );
                AddressMatch::Any
            }
            Ok(prefix) => prefix,
            Err(e) => {
                errors.add("prefix", e.to_string());
                AddressMatch::Any
            }
        };
        let parsed_type = next_hop_type(&self.next_hop_type);
        if parsed_type.is_none() {
            errors.add(
                "next_hop_type",
                format!("next hop type is one of {}", NEXT_HOP_TYPES.join(", ")),
            );
        }
        let ip = self.next_hop_ip.trim();
        let next_hop_type = parsed_type.unwrap_or(NextHopType::None);
        let next_hop_ip = match (next_hop_type, ip.is_empty()) {
            _ if parsed_type.is_none() => None,
            (NextHopType::VirtualAppliance, true) => {
                errors.add(
                    "next_hop_ip",
                    "next hop VirtualAppliance needs the appliance's IP address",
                );
                None
            }
            (NextHopType::VirtualAppliance, false) => match ip.parse::<Ipv4Addr>() {
                Ok(ip) => Some(ip),
                Err(_) => {
                    errors.add("next_hop_ip", format!("`{ip}` is not an IPv4 address"));
                    None
                }
            },
            (_, false) => {
                errors.add(
                    "next_hop_ip",
                    "only next hop VirtualAppliance takes an IP address: leave it empty",
                );
                None
            }
            (_, true) => None,
        };
        errors.finish(Route {
            name,
            address_prefix,
            next_hop_type,
            next_hop_ip,
        })
    }
}

/// A service endpoint policy definition as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SepDefinitionDraft {
    pub name: String,
    /// `Microsoft.Storage` or `Global`.
    pub service: String,
    /// ARM ids (`/subscriptions/…`) for Microsoft.Storage, aliases (`/services/…`) for Global.
    pub service_resources: String,
}

impl SepDefinitionDraft {
    pub fn of(definition: &SepDefinition) -> Self {
        SepDefinitionDraft {
            name: definition.name.clone(),
            service: definition.service.clone(),
            service_resources: definition.service_resources.join(", "),
        }
    }

    /// A new Microsoft.Storage definition allowing the design's first storage account you own.
    pub fn new_definition(design: &Design) -> Self {
        let account = design.resources.iter().find(|r| {
            r.kind == crate::model::PaasKind::StorageAccount
                && r.owner == crate::model::Owner::Yours
        });
        SepDefinitionDraft {
            name: "allow-storage".to_string(),
            service: "Microsoft.Storage".to_string(),
            service_resources: account.map(storage_id).unwrap_or_else(|| {
                "/subscriptions/00000000-0000-0000-0000-000000000000".to_string()
            }),
        }
    }

    pub fn parse(&self) -> Result<SepDefinition, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "definition");
        let service = match self.service.trim().to_ascii_lowercase().as_str() {
            "microsoft.storage" => "Microsoft.Storage",
            "global" => "Global",
            _ => {
                errors.add("service", "the service is Microsoft.Storage or Global");
                ""
            }
        };
        let resources: Vec<String> = items(&self.service_resources)
            .into_iter()
            .map(str::to_string)
            .collect();
        if resources.is_empty() {
            errors.add(
                "service_resources",
                "give at least one resource id or alias (comma-separated)",
            );
        }
        for resource in &resources {
            let alias = resource.starts_with("/services/");
            if service == "Global" && !alias {
                errors.add(
                    "service_resources",
                    format!("`{resource}`: Global definitions list aliases such as /services/Azure/MachineLearning"),
                );
                break;
            }
            if service == "Microsoft.Storage" && alias {
                errors.add(
                    "service_resources",
                    format!("`{resource}`: aliases belong in a definition with service Global; Microsoft.Storage lists accounts, resource groups or subscriptions"),
                );
                break;
            }
        }
        errors.finish(SepDefinition {
            name,
            service: service.to_string(),
            service_resources: resources,
        })
    }
}

/// The ARM id of a resource.
pub fn storage_id(resource: &PaasResource) -> String {
    let provider = match resource.kind {
        crate::model::PaasKind::StorageAccount => "Microsoft.Storage/storageAccounts",
        crate::model::PaasKind::KeyVault => "Microsoft.KeyVault/vaults",
        crate::model::PaasKind::ContainerRegistry => "Microsoft.ContainerRegistry/registries",
    };
    format!(
        "/subscriptions/{}/resourceGroups/{}/providers/{provider}/{}",
        resource.subscription, resource.resource_group, resource.name
    )
}

/// The public network access values, in Azure spelling.
pub const PUBLIC_NETWORK_ACCESS: [&str; 3] = ["Enabled", "Disabled", "SecuredByPerimeter"];

/// A storage account's, key vault's or registry's public-endpoint firewall as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AclDraft {
    pub public_network_access: String,
    pub default_action: String,
    pub bypass_azure_services: bool,
    /// `vnet/subnet` list.
    pub virtual_network_rules: String,
    /// CIDR or address list.
    pub ip_rules: String,
    /// Resource instance names (e.g. the AML workspace).
    pub resource_access_rules: String,
}

/// A parsed resource firewall.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceFirewall {
    pub public_network_access: PublicNetworkAccess,
    pub acls: NetworkAcls,
}

impl AclDraft {
    pub fn of(resource: &PaasResource) -> Self {
        let acls = &resource.network_acls;
        AclDraft {
            public_network_access: format!("{:?}", resource.public_network_access),
            default_action: format!("{:?}", acls.default_action),
            bypass_azure_services: acls.bypass_azure_services,
            virtual_network_rules: acls.virtual_network_rules.join(", "),
            ip_rules: join(&acls.ip_rules),
            resource_access_rules: acls.resource_access_rules.join(", "),
        }
    }

    /// Parses the draft; virtual network rules must name subnets of `design`.
    pub fn parse(&self, design: &Design) -> Result<ResourceFirewall, Vec<FieldError>> {
        let mut errors = Errors::default();
        let public_network_access = match self
            .public_network_access
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "enabled" => PublicNetworkAccess::Enabled,
            "disabled" => PublicNetworkAccess::Disabled,
            "securedbyperimeter" => PublicNetworkAccess::SecuredByPerimeter,
            _ => {
                errors.add(
                    "public_network_access",
                    format!(
                        "public network access is one of {}",
                        PUBLIC_NETWORK_ACCESS.join(", ")
                    ),
                );
                PublicNetworkAccess::Enabled
            }
        };
        let default_action = match self.default_action.trim().to_ascii_lowercase().as_str() {
            "allow" => Access::Allow,
            "deny" => Access::Deny,
            _ => {
                errors.add("default_action", "the default action is Allow or Deny");
                Access::Allow
            }
        };
        let subnets = subnet_ids(design);
        let virtual_network_rules: Vec<String> = items(&self.virtual_network_rules)
            .into_iter()
            .map(str::to_string)
            .collect();
        if let Some(unknown) = virtual_network_rules.iter().find(|r| !subnets.contains(r)) {
            errors.add(
                "virtual_network_rules",
                format!("`{unknown}` is not a subnet of the design (write vnet/subnet)"),
            );
        }
        let ip_rules = items(&self.ip_rules)
            .into_iter()
            .map(|item| {
                item.parse::<Ipv4Net>()
                    .or_else(|_| item.parse::<Ipv4Addr>().map(Ipv4Net::from))
                    .map_err(|_| format!("`{item}` is not an IPv4 address or CIDR prefix"))
            })
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| {
                errors.add("ip_rules", e);
                Vec::new()
            });
        let resource_access_rules = items(&self.resource_access_rules)
            .into_iter()
            .map(str::to_string)
            .collect();
        errors.finish(ResourceFirewall {
            public_network_access,
            acls: NetworkAcls {
                default_action,
                bypass_azure_services: self.bypass_azure_services,
                virtual_network_rules,
                ip_rules,
                resource_access_rules,
            },
        })
    }
}
